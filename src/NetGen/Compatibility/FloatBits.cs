using System;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// The bit-level float and double helpers the library needs, on every target. netstandard2.0 (.NET
/// Framework, Mono, older Unity) has neither <c>BitConverter.SingleToInt32Bits</c> nor
/// <c>float.IsFinite</c>; there they are a reinterpretation through <see cref="Unsafe"/>, which is what the
/// BCL's own methods are, and elsewhere these forward to the BCL, inlined away.
/// </summary>
internal static class FloatBits
{
    /// <summary>The IEEE 754 binary32 bits of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToInt32Bits(float value)
    {
#if NETSTANDARD2_0
        return Unsafe.As<float, int>(ref value);
#else
        return BitConverter.SingleToInt32Bits(value);
#endif
    }

    /// <summary>The binary32 number whose bits are <paramref name="bits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromInt32Bits(int bits)
    {
#if NETSTANDARD2_0
        return Unsafe.As<int, float>(ref bits);
#else
        return BitConverter.Int32BitsToSingle(bits);
#endif
    }

    /// <summary>True when <paramref name="value"/> is neither NaN nor infinite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(float value)
    {
#if NETSTANDARD2_0
        // The exponent field is all ones exactly for the infinities and NaNs.
        return (ToInt32Bits(value) & 0x7F80_0000) != 0x7F80_0000;
#else
        return float.IsFinite(value);
#endif
    }

    /// <summary>True when <paramref name="value"/> is neither NaN nor infinite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(double value)
    {
#if NETSTANDARD2_0
        return (BitConverter.DoubleToInt64Bits(value) & 0x7FF0_0000_0000_0000) != 0x7FF0_0000_0000_0000;
#else
        return double.IsFinite(value);
#endif
    }
}
