using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Google.Protobuf;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>
/// Builds the ONNX model of a network: one <c>Gemm(transB=1)</c> per Linear layer, with its weight
/// <c>[outputs, inputs]</c> and bias as initializers named as PyTorch names them (<c>0.weight</c>,
/// <c>0.bias</c>, ...), one node (or two, for SiLU) per activation from <see cref="ActivationTable"/>, and
/// no loss, which is not part of inference. The input and outputs have a symbolic batch dimension.
/// </summary>
internal static class OnnxModelWriter
{
    public static ModelProto Build<T>(NetworkArchitecture architecture, T[] parameters, T[] buffers, OnnxExportOptions options) where T : unmanaged
    {
        // A network with GRU or LSTM layers runs over sequences and has its own graph (OnnxSequenceModelWriter).
        if (OnnxSequenceModelWriter.IsSequenceNetwork(architecture)) return OnnxSequenceModelWriter.Build(architecture, parameters, options);

        int opset = options.Opset;
        int elementType = typeof(T) == typeof(float) ? (int)TensorProto.Types.DataType.Float : (int)TensorProto.Types.DataType.Double;
        var graph = new GraphProto { Name = "netgen", DocString = architecture.Text };

        // The layers that run at inference: all but the loss. A classifier's last one is its Softmax,
        // whose input is published as the logits.
        var layers = new List<NetworkLayer>();
        foreach (NetworkLayer layer in architecture.Layers)
        {
            if (!layer.IsLoss) layers.Add(layer);
        }

        // The shape and block kinds have their forms in OnnxShapedLayers; they read Buffers for BatchNorm.
        NetGen.Layouts.Shape[] shapes = OnnxShapedLayers.SampleShapes(architecture);
        var shaped = new OnnxShapedLayers(graph, elementType, opset, shapes, (name, dims, start, count, fromBuffers) => Tensor(name, elementType, dims, fromBuffers ? buffers : parameters, start, count));
        string current = options.InputName;
        for (int i = 0; i < layers.Count; i++)
        {
            NetworkLayer layer = layers[i];
            bool last = i == layers.Count - 1;
            bool beforeFinalSoftmax = architecture.IsClassifier && i == layers.Count - 2;
            string output = last ? options.OutputName : beforeFinalSoftmax ? options.LogitsName : $"/{layer.SequentialIndex}/{layer.Kind}_output";
            string prefix = $"/{layer.SequentialIndex}/";
            if (OnnxShapedLayers.Handles(layer.Kind))
            {
                current = shaped.Write(layer, current, output);
                // A kind without a node (Dropout last) leaves the value to rename as the graph output.
                if (current != output && (last || beforeFinalSoftmax))
                {
                    graph.Node.Add(Node("Identity", prefix + "Identity", output, current));
                    current = output;
                }

                continue;
            }

            if (layer.IsLinear)
            {
                // The initializers are the layer's tensors as the shared layout table gives them: names, shapes and ranges.
                foreach (NetworkTensor tensor in layer.Tensors)
                {
                    graph.Initializer.Add(Tensor(tensor.StateDictName, elementType, tensor.Shape.Select(d => (long)d).ToArray(), parameters, tensor.Offset, tensor.Count));
                }

                string weight = layer.Tensors[0].StateDictName, bias = layer.Tensors[1].StateDictName;
                var gemm = Node("Gemm", prefix + "Gemm", output, current, weight, bias);
                // alpha and beta are 1 by default; transB=1 multiplies by the transpose of the stored
                // [outputs, inputs] weight, as PyTorch's export of nn.Linear does.
                gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                graph.Node.Add(gemm);
            }
            else if (layer.Tensors.Count > 0)
            {
                // A kind with parameters is never exported as an activation: it has its own ONNX form or none.
                throw new NotSupportedException($"NetGen.Onnx has no ONNX form for the layer {layer.Text} (layer {layer.Index + 1} of \"{architecture.Text}\"), which has parameters; it knows {ActivationTable.KnownKinds}.");
            }
            else
            {
                ActivationSpec spec = ActivationTable.For(layer, architecture);
                string activated = spec.TimesInput ? $"{prefix}{spec.OpType}_output" : output;
                NodeProto node = Node(spec.OpType, prefix + spec.OpType, activated, current);
                foreach (AttributeRule rule in spec.Attributes) node.Attribute.Add(rule.Export(layer, opset));
                graph.Node.Add(node);
                if (spec.TimesInput) graph.Node.Add(Node("Mul", prefix + "Mul", output, current, activated));
            }

            current = output;
        }

        // The input and output have each sample's shape, as PyTorch's layout: [batch, features],
        // [batch, channels, length] or [batch, channels, height, width].
        graph.Input.Add(Value(options.InputName, elementType, options.BatchDimensionName, Dimensions(shapes[layers[0].Index])));
        graph.Output.Add(Value(options.OutputName, elementType, options.BatchDimensionName, Dimensions(shapes[layers[layers.Count - 1].Index + 1])));
        if (architecture.IsClassifier)
        {
            graph.Output.Add(Value(options.LogitsName, elementType, options.BatchDimensionName, Dimensions(shapes[layers[layers.Count - 1].Index + 1])));
        }

        return Model(architecture, graph, opset);
    }

    /// <summary>The model around <paramref name="graph"/>: IR version of the opset, producer and the architecture as metadata.</summary>
    internal static ModelProto Model(NetworkArchitecture architecture, GraphProto graph, int opset)
    {
        var model = new ModelProto
        {
            IrVersion = OnnxOpsets.IrVersion(opset),
            ProducerName = "NetGen",
            ProducerVersion = ProducerVersion(),
            DocString = architecture.Text,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "netgen.architecture", Value = architecture.Text });
        return model;
    }

    internal static NodeProto Node(string opType, string name, string output, params string[] inputs)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    /// <summary>An initializer holding <paramref name="count"/> parameters from <paramref name="start"/>, as little-endian raw data.</summary>
    internal static TensorProto Tensor<T>(string name, int elementType, long[] dims, T[] parameters, int start, int count) where T : unmanaged
    {
        bool isFloat = typeof(T) == typeof(float);
        var bytes = new byte[count * (isFloat ? 4 : 8)];
        for (int i = 0; i < count; i++)
        {
            double value = ElementTypes.ToDouble(parameters[start + i]);
            if (isFloat) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), BitConverter.SingleToInt32Bits((float)value));
            else BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), BitConverter.DoubleToInt64Bits(value));
        }

        var tensor = new TensorProto { Name = name, DataType = elementType, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static int[] Dimensions(NetGen.Layouts.Shape shape) => shape.Rank switch
    {
        1 => new[] { shape.Width },
        2 => new[] { shape.Channels, shape.Width },
        _ => new[] { shape.Channels, shape.Height, shape.Width },
    };

    /// <summary>A graph input or output of shape <c>[batch, dimensions...]</c> with a symbolic batch dimension.</summary>
    private static ValueInfoProto Value(string name, int elementType, string batch, int[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batch });
        foreach (int extent in dimensions) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = extent });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    private static string ProducerVersion()
    {
        Assembly assembly = typeof(OnnxModelWriter).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The SDK appends "+<commit>" to the informational version; the producer version is the release.
        if (informational is not null)
        {
            int plus = informational.IndexOf('+');
            return plus < 0 ? informational : informational.Substring(0, plus);
        }

        return assembly.GetName().Version?.ToString() ?? "0";
    }
}
