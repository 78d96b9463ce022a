using System;

namespace NetGen.Interop;

/// <summary>
/// IEEE 754 binary16 (float16) and bfloat16 to double, written out because netstandard2.1 has no
/// <c>System.Half</c>: the same bits give the same value on every target. Both widen exactly.
/// This file is compiled into NetGen and, as a linked file, into NetGen.Onnx, which must not depend on
/// NetGen's internals (the two packages may be upgraded separately), and into the generator, which
/// reads safetensors files to bake their weights into generated code.
/// </summary>
internal static class HalfPrecision
{
    /// <summary>The value of the binary16 number with bits <paramref name="bits"/>: 1 sign, 5 exponent, 10 fraction bits.</summary>
    public static double HalfToDouble(ushort bits)
    {
        bool negative = (bits & 0x8000) != 0;
        int exponent = (bits >> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F)
        {
            magnitude = fraction == 0 ? double.PositiveInfinity : double.NaN;
        }
        else if (exponent == 0)
        {
            // Subnormal: fraction * 2^-24, with no implicit leading one.
            magnitude = fraction * Math.Pow(2, -24);
        }
        else
        {
            magnitude = (1024 + fraction) * Math.Pow(2, exponent - 25);
        }

        return negative ? -magnitude : magnitude;
    }

    /// <summary>The value of the bfloat16 number with bits <paramref name="bits"/>: the top half of a binary32.</summary>
    public static double BFloat16ToDouble(ushort bits) => SingleFromBits(bits << 16);

    /// <summary>The binary32 number with bits <paramref name="bits"/>.</summary>
    public static float SingleFromBits(int bits)
    {
#if NETSTANDARD2_0
        // The generator links this file to bake weights, and netstandard2.0 has no Int32BitsToSingle.
        System.Span<int> one = stackalloc int[1];
        one[0] = bits;
        return System.Runtime.InteropServices.MemoryMarshal.Cast<int, float>(one)[0];
#else
        return BitConverter.Int32BitsToSingle(bits);
#endif
    }
}
