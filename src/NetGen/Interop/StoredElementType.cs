using System;
using System.Buffers.Binary;

namespace NetGen.Interop;

/// <summary>The floating-point encodings that weight files from other frameworks store, all little-endian.</summary>
internal enum StoredElementType
{
    /// <summary>IEEE 754 binary32.</summary>
    Float32,

    /// <summary>IEEE 754 binary64.</summary>
    Float64,

    /// <summary>IEEE 754 binary16.</summary>
    Float16,

    /// <summary>bfloat16: the top 16 bits of a binary32.</summary>
    BFloat16,

    /// <summary>A little-endian signed 64-bit integer: read only for BatchNorm's <c>num_batches_tracked</c>, never as a weight.</summary>
    Int64,
}

/// <summary>
/// Converts stored tensors into a network's element type, checking finiteness on the way. Linked into
/// NetGen.Onnx and into the generator (for baked weights) as well as compiled into NetGen, so that every
/// loader converts alike.
/// </summary>
internal static class StoredElements
{
    /// <summary>Bytes per element.</summary>
    public static int Size(StoredElementType type) => type switch
    {
        StoredElementType.Float32 => 4,
        StoredElementType.Float64 => 8,
        StoredElementType.Int64 => 8,
        _ => 2,
    };

    /// <summary>Element <paramref name="index"/> of <paramref name="bytes"/>, widened exactly to double.</summary>
    public static double Read(StoredElementType type, ReadOnlySpan<byte> bytes, int index) => type switch
    {
        StoredElementType.Float32 => HalfPrecision.SingleFromBits(BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4 * index))),
        StoredElementType.Float64 => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(8 * index))),
        StoredElementType.Float16 => HalfPrecision.HalfToDouble(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(2 * index))),
        StoredElementType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(8 * index)),
        _ => HalfPrecision.BFloat16ToDouble(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(2 * index))),
    };

    /// <summary>
    /// Converts every element of <paramref name="bytes"/> (a whole number of elements) into
    /// <paramref name="destination"/>, rounding to <typeparamref name="T"/>. Unless
    /// <paramref name="allowNonFinite"/>, stops at the first element that is not finite once converted
    /// (NaN, an infinity, or a double too large for float) and returns its index, with its stored value in
    /// <paramref name="badValue"/>; returns -1 when every element converted.
    /// </summary>
    public static int Convert<T>(StoredElementType type, ReadOnlySpan<byte> bytes, Span<T> destination, bool allowNonFinite, out double badValue) where T : unmanaged
    {
        int count = bytes.Length / Size(type);
        for (int i = 0; i < count; i++)
        {
            double value = Read(type, bytes, i);
            T converted = ElementTypes.FromDouble<T>(value);
            if (!allowNonFinite && !ElementTypes.IsFinite(converted))
            {
                badValue = value;
                return i;
            }

            destination[i] = converted;
        }

        badValue = 0;
        return -1;
    }

    /// <summary>How a refused value reads in a message: "NaN", "-Infinity", or "1E+300, which overflows float".</summary>
    public static string DescribeNonFinite<T>(double value) where T : unmanaged
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "+Infinity" : "-Infinity";
        return value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ", which overflows " + ElementTypes.Name<T>();
    }

    /// <summary>An element's index written as its position in the tensor, e.g. "[2, 3]" for index 11 of a [4, 4] tensor.</summary>
    public static string Position(long[] shape, long index)
    {
        if (shape.Length == 0) return "[]";
        var coordinates = new long[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            long extent = Math.Max(1, shape[axis]);
            coordinates[axis] = index % extent;
            index /= extent;
        }

        return "[" + string.Join(", ", coordinates) + "]";
    }
}
