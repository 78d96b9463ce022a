using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

/// <summary>
/// e^x and tanh on whole vectors, written out so that a kernel's loop calls nothing: on Linux x64 no
/// vector register survives a call, so a call to <c>MathF.Exp</c> per lane would spill every live vector
/// each time. Everything here is inlined into the kernel that uses it. (Also a scalar tanh by the same
/// method, for the scalar twins.)
/// <para>
/// e^x: <c>x = n ln2 + r</c> with n = round(x / ln2) and <c>|r| &lt;= ln2 / 2</c>, r computed with a
/// Cody-Waite split of ln2 (a high part with trailing zero bits, so <c>n * Ln2High</c> is exact, and the
/// rest); <c>e^r = 1 + r + r^2 q(r)</c> with q a minimax polynomial (Remez, relative error 3.1e-9 for
/// float, 3.6e-18 for double: far below half an ulp); then <c>e^x = e^r * 2^n1 * 2^n2</c>, n1 + n2 = n,
/// two powers of two built in the exponent bits. Two factors rather than one so that both stay normal
/// numbers over the whole range: results that are subnormal come out correctly rounded by the last
/// multiply instead of flushed to zero, and results past the largest finite value become +infinity.
/// The argument is clamped first, to where e^x is 0 or infinite anyway (low enough that e^x times any
/// moderate factor still rounds to 0), so no intermediate overflows and the integer tricks stay in range; the clamp compares rather than uses Min/Max, whose NaN
/// behaviour differs between runtimes, so NaN goes through and comes out NaN.
/// </para>
/// <para>
/// n is rounded with the "magic number" trick: adding 1.5 * 2^52 (2^23 for float) leaves the integer
/// nearest the sum in the low mantissa bits. netstandard2.1's <see cref="Vector"/> has no shifts, so the
/// power of two is built without one: see <see cref="PowerOfTwo(Vector{float})"/>.
/// </para>
/// </summary>
internal static class VectorMath
{
    // float constants. Ln2High has 9 significant bits, so n * Ln2High is exact for |n| < 2^15.
    private const float Log2EFloat = 1.44269504088896341f;
    private const float Ln2HighFloat = 0.693359375f;
    private const float Ln2LowFloat = -2.12194440e-4f;
    private const float MagicFloat = 12582912f; // 1.5 * 2^23
    private const float ExpMinFloat = -150f;    // e^-150 < 2^-216: f * e^x rounds to 0 for any |f| < 2^66
    private const float ExpMaxFloat = 89f;      // e^89 > float.MaxValue: overflows to +infinity

    // double constants (Ln2High, Ln2Low: fdlibm's split; Ln2High has 32 significant bits).
    private const double Log2EDouble = 1.4426950408889634074;
    private const double Ln2HighDouble = 6.93147180369123816490e-01;
    private const double Ln2LowDouble = 1.90821492927058770002e-10;
    private const double MagicDouble = 6755399441055744d; // 1.5 * 2^52
    private const double ExpMinDouble = -1000d;            // e^-1000 < 2^-1442: f * e^x rounds to 0 for |f| < 2^367
    private const double ExpMaxDouble = 710d;              // e^710 > double.MaxValue: overflows to +infinity

    /// <summary>
    /// Below this |x|, tanh is an odd polynomial; above it <c>(1 - e^-2|x|) / (1 + e^-2|x|)</c>, whose
    /// subtraction loses little there (e^-2|x| &lt;= 0.29) and would lose everything for tiny x.
    /// </summary>
    private const double TanhPolynomialBound = 0.625;

    /// <summary>e^x per lane, to within about one ulp; see the class remarks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x) => Exp(x, out Vector<float> scale) * scale;

    /// <summary>
    /// e^x per lane as two factors, <c>e^x = result * scale</c>: the result is a normal number (within a
    /// factor 2^110 of 1 for float, 2^723 for double) and <paramref name="scale"/> a power of two. A caller
    /// that wants <c>f * e^x</c> takes <c>(f * result) * scale</c>, so that where the product is subnormal
    /// it is rounded once, at the end, rather than e^x rounded to a few bits and then multiplied by f.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x, out Vector<float> scale)
    {
        var low = new Vector<float>(ExpMinFloat);
        var high = new Vector<float>(ExpMaxFloat);
        x = Vector.ConditionalSelect(Vector.LessThan(x, low), low, x);
        x = Vector.ConditionalSelect(Vector.GreaterThan(x, high), high, x);

        var magic = new Vector<float>(MagicFloat);
        Vector<float> n = ((x * new Vector<float>(Log2EFloat)) + magic) - magic;
        // Both steps are exact or nearly: n * Ln2High is exact and x - n * Ln2High exact by Sterbenz's lemma.
        Vector<float> r = Simd.MultiplyAdd(n, new Vector<float>(-Ln2HighFloat), x);
        r = Simd.MultiplyAdd(n, new Vector<float>(-Ln2LowFloat), r);

        // q(r), minimax for (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2], weighted for the relative error of e^r.
        Vector<float> q = Simd.MultiplyAdd(new Vector<float>(0.001381461319743324624f), r, new Vector<float>(0.0083687098231156150215f));
        q = Simd.MultiplyAdd(q, r, new Vector<float>(0.041668387362598921866f));
        q = Simd.MultiplyAdd(q, r, new Vector<float>(0.16666520689844237751f));
        q = Simd.MultiplyAdd(q, r, new Vector<float>(0.49999993451701335587f));
        Vector<float> p = Simd.MultiplyAdd(r * r, q, r) + Vector<float>.One;

        // n = n1 + n2 with n1 = round(n / 2): both in [-109, 64], so both powers of two are normal floats.
        Vector<float> n1 = ((n * new Vector<float>(0.5f)) + magic) - magic;
        scale = PowerOfTwo(n - n1);
        return p * PowerOfTwo(n1);
    }

    /// <summary>e^x per lane, to within about one ulp; see the class remarks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Exp(Vector<double> x) => Exp(x, out Vector<double> scale) * scale;

    /// <summary>
    /// e^x per lane as two factors, <c>e^x = result * scale</c>: the result is a normal number (within a
    /// factor 2^110 of 1 for float, 2^723 for double) and <paramref name="scale"/> a power of two. A caller
    /// that wants <c>f * e^x</c> takes <c>(f * result) * scale</c>, so that where the product is subnormal
    /// it is rounded once, at the end, rather than e^x rounded to a few bits and then multiplied by f.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Exp(Vector<double> x, out Vector<double> scale)
    {
        var low = new Vector<double>(ExpMinDouble);
        var high = new Vector<double>(ExpMaxDouble);
        x = Vector.ConditionalSelect(Vector.LessThan(x, low), low, x);
        x = Vector.ConditionalSelect(Vector.GreaterThan(x, high), high, x);

        var magic = new Vector<double>(MagicDouble);
        Vector<double> n = ((x * new Vector<double>(Log2EDouble)) + magic) - magic;
        Vector<double> r = Simd.MultiplyAdd(n, new Vector<double>(-Ln2HighDouble), x);
        r = Simd.MultiplyAdd(n, new Vector<double>(-Ln2LowDouble), r);

        // q(r), minimax for (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2], degree 9.
        Vector<double> q = Simd.MultiplyAdd(new Vector<double>(2.5000073065511517502e-8), r, new Vector<double>(2.7630233932380839999e-7));
        q = Simd.MultiplyAdd(q, r, new Vector<double>(2.7557586264055955657e-6));
        q = Simd.MultiplyAdd(q, r, new Vector<double>(0.000024801493136144946353));
        q = Simd.MultiplyAdd(q, r, new Vector<double>(0.00019841269506782160559));
        q = Simd.MultiplyAdd(q, r, new Vector<double>(0.0013888888943597742431));
        q = Simd.MultiplyAdd(q, r, new Vector<double>(0.0083333333334943319138));
        q = Simd.MultiplyAdd(q, r, new Vector<double>(0.041666666666530265798));
        q = Simd.MultiplyAdd(q, r, new Vector<double>(0.16666666666666412777));
        q = Simd.MultiplyAdd(q, r, new Vector<double>(0.50000000000000106168));
        Vector<double> p = Simd.MultiplyAdd(r * r, q, r) + Vector<double>.One;

        // n1, n2 in [-722, 512]: both powers of two are normal doubles.
        Vector<double> n1 = ((n * new Vector<double>(0.5)) + magic) - magic;
        scale = PowerOfTwo(n - n1);
        return p * PowerOfTwo(n1);
    }

    /// <summary>
    /// tanh per lane, to within a few ulps; exactly ±1 once tanh rounds to it, ±1 at ±infinity, x itself
    /// for tiny and subnormal x, -0 for -0, NaN for NaN. Computed on |x| and given x's sign at the end, so
    /// the sign is right even for zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        Vector<float> a = Vector.Abs(x);

        // Small |x|: a + a^3 q(a^2), q minimax on [0, 0.625^2] (Remez, relative error 4.4e-9).
        Vector<float> z = a * a;
        Vector<float> q = Simd.MultiplyAdd(new Vector<float>(-0.0057049869090758647487f), z, new Vector<float>(0.020639087130510957122f));
        q = Simd.MultiplyAdd(q, z, new Vector<float>(-0.053739715034191874473f));
        q = Simd.MultiplyAdd(q, z, new Vector<float>(0.13331442197256888862f));
        q = Simd.MultiplyAdd(q, z, new Vector<float>(-0.33333281941959038874f));
        Vector<float> small = Simd.MultiplyAdd(a * z, q, a);

        // Larger |x|: e = e^-2|x| lies in [0, 0.29], so this neither overflows nor cancels; e is 0 for
        // |x| > 52 and at infinity, which gives exactly 1.
        Vector<float> e = Exp(a * new Vector<float>(-2f));
        Vector<float> large = (Vector<float>.One - e) / (Vector<float>.One + e);

        // NaN fails the comparison and takes the large path, whose e^NaN is NaN. -0f is the sign bit alone.
        Vector<float> magnitude = Vector.ConditionalSelect(Vector.LessThan(a, new Vector<float>((float)TanhPolynomialBound)), small, large);
        return magnitude | (x & new Vector<float>(-0f));
    }

    /// <inheritdoc cref="Tanh(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Tanh(Vector<double> x)
    {
        Vector<double> a = Vector.Abs(x);

        // Small |x|: a + a^3 q(a^2), q minimax of degree 10 on [0, 0.625^2] (relative error 1.0e-17).
        Vector<double> z = a * a;
        Vector<double> q = Simd.MultiplyAdd(new Vector<double>(-0.000016072566583703644465), z, new Vector<double>(0.000077144360200132706687));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(-0.00022856420532276941798));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(0.00058631653739331019006));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(-0.0014549588770576719432));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(0.0035919891736260658538));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(-0.0088632210026057622965));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(0.021869487576092550632));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(-0.05396825393126760272));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(0.13333333333262091093));
        q = Simd.MultiplyAdd(q, z, new Vector<double>(-0.33333333333332855264));
        Vector<double> small = Simd.MultiplyAdd(a * z, q, a);

        Vector<double> e = Exp(a * new Vector<double>(-2d));
        Vector<double> large = (Vector<double>.One - e) / (Vector<double>.One + e);

        Vector<double> magnitude = Vector.ConditionalSelect(Vector.LessThan(a, new Vector<double>(TanhPolynomialBound)), small, large);
        return magnitude | (x & new Vector<double>(-0d));
    }

    /// <summary>
    /// tanh of one float, for the scalar twins, by the vector code's method: the same polynomial below
    /// 0.625, <c>(1 - e) / (1 + e)</c> with the platform's e^-2|x| above. The platform's own tanh would do,
    /// but its accuracy varies (glibc's tanhf measured 2.07 ulps off at x = 0.2276; this method 1.5 at most).
    /// </summary>
    public static float Tanh(float x)
    {
        float a = Math.Abs(x);
        float magnitude;
        if (a < (float)TanhPolynomialBound)
        {
            float z = a * a;
            float q = (((((-0.0057049869090758647487f * z) + 0.020639087130510957122f) * z) - 0.053739715034191874473f) * z) + 0.13331442197256888862f;
            q = (q * z) - 0.33333281941959038874f;
            magnitude = (a * z * q) + a;
        }
        else
        {
            // NaN comes here too, and e^NaN is NaN.
            float e = MathF.Exp(-2f * a);
            magnitude = (1f - e) / (1f + e);
        }
        // x itself for ±0, so that -0 stays -0.
        return x < 0 ? -magnitude : x == 0 ? x : magnitude;
    }

    /// <inheritdoc cref="Tanh(float)"/>
    public static double Tanh(double x)
    {
        double a = Math.Abs(x);
        double magnitude;
        if (a < TanhPolynomialBound)
        {
            double z = a * a;
            double q = -0.000016072566583703644465;
            q = (q * z) + 0.000077144360200132706687;
            q = (q * z) - 0.00022856420532276941798;
            q = (q * z) + 0.00058631653739331019006;
            q = (q * z) - 0.0014549588770576719432;
            q = (q * z) + 0.0035919891736260658538;
            q = (q * z) - 0.0088632210026057622965;
            q = (q * z) + 0.021869487576092550632;
            q = (q * z) - 0.05396825393126760272;
            q = (q * z) + 0.13333333333262091093;
            q = (q * z) - 0.33333333333332855264;
            magnitude = (a * z * q) + a;
        }
        else
        {
            double e = Math.Exp(-2d * a);
            magnitude = (1d - e) / (1d + e);
        }
        return x < 0 ? -magnitude : x == 0 ? x : magnitude;
    }

    /// <summary>
    /// 2^n per lane for integer-valued n in [-126, 127], built in the exponent bits. n + 1.5 * 2^23 holds
    /// <c>0x4B400000 + n</c> in its bits; adding the bias 127 and multiplying by 2^23 moves n + 127 into the
    /// exponent field, and the 0x4B400000 part is shifted out past bit 31 (0x4B4 * 2^43 is 0 modulo 2^32).
    /// A multiply rather than a shift because netstandard2.1's Vector has no shifts; on .NET 7 and later
    /// the shift (one cycle, against ten for a 32-bit multiply on some CPUs) gives the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> PowerOfTwo(Vector<float> n)
    {
        Vector<int> biased = Vector.AsVectorInt32(n + new Vector<float>(MagicFloat)) + new Vector<int>(127);
        return Vector.AsVectorSingle(ShiftLeft(biased, 23));
    }

    /// <summary>
    /// 2^n per lane for integer-valued n in [-1022, 1023]. A double's exponent sits in the high 32-bit half
    /// of its lane, and Vector has no way to move values between halves, so n is put there directly:
    /// <c>n + 1023 + 1.5 * 2^20</c> is a double whose high half is <c>0x41380000 + n + 1023</c> and whose
    /// low half is 0 (its unit is bit 32 of the mantissa). Multiplying the 32-bit halves by 2^20 shifts n +
    /// 1023 into the exponent field, shifts 0x4138 out past bit 31, and leaves the low half 0: the bits of
    /// 2^n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> PowerOfTwo(Vector<double> n)
    {
        Vector<int> halves = Vector.AsVectorInt32(n + new Vector<double>(1572864d + 1023d));
        return Vector.AsVectorDouble(ShiftLeft(halves, 20));
    }

    /// <summary><paramref name="value"/> shifted left by <paramref name="shift"/> bits, per 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> ShiftLeft(Vector<int> value, int shift)
    {
#if NET8_0_OR_GREATER
        return Vector.ShiftLeft(value, shift);
#else
        return value * new Vector<int>(1 << shift);
#endif
    }
}
