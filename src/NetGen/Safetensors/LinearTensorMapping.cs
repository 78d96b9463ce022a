using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Safetensors;

/// <summary>The weight and bias tensors in a file that belong to one of the network's Linear layers.</summary>
internal sealed class LinearTensors
{
    public LinearTensors(NetworkLayer layer, SafetensorsTensor weight, SafetensorsTensor bias)
    {
        Layer = layer;
        Weight = weight;
        Bias = bias;
    }

    public NetworkLayer Layer { get; }

    public SafetensorsTensor Weight { get; }

    public SafetensorsTensor Bias { get; }
}

/// <summary>
/// Matches the tensors of a PyTorch state_dict to the network's Linear layers. PyTorch names a
/// parameter by its module path and its name in the module: <c>0.weight</c> and <c>0.bias</c> for the
/// first layer of an <c>nn.Sequential</c>, <c>net.2.weight</c> for the third layer of a Sequential held
/// in an attribute <c>net</c>. The tensors are grouped by module path, the modules ordered by path with
/// numbers compared as numbers (so <c>10</c> comes after <c>2</c>, as in the Sequential, not before it
/// as in a sorted list of strings), and the i-th module must hold the i-th Linear layer: a weight of
/// shape <c>[outputs, inputs]</c> (nn.Linear's own layout) and a bias of shape <c>[outputs]</c>.
/// Whatever the prefix, only that order and those shapes decide; every failure names the tensor.
/// </summary>
internal static class LinearTensorMapping
{
    public static IReadOnlyList<LinearTensors> Match(NetworkArchitecture architecture, IReadOnlyList<SafetensorsTensor> tensors)
    {
        var modules = new Dictionary<string, (SafetensorsTensor? Weight, SafetensorsTensor? Bias)>(StringComparer.Ordinal);
        foreach (SafetensorsTensor tensor in tensors)
        {
            int dot = tensor.Name.LastIndexOf('.');
            string module = dot < 0 ? "" : tensor.Name.Substring(0, dot);
            string parameter = tensor.Name.Substring(dot + 1);
            modules.TryGetValue(module, out var pair);
            if (parameter == "weight") pair.Weight = tensor;
            else if (parameter == "bias") pair.Bias = tensor;
            else
            {
                throw SafetensorsFormat.Invalid(
                    $"tensor {SafetensorsHeader.Name(tensor.Name)} is neither a weight nor a bias; the file must hold only \"<module>.weight\" and \"<module>.bias\" tensors of Linear layers, " +
                    $"as the state_dict of an nn.Sequential of nn.Linear and activations does ({Expected(architecture)}).");
            }

            modules[module] = pair;
        }

        List<string> order = modules.Keys.ToList();
        order.Sort(ModulePathComparer.Instance);

        foreach (string module in order)
        {
            var (weight, bias) = modules[module];
            if (weight is null) throw SafetensorsFormat.Invalid($"tensor {SafetensorsHeader.Name(Join(module, "weight"))} is missing: the file has {SafetensorsHeader.Name(bias!.Name)} but no weight beside it.");
            if (bias is null) throw SafetensorsFormat.Invalid($"tensor {SafetensorsHeader.Name(Join(module, "bias"))} is missing: the file has {SafetensorsHeader.Name(weight.Name)} but no bias beside it; every NetGen Linear layer has a bias.");
        }

        IReadOnlyList<NetworkLayer> layers = architecture.LinearLayers;
        if (order.Count != layers.Count)
        {
            string found = order.Count == 0 ? "no tensors" : $"the tensors of {order.Count} layer{(order.Count == 1 ? "" : "s")} ({string.Join(", ", order.Select(m => SafetensorsHeader.Name(Join(m, "weight"))))})";
            if (order.Count > layers.Count)
            {
                throw SafetensorsFormat.Invalid(
                    $"the file holds {found}, but the network has {layers.Count} Linear layer{(layers.Count == 1 ? "" : "s")}; {SafetensorsHeader.Name(Join(order[layers.Count], "weight"))} and the tensors after it are extra ({Expected(architecture)}).");
            }

            NetworkLayer missing = layers[order.Count];
            throw SafetensorsFormat.Invalid(
                $"the file holds {found}, but the network has {layers.Count} Linear layers; the tensors of Linear layer {order.Count + 1}, {missing.Text}, are missing: " +
                $"a weight [{missing.Outputs}, {missing.Inputs}] and a bias [{missing.Outputs}] ({Expected(architecture)}).");
        }

        var matched = new List<LinearTensors>(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            NetworkLayer layer = layers[i];
            var (weight, bias) = modules[order[i]];
            CheckShape(weight!, new long[] { layer.Outputs, layer.Inputs }, layer, i, "weight", "[outputs, inputs], the layout of nn.Linear.weight");
            CheckShape(bias!, new long[] { layer.Outputs }, layer, i, "bias", "[outputs]");
            matched.Add(new LinearTensors(layer, weight!, bias!));
        }

        return matched;
    }

    /// <summary>What the network expects, for messages: <c>expected "0.weight" [16, 4], "0.bias" [16], "2.weight" [3, 16], "2.bias" [3]</c>.</summary>
    public static string Expected(NetworkArchitecture architecture)
        => "expected " + string.Join(", ", architecture.LinearLayers.Select(l => $"\"{l.SequentialIndex}.weight\" [{l.Outputs}, {l.Inputs}], \"{l.SequentialIndex}.bias\" [{l.Outputs}]")) + " or the same with a prefix";

    private static void CheckShape(SafetensorsTensor tensor, long[] expected, NetworkLayer layer, int linearIndex, string role, string layout)
    {
        if (tensor.Shape.SequenceEqual(expected)) return;
        string hint = role == "weight" && tensor.Shape.Length == 2 && tensor.Shape[0] == expected[1] && tensor.Shape[1] == expected[0]
            ? " It is transposed: PyTorch and NetGen store a Linear weight as [outputs, inputs]."
            : "";
        throw SafetensorsFormat.Invalid(
            $"tensor {SafetensorsHeader.Name(tensor.Name)} has shape {tensor.ShapeText}, but it falls to Linear layer {linearIndex + 1}, {layer.Text}, whose {role} is " +
            $"{SafetensorsTensor.FormatShape(expected)} ({layout}).{hint}");
    }

    private static string Join(string module, string parameter) => module.Length == 0 ? parameter : module + "." + parameter;

    /// <summary>
    /// Orders module paths as PyTorch numbers its modules: component by component, where runs of digits
    /// compare as numbers (<c>net.2</c> before <c>net.10</c>, <c>fc2</c> before <c>fc10</c>) and everything
    /// else compares by ordinal; a path comes before the paths that extend it.
    /// </summary>
    private sealed class ModulePathComparer : IComparer<string>
    {
        public static readonly ModulePathComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            string[] a = x!.Split('.'), b = y!.Split('.');
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                int order = CompareNatural(a[i], b[i]);
                if (order != 0) return order;
            }

            // "2" and "02" are the same number; ordinal order keeps the sort deterministic all the same.
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(x, y);
        }

        private static int CompareNatural(string a, string b)
        {
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                if (IsDigit(a[i]) && IsDigit(b[j]))
                {
                    int startA = i, startB = j;
                    while (i < a.Length && IsDigit(a[i])) i++;
                    while (j < b.Length && IsDigit(b[j])) j++;
                    string digitsA = a.Substring(startA, i - startA).TrimStart('0'), digitsB = b.Substring(startB, j - startB).TrimStart('0');
                    // Numbers of any length: a longer run (without leading zeros) is larger; equal lengths compare digit by digit.
                    int order = digitsA.Length != digitsB.Length ? digitsA.Length.CompareTo(digitsB.Length) : string.CompareOrdinal(digitsA, digitsB);
                    if (order != 0) return order;
                }
                else
                {
                    if (a[i] != b[j]) return a[i].CompareTo(b[j]);
                    i++;
                    j++;
                }
            }

            return (a.Length - i).CompareTo(b.Length - j);
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
    }
}
