using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Layouts;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>
/// The ONNX forms of the shape and block kinds (issues 17 and 19), as <c>torch.onnx.export</c> writes the
/// equivalent PyTorch modules in eval mode: <c>Conv</c>, <c>MaxPool</c>, <c>AveragePool</c>
/// (<c>count_include_pad=1</c>, PyTorch's default, which NetGen computes), <c>GlobalAveragePool</c> then
/// <c>Flatten</c> (NetGen's global mean gives C features), <c>Flatten</c>, <c>Add</c> for a residual join,
/// <c>LayerNormalization</c> from opset 17 (decomposed into ReduceMean, Sub, Mul, Add, Sqrt, Div before),
/// <c>BatchNormalization</c> in inference form with the running statistics from the network's Buffers.
/// <c>Input</c> and <c>Dropout</c> (the identity at inference) write no node.
/// </summary>
internal sealed class OnnxShapedLayers
{
    private readonly GraphProto _graph;
    private readonly int _elementType;
    private readonly int _opset;
    private readonly Func<string, long[], int, int, bool, TensorProto> _tensor;
    private readonly Stack<string> _residuals = new();
    private readonly Shape[] _shapes;
    private int _bufferOffset;

    /// <param name="graph">The graph being built.</param>
    /// <param name="elementType">The ONNX element type of the network's values.</param>
    /// <param name="opset">The opset being written.</param>
    /// <param name="tensor">Makes an initializer: name, dimensions, offset, count, and whether it reads Buffers (else Parameters).</param>
    /// <param name="shapes">The sample shape flowing into each layer, from <see cref="SampleShapes"/>.</param>
    public OnnxShapedLayers(GraphProto graph, int elementType, int opset, Shape[] shapes, Func<string, long[], int, int, bool, TensorProto> tensor)
    {
        _shapes = shapes;
        _graph = graph;
        _elementType = elementType;
        _opset = opset;
        _tensor = tensor;
    }

    /// <summary>Whether <paramref name="kind"/> is one of the kinds this class writes.</summary>
    public static bool Handles(string kind) => kind switch
    {
        LayerLayouts.Input or LayerLayouts.Conv1D or LayerLayouts.Conv2D or LayerLayouts.MaxPool1D or LayerLayouts.MaxPool2D
            or LayerLayouts.AvgPool1D or LayerLayouts.AvgPool2D or LayerLayouts.GlobalAvgPool or LayerLayouts.Flatten
            or LayerLayouts.LayerNorm or LayerLayouts.BatchNorm1D or LayerLayouts.BatchNorm2D or "Dropout" or "Residual" or "EndResidual" => true,
        _ => false,
    };

    /// <summary>The sample shape flowing into each layer of <paramref name="architecture"/>, by index, then the one leaving the last, from the shared layout table.</summary>
    public static Shape[] SampleShapes(NetworkArchitecture architecture)
    {
        var shapes = new Shape[architecture.Layers.Count + 1];
        Shape current = NetworkInput(architecture);
        for (int i = 0; i < architecture.Layers.Count; i++)
        {
            NetworkLayer layer = architecture.Layers[i];
            shapes[i] = current;
            if (!layer.IsLoss) current = LayerLayouts.OutputShape(layer.Kind, layer.Arguments, current);
        }

        shapes[architecture.Layers.Count] = current;
        return shapes;
    }

    /// <summary>
    /// A sample's shape as the network takes it: an <c>Input(...)</c> token's, which starts the text and is
    /// no layer, else the first layer's that states its input (layers before it keep that shape).
    /// </summary>
    private static Shape NetworkInput(NetworkArchitecture architecture)
    {
        string text = architecture.Text;
        string layers = text.Substring(text.IndexOf(':') + 1).TrimStart();
        string prefix = LayerLayouts.Input + "(";
        if (layers.StartsWith(prefix, StringComparison.Ordinal))
        {
            string[] arguments = layers.Substring(prefix.Length, layers.IndexOf(')') - prefix.Length).Split(',').Select(a => a.Trim()).ToArray();
            return LayerLayouts.StatedInput(LayerLayouts.Input, arguments);
        }

        foreach (NetworkLayer layer in architecture.Layers)
        {
            Shape stated = LayerLayouts.StatedInput(layer.Kind, layer.Arguments);
            if (stated.IsKnown) return stated;
        }

        return Shape.Features(architecture.InputSize);
    }

    /// <summary>The Buffers a network of <paramref name="architecture"/> holds: per BatchNorm layer its running means then variances.</summary>
    public static int BufferCount(NetworkArchitecture architecture)
    {
        Shape[] shapes = SampleShapes(architecture);
        return architecture.Layers.Where(l => l.Kind is LayerLayouts.BatchNorm1D or LayerLayouts.BatchNorm2D).Sum(l => 2 * LayerLayouts.NormChannels(shapes[l.Index]));
    }

    /// <summary>
    /// Writes <paramref name="layer"/>'s nodes, reading <paramref name="input"/>, and returns the name of the
    /// value it leaves: <paramref name="output"/>, or <paramref name="input"/> itself for a kind that writes no node.
    /// </summary>
    public string Write(NetworkLayer layer, string input, string output)
    {
        string prefix = $"/{layer.SequentialIndex}/";
        switch (layer.Kind)
        {
            case LayerLayouts.Input:
            case "Dropout":
                // torch.onnx.export in eval mode leaves dropout out: it is the identity at inference.
                return input;
            case "Residual":
                _residuals.Push(input);
                return input;
            case "EndResidual":
                if (_residuals.Count == 0) throw new ArgumentException($"The network's architecture joins a residual block at layer {layer.Index + 1} that it never opened with Residual.", "network");
                _graph.Node.Add(OnnxModelWriter.Node("Add", prefix + "Add", output, input, _residuals.Pop()));
                return output;
            case LayerLayouts.Conv1D:
            case LayerLayouts.Conv2D:
                WriteConvolution(layer, input, output, prefix);
                return output;
            case LayerLayouts.MaxPool1D:
            case LayerLayouts.MaxPool2D:
            case LayerLayouts.AvgPool1D:
            case LayerLayouts.AvgPool2D:
                WritePool(layer, input, output, prefix);
                return output;
            case LayerLayouts.GlobalAvgPool:
                // GlobalAveragePool keeps [N, C, 1(, 1)]; NetGen's global mean is C features, so Flatten follows.
                string pooled = prefix + "GlobalAveragePool_output";
                _graph.Node.Add(OnnxModelWriter.Node("GlobalAveragePool", prefix + "GlobalAveragePool", pooled, input));
                _graph.Node.Add(FlattenNode(prefix + "Flatten", output, pooled));
                return output;
            case LayerLayouts.Flatten:
                _graph.Node.Add(FlattenNode(prefix + "Flatten", output, input));
                return output;
            case LayerLayouts.LayerNorm:
                WriteLayerNorm(layer, input, output, prefix);
                return output;
            default:
                WriteBatchNorm(layer, input, output, prefix);
                return output;
        }
    }

    /// <summary>Checks that every residual block was joined: an open one would leave its skip value unused.</summary>
    public void Finish()
    {
        if (_residuals.Count > 0) throw new ArgumentException($"The network's architecture opens {_residuals.Count} residual block(s) with Residual that it never joins with EndResidual.", "network");
    }

    private void WriteConvolution(NetworkLayer layer, string input, string output, string prefix)
    {
        int dimensions = LayerLayouts.DimensionsOf(layer.Kind);
        int[] a = Integers(layer);
        int kernel = a[2], stride = a[3], padding = a[4], dilation = a[5], groups = a[6];
        AddParameters(layer);
        NodeProto conv = OnnxModelWriter.Node("Conv", prefix + "Conv", output, input, layer.Tensors[0].StateDictName, layer.Tensors[1].StateDictName);
        conv.Attribute.Add(Ints("dilations", Repeat(dilation, dimensions)));
        conv.Attribute.Add(Int("group", groups));
        conv.Attribute.Add(Ints("kernel_shape", Repeat(kernel, dimensions)));
        conv.Attribute.Add(Ints("pads", Repeat(padding, 2 * dimensions)));
        conv.Attribute.Add(Ints("strides", Repeat(stride, dimensions)));
        _graph.Node.Add(conv);
    }

    private void WritePool(NetworkLayer layer, string input, string output, string prefix)
    {
        int dimensions = LayerLayouts.DimensionsOf(layer.Kind);
        int[] a = Integers(layer);
        int kernel = a[0], stride = a[1], padding = a[2];
        bool maximum = layer.Kind.StartsWith("Max", StringComparison.Ordinal);
        string opType = maximum ? "MaxPool" : "AveragePool";
        NodeProto pool = OnnxModelWriter.Node(opType, prefix + opType, output, input);

        // Padding is never a maximum (ONNX's MaxPool pads with -inf too), and an average counts the padded
        // zeros (count_include_pad=1), as nn.AvgPool's default and NetGen do. No ceil_mode: both round down.
        if (!maximum) pool.Attribute.Add(Int("count_include_pad", 1));
        pool.Attribute.Add(Ints("kernel_shape", Repeat(kernel, dimensions)));
        pool.Attribute.Add(Ints("pads", Repeat(padding, 2 * dimensions)));
        pool.Attribute.Add(Ints("strides", Repeat(stride, dimensions)));
        _graph.Node.Add(pool);
    }

    private void WriteLayerNorm(NetworkLayer layer, string input, string output, string prefix)
    {
        AddParameters(layer);
        string scale = layer.Tensors[0].StateDictName, bias = layer.Tensors[1].StateDictName;
        if (_opset >= 17)
        {
            // The whole sample is normalised: every axis from 1 on, as nn.LayerNorm(sample shape) does.
            NodeProto norm = OnnxModelWriter.Node("LayerNormalization", prefix + "LayerNormalization", output, input, scale, bias);
            norm.Attribute.Add(Int("axis", 1));
            norm.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = (float)LayerLayouts.NormEpsilon });
            _graph.Node.Add(norm);
            return;
        }

        // Before opset 17 the operator does not exist: the same formula in the nodes PyTorch writes for it,
        // (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance. Every opset from 9 to 16
        // gives ReduceMean its axes as an attribute.
        long[] axes = Enumerable.Range(1, _shapes[layer.Index].Rank).Select(d => (long)d).ToArray();
        string epsilon = prefix + "epsilon";
        _graph.Initializer.Add(Scalar(epsilon, LayerLayouts.NormEpsilon));
        string mean = prefix + "ReduceMean_output", centred = prefix + "Sub_output", square = prefix + "Mul_output";
        string variance = prefix + "ReduceMean_1_output", shifted = prefix + "Add_output", deviation = prefix + "Sqrt_output";
        string normalised = prefix + "Div_output", scaled = prefix + "Mul_1_output";
        _graph.Node.Add(ReduceMean(prefix + "ReduceMean", mean, input, axes));
        _graph.Node.Add(OnnxModelWriter.Node("Sub", prefix + "Sub", centred, input, mean));
        _graph.Node.Add(OnnxModelWriter.Node("Mul", prefix + "Mul", square, centred, centred));
        _graph.Node.Add(ReduceMean(prefix + "ReduceMean_1", variance, square, axes));
        _graph.Node.Add(OnnxModelWriter.Node("Add", prefix + "Add", shifted, variance, epsilon));
        _graph.Node.Add(OnnxModelWriter.Node("Sqrt", prefix + "Sqrt", deviation, shifted));
        _graph.Node.Add(OnnxModelWriter.Node("Div", prefix + "Div", normalised, centred, deviation));
        _graph.Node.Add(OnnxModelWriter.Node("Mul", prefix + "Mul_1", scaled, normalised, scale));
        _graph.Node.Add(OnnxModelWriter.Node("Add", prefix + "Add_1", output, scaled, bias));
    }

    private void WriteBatchNorm(NetworkLayer layer, string input, string output, string prefix)
    {
        AddParameters(layer);
        int features = LayerLayouts.NormChannels(_shapes[layer.Index]);
        string mean = $"{layer.SequentialIndex}.running_mean", variance = $"{layer.SequentialIndex}.running_var";
        _graph.Initializer.Add(_tensor(mean, new long[] { features }, _bufferOffset, features, true));
        _graph.Initializer.Add(_tensor(variance, new long[] { features }, _bufferOffset + features, features, true));
        _bufferOffset += 2 * features;

        // Inference form: the running statistics, never the batch's (training_mode is 0 by default from opset 14).
        NodeProto norm = OnnxModelWriter.Node("BatchNormalization", prefix + "BatchNormalization", output, input, layer.Tensors[0].StateDictName, layer.Tensors[1].StateDictName, mean, variance);
        norm.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = (float)LayerLayouts.NormEpsilon });
        _graph.Node.Add(norm);
    }

    private void AddParameters(NetworkLayer layer)
    {
        foreach (NetworkTensor tensor in layer.Tensors)
        {
            _graph.Initializer.Add(_tensor(tensor.StateDictName, tensor.Shape.Select(d => (long)d).ToArray(), tensor.Offset, tensor.Count, false));
        }
    }

    private TensorProto Scalar(string name, double value)
    {
        var tensor = new TensorProto { Name = name, DataType = _elementType };
        if (_elementType == (int)TensorProto.Types.DataType.Float) tensor.FloatData.Add((float)value);
        else tensor.DoubleData.Add(value);
        return tensor;
    }

    private static NodeProto ReduceMean(string name, string output, string input, long[] axes)
    {
        NodeProto node = OnnxModelWriter.Node("ReduceMean", name, output, input);
        node.Attribute.Add(Ints("axes", axes));
        node.Attribute.Add(Int("keepdims", 1));
        return node;
    }

    private static NodeProto FlattenNode(string name, string output, string input)
    {
        NodeProto node = OnnxModelWriter.Node("Flatten", name, output, input);
        node.Attribute.Add(Int("axis", 1));
        return node;
    }

    private static int[] Integers(NetworkLayer layer) => layer.Arguments.Select(a => int.Parse(a, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();

    private static long[] Repeat(int value, int count) => Enumerable.Repeat((long)value, count).ToArray();

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
