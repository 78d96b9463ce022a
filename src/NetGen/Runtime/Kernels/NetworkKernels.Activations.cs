using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// The width-keeping layers. Elementwise activations do not care about the layout; softmax works per
// sample, so it takes the layout as two strides: sample-major rows (value k of sample s at
// [s * width + k]) or feature-major columns (at [k * count + s]).
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>ReLU: <c>y = max(x, 0)</c> elementwise; y may be x itself. NaN passes through, so training sees it.</summary>
    [MethodImpl(Optimized)]
    public static void ReLUForward(ReadOnlySpan<T> x, Span<T> y)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> v = Simd.Load(x, k);
                Simd.Store(y, k, Vector.ConditionalSelect(Vector.LessThan(v, Vector<T>.Zero), Vector<T>.Zero, v));
            }
        }
        for (; k < x.Length; k++)
        {
            y[k] = A.LessThan(x[k], A.Zero) ? A.Zero : x[k];
        }
    }

    /// <summary>ReLU backward: <c>dx = delta * 1(x &gt;= 0)</c>, the derivative at 0 taken as 1; dx may be delta itself.</summary>
    [MethodImpl(Optimized)]
    public static void ReLUBackward(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> dx)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> open = Vector.GreaterThanOrEqual(Simd.Load(x, k), Vector<T>.Zero);
                Simd.Store(dx, k, Vector.ConditionalSelect(open, Simd.Load(delta, k), Vector<T>.Zero));
            }
        }
        for (; k < x.Length; k++)
        {
            dx[k] = A.GreaterThanOrEqual(x[k], A.Zero) ? delta[k] : A.Zero;
        }
    }

    /// <summary>Softmax, sample-major: see <see cref="Softmax"/>.</summary>
    [MethodImpl(Optimized)]
    public static void SoftmaxForward(ReadOnlySpan<T> x, Span<T> y, int count, int width) => Softmax(x, y, count, width, width, 1);

    /// <summary>
    /// Softmax, feature-major: a vector of samples at a time, since each feature's values for consecutive
    /// samples are neighbours; the samples left over (fewer than a vector) one by one, see
    /// <see cref="Softmax"/>. Each sample's maximum, sum and scaling run in the same order as there, and the
    /// vector e^x is the arithmetic's own (in deterministic mode exactly the scalar one per lane), so the
    /// two differ at most by the default vector e^x's ulp against the scalar library's.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void SoftmaxForwardColumns(ReadOnlySpan<T> x, Span<T> y, int count, int width)
    {
        int s = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; s + Vector<T>.Count <= count; s += Vector<T>.Count)
            {
                SoftmaxColumnsVector(x, y, s, count, width);
            }
        }
        if (s < count)
        {
            Softmax(x.Slice(s), y.Slice(s), count - s, width, 1, count);
        }
    }

    /// <summary>Softmax of the vector of samples starting at <paramref name="s"/> in a feature-major batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SoftmaxColumnsVector(ReadOnlySpan<T> x, Span<T> y, int s, int count, int width)
    {
        // "max < value" as the scalar loop compares: a NaN never replaces the maximum, a leading NaN stays.
        Vector<T> max = Simd.Load(x, s);
        for (int k = 1; k < width; k++)
        {
            Vector<T> value = Simd.Load(x, s + (k * count));
            max = Vector.ConditionalSelect(Vector.LessThan(max, value), value, max);
        }
        Vector<T> sum = Vector<T>.Zero;
        for (int k = 0; k < width; k++)
        {
            int at = s + (k * count);
            Vector<T> e = A.Exp(Simd.Load(x, at) - max);
            Simd.Store(y, at, e);
            sum += e;
        }
        Vector<T> scale = Vector<T>.One / sum;
        for (int k = 0; k < width; k++)
        {
            int at = s + (k * count);
            Simd.Store(y, at, Simd.Load(y, at) * scale);
        }
    }

    /// <summary>Softmax backward, sample-major: see <see cref="SoftmaxGradient"/>.</summary>
    [MethodImpl(Optimized)]
    public static void SoftmaxBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> delta, Span<T> dx, int count, int width)
        => SoftmaxGradient(y, delta, dx, count, width, width, 1);

    /// <summary>Softmax backward, feature-major: see <see cref="SoftmaxGradient"/>.</summary>
    [MethodImpl(Optimized)]
    public static void SoftmaxBackwardColumns(ReadOnlySpan<T> y, ReadOnlySpan<T> delta, Span<T> dx, int count, int width)
        => SoftmaxGradient(y, delta, dx, count, width, 1, count);

    /// <summary>
    /// Softmax per sample: <c>y_i = e^(x_i - m) / sum_j e^(x_j - m)</c> with m the sample's maximum, which is
    /// mathematically <c>e^x_i / sum_j e^x_j</c> but cannot overflow. y may be x itself. Value k of sample s
    /// is at <c>s * sampleStride + k * featureStride</c>.
    /// </summary>
    [MethodImpl(Block)]
    private static void Softmax(ReadOnlySpan<T> x, Span<T> y, int count, int width, int sampleStride, int featureStride)
    {
        for (int s = 0; s < count; s++)
        {
            int start = s * sampleStride;
            T max = x[start];
            for (int k = 1; k < width; k++)
            {
                T value = x[start + (k * featureStride)];
                if (A.LessThan(max, value))
                {
                    max = value;
                }
            }
            T sum = A.Zero;
            for (int k = 0; k < width; k++)
            {
                int at = start + (k * featureStride);
                T e = A.Exp(A.Subtract(x[at], max));
                y[at] = e;
                sum = A.Add(sum, e);
            }
            T scale = A.Divide(A.One, sum);
            for (int k = 0; k < width; k++)
            {
                int at = start + (k * featureStride);
                y[at] = A.Multiply(y[at], scale);
            }
        }
    }

    /// <summary>
    /// Softmax backward per sample: <c>dx_i = y_i (delta_i - sum_k delta_k y_k)</c>; dx may be delta itself.
    /// Strides as in <see cref="Softmax"/>.
    /// </summary>
    [MethodImpl(Block)]
    private static void SoftmaxGradient(ReadOnlySpan<T> y, ReadOnlySpan<T> delta, Span<T> dx, int count, int width, int sampleStride, int featureStride)
    {
        for (int s = 0; s < count; s++)
        {
            int start = s * sampleStride;
            T dot = A.Zero;
            for (int k = 0; k < width; k++)
            {
                int at = start + (k * featureStride);
                dot = A.MultiplyAdd(delta[at], y[at], dot);
            }
            for (int k = 0; k < width; k++)
            {
                int at = start + (k * featureStride);
                dx[at] = A.Multiply(y[at], A.Subtract(delta[at], dot));
            }
        }
    }
}
