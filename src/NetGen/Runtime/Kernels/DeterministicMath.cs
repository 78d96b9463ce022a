using System;

namespace NetGen.Runtime;

/// <summary>
/// exp and log computed by NetGen itself, from IEEE double additions and multiplications in a fixed order
/// and nothing else (no fused multiply-add, no platform maths library), so that they give the same bits on
/// every machine, operating system, vector width and .NET runtime that rounds IEEE operations correctly:
/// what <c>[Network(Deterministic = true)]</c> computes with.
/// <para>
/// Accuracy, measured against double-double references over dense sweeps (DeterministicMathTests):
/// <see cref="Exp(double)"/> within 1.11 ulps on [-745, 709.7], the float exp (computed in double, then
/// rounded once) within 0.5 ulp, tanh within 1.5 ulps, <see cref="Log"/> within 2 ulps of a reference that
/// is itself good to about one.
/// </para>
/// </summary>
public static class DeterministicMath
{
    // ln 2 split so that k * Ln2High is exact for |k| < 2^11 (Cody and Waite's range reduction).
    private const double Ln2High = 6.93147180369123816490e-01;
    private const double Ln2Low = 1.90821492927058770002e-10;
    private const double InverseLn2 = 1.44269504088896338700e+00;

    /// <summary>e^x, correctly saturating: +inf above 709.78, 0 below -745.13, NaN for NaN.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }
        if (x > 709.782712893384)
        {
            return double.PositiveInfinity;
        }
        if (x < -745.1332191019412)
        {
            return 0d;
        }
        // x = k ln2 + r with |r| <= ln2 / 2; k by rounding half away from zero, done by hand so that no
        // library rounding mode can differ.
        double t = x * InverseLn2;
        double k = t >= 0 ? Math.Floor(t + 0.5) : -Math.Floor(-t + 0.5);
        double r = (x - (k * Ln2High)) - (k * Ln2Low);
        // e^r by its Taylor series to r^13 / 13! (|r| <= 0.347: the next term is below 2^-60 of the sum),
        // summed from the smallest term up, in Horner form.
        double p = 1.0 / 6227020800.0;
        p = (p * r) + (1.0 / 479001600.0);
        p = (p * r) + (1.0 / 39916800.0);
        p = (p * r) + (1.0 / 3628800.0);
        p = (p * r) + (1.0 / 362880.0);
        p = (p * r) + (1.0 / 40320.0);
        p = (p * r) + (1.0 / 5040.0);
        p = (p * r) + (1.0 / 720.0);
        p = (p * r) + (1.0 / 120.0);
        p = (p * r) + (1.0 / 24.0);
        p = (p * r) + (1.0 / 6.0);
        p = (p * r) + 0.5;
        p = (p * r) + 1.0;
        p = (p * r) + 1.0;
        return ScaleByPowerOfTwo(p, (int)k);
    }

    /// <summary>e^x in float: <see cref="Exp(double)"/> rounded once to float.</summary>
    public static float Exp(float x) => (float)Exp((double)x);

    /// <summary>
    /// tanh by the same method as the default mode's scalar code (VectorMath.Tanh: an odd polynomial below
    /// |x| = 0.625, <c>(1 - e) / (1 + e)</c> with e = e^-2|x| above), with e from <see cref="Exp(double)"/>.
    /// </summary>
    public static double Tanh(double x)
    {
        double a = Math.Abs(x);
        if (a < 0.625)
        {
            return VectorMath.Tanh(x);
        }
        double e = Exp(-2d * a);
        double magnitude = (1d - e) / (1d + e);
        return x < 0 ? -magnitude : magnitude;
    }

    /// <summary>tanh in float: as <see cref="Tanh(double)"/>, the polynomial in float below 0.625.</summary>
    public static float Tanh(float x)
    {
        float a = Math.Abs(x);
        if (a < 0.625f)
        {
            return VectorMath.Tanh(x);
        }
        float e = Exp(-2f * a);
        float magnitude = (1f - e) / (1f + e);
        return x < 0 ? -magnitude : magnitude;
    }

    /// <summary>The natural logarithm: -inf at 0, NaN below 0 and for NaN, +inf at +inf.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0)
        {
            return double.NaN;
        }
        if (x == 0)
        {
            return double.NegativeInfinity;
        }
        if (double.IsPositiveInfinity(x))
        {
            return x;
        }
        // x = m 2^e with m in [sqrt(1/2), sqrt(2)), read off the bits (subnormals scaled up first).
        int e = 0;
        if (x < 2.2250738585072014e-308)
        {
            x *= 18014398509481984.0; // 2^54
            e = -54;
        }
        long bits = BitConverter.DoubleToInt64Bits(x);
        e += (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > 1.4142135623730951)
        {
            m *= 0.5;
            e++;
        }
        // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: the odd series to s^29.
        double s = (m - 1) / (m + 1);
        double s2 = s * s;
        double q = 1.0 / 29;
        for (int n = 27; n >= 1; n -= 2)
        {
            q = (q * s2) + (1.0 / n);
        }
        double logM = 2 * s * q;
        return (e * Ln2High) + ((e * Ln2Low) + logM);
    }

    /// <summary><paramref name="value"/> * 2^<paramref name="exponent"/>, exact wherever the result is normal.</summary>
    private static double ScaleByPowerOfTwo(double value, int exponent)
    {
        // Two steps keep each factor a normal double, so subnormal results round once, at the end.
        if (exponent > 1023)
        {
            value *= BitConverter.Int64BitsToDouble((long)(1023 + 1023) << 52);
            exponent -= 1023;
        }
        else if (exponent < -1022)
        {
            value *= BitConverter.Int64BitsToDouble((long)(1023 - 1022) << 52);
            exponent += 1022;
            if (exponent < -1022)
            {
                value *= BitConverter.Int64BitsToDouble((long)(1023 - 1022) << 52);
                exponent += 1022;
            }
        }
        return value * BitConverter.Int64BitsToDouble((long)(exponent + 1023) << 52);
    }
}
