using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// Residual joins and dropout: elementwise work that does not care about the layout, except where a
// dropout mask is drawn (always in sample-major order, so that the same call draws the same mask
// whichever layout the batch runs in).
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>A residual join, <c>y = a + b</c> elementwise; y may be a or b itself (then it costs one add per value, no copy).</summary>
    [MethodImpl(Optimized)]
    public static void ResidualJoin(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= a.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Simd.Store(y, k, Simd.Load(a, k) + Simd.Load(b, k));
            }
        }
        for (; k < a.Length; k++)
        {
            y[k] = A.Add(a[k], b[k]);
        }
    }

    /// <summary>
    /// Where a residual block's input gets its gradient from both paths: <c>dx = delta + skip</c>, with
    /// delta the gradient that came back through the block and skip the one the join passed around it;
    /// dx may be delta itself.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void ResidualBackward(ReadOnlySpan<T> delta, ReadOnlySpan<T> skip, Span<T> dx) => ResidualJoin(delta, skip, dx);

    /// <summary>
    /// Draws a dropout mask for <paramref name="count"/> samples of <paramref name="width"/> values: each
    /// value 0 with probability <paramref name="p"/>, else <c>1 / (1 - p)</c>, from
    /// <see cref="ParameterRandom.NextOpenUnit"/> on <paramref name="state"/> (a value is dropped when its
    /// draw is below p), drawn sample after sample, value after value, whatever the layout: value k of
    /// sample s goes to <c>s * sampleStride + k * featureStride</c>.
    /// </summary>
    [MethodImpl(Block)]
    public static void DropoutMask(Span<T> mask, int count, int width, double p, int sampleStride, int featureStride, ref ulong state)
    {
        T kept = A.FromDouble(1.0 / (1.0 - p));
        for (int s = 0; s < count; s++)
        {
            for (int k = 0; k < width; k++)
            {
                mask[(s * sampleStride) + (k * featureStride)] = ParameterRandom.NextOpenUnit(ref state) < p ? A.Zero : kept;
            }
        }
    }

    /// <summary>Dropout's training forward, sample-major: draws a fresh mask, then <c>y = x * mask</c>; y may be x itself.</summary>
    [MethodImpl(Optimized)]
    public static void DropoutForward(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, int count, int width, double p, ref ulong state)
    {
        DropoutMask(mask, count, width, p, width, 1, ref state);
        Multiply(x, mask, y);
    }

    /// <summary>Dropout's training forward, feature-major: the same mask as sample-major for the same state, transposed.</summary>
    [MethodImpl(Optimized)]
    public static void DropoutForwardColumns(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, int count, int width, double p, ref ulong state)
    {
        DropoutMask(mask, count, width, p, 1, count, ref state);
        Multiply(x, mask, y);
    }

    /// <summary>Dropout backward in either layout: <c>dx = delta * mask</c> with the mask its forward drew; dx may be delta itself.</summary>
    [MethodImpl(Optimized)]
    public static void DropoutBackward(ReadOnlySpan<T> mask, ReadOnlySpan<T> delta, Span<T> dx) => Multiply(delta, mask, dx);

    /// <summary><c>y = a * b</c> elementwise; y may be a or b.</summary>
    [MethodImpl(Optimized)]
    private static void Multiply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= a.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Simd.Store(y, k, Simd.Load(a, k) * Simd.Load(b, k));
            }
        }
        for (; k < a.Length; k++)
        {
            y[k] = A.Multiply(a[k], b[k]);
        }
    }
}
