using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>
/// Reads the weights of a sequence network (one with GRU or LSTM layers) from an ONNX model whose graph
/// <see cref="OnnxGraphMatcher.MatchSequence"/> has matched against the declaration node by node: what
/// <c>torch.onnx.export</c> writes for <c>nn.GRU</c> / <c>nn.LSTM</c> (either batch_first, any num_layers, a
/// node per layer), <c>nn.Linear</c> per step and the activations, and what <see cref="OnnxSequenceModelWriter"/>
/// writes. The gate blocks are moved from ONNX's order back to PyTorch's, and <c>B</c> is split into the input
/// and hidden biases. Everything is read into a new array: the network is not touched here.
/// </summary>
internal static class OnnxSequenceWeightReader
{
    /// <summary>ONNX's gate block for each PyTorch gate block: GRU r, z, n from z, r, h.</summary>
    private static readonly int[] GruGates = { 1, 0, 2 };

    /// <summary>ONNX's gate block for each PyTorch gate block: LSTM i, f, g, o from i, o, f, c.</summary>
    private static readonly int[] LstmGates = { 0, 2, 3, 1 };

    public static T[] Read<T>(ModelProto model, NetworkArchitecture architecture, WeightLoadOptions options) where T : unmanaged
    {
        (IReadOnlyList<RecurrentInitializers> recurrent, IReadOnlyList<LinearInitializers> linear) = OnnxGraphMatcher.MatchSequence(model, architecture);
        var values = new T[architecture.ParameterCount];
        foreach (RecurrentInitializers layer in recurrent) ReadRecurrent(layer, options, values);
        foreach (LinearInitializers layer in linear) ReadLinear(layer, options, values);
        return values;
    }

    private static void ReadRecurrent<T>(RecurrentInitializers tensors, WeightLoadOptions options, T[] values) where T : unmanaged
    {
        NetworkLayer layer = tensors.Layer;
        int[] gates = layer.Kind == "GRU" ? GruGates : LstmGates;
        int hidden = layer.Outputs, inputs = layer.Inputs, rows = gates.Length * hidden;
        T[] w = OnnxTensors.Read<T>(tensors.W, "W of " + tensors.Role, options);
        T[] r = OnnxTensors.Read<T>(tensors.R, "R of " + tensors.Role, options);
        ToPyTorchOrder(w, 0, gates, hidden * inputs, values, layer.Tensors[0].Offset);
        ToPyTorchOrder(r, 0, gates, hidden * hidden, values, layer.Tensors[1].Offset);
        if (tensors.B is not null)
        {
            // B is [Wb, Rb]: the input biases, then the hidden biases; without B both are zero.
            T[] b = OnnxTensors.Read<T>(tensors.B, "B of " + tensors.Role, options);
            ToPyTorchOrder(b, 0, gates, hidden, values, layer.Tensors[2].Offset);
            ToPyTorchOrder(b, rows, gates, hidden, values, layer.Tensors[3].Offset);
        }
    }

    private static void ReadLinear<T>(LinearInitializers tensors, WeightLoadOptions options, T[] values) where T : unmanaged
    {
        NetworkLayer layer = tensors.Layer;
        int inputs = layer.Inputs, outputs = layer.Outputs, offset = layer.Tensors[0].Offset;
        T[] weight = OnnxTensors.Read<T>(tensors.Weight, "the weight of " + tensors.Role, options);
        if (!tensors.InputsByOutputs) weight.CopyTo(values, offset);
        else
        {
            // Stored [inputs, outputs]; NetGen's layout is [outputs, inputs].
            for (int i = 0; i < inputs; i++) for (int o = 0; o < outputs; o++) values[offset + o * inputs + i] = weight[i * outputs + o];
        }

        // Without a bias the layer adds zero, which the new array already holds.
        if (tensors.Bias is not null) OnnxTensors.Read<T>(tensors.Bias, "the bias of " + tensors.Role, options).CopyTo(values, layer.Tensors[1].Offset);
    }

    /// <summary>Copies the gate blocks of <paramref name="block"/> values from <paramref name="source"/> into <paramref name="values"/> in PyTorch's gate order.</summary>
    private static void ToPyTorchOrder<T>(T[] source, int start, int[] gates, int block, T[] values, int offset)
    {
        for (int g = 0; g < gates.Length; g++) Array.Copy(source, start + gates[g] * block, values, offset + g * block, block);
    }
}
