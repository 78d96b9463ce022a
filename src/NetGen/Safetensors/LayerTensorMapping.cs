using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen.Safetensors;

/// <summary>The tensors in a file that belong to one of the network's layers with parameters.</summary>
internal sealed class LayerTensors
{
    public LayerTensors(NetworkLayer layer, IReadOnlyList<SafetensorsTensor?> tensors)
    {
        Layer = layer;
        Tensors = tensors;
    }

    public NetworkLayer Layer { get; }

    /// <summary>
    /// The file's tensor for each of <see cref="NetworkLayer.Tensors"/>, then each of
    /// <see cref="NetworkLayer.Buffers"/>, then, for a layer with buffers, PyTorch's
    /// <c>num_batches_tracked</c> (<see cref="LayerTensorMapping.NumBatchesTracked"/>), in that order; null for
    /// an optional tensor the module does not have (<c>bias=False</c>, which the layer loads as zeros, or
    /// <c>num_batches_tracked</c>).
    /// </summary>
    public IReadOnlyList<SafetensorsTensor?> Tensors { get; }

    /// <summary>Whether entry <paramref name="index"/> of <see cref="Tensors"/> is a parameter tensor (else a buffer or the batch count).</summary>
    public bool IsParameter(int index) => index < Layer.Tensors.Count;

    /// <summary>Whether entry <paramref name="index"/> of <see cref="Tensors"/> is one of <see cref="NetworkLayer.Buffers"/>.</summary>
    public bool IsBuffer(int index) => index >= Layer.Tensors.Count && index < Layer.Tensors.Count + Layer.Buffers.Count;

    /// <summary>The network's tensor entry <paramref name="index"/> fills: a parameter tensor or a buffer; null for the batch count, which NetGen does not keep.</summary>
    public NetworkTensor? Destination(int index)
        => IsParameter(index) ? Layer.Tensors[index] : IsBuffer(index) ? Layer.Buffers[index - Layer.Tensors.Count] : null;
}

/// <summary>Why a file's tensors could not be matched to a network.</summary>
internal enum TensorMatchProblem
{
    None,

    /// <summary>No order of the file's modules fits (or a tensor is missing, extra or misshapen).</summary>
    DoesNotFit,

    /// <summary>More than one order fits, and the names do not say which is right.</summary>
    Ambiguous,

    /// <summary>A module name given to choose the order is not one of the file's modules.</summary>
    UnknownModuleName,
}

/// <summary>
/// What matching found: the tensors of each layer with parameters, or the problem. For an ambiguous file,
/// <see cref="Reason"/> says which layers could take which modules, and the caller adds how its user
/// chooses (load options at run time, an attribute property at compile time).
/// </summary>
internal sealed class TensorMatch
{
    private TensorMatch(IReadOnlyList<LayerTensors>? layers, TensorMatchProblem problem, string reason, IReadOnlyList<string> exampleOrder, IReadOnlyList<string> candidates)
    {
        Layers = layers;
        Problem = problem;
        Reason = reason;
        ExampleOrder = exampleOrder;
        Candidates = candidates;
    }

    public IReadOnlyList<LayerTensors>? Layers { get; }

    public TensorMatchProblem Problem { get; }

    /// <summary>Why it failed, a sentence without the library's prefix.</summary>
    public string Reason { get; }

    /// <summary>For an ambiguous file: the module of each layer in one order that fits.</summary>
    public IReadOnlyList<string> ExampleOrder { get; }

    /// <summary>For an ambiguous file: the modules whose places the shapes leave open.</summary>
    public IReadOnlyList<string> Candidates { get; }

    public static TensorMatch Found(IReadOnlyList<LayerTensors> layers) => new(layers, TensorMatchProblem.None, "", Array.Empty<string>(), Array.Empty<string>());

    public static TensorMatch Failed(TensorMatchProblem problem, string reason) => new(null, problem, reason, Array.Empty<string>(), Array.Empty<string>());

    public static TensorMatch Ambiguous(string reason, IReadOnlyList<string> exampleOrder, IReadOnlyList<string> candidates, string layerWord)
        => new(null, TensorMatchProblem.Ambiguous, reason, exampleOrder, candidates) { LayerWord = layerWord };

    /// <summary>How messages call a layer with parameters: "Linear layer" where every one is Linear, else "layer with parameters".</summary>
    public string LayerWord { get; private set; } = "layer with parameters";

    /// <summary>
    /// The sentence that tells the user how to choose, with <paramref name="choose"/> the way to name the
    /// modules in their context, e.g. <c>new WeightLoadOptions { ModuleNames = new[] { ... } }</c>.
    /// </summary>
    public string HowToChoose(Func<string, string> choose)
    {
        string names = "new[] { " + string.Join(", ", ExampleOrder.Select(StrictQuote)) + " }";
        return $"name the module of each {LayerWord} in order, as the model's forward runs them: {choose(names)}, " +
            $"with {LayerTensorMapping.List(Candidates.Select(StrictQuote).ToList(), "and")} in their true order";
    }

    private static string StrictQuote(string name) => SafetensorsHeader.Name(name);
}

/// <summary>
/// Matches the tensors of a PyTorch state_dict to the network's layers with parameters, whatever their
/// kinds. PyTorch names a parameter by its module path and its name in the module: <c>0.weight</c> and
/// <c>0.bias</c> for the first layer of an <c>nn.Sequential</c>, <c>net.2.weight</c> for the third layer of a
/// Sequential held in an attribute <c>net</c>, <c>mlp.weight</c> for a Linear held in an attribute <c>mlp</c>,
/// <c>gru.weight_ih_l1</c> for the second layer of a stacked recurrent module. The tensors are grouped by
/// module path (and a recurrent layer's <c>_lK</c>); each layer takes one module holding exactly the tensors
/// its kind owns (<see cref="NetworkLayer.Tensors"/>, from the shared layout table), each of its shape, where
/// a <c>bias</c> may be left out (<c>bias=False</c>: the layer adds zero). Which module runs first is taken
/// from the names only where it is certain (<see cref="ModuleOrder"/>), otherwise from the shapes, and where
/// several orders fit, the caller's module names decide, or the load is refused. Every failure names the
/// layer and the tensor.
/// </summary>
internal static class LayerTensorMapping
{
    /// <summary>
    /// PyTorch's third BatchNorm buffer: the number of training batches seen, an I64 scalar. PyTorch uses it
    /// only where momentum is None (a cumulative average); NetGen's momentum is fixed at 0.1, so a load reads
    /// and checks it (an I64 of shape [] that is not negative) and keeps nothing, and a save writes 0.
    /// </summary>
    public const string NumBatchesTracked = "num_batches_tracked";

    /// <summary>Matches, throwing <see cref="InvalidDataException"/> for a file that does not fit or fits in several orders.</summary>
    /// <param name="architecture">The network.</param>
    /// <param name="tensors">The file's tensors.</param>
    /// <param name="moduleNames">The module of each layer with parameters in order, or null to decide from the names and shapes.</param>
    public static IReadOnlyList<LayerTensors> Match(NetworkArchitecture architecture, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyList<string>? moduleNames = null)
    {
        TensorMatch match = TryMatch(architecture, tensors, moduleNames);
        if (match.Layers is not null) return match.Layers;
        if (match.Problem == TensorMatchProblem.Ambiguous)
        {
            throw SafetensorsFormat.Invalid(
                match.Reason + "; " + match.HowToChoose(names => $"new WeightLoadOptions {{ ModuleNames = {names} }}") +
                ". Or load the model exported to ONNX (torch.onnx.export) with LoadOnnxWeights: an ONNX file carries the order of its layers.");
        }

        throw SafetensorsFormat.Invalid(match.Reason);
    }

    /// <summary>Matches, returning what went wrong instead of throwing.</summary>
    public static TensorMatch TryMatch(NetworkArchitecture architecture, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyList<string>? moduleNames)
    {
        IReadOnlyList<NetworkLayer> layers = architecture.ParameterLayers;
        string noun = Noun(architecture);
        var wants = new List<LayerWants>(layers.Count);
        var owned = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
        {
            NetworkLayer layer = layers[i];
            var parts = new List<OwnedTensor>(layer.Tensors.Count);
            foreach (NetworkTensor tensor in layer.Tensors)
            {
                string part = Split(tensor.Name).Part;
                owned.Add(part);
                parts.Add(new OwnedTensor(part, tensor.Shape.Select(d => (long)d).ToArray(), optional: part == "bias", LayoutOf(layer, tensor)));
            }

            // Buffers are required: a BatchNorm layer without its running statistics would infer with other numbers.
            foreach (NetworkTensor buffer in layer.Buffers)
            {
                owned.Add(buffer.Name);
                parts.Add(new OwnedTensor(buffer.Name, buffer.Shape.Select(d => (long)d).ToArray(), optional: false, $"the layout of {layer.Kind}'s {buffer.Name} in PyTorch"));
            }

            if (layer.Buffers.Count > 0)
            {
                owned.Add(NumBatchesTracked);
                parts.Add(new OwnedTensor(NumBatchesTracked, Array.Empty<long>(), optional: true, "a scalar, as PyTorch writes it"));
            }

            wants.Add(new LayerWants(i + 1, layer.Text, parts, noun));
        }

        var byModule = new Dictionary<string, FileModule>(StringComparer.Ordinal);
        foreach (SafetensorsTensor tensor in tensors)
        {
            int dot = tensor.Name.LastIndexOf('.');
            string path = dot < 0 ? "" : tensor.Name.Substring(0, dot);
            (string part, int? stack) = Split(tensor.Name.Substring(dot + 1));
            if (!owned.Contains(part))
            {
                return TensorMatch.Failed(TensorMatchProblem.DoesNotFit, NotOwned(architecture, tensor, owned));
            }

            var module = new FileModule(path, stack);
            if (!byModule.TryGetValue(module.Name, out FileModule? existing)) byModule.Add(module.Name, existing = module);
            existing.Tensors[part] = tensor;
        }

        List<FileModule> modules = byModule.Values.ToList();
        modules.Sort((a, b) => ModulePathComparer.Instance.Compare(a.Name, b.Name));

        foreach (FileModule module in modules)
        {
            // A module of a bias alone (or a recurrent module's second matrix alone) is half a layer: say which half is missing.
            if (!wants.Any(w => w.Tensors.Where(t => !t.Optional).All(t => module.Tensors.ContainsKey(t.Part))))
            {
                OwnedTensor? absent = wants.SelectMany(w => w.Tensors).FirstOrDefault(t => !t.Optional && !module.Tensors.ContainsKey(t.Part)
                    && wants.Any(w => w.Tensors.Any(o => o.Part == t.Part) && module.Tensors.Keys.All(k => w.Tensors.Any(o => o.Part == k))));
                if (absent is not null)
                {
                    return TensorMatch.Failed(TensorMatchProblem.DoesNotFit,
                        $"tensor {SafetensorsHeader.Name(TensorName(module, absent.Part))} is missing: the file has {List(module.Tensors.Values.Select(t => SafetensorsHeader.Name(t.Name)).OrderBy(n => n, StringComparer.Ordinal).ToList(), "and")} but no {absent.Part} beside it.");
                }
            }
        }

        if (modules.Count != layers.Count)
        {
            string found = modules.Count == 0 ? "no tensors" : $"the tensors of {modules.Count} layer{(modules.Count == 1 ? "" : "s")} ({string.Join(", ", modules.Select(m => SafetensorsHeader.Name(FirstTensorName(m))))})";
            if (modules.Count > layers.Count)
            {
                return TensorMatch.Failed(TensorMatchProblem.DoesNotFit,
                    $"the file holds {found}, but the network has {layers.Count} {Plural(noun, layers.Count)}; {SafetensorsHeader.Name(FirstTensorName(modules[layers.Count]))} and the tensors after it are extra ({Expected(architecture)}).");
            }

            NetworkLayer missing = layers[modules.Count];
            return TensorMatch.Failed(TensorMatchProblem.DoesNotFit,
                $"the file holds {found}, but the network has {layers.Count} {Plural(noun, layers.Count)}; the tensors of {noun} {modules.Count + 1}, {missing.Text}, are missing: " +
                $"{List(wants[modules.Count].Tensors.Select(t => $"a {t.Part} {SafetensorsTensor.FormatShape(t.Shape)}").ToList(), "and")} ({Expected(architecture)}).");
        }

        FileModule[] order;
        if (moduleNames is not null)
        {
            TensorMatch? named = Named(modules, wants, moduleNames, out order);
            if (named is not null) return named;
        }
        else
        {
            ModuleOrderResult result = ModuleOrder.Find(modules, wants);
            if (result.Orders.Count >= 2 || result.Undecided) return Ambiguity(result, wants, modules, noun);
            if (result.Orders.Count == 0) return NoOrderFits(result, wants, modules);
            order = result.Orders[0];
        }

        var matched = new List<LayerTensors>(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            FileModule module = order[i];
            var found = new SafetensorsTensor?[wants[i].Tensors.Count];
            for (int t = 0; t < found.Length; t++)
            {
                module.Tensors.TryGetValue(wants[i].Tensors[t].Part, out found[t]);
            }

            matched.Add(new LayerTensors(layers[i], found));
        }

        return TensorMatch.Found(matched);
    }

    /// <summary>"Linear layer" where every layer with parameters is Linear (as before other kinds existed), else "layer with parameters".</summary>
    private static string Noun(NetworkArchitecture architecture)
        => architecture.ParameterLayers.All(l => l.IsLinear) ? "Linear layer" : "layer with parameters";

    private static string Plural(string noun, int count)
        => count == 1 ? noun : noun == "Linear layer" ? "Linear layers" : "layers with parameters";

    /// <summary>A tensor name's last part split from a recurrent layer's <c>_lK</c>: <c>weight_ih_l1</c> is part <c>weight_ih</c> of stack 1.</summary>
    private static (string Part, int? Stack) Split(string name)
    {
        int at = name.LastIndexOf("_l", StringComparison.Ordinal);
        if (at > 0 && at + 2 < name.Length && name.Substring(at + 2).All(c => c >= '0' && c <= '9')
            && int.TryParse(name.Substring(at + 2), NumberStyles.None, CultureInfo.InvariantCulture, out int stack))
        {
            return (name.Substring(0, at), stack);
        }

        return (name, null);
    }

    /// <summary>A module's tensor of <paramref name="part"/> as the file would name it.</summary>
    private static string TensorName(FileModule module, string part)
        => Join(module.Path, module.Stack is int k ? part + "_l" + k.ToString(CultureInfo.InvariantCulture) : part);

    private static string FirstTensorName(FileModule module)
        => module.Tensors.TryGetValue("weight", out SafetensorsTensor? weight) ? weight.Name : module.Tensors.Values.OrderBy(t => t.Name, StringComparer.Ordinal).First().Name;

    /// <summary>For messages: a tensor's layout, e.g. "[outputs, inputs], the layout of nn.Linear.weight".</summary>
    private static string LayoutOf(NetworkLayer layer, NetworkTensor tensor)
        => layer.IsLinear && tensor.Name == "weight" ? "[outputs, inputs], the layout of nn.Linear.weight"
            : layer.IsLinear && tensor.Name == "bias" ? "[outputs]"
            : $"the layout of {layer.Kind}'s {tensor.Name} in PyTorch";

    private static string NotOwned(NetworkArchitecture architecture, SafetensorsTensor tensor, HashSet<string> owned)
    {
        if (architecture.ParameterLayers.All(l => l.IsLinear))
        {
            return $"tensor {SafetensorsHeader.Name(tensor.Name)} is neither a weight nor a bias; the file must hold only \"<module>.weight\" and \"<module>.bias\" tensors of Linear layers, " +
                $"as the state_dict of a model of nn.Linear modules and activations does ({Expected(architecture)}).";
        }

        return $"tensor {SafetensorsHeader.Name(tensor.Name)} is not a tensor of any layer of the network, whose tensors are named " +
            $"{List(owned.OrderBy(n => n, StringComparer.Ordinal).Select(n => "\"<module>." + n + "\"").ToList(), "and")} ({Expected(architecture)}).";
    }

    /// <summary>The order the caller named; null where it fits, else the problem.</summary>
    private static TensorMatch? Named(List<FileModule> modules, List<LayerWants> wants, IReadOnlyList<string> names, out FileModule[] order)
    {
        order = new FileModule[wants.Count];
        string all = string.Join(", ", modules.Select(m => SafetensorsHeader.Name(m.Name)));
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            // The module path as the file writes it, or its end at a '.' (\"mlp\" for \"model.mlp\") where only one module ends so.
            List<FileModule> found = modules.Where(m => m.Name == name).ToList();
            if (found.Count == 0) found = modules.Where(m => m.Name.EndsWith("." + name, StringComparison.Ordinal)).ToList();
            if (found.Count != 1)
            {
                string why = found.Count == 0 ? "no module of the file is named so" : $"it ends the names of {found.Count} modules ({string.Join(", ", found.Select(m => SafetensorsHeader.Name(m.Name)))}): write more of the path";
                return TensorMatch.Failed(TensorMatchProblem.UnknownModuleName,
                    $"module name {SafetensorsHeader.Name(name)} (for {wants[i].Noun} {i + 1}, {wants[i].Text}) names no one module of the file: {why}; the file's modules are {all}.");
            }

            int earlier = Array.IndexOf(order, found[0]);
            if (earlier >= 0)
            {
                return TensorMatch.Failed(TensorMatchProblem.UnknownModuleName,
                    $"module names {SafetensorsHeader.Name(names[earlier])} and {SafetensorsHeader.Name(name)} (for {Plural(wants[i].Noun, 2)} {earlier + 1} and {i + 1}) both name module {SafetensorsHeader.Name(found[0].Name)}; the file's modules are {all}.");
            }

            order[i] = found[0];
        }

        for (int i = 0; i < wants.Count; i++)
        {
            if (!wants[i].Fits(order[i])) return TensorMatch.Failed(TensorMatchProblem.DoesNotFit, Mismatch(order[i], wants[i], "is named for"));
        }

        return null;
    }

    private static TensorMatch Ambiguity(ModuleOrderResult result, List<LayerWants> wants, List<FileModule> modules, string noun)
    {
        // Undecided without an order found, the file's modules in name order stand for one, to show the form.
        FileModule[] first = result.Orders.Count > 0 ? result.Orders[0] : modules.ToArray();
        List<int> open = result.Orders.Count >= 2
            ? Enumerable.Range(0, wants.Count).Where(i => first[i] != result.Orders[1][i]).ToList()
            : Enumerable.Range(0, wants.Count).ToList();
        List<string> candidates = open.Select(i => first[i].Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        string layerTexts = open.Select(i => wants[i].Text).Distinct().Count() == 1
            ? $"each {wants[open[0]].Text}"
            : List(open.Select(i => wants[i].Text).ToList(), "and");
        string reason = result.Undecided
            ? $"the file's names do not say in which order its {modules.Count} modules run, and too many orders are possible to decide from the shapes alone"
            : $"the file's names do not say in which order its modules run (safetensors' save_file sorts names, and only nn.Sequential indices fix an order), and its shapes fit more than one order: " +
              $"{Plural(noun, 2)} {List(open.Select(i => wants[i].Number.ToString(CultureInfo.InvariantCulture)).ToList(), "and")} ({layerTexts}) could take modules " +
              $"{List(candidates.Select(SafetensorsHeader.Name).ToList(), "or")} in either order";
        return TensorMatch.Ambiguous(reason, first.Select(m => m.Name).ToList(), candidates, noun);
    }

    private static TensorMatch NoOrderFits(ModuleOrderResult result, List<LayerWants> wants, List<FileModule> modules)
    {
        LayerWants layer = wants[result.FailedLayer];
        if (result.FailedCandidates.Count == 1)
        {
            // The names (or the last module left) give this layer one module: what differs is that module's.
            return TensorMatch.Failed(TensorMatchProblem.DoesNotFit, Mismatch(result.FailedCandidates[0], layer, "falls to"));
        }

        string wanted = string.Join(" and ", layer.Tensors.Select(t => $"a {t.Part} {SafetensorsTensor.FormatShape(t.Shape)}{(t.Optional ? " (or none)" : "")}"));
        return TensorMatch.Failed(TensorMatchProblem.DoesNotFit,
            $"no module of the file fits {layer.Noun} {layer.Number}, {layer.Text}, which takes {wanted}: the modules that could come next, " +
            $"{List(result.FailedCandidates.Select(m => $"{SafetensorsHeader.Name(m.Name)} ({m.Describe()})").ToList(), "and")}, have other shapes ({Expected(wants)}).");
    }

    /// <summary>What is wrong with <paramref name="module"/> as <paramref name="layer"/>'s tensors, naming the tensor.</summary>
    private static string Mismatch(FileModule module, LayerWants layer, string falls)
    {
        foreach (OwnedTensor owned in layer.Tensors)
        {
            if (!module.Tensors.TryGetValue(owned.Part, out SafetensorsTensor? tensor))
            {
                if (owned.Optional) continue;
                return $"tensor {SafetensorsHeader.Name(TensorName(module, owned.Part))} is missing: module {SafetensorsHeader.Name(module.Name)} {falls} {layer.Noun} {layer.Number}, {layer.Text}, which needs a {owned.Part} {SafetensorsTensor.FormatShape(owned.Shape)}.";
            }

            if (tensor.Shape.SequenceEqual(owned.Shape)) continue;
            string hint = layer.Noun == "Linear layer" && owned.Part == "weight" && tensor.Shape.Length == 2 && tensor.Shape[0] == owned.Shape[1] && tensor.Shape[1] == owned.Shape[0]
                ? " It is transposed: PyTorch and NetGen store a Linear weight as [outputs, inputs]."
                : "";
            return $"tensor {SafetensorsHeader.Name(tensor.Name)} has shape {tensor.ShapeText}, but it {falls} {layer.Noun} {layer.Number}, {layer.Text}, whose {owned.Part} is " +
                $"{SafetensorsTensor.FormatShape(owned.Shape)} ({owned.Layout}).{hint}";
        }

        SafetensorsTensor other = module.Tensors.First(t => !layer.Tensors.Any(o => o.Part == t.Key)).Value;
        return $"tensor {SafetensorsHeader.Name(other.Name)} is not a tensor of {layer.Noun} {layer.Number}, {layer.Text}.";
    }

    /// <summary>"a", "a and b", "a, b and c".</summary>
    internal static string List(IReadOnlyList<string> items, string conjunction)
        => items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " " + conjunction + " " + items[items.Count - 1];

    private static string Expected(IReadOnlyList<LayerWants> wants)
        => $"the network's {(wants.Count > 0 ? Plural(wants[0].Noun, 2) : "layers with parameters")} in order are " +
            string.Join(", ", wants.Select(w => $"{w.Text} ({string.Join(", ", w.Tensors.Select(t => $"{t.Part} {SafetensorsTensor.FormatShape(t.Shape)}"))})"));

    /// <summary>What the network expects, for messages: <c>expected "0.weight" [16, 4], "0.bias" [16], "2.weight" [3, 16], "2.bias" [3]</c>.</summary>
    public static string Expected(NetworkArchitecture architecture)
        => "expected " + string.Join(", ", architecture.ParameterLayers.SelectMany(l => l.Tensors).Select(t => $"\"{t.StateDictName}\" {SafetensorsTensor.FormatShape(t.Shape.Select(d => (long)d).ToArray())}")) + " or the same with a prefix";

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
