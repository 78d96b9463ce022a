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

    /// <summary>Softmax, feature-major: see <see cref="Softmax"/>.</summary>
    [MethodImpl(Optimized)]
    public static void SoftmaxForwardColumns(ReadOnlySpan<T> x, Span<T> y, int count, int width) => Softmax(x, y, count, width, 1, count);

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
