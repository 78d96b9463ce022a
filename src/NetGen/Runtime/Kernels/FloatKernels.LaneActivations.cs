#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Runtime;

/// <summary>
/// The written-out forward's LeakyReLU, sigmoid and SiLU. Unlike its tanh (a cheaper rational), these
/// compute exactly what the shared kernels compute on whole vectors (<c>LeakyReLUForward</c>,
/// <c>SigmoidForward</c>, <c>SiLUForward</c>): the same operations in the same order, e^x by the same
/// Cody-Waite reduction and polynomial (<see cref="VectorMath"/>), each multiply-add fused as
/// <c>Simd.MultiplyAdd</c> fuses it wherever the written-out forward runs (AVX-512 implies FMA). So a
/// network gives the same bits for one sample written out as through the shared kernels' vectors, and
/// these inherit their accuracy (about one ulp for e^x) and their NaN, infinity and -0 behaviour, which
/// tests/NetGen.Runtime.Tests (LaneActivationTests) checks bit for bit.
/// </summary>
public abstract partial class FloatKernels
{
    // VectorMath's float constants, repeated because VectorMath keeps them private to its Vector<T> code.
    private const float LaneLog2E = 1.44269504088896341f;
    private const float LaneLn2High = 0.693359375f;
    private const float LaneLn2Low = -2.12194440e-4f;
    private const float LaneMagic = 12582912f; // 1.5 * 2^23
    private const float LaneExpMin = -150f;
    private const float LaneExpMax = 89f;

    /// <summary>Where SiLU's input is clamped below (the shared kernels' SaturatedInput): e^x is 0 there whatever multiplies it.</summary>
    private const float LaneSaturated = 1000f;

    /// <summary>LeakyReLU as the shared kernels compute it: <c>x &gt;= 0 ? x : slope * x</c>; NaN gives slope * NaN, -0 stays -0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LaneLeakyReLU(Vector512<float> x, float slope)
        => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), x, x * Vector512.Create(slope));

    /// <inheritdoc cref="LaneLeakyReLU(Vector512{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneLeakyReLU(Vector256<float> x, float slope)
        => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, x * Vector256.Create(slope));

    /// <summary>Sigmoid as the shared kernels compute it: <c>(x &gt;= 0 ? 1 : e) / (1 + e)</c> with e = e^-|x|, so neither side overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LaneSigmoid(Vector512<float> x)
    {
        Vector512<float> e = LaneExp(-Vector512.Abs(x), out Vector512<float> scale) * scale;
        Vector512<float> numerator = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.One, e);
        return numerator / (Vector512<float>.One + e);
    }

    /// <inheritdoc cref="LaneSigmoid(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneSigmoid(Vector256<float> x)
    {
        Vector256<float> e = LaneExp(-Vector256.Abs(x), out Vector256<float> scale) * scale;
        Vector256<float> numerator = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One, e);
        return numerator / (Vector256<float>.One + e);
    }

    /// <summary>
    /// SiLU as the shared kernels compute it: x clamped below at -1000 (where e^x is 0 anyway), then
    /// <c>x / (1 + e)</c> for x &gt;= 0 and <c>(x / (1 + e)) e</c> below, e = e^-|x| kept as two factors so
    /// that a subnormal result is rounded once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LaneSiLU(Vector512<float> x)
    {
        var floor = Vector512.Create(-LaneSaturated);
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, floor), floor, x);
        Vector512<float> partial = LaneExp(-Vector512.Abs(x), out Vector512<float> scale);
        Vector512<float> xq = x / (Vector512<float>.One + (partial * scale));
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), xq, xq * partial * scale);
    }

    /// <inheritdoc cref="LaneSiLU(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneSiLU(Vector256<float> x)
    {
        var floor = Vector256.Create(-LaneSaturated);
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, floor), floor, x);
        Vector256<float> partial = LaneExp(-Vector256.Abs(x), out Vector256<float> scale);
        Vector256<float> xq = x / (Vector256<float>.One + (partial * scale));
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), xq, xq * partial * scale);
    }

    /// <summary>e^x as two factors, <c>result * scale</c>: VectorMath.Exp's steps on a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LaneExp(Vector512<float> x, out Vector512<float> scale)
    {
        var low = Vector512.Create(LaneExpMin);
        var high = Vector512.Create(LaneExpMax);
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, low), low, x);
        x = Vector512.ConditionalSelect(Vector512.GreaterThan(x, high), high, x);
        var magic = Vector512.Create(LaneMagic);
        Vector512<float> n = ((x * Vector512.Create(LaneLog2E)) + magic) - magic;
        Vector512<float> r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-LaneLn2High), x);
        r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-LaneLn2Low), r);
        Vector512<float> q = Avx512F.FusedMultiplyAdd(Vector512.Create(0.001381461319743324624f), r, Vector512.Create(0.0083687098231156150215f));
        q = Avx512F.FusedMultiplyAdd(q, r, Vector512.Create(0.041668387362598921866f));
        q = Avx512F.FusedMultiplyAdd(q, r, Vector512.Create(0.16666520689844237751f));
        q = Avx512F.FusedMultiplyAdd(q, r, Vector512.Create(0.49999993451701335587f));
        Vector512<float> p = Avx512F.FusedMultiplyAdd(r * r, q, r) + Vector512<float>.One;
        Vector512<float> n1 = ((n * Vector512.Create(0.5f)) + magic) - magic;
        scale = LanePowerOfTwo(n - n1);
        return p * LanePowerOfTwo(n1);
    }

    /// <inheritdoc cref="LaneExp(Vector512{float}, out Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LaneExp(Vector256<float> x, out Vector256<float> scale)
    {
        var low = Vector256.Create(LaneExpMin);
        var high = Vector256.Create(LaneExpMax);
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, low), low, x);
        x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, high), high, x);
        var magic = Vector256.Create(LaneMagic);
        Vector256<float> n = ((x * Vector256.Create(LaneLog2E)) + magic) - magic;
        Vector256<float> r = Fma.MultiplyAdd(n, Vector256.Create(-LaneLn2High), x);
        r = Fma.MultiplyAdd(n, Vector256.Create(-LaneLn2Low), r);
        Vector256<float> q = Fma.MultiplyAdd(Vector256.Create(0.001381461319743324624f), r, Vector256.Create(0.0083687098231156150215f));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(0.041668387362598921866f));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(0.16666520689844237751f));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(0.49999993451701335587f));
        Vector256<float> p = Fma.MultiplyAdd(r * r, q, r) + Vector256<float>.One;
        Vector256<float> n1 = ((n * Vector256.Create(0.5f)) + magic) - magic;
        scale = LanePowerOfTwo(n - n1);
        return p * LanePowerOfTwo(n1);
    }

    /// <summary>2^n per lane for integer-valued n in [-126, 127], built in the exponent bits (VectorMath.PowerOfTwo).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LanePowerOfTwo(Vector512<float> n)
        => Vector512.ShiftLeft((n + Vector512.Create(LaneMagic)).AsInt32() + Vector512.Create(127), 23).AsSingle();

    /// <inheritdoc cref="LanePowerOfTwo(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LanePowerOfTwo(Vector256<float> n)
        => Vector256.ShiftLeft((n + Vector256.Create(LaneMagic)).AsInt32() + Vector256.Create(127), 23).AsSingle();
}
#endif
