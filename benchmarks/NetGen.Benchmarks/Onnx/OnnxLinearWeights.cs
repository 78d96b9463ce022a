using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// Reads the Linear layers' (and the convolutional models' Conv layers') weights out of the benchmark models, so that the hand-written and NetGen
/// networks compute with exactly ONNX Runtime's numbers and the self-check can compare outputs across
/// all three. ONNX Runtime's C# API does not expose initialisers, and the onnx package is Python only,
/// so this walks the protobuf directly; it understands just what PyTorch's exporter writes for
/// <c>nn.Linear</c>: a <c>Gemm</c> node with <c>transB = 1</c> whose B and C inputs are float initialisers.
/// </summary>
public static class OnnxLinearWeights
{
    // Field numbers from onnx.proto.
    private const int ModelGraph = 7;
    private const int GraphNode = 1, GraphInitializer = 5;
    private const int NodeInput = 1, NodeOpType = 4, NodeAttribute = 5;
    private const int AttributeName = 1, AttributeInt = 3;
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorName = 8, TensorRawData = 9;
    private const int FloatDataType = 1;

    /// <summary>
    /// The parameters in NetGen's layout (per Linear layer in graph order: weights [outputs, inputs]
    /// row-major, then bias), checked against <paramref name="shape"/>.
    /// </summary>
    public static float[] Read(string modelPath, NetworkShape shape)
    {
        ReadOnlyMemory<byte> graph = Fields(File.ReadAllBytes(modelPath)).Single(f => f.Number == ModelGraph).Bytes;
        var tensors = new Dictionary<string, (long[] Dims, float[] Values)>();
        var gemms = new List<(string Weights, string Bias, long TransB)>();
        foreach (Field field in Fields(graph))
        {
            if (field.Number == GraphInitializer)
            {
                (string name, long[] dims, float[] values) = ReadTensor(field.Bytes);
                tensors[name] = (dims, values);
            }
            else if (field.Number == GraphNode)
            {
                List<Field> node = Fields(field.Bytes).ToList();
                if (Text(node.Single(f => f.Number == NodeOpType)) == "Gemm")
                {
                    string[] inputs = node.Where(f => f.Number == NodeInput).Select(Text).ToArray();
                    long transB = node.Where(f => f.Number == NodeAttribute)
                        .Select(f => Fields(f.Bytes).ToList())
                        .Where(a => Text(a.Single(x => x.Number == AttributeName)) == "transB")
                        .Select(a => (long)a.Single(x => x.Number == AttributeInt).Varint)
                        .FirstOrDefault();
                    gemms.Add((inputs[1], inputs[2], transB));
                }
            }
        }

        if (gemms.Count != shape.LinearLayerCount)
        {
            throw new InvalidDataException($"{modelPath}: {gemms.Count} Gemm nodes, expected {shape.LinearLayerCount} for {shape}.");
        }

        var parameters = new List<float>(shape.ParameterCount);
        for (int layer = 0; layer < gemms.Count; layer++)
        {
            (string weightName, string biasName, long transB) = gemms[layer];
            (long[] weightDims, float[] weights) = tensors[weightName];
            (long[] biasDims, float[] bias) = tensors[biasName];
            long inputs = shape.Widths[layer], outputs = shape.Widths[layer + 1];
            if (transB != 1 || !weightDims.SequenceEqual([outputs, inputs]) || !biasDims.SequenceEqual([outputs]))
            {
                throw new InvalidDataException(
                    $"{modelPath}: layer {layer} is Gemm(transB={transB}) with B [{string.Join(",", weightDims)}] and C [{string.Join(",", biasDims)}]; " +
                    $"expected transB=1, B [{outputs},{inputs}], C [{outputs}].");
            }

            // With transB = 1, B is stored [outputs, inputs]: already NetGen's (and nn.Linear's) layout.
            parameters.AddRange(weights);
            parameters.AddRange(bias);
        }

        return parameters.ToArray();
    }

    /// <summary>
    /// The parameters of a convolutional model in NetGen's layout: per <c>Conv</c> node (weight
    /// [out, in / groups, k(, k)], then bias, as PyTorch's) and per <c>Gemm</c> node with <c>transB = 1</c>
    /// (weight [outputs, inputs], then bias), in the graph's node order, which is the layers' order.
    /// </summary>
    public static float[] ReadInNodeOrder(string modelPath)
    {
        ReadOnlyMemory<byte> graph = Fields(File.ReadAllBytes(modelPath)).Single(f => f.Number == ModelGraph).Bytes;
        var tensors = new Dictionary<string, float[]>();
        var layers = new List<(string OpType, string Weights, string Bias)>();
        foreach (Field field in Fields(graph))
        {
            if (field.Number == GraphInitializer)
            {
                (string name, _, float[] values) = ReadTensor(field.Bytes);
                tensors[name] = values;
            }
            else if (field.Number == GraphNode)
            {
                List<Field> node = Fields(field.Bytes).ToList();
                string opType = Text(node.Single(f => f.Number == NodeOpType));
                if (opType is "Conv" or "Gemm")
                {
                    string[] inputs = node.Where(f => f.Number == NodeInput).Select(Text).ToArray();
                    if (inputs.Length != 3)
                    {
                        throw new InvalidDataException($"{modelPath}: a {opType} node with {inputs.Length} inputs; expected input, weight and bias.");
                    }
                    layers.Add((opType, inputs[1], inputs[2]));
                }
            }
        }

        var parameters = new List<float>();
        foreach ((string _, string weights, string bias) in layers)
        {
            parameters.AddRange(tensors[weights]);
            parameters.AddRange(tensors[bias]);
        }

        return parameters.ToArray();
    }

    private static (string Name, long[] Dims, float[] Values) ReadTensor(ReadOnlyMemory<byte> tensor)
    {
        string name = "";
        var dims = new List<long>();
        var values = new List<float>();
        foreach (Field field in Fields(tensor))
        {
            switch (field.Number)
            {
                case TensorName:
                    name = Text(field);
                    break;
                case TensorDims when field.WireType == WireType.Varint:
                    dims.Add((long)field.Varint);
                    break;
                case TensorDims: // packed
                    for (int offset = 0; offset < field.Bytes.Length;)
                    {
                        dims.Add((long)ReadVarint(field.Bytes.Span, ref offset));
                    }

                    break;
                case TensorDataType when field.Varint != FloatDataType:
                    throw new InvalidDataException($"Initializer of data type {field.Varint}; only float (1) is read.");
                case TensorRawData:
                case TensorFloatData when field.WireType == WireType.LengthDelimited:
                    for (int offset = 0; offset < field.Bytes.Length; offset += 4)
                    {
                        values.Add(BinaryPrimitives.ReadSingleLittleEndian(field.Bytes.Span[offset..]));
                    }

                    break;
            }
        }

        return (name, dims.ToArray(), values.ToArray());
    }

    private enum WireType
    {
        Varint = 0,
        Fixed64 = 1,
        LengthDelimited = 2,
        Fixed32 = 5,
    }

    private readonly record struct Field(int Number, WireType WireType, ulong Varint, ReadOnlyMemory<byte> Bytes);

    private static string Text(Field field) => Encoding.UTF8.GetString(field.Bytes.Span);

    /// <summary>The top-level fields of one protobuf message.</summary>
    private static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        int offset = 0;
        while (offset < message.Length)
        {
            ulong key = ReadVarint(message.Span, ref offset);
            var number = (int)(key >> 3);
            var wireType = (WireType)(key & 7);
            switch (wireType)
            {
                case WireType.Varint:
                    yield return new Field(number, wireType, ReadVarint(message.Span, ref offset), default);
                    break;
                case WireType.Fixed64:
                    yield return new Field(number, wireType, 0, message.Slice(offset, 8));
                    offset += 8;
                    break;
                case WireType.LengthDelimited:
                    var length = (int)ReadVarint(message.Span, ref offset);
                    yield return new Field(number, wireType, 0, message.Slice(offset, length));
                    offset += length;
                    break;
                case WireType.Fixed32:
                    yield return new Field(number, wireType, 0, message.Slice(offset, 4));
                    offset += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {(int)wireType} at byte {offset}.");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int offset)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
