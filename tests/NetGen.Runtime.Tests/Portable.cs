using System;
#if !NET
using System.Runtime.CompilerServices;
#endif

namespace NetGen.Runtime.Tests;

/// <summary>
/// The .NET Core maths and bit APIs these tests use that .NET Framework lacks, for the suite's net472
/// build (-p:NetGenMono=true), which CI runs on Mono. On modern .NET each member is the .NET API itself,
/// so that build runs exactly what it ran before; on .NET Framework it is a written-out equivalent that
/// gives the same results. Written here rather than borrowed from the library's own compatibility code,
/// so that the tests do not measure the library against itself.
/// </summary>
internal static class Portable
{
    /// <summary>The bits of <paramref name="value"/> (BitConverter.SingleToInt32Bits).</summary>
    public static int Bits(float value)
#if NET
        => BitConverter.SingleToInt32Bits(value);
#else
        => Unsafe.As<float, int>(ref value);
#endif

    /// <summary>The float of <paramref name="bits"/> (BitConverter.Int32BitsToSingle).</summary>
    public static float Single(int bits)
#if NET
        => BitConverter.Int32BitsToSingle(bits);
#else
        => Unsafe.As<int, float>(ref bits);
#endif

    /// <summary>True when <paramref name="value"/> is neither NaN nor infinite (double.IsFinite).</summary>
    public static bool IsFinite(double value)
#if NET
        => double.IsFinite(value);
#else
        => !double.IsNaN(value) && !double.IsInfinity(value);
#endif

    /// <summary>True when the sign bit of <paramref name="value"/> is set, -0 and negative NaNs included (float.IsNegative).</summary>
    public static bool IsNegative(float value)
#if NET
        => float.IsNegative(value);
#else
        => Bits(value) < 0;
#endif

    /// <summary><paramref name="bytes"/> as lower-case hexadecimal digits (Convert.ToHexStringLower).</summary>
    public static string LowerHex(byte[] bytes)
    {
#if NET
        return Convert.ToHexStringLower(bytes);
#else
        var text = new System.Text.StringBuilder(2 * bytes.Length);
        foreach (byte b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
#endif
    }

    /// <summary><paramref name="x"/> times 2^<paramref name="n"/>, rounded once (Math.ScaleB).</summary>
    public static double ScaleB(double x, int n)
    {
#if NET
        return Math.ScaleB(x, n);
#else
        // Multiplications by powers of two are exact until the result leaves the normal range, so the
        // factor is applied in steps that are themselves normal doubles, of which only the last can round.
        // Going down, the first steps stop 53 binades above the subnormals, so that they lose no bit.
        const int Down = -1022 + 53;
        if (n > 1023)
        {
            x *= PowerOfTwo(1023);
            n -= 1023;
            if (n > 1023)
            {
                x *= PowerOfTwo(1023);
                n = Math.Min(n - 1023, 1023);
            }
        }
        else if (n < -1022)
        {
            x *= PowerOfTwo(Down);
            n -= Down;
            if (n < -1022)
            {
                x *= PowerOfTwo(Down);
                n = Math.Max(n - Down, -1022);
            }
        }
        return x * PowerOfTwo(n);
#endif
    }

    /// <summary>
    /// The exponent of <paramref name="x"/>: e with 2^e &lt;= |x| &lt; 2^(e+1), subnormals included;
    /// int.MinValue for zero and int.MaxValue for NaN and infinities (Math.ILogB).
    /// </summary>
    public static int ILogB(double x)
    {
#if NET
        return Math.ILogB(x);
#else
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return int.MaxValue;
        }
        if (x == 0)
        {
            return int.MinValue;
        }
        long bits = BitConverter.DoubleToInt64Bits(x) & long.MaxValue;
        int biased = (int)(bits >> 52);
        if (biased != 0)
        {
            return biased - 1023;
        }
        // A subnormal is its fraction times 2^-1074: the exponent is that of the fraction's highest bit.
        int highest = 0;
        for (long fraction = bits; fraction > 1; fraction >>= 1)
        {
            highest++;
        }
        return highest - 1074;
#endif
    }

    /// <summary>
    /// a b - p exactly, where p is a b rounded: the rounding error of a product, which a double-double
    /// carries as its low part. On .NET this is Math.FusedMultiplyAdd(a, b, -p).
    /// </summary>
    public static double ProductError(double a, double b, double p)
    {
#if NET
        return Math.FusedMultiplyAdd(a, b, -p);
#else
        // .NET Framework has no fused multiply-add; Dekker's product gives the same exact error: each factor
        // is split into two halves of 26 bits, whose four products are exact.
        if (double.IsNaN(p) || double.IsInfinity(p))
        {
            // What the fused multiply-add gives: the exact product minus an infinity it overflowed to.
            return double.IsNaN(a) || double.IsNaN(b) || double.IsInfinity(a) || double.IsInfinity(b) ? double.NaN : -p;
        }
        // The split multiplies by 2^27 + 1, which overflows above 2^996: such a factor is brought down by
        // 2^-64 (exactly), and the error, computed at that scale, brought back up.
        // A product near the top of the range is brought down the same way, so that no partial product overflows.
        int shift = 0;
        if (Math.Abs(a) > PowerOfTwo(995) || Math.Abs(p) > PowerOfTwo(1000))
        {
            a *= PowerOfTwo(-64);
            shift += 64;
        }
        if (Math.Abs(b) > PowerOfTwo(995))
        {
            b *= PowerOfTwo(-64);
            shift += 64;
        }
        double product = shift == 0 ? p : a * b;
        Split(a, out double aHigh, out double aLow);
        Split(b, out double bHigh, out double bLow);
        double error = (((aHigh * bHigh) - product) + (aHigh * bLow) + (aLow * bHigh)) + (aLow * bLow);
        return shift == 0 ? error : error * PowerOfTwo(shift);
#endif
    }

    /// <summary>The next float above <paramref name="x"/> (MathF.BitIncrement).</summary>
    public static float BitIncrement(float x)
#if NET
        => MathF.BitIncrement(x);
#else
        => float.IsNaN(x) || float.IsPositiveInfinity(x) ? x : x == 0 ? float.Epsilon : Single(Bits(x) + (x > 0 ? 1 : -1));
#endif

    /// <summary>The next float below <paramref name="x"/> (MathF.BitDecrement).</summary>
    public static float BitDecrement(float x)
#if NET
        => MathF.BitDecrement(x);
#else
        => float.IsNaN(x) || float.IsNegativeInfinity(x) ? x : x == 0 ? -float.Epsilon : Single(Bits(x) + (x > 0 ? -1 : 1));
#endif

    /// <summary>The next double above <paramref name="x"/> (Math.BitIncrement).</summary>
    public static double BitIncrement(double x)
#if NET
        => Math.BitIncrement(x);
#else
        => double.IsNaN(x) || double.IsPositiveInfinity(x) ? x : x == 0 ? double.Epsilon
            : BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) + (x > 0 ? 1 : -1));
#endif

#if !NET
    /// <summary>2^<paramref name="n"/> for n in [-1022, 1023]: a normal double, built from its bits.</summary>
    private static double PowerOfTwo(int n) => BitConverter.Int64BitsToDouble((long)(n + 1023) << 52);

    /// <summary>Veltkamp's split: <paramref name="x"/> = high + low exactly, each with at most 26 significant bits.</summary>
    private static void Split(double x, out double high, out double low)
    {
        double t = 134217729d * x; // 2^27 + 1
        high = t - (t - x);
        low = x - high;
    }
#endif
}
