using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>
/// Reads the weights of a sequence network (one with GRU or LSTM layers) from an ONNX model: what
/// <c>torch.onnx.export</c> writes for <c>nn.GRU</c> / <c>nn.LSTM</c> (batch_first, any num_layers, a
/// node per layer) and <c>nn.Linear</c> per step (<c>MatMul</c> by an <c>[inputs, outputs]</c> initializer,
/// then <c>Add</c> of the bias, or <c>Gemm</c>), and what <see cref="OnnxSequenceModelWriter"/> writes.
/// The nodes with weights, in graph order, are matched one to one with the network's GRU, LSTM and
/// Linear layers; the gate blocks are moved from ONNX's order back to PyTorch's, and <c>B</c> is split
/// into the input and hidden biases. The other nodes (transposes, squeezes, the zero initial states,
/// activations) are not checked: the network's architecture is taken to be the model's.
/// </summary>
internal static class OnnxSequenceWeightReader
{
    /// <summary>ONNX's gate block for each PyTorch gate block: GRU r, z, n from z, r, h.</summary>
    private static readonly int[] GruGates = { 1, 0, 2 };

    /// <summary>ONNX's gate block for each PyTorch gate block: LSTM i, f, g, o from i, o, f, c.</summary>
    private static readonly int[] LstmGates = { 0, 2, 3, 1 };

    public static T[] Read<T>(ModelProto model, NetworkArchitecture architecture, WeightLoadOptions options) where T : unmanaged
    {
        GraphProto graph = model.Graph ?? throw OnnxErrors.Invalid("the model has no graph.");
        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (TensorProto tensor in graph.Initializer) initializers[tensor.Name] = tensor;
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (NodeProto node in graph.Node) foreach (string output in node.Output) producers[output] = node;

        List<NodeProto> weighted = graph.Node.Where(n => n.OpType is "GRU" or "LSTM" or "Gemm" || (n.OpType == "MatMul" && LinearWeight(n, initializers, producers) is not null)).ToList();
        List<NetworkLayer> layers = architecture.ParameterLayers.ToList();
        string found = string.Join(", ", weighted.Select(n => n.OpType));
        if (weighted.Count != layers.Count)
        {
            throw OnnxErrors.Invalid($"the graph has {weighted.Count} nodes with weights ({found}), but \"{architecture.Text}\" has {layers.Count} layers with parameters ({string.Join(", ", layers.Select(l => l.Text))}).");
        }

        var values = new T[architecture.ParameterCount];
        for (int i = 0; i < layers.Count; i++)
        {
            NetworkLayer layer = layers[i];
            NodeProto node = weighted[i];
            string role = $"node \"{node.Name}\" ({node.OpType}, for layer {layer.Index + 1}, {layer.Text})";
            bool matches = layer.Kind switch
            {
                "GRU" or "LSTM" => node.OpType == layer.Kind,
                "Linear" => node.OpType is "MatMul" or "Gemm",
                _ => false,
            };
            if (!matches) throw OnnxErrors.Invalid($"the nodes with weights are {found}; number {i + 1} of them is {node.OpType}, but the layer it would load, layer {layer.Index + 1} of \"{architecture.Text}\", is {layer.Text}.");

            if (node.OpType is "GRU" or "LSTM") ReadRecurrent(node, layer, role, initializers, options, values);
            else ReadLinear(node, layer, role, graph, initializers, producers, options, values);
        }

        return values;
    }

    private static void ReadRecurrent<T>(NodeProto node, NetworkLayer layer, string role, Dictionary<string, TensorProto> initializers, WeightLoadOptions options, T[] values) where T : unmanaged
    {
        int[] gates = node.OpType == "GRU" ? GruGates : LstmGates;
        int hidden = layer.Outputs, inputs = layer.Inputs, rows = gates.Length * hidden;
        foreach (AttributeProto attribute in node.Attribute)
        {
            string? refusal = attribute.Name switch
            {
                "hidden_size" => attribute.I == hidden ? null : $"hidden_size is {attribute.I}, not {hidden}",
                "direction" => attribute.S.ToStringUtf8() == "forward" ? null : $"its direction is {attribute.S.ToStringUtf8()}; NetGen's layers run forward only",
                "linear_before_reset" => attribute.I == 1 ? null : $"linear_before_reset is {attribute.I}; PyTorch's GRU (and NetGen's) is linear_before_reset = 1",
                "input_forget" => attribute.I == 0 ? null : "input_forget couples the input and forget gates, which PyTorch's LSTM does not",
                "layout" => attribute.I == 0 ? null : "layout 1 (batch first inside the node) is not read",
                _ => $"it has the attribute {attribute.Name} (activations, clip, ...), which NetGen's {layer.Kind} does not have",
            };
            if (refusal is not null) throw OnnxErrors.Invalid($"{role}: {refusal}.");
        }

        if (node.OpType == "LSTM" && node.Input.Count > 7 && node.Input[7].Length > 0) throw OnnxErrors.Invalid($"{role} has peephole weights P, which PyTorch's LSTM (and NetGen's) does not have.");
        if (node.Input.Count > 4 && node.Input[4].Length > 0) throw OnnxErrors.Invalid($"{role} has sequence_lens; NetGen runs every sequence over all its steps.");

        T[] w = Initializer<T>(node, 1, "W", new long[] { 1, rows, inputs }, role, initializers, options)!;
        T[] r = Initializer<T>(node, 2, "R", new long[] { 1, rows, hidden }, role, initializers, options)!;
        T[]? b = Initializer<T>(node, 3, "B", new long[] { 1, 2 * rows }, role, initializers, options, optional: true);
        ToPyTorchOrder(w, 0, gates, hidden * inputs, values, layer.Tensors[0].Offset);
        ToPyTorchOrder(r, 0, gates, hidden * hidden, values, layer.Tensors[1].Offset);
        if (b is not null)
        {
            // B is [Wb, Rb]: the input biases, then the hidden biases; without B both are zero.
            ToPyTorchOrder(b, 0, gates, hidden, values, layer.Tensors[2].Offset);
            ToPyTorchOrder(b, rows, gates, hidden, values, layer.Tensors[3].Offset);
        }
    }

    private static void ReadLinear<T>(NodeProto node, NetworkLayer layer, string role, GraphProto graph, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers, WeightLoadOptions options, T[] values) where T : unmanaged
    {
        int inputs = layer.Inputs, outputs = layer.Outputs;
        int weightOffset = layer.Tensors[0].Offset, biasOffset = layer.Tensors[1].Offset;
        TensorProto bias;
        if (node.OpType == "Gemm")
        {
            long transB = node.Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0;
            if (node.Attribute.Any(a => a.Name is "transA" && a.I != 0 || a.Name is "alpha" or "beta" && a.F != 1)) throw OnnxErrors.Invalid($"{role}: only Gemm with transA = 0 and alpha = beta = 1 is a Linear layer.");
            TensorProto gemmWeight = Required(node, 1, "weight", role, initializers);
            if (transB == 1) CopyChecked(gemmWeight, new long[] { outputs, inputs }, role, options, values, weightOffset, transpose: false);
            else CopyChecked(gemmWeight, new long[] { inputs, outputs }, role, options, values, weightOffset, transpose: true, inputs, outputs);
            if (node.Input.Count > 2 && node.Input[2].Length > 0) CopyChecked(Required(node, 2, "bias", role, initializers), new long[] { outputs }, role, options, values, biasOffset, transpose: false);
            return;
        }

        (TensorProto weight, bool stored) = LinearWeight(node, initializers, producers)!.Value;
        // stored: [outputs, inputs] behind a Transpose node (NetGen's export); otherwise [inputs, outputs] (PyTorch's).
        if (stored) CopyChecked(weight, new long[] { outputs, inputs }, role, options, values, weightOffset, transpose: false);
        else CopyChecked(weight, new long[] { inputs, outputs }, role, options, values, weightOffset, transpose: true, inputs, outputs);

        // The bias is the initializer that an Add of the product's adds; without one the bias is zero.
        NodeProto? add = graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(node.Output[0]));
        string? biasName = add?.Input.FirstOrDefault(input => input != node.Output[0] && initializers.ContainsKey(input));
        if (biasName is null) return;
        bias = initializers[biasName];
        CopyChecked(bias, new long[] { outputs }, role, options, values, biasOffset, transpose: false);
    }

    /// <summary>A MatMul's weight: an initializer as its second input, or one behind a Transpose node (stored: true).</summary>
    private static (TensorProto Weight, bool Stored)? LinearWeight(NodeProto node, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers)
    {
        if (node.Input.Count < 2) return null;
        if (initializers.TryGetValue(node.Input[1], out TensorProto? direct)) return (direct, false);
        if (producers.TryGetValue(node.Input[1], out NodeProto? transpose) && transpose.OpType == "Transpose" && transpose.Input.Count == 1
            && initializers.TryGetValue(transpose.Input[0], out TensorProto? behind))
        {
            return (behind, true);
        }

        return null;
    }

    private static TensorProto Required(NodeProto node, int index, string what, string role, Dictionary<string, TensorProto> initializers)
    {
        if (node.Input.Count <= index || !initializers.TryGetValue(node.Input[index], out TensorProto? tensor))
        {
            throw OnnxErrors.Invalid($"{role}: its {what} is not an initializer of the model.");
        }

        return tensor;
    }

    private static T[]? Initializer<T>(NodeProto node, int index, string what, long[] dims, string role, Dictionary<string, TensorProto> initializers, WeightLoadOptions options, bool optional = false) where T : unmanaged
    {
        if (optional && (node.Input.Count <= index || node.Input[index].Length == 0)) return null;
        TensorProto tensor = Required(node, index, what, role, initializers);
        CheckShape(tensor, dims, $"{what} of {role}");
        return OnnxTensors.Read<T>(tensor, $"{what} of {role}", options);
    }

    private static void CopyChecked<T>(TensorProto tensor, long[] dims, string role, WeightLoadOptions options, T[] values, int offset, bool transpose, int inputs = 0, int outputs = 0) where T : unmanaged
    {
        CheckShape(tensor, dims, "the weights of " + role);
        T[] read = OnnxTensors.Read<T>(tensor, "the weights of " + role, options);
        if (!transpose) read.CopyTo(values, offset);
        else
        {
            // Stored [inputs, outputs]; NetGen's layout is [outputs, inputs].
            for (int i = 0; i < inputs; i++) for (int o = 0; o < outputs; o++) values[offset + o * inputs + i] = read[i * outputs + o];
        }
    }

    private static void CheckShape(TensorProto tensor, long[] dims, string role)
    {
        if (!tensor.Dims.SequenceEqual(dims))
        {
            throw OnnxErrors.Invalid($"initializer {OnnxTensors.Name(tensor)} ({role}) is {OnnxTensors.Shape(tensor)}; the network needs [{string.Join(", ", dims)}].");
        }
    }

    /// <summary>Copies the gate blocks of <paramref name="block"/> values from <paramref name="source"/> into <paramref name="values"/> in PyTorch's gate order.</summary>
    private static void ToPyTorchOrder<T>(T[] source, int start, int[] gates, int block, T[] values, int offset)
    {
        for (int g = 0; g < gates.Length; g++) Array.Copy(source, start + gates[g] * block, values, offset + g * block, block);
    }
}
