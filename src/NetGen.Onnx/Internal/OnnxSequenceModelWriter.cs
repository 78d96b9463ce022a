using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>
/// Builds the ONNX model of a sequence network (one with GRU or LSTM layers), which computes what its
/// whole-sequence <c>Forward</c> computes from the zero state. The input is <c>[batch, steps, InputSize]</c>
/// (batch first, as NetGen and PyTorch's <c>batch_first=True</c> have it) and is transposed once to the
/// <c>[steps, batch, features]</c> that ONNX's GRU and LSTM take (their <c>layout</c> attribute is opset 14
/// and later only); every layer then works in that order, and each output is transposed back to
/// <c>[batch, steps, OutputSize]</c>. A recurrent layer is a <c>GRU</c> (<c>linear_before_reset=1</c>, as
/// PyTorch computes it) or <c>LSTM</c> node with its weights in ONNX's gate order, followed by a
/// <c>Squeeze</c> of the direction axis; a Linear layer applies per step as <c>MatMul</c> by the transposed
/// weight and <c>Add</c> of the bias; activations are the nodes of <see cref="ActivationTable"/> and Softmax
/// normalises the last axis. The initial states are not graph inputs: every sequence starts from zero.
/// </summary>
internal static class OnnxSequenceModelWriter
{
    /// <summary>PyTorch's gate block for each ONNX gate block: GRU z, r, h from r, z, n.</summary>
    private static readonly int[] GruGates = { 1, 0, 2 };

    /// <summary>PyTorch's gate block for each ONNX gate block: LSTM i, o, f, c from i, f, g, o.</summary>
    private static readonly int[] LstmGates = { 0, 3, 1, 2 };

    public static bool IsSequenceNetwork(NetworkArchitecture architecture)
        => architecture.Layers.Any(l => GatesOf(l.Kind) is not null);

    private static int[]? GatesOf(string kind) => kind switch
    {
        "GRU" => GruGates,
        "LSTM" => LstmGates,
        _ => null,
    };

    public static ModelProto Build<T>(NetworkArchitecture architecture, T[] parameters, OnnxExportOptions options) where T : unmanaged
    {
        int opset = options.Opset;
        int elementType = typeof(T) == typeof(float) ? (int)TensorProto.Types.DataType.Float : (int)TensorProto.Types.DataType.Double;
        var graph = new GraphProto { Name = "netgen", DocString = architecture.Text };
        List<NetworkLayer> layers = architecture.Layers.Where(l => !l.IsLoss).ToList();

        string current = "/input/Transpose_output";
        graph.Node.Add(Transpose("/input/Transpose", options.InputName, current));
        string? logits = null;
        for (int i = 0; i < layers.Count; i++)
        {
            NetworkLayer layer = layers[i];
            string prefix = $"/{layer.SequentialIndex}/";
            string output = $"{prefix}{layer.Kind}_output";
            int[]? gates = GatesOf(layer.Kind);
            if (gates is not null) AddRecurrent(graph, layer, gates, parameters, elementType, opset, prefix, current, output);
            else if (layer.IsLinear) AddLinear(graph, layer, parameters, elementType, prefix, current, output);
            else if (layer.Tensors.Count > 0)
            {
                throw new NotSupportedException($"NetGen.Onnx has no ONNX form for the layer {layer.Text} (layer {layer.Index + 1} of \"{architecture.Text}\") in a sequence network; it knows GRU, LSTM, Linear and {ActivationTable.KnownKinds}.");
            }
            else AddActivation(graph, layer, architecture, opset, prefix, current, output);

            if (architecture.IsClassifier && i == layers.Count - 2) logits = output;
            current = output;
        }

        // Back to batch first for every published value.
        graph.Node.Add(Transpose("/output/Transpose", current, options.OutputName));
        graph.Input.Add(Value(options.InputName, elementType, options.BatchDimensionName, architecture.InputSize));
        graph.Output.Add(Value(options.OutputName, elementType, options.BatchDimensionName, architecture.OutputSize));
        if (logits is not null)
        {
            graph.Node.Add(Transpose("/logits/Transpose", logits, options.LogitsName));
            graph.Output.Add(Value(options.LogitsName, elementType, options.BatchDimensionName, architecture.OutputSize));
        }

        return OnnxModelWriter.Model(architecture, graph, opset);
    }

    /// <summary>
    /// One GRU or LSTM node over the whole sequence: <c>W [1, G*hidden, inputs]</c>, <c>R [1, G*hidden, hidden]</c>
    /// and <c>B [1, 2*G*hidden]</c> (input biases then hidden biases), each gate block moved from PyTorch's
    /// order to ONNX's. Its <c>Y</c> is <c>[steps, 1, batch, hidden]</c>; the direction axis is squeezed away.
    /// </summary>
    private static void AddRecurrent<T>(GraphProto graph, NetworkLayer layer, int[] gates, T[] parameters, int elementType, int opset, string prefix, string input, string output) where T : unmanaged
    {
        int hidden = layer.Outputs, inputs = layer.Inputs, rows = gates.Length * hidden;
        NetworkTensor weightIh = layer.Tensors[0], weightHh = layer.Tensors[1], biasIh = layer.Tensors[2], biasHh = layer.Tensors[3];
        string w = $"{layer.SequentialIndex}.W", r = $"{layer.SequentialIndex}.R", b = $"{layer.SequentialIndex}.B";
        graph.Initializer.Add(OnnxModelWriter.Tensor(w, elementType, new long[] { 1, rows, inputs }, InOnnxOrder(parameters, weightIh.Offset, gates, hidden * inputs), 0, rows * inputs));
        graph.Initializer.Add(OnnxModelWriter.Tensor(r, elementType, new long[] { 1, rows, hidden }, InOnnxOrder(parameters, weightHh.Offset, gates, hidden * hidden), 0, rows * hidden));
        T[] biases = InOnnxOrder(parameters, biasIh.Offset, gates, hidden).Concat(InOnnxOrder(parameters, biasHh.Offset, gates, hidden)).ToArray();
        graph.Initializer.Add(OnnxModelWriter.Tensor(b, elementType, new long[] { 1, 2 * rows }, biases, 0, 2 * rows));

        string y = $"{prefix}{layer.Kind}_Y";
        NodeProto node = OnnxModelWriter.Node(layer.Kind, prefix + layer.Kind, y, input, w, r, b);
        node.Attribute.Add(new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = hidden });
        if (layer.Kind == "GRU")
        {
            // PyTorch applies the reset gate after the hidden weights' product and bias: ONNX's linear_before_reset=1.
            node.Attribute.Add(new AttributeProto { Name = "linear_before_reset", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        }

        graph.Node.Add(node);

        // Squeeze's axes are an input from opset 13, an attribute before.
        if (opset >= 13)
        {
            string axes = $"{prefix}Squeeze_axes";
            var axesTensor = new TensorProto { Name = axes, DataType = (int)TensorProto.Types.DataType.Int64 };
            axesTensor.Dims.Add(1);
            axesTensor.Int64Data.Add(1);
            graph.Initializer.Add(axesTensor);
            graph.Node.Add(OnnxModelWriter.Node("Squeeze", prefix + "Squeeze", output, y, axes));
        }
        else
        {
            NodeProto squeeze = OnnxModelWriter.Node("Squeeze", prefix + "Squeeze", output, y);
            var attribute = new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.Add(1);
            squeeze.Attribute.Add(attribute);
            graph.Node.Add(squeeze);
        }
    }

    /// <summary>
    /// A Linear layer per step: the weight is stored as PyTorch stores it, <c>[outputs, inputs]</c>, under its
    /// state_dict name, and transposed by a node (which ONNX Runtime folds) so that <c>MatMul</c> can apply it
    /// to the last axis of <c>[steps, batch, inputs]</c>; then <c>Add</c> of the bias.
    /// </summary>
    private static void AddLinear<T>(GraphProto graph, NetworkLayer layer, T[] parameters, int elementType, string prefix, string input, string output) where T : unmanaged
    {
        foreach (NetworkTensor tensor in layer.Tensors)
        {
            graph.Initializer.Add(OnnxModelWriter.Tensor(tensor.StateDictName, elementType, tensor.Shape.Select(d => (long)d).ToArray(), parameters, tensor.Offset, tensor.Count));
        }

        string weight = layer.Tensors[0].StateDictName, bias = layer.Tensors[1].StateDictName;
        string transposed = $"{prefix}weight_transposed", product = $"{prefix}MatMul_output";
        NodeProto transpose = OnnxModelWriter.Node("Transpose", prefix + "Transpose", transposed, weight);
        transpose.Attribute.Add(Perm(1, 0));
        graph.Node.Add(transpose);
        graph.Node.Add(OnnxModelWriter.Node("MatMul", prefix + "MatMul", product, input, transposed));
        graph.Node.Add(OnnxModelWriter.Node("Add", prefix + "Add", output, product, bias));
    }

    private static void AddActivation(GraphProto graph, NetworkLayer layer, NetworkArchitecture architecture, int opset, string prefix, string input, string output)
    {
        ActivationSpec spec = ActivationTable.For(layer, architecture);
        string activated = spec.TimesInput ? $"{prefix}{spec.OpType}_output" : output;
        NodeProto node = OnnxModelWriter.Node(spec.OpType, prefix + spec.OpType, activated, input);
        if (spec.OpType == "Softmax")
        {
            // Axis 2, the features of [steps, batch, features]: from opset 13 the axis itself, before it the
            // flattening to [steps * batch, features], which normalises each step of each sequence too.
            node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
        }
        else
        {
            foreach (AttributeRule rule in spec.Attributes) node.Attribute.Add(rule.Export(layer, opset));
        }

        graph.Node.Add(node);
        if (spec.TimesInput) graph.Node.Add(OnnxModelWriter.Node("Mul", prefix + "Mul", output, input, activated));
    }

    /// <summary>The <paramref name="gates"/> blocks of <paramref name="block"/> values each from <paramref name="start"/>, in ONNX's gate order.</summary>
    private static T[] InOnnxOrder<T>(T[] parameters, int start, int[] gates, int block)
    {
        var result = new T[gates.Length * block];
        for (int g = 0; g < gates.Length; g++) Array.Copy(parameters, start + gates[g] * block, result, g * block, block);
        return result;
    }

    private static NodeProto Transpose(string name, string input, string output)
    {
        NodeProto node = OnnxModelWriter.Node("Transpose", name, output, input);
        node.Attribute.Add(Perm(1, 0, 2));
        return node;
    }

    private static AttributeProto Perm(params long[] perm)
    {
        var attribute = new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(perm);
        return attribute;
    }

    /// <summary>A graph input or output of shape <c>[batch, steps, width]</c> with symbolic batch and steps.</summary>
    private static ValueInfoProto Value(string name, int elementType, string batch, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batch });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "steps" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }
}
