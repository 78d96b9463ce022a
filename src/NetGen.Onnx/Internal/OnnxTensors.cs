using System;
using System.Buffers.Binary;
using System.Linq;
using NetGen.Interop;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>Reads an initializer (or Constant) tensor's values into a network's element type, checking them as they convert.</summary>
internal static class OnnxTensors
{
    /// <summary>The values of <paramref name="tensor"/> in its stored (row-major) order.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="role">What the tensor is, for messages: "the weight of node 2 (Gemm)".</param>
    /// <param name="options">Whether non-finite values are allowed.</param>
    public static T[] Read<T>(TensorProto tensor, string role, WeightLoadOptions options) where T : unmanaged
    {
        string what = $"{Name(tensor)} ({role})";
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            string file = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "another file";
            throw OnnxErrors.Invalid($"initializer {what} keeps its data in an external file ({Quote(file)}); NetGen reads only weights stored inside the model. Save the model without external data.");
        }

        if (tensor.Segment is not null) throw OnnxErrors.Invalid($"initializer {what} is a segment of a larger tensor, which NetGen does not read.");

        StoredElementType type;
        switch ((TensorProto.Types.DataType)tensor.DataType)
        {
            case TensorProto.Types.DataType.Float: type = StoredElementType.Float32; break;
            case TensorProto.Types.DataType.Double: type = StoredElementType.Float64; break;
            case TensorProto.Types.DataType.Float16: type = StoredElementType.Float16; break;
            case TensorProto.Types.DataType.Bfloat16: type = StoredElementType.BFloat16; break;
            default:
                throw OnnxErrors.Invalid($"initializer {what} holds {DataTypeName(tensor.DataType)} values; NetGen reads float, double, float16 and bfloat16 weights.");
        }

        long count = 1;
        foreach (long extent in tensor.Dims)
        {
            if (extent < 0) throw OnnxErrors.Invalid($"initializer {what} has a negative dimension in its shape {Shape(tensor)}.");
            count = extent == 0 ? 0 : count <= int.MaxValue / extent ? count * extent : throw OnnxErrors.Invalid($"initializer {what} has shape {Shape(tensor)}, too many elements.");
        }

        int size = StoredElements.Size(type);
        byte[] bytes = Bytes(tensor, type, count, size, what);
        var values = new T[count];
        int bad = StoredElements.Convert(type, bytes, values.AsSpan(), options.AllowNonFiniteValues, out double badValue);
        if (bad >= 0)
        {
            throw OnnxErrors.Invalid(
                $"initializer {what} element {StoredElements.Position(tensor.Dims.ToArray(), bad)} is {StoredElements.DescribeNonFinite<T>(badValue)}; " +
                "non-finite weights are refused unless WeightLoadOptions.AllowNonFiniteValues is set.");
        }

        return values;
    }

    /// <summary>The tensor's elements as little-endian bytes, from raw_data or the typed field its type uses; exactly one of them may hold data.</summary>
    private static byte[] Bytes(TensorProto tensor, StoredElementType type, long count, int size, string what)
    {
        int typedCount = type switch
        {
            StoredElementType.Float32 => tensor.FloatData.Count,
            StoredElementType.Float64 => tensor.DoubleData.Count,
            _ => tensor.Int32Data.Count,
        };

        if (tensor.HasRawData)
        {
            if (typedCount > 0) throw OnnxErrors.Invalid($"initializer {what} has both raw_data and typed data; the format allows one.");
            if (tensor.RawData.Length != count * size)
            {
                throw OnnxErrors.Invalid($"initializer {what} has shape {Shape(tensor)}, {count} elements of {size} bytes, but its raw_data holds {tensor.RawData.Length} bytes.");
            }

            return tensor.RawData.ToByteArray();
        }

        if (typedCount != count)
        {
            throw OnnxErrors.Invalid($"initializer {what} has shape {Shape(tensor)}, {count} elements, but holds {typedCount} values.");
        }

        var bytes = new byte[count * size];
        for (int i = 0; i < typedCount; i++)
        {
            switch (type)
            {
                case StoredElementType.Float32:
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), BitConverter.SingleToInt32Bits(tensor.FloatData[i]));
                    break;
                case StoredElementType.Float64:
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), BitConverter.DoubleToInt64Bits(tensor.DoubleData[i]));
                    break;
                default:
                    // float16 and bfloat16 travel in int32_data, one value per element in its low 16 bits.
                    int bits = tensor.Int32Data[i];
                    if (bits < 0 || bits > ushort.MaxValue) throw OnnxErrors.Invalid($"initializer {what} element {i} is {bits} in int32_data, which is not 16 bits.");
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)bits);
                    break;
            }
        }

        return bytes;
    }

    public static string Name(TensorProto tensor) => Quote(tensor.Name);

    public static string Shape(TensorProto tensor) => "[" + string.Join(", ", tensor.Dims) + "]";

    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>An ONNX element type number as the specification names it.</summary>
    public static string DataTypeName(int dataType) => dataType switch
    {
        0 => "undefined-type",
        1 => "float",
        2 => "uint8",
        3 => "int8",
        4 => "uint16",
        5 => "int16",
        6 => "int32",
        7 => "int64",
        8 => "string",
        9 => "bool",
        10 => "float16",
        11 => "double",
        12 => "uint32",
        13 => "uint64",
        14 => "complex64",
        15 => "complex128",
        16 => "bfloat16",
        _ => $"element-type-{dataType}",
    };
}
