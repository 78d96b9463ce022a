using System;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The error of a kernel's result in units in the last place of its element type, measured at the exact
/// value: for float 2^(e - 23) where 2^e &lt;= |exact| &lt; 2^(e+1), and the subnormals' 2^-149 below the
/// normal range (2^(e - 52) and 2^-1074 for double).
/// </summary>
internal static class Ulps
{
    /// <summary>The error of <paramref name="actual"/> against <paramref name="exact"/> in float ulps.</summary>
    public static double OfFloat(double actual, Scaled exact) => Measure(actual, exact, 23, -126, 127);

    /// <summary>The error of <paramref name="actual"/> against <paramref name="exact"/> in double ulps.</summary>
    public static double OfDouble(double actual, Scaled exact) => Measure(actual, exact, 52, -1022, 1023);

    /// <summary>The error in ulps of T.</summary>
    public static double Of<T>(double actual, Scaled exact) where T : unmanaged
        => typeof(T) == typeof(float) ? OfFloat(actual, exact) : OfDouble(actual, exact);

    /// <summary>
    /// The error of <paramref name="actual"/> in ulps of the larger of <paramref name="scale"/> and the
    /// exact value: for results that are a difference of larger terms (scale is the largest term).
    /// </summary>
    public static double Relative<T>(double actual, Scaled exact, double scale) where T : unmanaged
    {
        if (exact.IsNaN || double.IsNaN(actual))
        {
            return exact.IsNaN && double.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }
        double error = Math.Abs((new DoubleDouble(Portable.ScaleB(actual, -exact.Exponent)) - exact.Mantissa).Hi);
        bool isFloat = typeof(T) == typeof(float);
        double magnitude = Math.Max(scale, Math.Abs(exact.ToDouble()));
        int exponent = magnitude == 0 ? int.MinValue : Portable.ILogB(magnitude);
        int unit = Math.Max(exponent, isFloat ? -126 : -1022) - (isFloat ? 23 : 52);
        return error / Portable.ScaleB(1d, unit - exact.Exponent);
    }

    private static double Measure(double actual, Scaled exact, int mantissaBits, int minExponent, int maxExponent)
    {
        if (exact.IsNaN || double.IsNaN(actual))
        {
            return exact.IsNaN && double.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }
        double hi = exact.Mantissa.Hi;
        if (double.IsInfinity(hi))
        {
            return actual == hi ? 0 : double.PositiveInfinity;
        }
        int exponent;
        if (hi == 0)
        {
            exponent = minExponent;
        }
        else
        {
            exponent = Portable.ILogB(hi) + exact.Exponent;
            // Just below a power of two (hi is one, lo pulls the other way) the exact value is in the binade below.
            if (Portable.ScaleB(1d, Portable.ILogB(hi)) == Math.Abs(hi) && exact.Mantissa.Lo != 0 && Math.Sign(exact.Mantissa.Lo) != Math.Sign(hi))
            {
                exponent--;
            }
        }
        if (exponent >= maxExponent)
        {
            // From the largest finite value plus half an ulp on, round to nearest gives infinity of the same sign.
            int shift = exact.Exponent - maxExponent;
            var relative = new DoubleDouble(Portable.ScaleB(Math.Abs(hi), shift)) + Portable.ScaleB(Math.Sign(hi) * exact.Mantissa.Lo, shift);
            var limit = new DoubleDouble(2d, -Portable.ScaleB(1d, -(mantissaBits + 1)));
            if ((relative - limit).Hi >= 0)
            {
                return double.IsInfinity(actual) && Math.Sign(actual) == Math.Sign(hi) ? 0 : double.PositiveInfinity;
            }
        }
        int unit = Math.Max(exponent, minExponent) - mantissaBits;
        double error = Math.Abs((new DoubleDouble(Portable.ScaleB(actual, -exact.Exponent)) - exact.Mantissa).Hi);
        return error / Portable.ScaleB(1d, unit - exact.Exponent);
    }
}
