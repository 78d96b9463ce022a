using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// The activations built on e^x: tanh, sigmoid and SiLU. Elementwise, so layout-independent; y may be x
// itself and dx may be delta itself.
//
// Where vectors are accelerated, whole vectors run through the written-out e^x and tanh of VectorMath
// (no call inside the loop), and the last values that do not fill a vector run through the same vector
// code once more, in a stack buffer of one vector (zeroed, as stackalloc is here, though the padding's
// results are discarded anyway): so a value's result does not depend on where it sits in the span.
// Without acceleration the scalar twins use the same formulas on the platform's e^x. Each function is
// written so that no infinity meets a zero: tanh and sigmoid take e^-|x|, which lies in [0, 1], and
// SiLU clamps x where e^-|x| is 0 anyway.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// Past this |x| the sigmoid of x, in float and in double, is exactly 0 or 1 and e^-|x| is 0 even times
    /// a thousand (e^-1000 is far below the smallest double), so clamping x there changes no result but
    /// keeps <c>infinity * 0</c> (NaN) out of SiLU and its gradient.
    /// </summary>
    private const double SaturatedInput = 1000d;

    /// <summary>tanh, elementwise: <c>y = tanh(x)</c>; y may be x itself. Exactly ±1 where tanh rounds to it, NaN for NaN.</summary>
    [MethodImpl(Optimized)]
    public static void TanhForward(ReadOnlySpan<T> x, Span<T> y)
    {
        if (!Vector.IsHardwareAccelerated || A.IsDeterministic)
        {
            for (int k = 0; k < x.Length; k++)
            {
                y[k] = A.Tanh(x[k]);
            }
            return;
        }
        int whole = x.Length - (x.Length % Vector<T>.Count);
        TanhVectors(x.Slice(0, whole), y);
        if (whole < x.Length)
        {
            Span<T> lanes = stackalloc T[Vector<T>.Count];
            x.Slice(whole).CopyTo(lanes);
            TanhVectors(lanes, lanes);
            lanes.Slice(0, x.Length - whole).CopyTo(y.Slice(whole));
        }
    }

    /// <summary>tanh backward from the output: <c>dx = delta * (1 - y^2)</c>; dx may be delta itself.</summary>
    /// <remarks>
    /// Computed as <c>(1 - y)(1 + y)</c>: near |y| = 1, where 1 - y^2 is small, <c>1 - y*y</c> would lose
    /// the digits that y*y's rounding dropped, while 1 - y is then exact.
    /// </remarks>
    [MethodImpl(Optimized)]
    public static void TanhBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> delta, Span<T> dx)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated && !A.IsDeterministic)
        {
            for (; k <= y.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> v = Simd.Load(y, k);
                Simd.Store(dx, k, Simd.Load(delta, k) * ((Vector<T>.One - v) * (Vector<T>.One + v)));
            }
        }
        // The same operations in the same order as the vector lanes, so the tail matches them bit for bit.
        for (; k < y.Length; k++)
        {
            dx[k] = A.Multiply(delta[k], A.Multiply(A.Subtract(A.One, y[k]), A.Add(A.One, y[k])));
        }
    }

    /// <summary>
    /// The logistic sigmoid, elementwise: <c>y = 1 / (1 + e^-x)</c>; y may be x itself. Computed as
    /// <c>1 / (1 + e^-x)</c> for x &gt;= 0 and <c>e^x / (1 + e^x)</c> for x &lt; 0, so e^ only ever sees
    /// -|x| and cannot overflow: 1 at +infinity, 0 at -infinity, NaN for NaN.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void SigmoidForward(ReadOnlySpan<T> x, Span<T> y)
    {
        if (!Vector.IsHardwareAccelerated || A.IsDeterministic)
        {
            for (int k = 0; k < x.Length; k++)
            {
                T e = ExpMinusAbs(x[k]);
                y[k] = A.Divide(A.GreaterThanOrEqual(x[k], A.Zero) ? A.One : e, A.Add(A.One, e));
            }
            return;
        }
        int whole = x.Length - (x.Length % Vector<T>.Count);
        SigmoidVectors(x.Slice(0, whole), y);
        if (whole < x.Length)
        {
            Span<T> lanes = stackalloc T[Vector<T>.Count];
            x.Slice(whole).CopyTo(lanes);
            SigmoidVectors(lanes, lanes);
            lanes.Slice(0, x.Length - whole).CopyTo(y.Slice(whole));
        }
    }

    /// <summary>Sigmoid backward from the output: <c>dx = delta * y * (1 - y)</c>; dx may be delta itself.</summary>
    [MethodImpl(Optimized)]
    public static void SigmoidBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> delta, Span<T> dx)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated && !A.IsDeterministic)
        {
            for (; k <= y.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> v = Simd.Load(y, k);
                Simd.Store(dx, k, Simd.Load(delta, k) * (v * (Vector<T>.One - v)));
            }
        }
        // The same operations in the same order as the vector lanes.
        for (; k < y.Length; k++)
        {
            dx[k] = A.Multiply(delta[k], A.Multiply(y[k], A.Subtract(A.One, y[k])));
        }
    }

    /// <summary>
    /// SiLU (PyTorch's nn.SiLU, also called swish), elementwise: <c>y = x * sigmoid(x)</c>; y may be x
    /// itself. +infinity at +infinity, -0 for large negative x and at -infinity (not -infinity * 0),
    /// NaN for NaN.
    /// </summary>
    /// <remarks>
    /// With e = e^-|x| and q = 1 / (1 + e): <c>x q</c> for x &gt;= 0 and <c>x q e</c> for x &lt; 0. Where that
    /// is subnormal (x below about -87 in float) e itself has only a few bits left, so <c>x q</c> is
    /// multiplied in before e's last, subnormal scaling, and the result is rounded once.
    /// </remarks>
    [MethodImpl(Optimized)]
    public static void SiLUForward(ReadOnlySpan<T> x, Span<T> y)
    {
        if (!Vector.IsHardwareAccelerated || A.IsDeterministic)
        {
            T floor = A.FromDouble(-SaturatedInput);
            for (int k = 0; k < x.Length; k++)
            {
                // Clamped below only: SiLU(+infinity) is +infinity.
                T v = A.LessThan(x[k], floor) ? floor : x[k];
                T e = ExpMinusAbs(v);
                T xq = A.Divide(v, A.Add(A.One, e));
                y[k] = A.GreaterThanOrEqual(v, A.Zero) ? xq : MultiplyByExp(xq, v);
            }
            return;
        }
        int whole = x.Length - (x.Length % Vector<T>.Count);
        SiLUVectors(x.Slice(0, whole), y);
        if (whole < x.Length)
        {
            Span<T> lanes = stackalloc T[Vector<T>.Count];
            x.Slice(whole).CopyTo(lanes);
            SiLUVectors(lanes, lanes);
            lanes.Slice(0, x.Length - whole).CopyTo(y.Slice(whole));
        }
    }

    /// <summary>
    /// SiLU backward from the input: <c>dx = delta * (s + x s (1 - s))</c>, s = sigmoid(x); dx may be delta
    /// itself. 1 at +infinity, 0 at -infinity, NaN for NaN.
    /// </summary>
    /// <remarks>
    /// With e = e^-|x| and q = 1 / (1 + e), <c>s (1 - s) = e q^2</c> exactly, so the slope is
    /// <c>q + x e q^2</c> for x &gt;= 0 and <c>q (1 + x q) e</c> for x &lt; 0 (s = q there, or e q). Neither
    /// forms <c>1 - s</c>, which near x = 17 in float keeps hardly a digit; the second rounds once where the
    /// slope is subnormal, as in <see cref="SiLUForward"/>. The slope itself is 0 at x = -1.278..., and
    /// near there it is the difference of two terms near 0.22, so its error is a few ulps of 0.22, not of
    /// the slope: any formula in the element type has that.
    /// </remarks>
    [MethodImpl(Optimized)]
    public static void SiLUBackward(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> dx)
    {
        if (!Vector.IsHardwareAccelerated || A.IsDeterministic)
        {
            for (int k = 0; k < x.Length; k++)
            {
                T v = ClampSaturated(x[k]);
                T e = ExpMinusAbs(v);
                T q = A.Divide(A.One, A.Add(A.One, e));
                T slope = A.GreaterThanOrEqual(v, A.Zero)
                    ? A.MultiplyAdd(v, A.Multiply(A.Multiply(e, q), q), q)
                    : MultiplyByExp(A.Multiply(q, A.MultiplyAdd(v, q, A.One)), v);
                dx[k] = A.Multiply(delta[k], slope);
            }
            return;
        }
        int whole = x.Length - (x.Length % Vector<T>.Count);
        SiLUGradientVectors(x.Slice(0, whole), delta, dx);
        if (whole < x.Length)
        {
            // delta's last values are copied before dx's are written, so dx may be delta.
            Span<T> lanes = stackalloc T[2 * Vector<T>.Count];
            Span<T> inputs = lanes.Slice(0, Vector<T>.Count);
            Span<T> deltas = lanes.Slice(Vector<T>.Count);
            x.Slice(whole).CopyTo(inputs);
            delta.Slice(whole, x.Length - whole).CopyTo(deltas);
            SiLUGradientVectors(inputs, deltas, deltas);
            deltas.Slice(0, x.Length - whole).CopyTo(dx.Slice(whole));
        }
    }

    /// <summary>tanh over whole vectors (x.Length a multiple of Vector&lt;T&gt;.Count).</summary>
    [MethodImpl(Block)]
    private static void TanhVectors(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int k = 0; k < x.Length; k += Vector<T>.Count)
        {
            Simd.Store(y, k, A.Tanh(Simd.Load(x, k)));
        }
    }

    /// <summary>Sigmoid over whole vectors: see <see cref="SigmoidForward"/>.</summary>
    [MethodImpl(Block)]
    private static void SigmoidVectors(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int k = 0; k < x.Length; k += Vector<T>.Count)
        {
            Vector<T> v = Simd.Load(x, k);
            Vector<T> e = A.Exp(-Vector.Abs(v));
            // NaN fails the comparison and gives e / (1 + e) with e NaN: NaN.
            Vector<T> numerator = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, Vector<T>.Zero), Vector<T>.One, e);
            Simd.Store(y, k, numerator / (Vector<T>.One + e));
        }
    }

    /// <summary>SiLU over whole vectors: see <see cref="SiLUForward"/>.</summary>
    [MethodImpl(Block)]
    private static void SiLUVectors(ReadOnlySpan<T> x, Span<T> y)
    {
        var floor = new Vector<T>(A.FromDouble(-SaturatedInput));
        for (int k = 0; k < x.Length; k += Vector<T>.Count)
        {
            Vector<T> v = Simd.Load(x, k);
            // Below the floor e is 0 whatever multiplies it, so clamping changes nothing but -infinity * 0.
            // Comparisons with NaN are false, so NaN stays NaN.
            v = Vector.ConditionalSelect(Vector.LessThan(v, floor), floor, v);
            Vector<T> partial = A.Exp(-Vector.Abs(v), out Vector<T> scale);
            Vector<T> xq = v / (Vector<T>.One + (partial * scale));
            Vector<T> negative = xq * partial * scale;
            Simd.Store(y, k, Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, Vector<T>.Zero), xq, negative));
        }
    }

    /// <summary>SiLU backward over whole vectors: see <see cref="SiLUBackward"/>.</summary>
    [MethodImpl(Block)]
    private static void SiLUGradientVectors(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> dx)
    {
        var floor = new Vector<T>(A.FromDouble(-SaturatedInput));
        var ceiling = new Vector<T>(A.FromDouble(SaturatedInput));
        for (int k = 0; k < x.Length; k += Vector<T>.Count)
        {
            Vector<T> v = Simd.Load(x, k);
            v = Vector.ConditionalSelect(Vector.LessThan(v, floor), floor, Vector.ConditionalSelect(Vector.GreaterThan(v, ceiling), ceiling, v));
            Vector<T> partial = A.Exp(-Vector.Abs(v), out Vector<T> scale);
            Vector<T> e = partial * scale;
            Vector<T> q = Vector<T>.One / (Vector<T>.One + e);
            Vector<T> positive = A.MultiplyAdd(v, e * q * q, q);
            Vector<T> negative = q * A.MultiplyAdd(v, q, Vector<T>.One) * partial * scale;
            Vector<T> slope = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, Vector<T>.Zero), positive, negative);
            Simd.Store(dx, k, Simd.Load(delta, k) * slope);
        }
    }

    /// <summary>
    /// x clamped to [-1000, 1000] for SiLU's slope: past there the sigmoid is exactly 0 or 1 and e^-|x| is 0 even
    /// times a thousand, so the clamp changes no result but keeps infinity * 0 (NaN) out. NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ClampSaturated(T x)
    {
        T ceiling = A.FromDouble(SaturatedInput);
        T floor = A.FromDouble(-SaturatedInput);
        return A.LessThan(x, floor) ? floor : A.LessThan(ceiling, x) ? ceiling : x;
    }

    /// <summary>
    /// <c>factor * e^x</c> for x &lt;= 0, for the scalar twins. Where e^x is subnormal it has lost bits, so
    /// the product is taken as <c>(factor * e^(x/2)) * e^(x/2)</c> instead (x/2 is exact), rounded once at
    /// the end like the vector code's <c>(factor * partial) * scale</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T MultiplyByExp(T factor, T x)
    {
        T e = A.Exp(x);
        T smallestNormal = A.FromDouble(typeof(T) == typeof(float) ? 1.1754943508222875e-38 : 2.2250738585072014e-308);
        if (A.GreaterThanOrEqual(e, smallestNormal))
        {
            return A.Multiply(factor, e);
        }
        T half = A.Exp(A.Multiply(x, A.FromDouble(0.5)));
        return A.Multiply(A.Multiply(factor, half), half);
    }

    /// <summary><c>e^-|x|</c> for the scalar twins, from the platform's maths library; NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ExpMinusAbs(T x) => A.Exp(A.LessThan(x, A.Zero) ? x : A.Subtract(A.Zero, x));
}
