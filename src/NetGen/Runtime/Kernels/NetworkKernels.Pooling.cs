using System;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// Max and average pools (the 1-D ones as 2-D pools of one row) and the global average pool, sample-major
// as the convolutions. A few operations per value, next to a convolution's hundreds: plain loops with
// every size folded in from the shape, each sum in window order, so every vector width (and the
// deterministic mode) gets the same bits.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>Rows of each pooled channel: <c>(InputHeight + 2 PaddingHeight - KernelHeight) / StrideHeight + 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PoolOutputHeight<TPool>()
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        return ((pool.InputHeight + (2 * pool.PaddingHeight) - pool.KernelHeight) / pool.StrideHeight) + 1;
    }

    /// <summary>Columns of each pooled channel: <c>(InputWidth + 2 PaddingWidth - KernelWidth) / StrideWidth + 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PoolOutputWidth<TPool>()
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        return ((pool.InputWidth + (2 * pool.PaddingWidth) - pool.KernelWidth) / pool.StrideWidth) + 1;
    }

    /// <summary>
    /// <c>y[s, c, i, j]</c> = the largest of the window's values inside the input, as PyTorch's max pool:
    /// a value replaces the maximum so far when it is larger or NaN, so a tie keeps the first maximum
    /// (row by row) and a NaN in the window is the result.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void MaxPoolForward<TPool>(ReadOnlySpan<T> x, Span<T> y, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int planes = count * pool.Channels;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        int plane = pool.InputHeight * pool.InputWidth;
        for (int c = 0; c < planes; c++)
        {
            for (int i = 0; i < outHeight; i++)
            {
                for (int j = 0; j < outWidth; j++)
                {
                    int at = WindowMaximum<TPool>(x, c * plane, i, j);
                    y[(((c * outHeight) + i) * outWidth) + j] = x[at];
                }
            }
        }
    }

    /// <summary>
    /// The max pool's input gradient, written over <paramref name="dx"/>: each output's gradient goes to
    /// the input its forward took (found again from <paramref name="x"/>, the pool's input), added in
    /// output order where overlapping windows share an input.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void MaxPoolBackward<TPool>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int planes = count * pool.Channels;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        int plane = pool.InputHeight * pool.InputWidth;
        dx.Slice(0, planes * plane).Clear();
        for (int c = 0; c < planes; c++)
        {
            for (int i = 0; i < outHeight; i++)
            {
                for (int j = 0; j < outWidth; j++)
                {
                    int at = WindowMaximum<TPool>(x, c * plane, i, j);
                    dx[at] = A.Add(dx[at], delta[(((c * outHeight) + i) * outWidth) + j]);
                }
            }
        }
    }

    /// <summary>
    /// Where window (i, j) of the plane at <paramref name="plane"/> has its maximum, by PyTorch's rule:
    /// starting from minus infinity at the window's first input, a value replaces the maximum when it is
    /// larger or NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WindowMaximum<TPool>(ReadOnlySpan<T> x, int plane, int i, int j)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int width = pool.InputWidth;
        int top = (i * pool.StrideHeight) - pool.PaddingHeight, left = (j * pool.StrideWidth) - pool.PaddingWidth;
        int rowStart = Math.Max(top, 0), rowEnd = Math.Min(top + pool.KernelHeight, pool.InputHeight);
        int columnStart = Math.Max(left, 0), columnEnd = Math.Min(left + pool.KernelWidth, width);
        int best = plane + (rowStart * width) + columnStart;
        T maximum = A.FromDouble(double.NegativeInfinity);
        for (int r = rowStart; r < rowEnd; r++)
        {
            int at = plane + (r * width);
            for (int column = columnStart; column < columnEnd; column++)
            {
                T value = x[at + column];
                // value > maximum, or value is NaN (the only value not >= itself).
                if (A.LessThan(maximum, value) || !A.GreaterThanOrEqual(value, value))
                {
                    maximum = value;
                    best = at + column;
                }
            }
        }
        return best;
    }

    /// <summary>
    /// <c>y[s, c, i, j]</c> = the sum of the window's values inside the input, in row order from zero,
    /// divided by <c>KernelHeight x KernelWidth</c>: padding counts as zeros, as PyTorch's default
    /// (<c>count_include_pad=True</c>).
    /// </summary>
    [MethodImpl(Optimized)]
    public static void AvgPoolForward<TPool>(ReadOnlySpan<T> x, Span<T> y, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int planes = count * pool.Channels;
        int height = pool.InputHeight, width = pool.InputWidth;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        T divisor = A.FromDouble(pool.KernelHeight * pool.KernelWidth);
        for (int c = 0; c < planes; c++)
        {
            int plane = c * height * width;
            for (int i = 0; i < outHeight; i++)
            {
                int top = (i * pool.StrideHeight) - pool.PaddingHeight;
                int rowStart = Math.Max(top, 0), rowEnd = Math.Min(top + pool.KernelHeight, height);
                for (int j = 0; j < outWidth; j++)
                {
                    int left = (j * pool.StrideWidth) - pool.PaddingWidth;
                    int columnStart = Math.Max(left, 0), columnEnd = Math.Min(left + pool.KernelWidth, width);
                    T sum = A.Zero;
                    for (int r = rowStart; r < rowEnd; r++)
                    {
                        int at = plane + (r * width);
                        for (int column = columnStart; column < columnEnd; column++)
                        {
                            sum = A.Add(sum, x[at + column]);
                        }
                    }
                    y[(((c * outHeight) + i) * outWidth) + j] = A.Divide(sum, divisor);
                }
            }
        }
    }

    /// <summary>
    /// The average pool's input gradient, written over <paramref name="dx"/>: each output's gradient
    /// divided by the kernel's size goes to every input of its window, added in output order where
    /// overlapping windows share an input.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void AvgPoolBackward<TPool>(ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int planes = count * pool.Channels;
        int height = pool.InputHeight, width = pool.InputWidth;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        T divisor = A.FromDouble(pool.KernelHeight * pool.KernelWidth);
        dx.Slice(0, planes * height * width).Clear();
        for (int c = 0; c < planes; c++)
        {
            int plane = c * height * width;
            for (int i = 0; i < outHeight; i++)
            {
                int top = (i * pool.StrideHeight) - pool.PaddingHeight;
                int rowStart = Math.Max(top, 0), rowEnd = Math.Min(top + pool.KernelHeight, height);
                for (int j = 0; j < outWidth; j++)
                {
                    int left = (j * pool.StrideWidth) - pool.PaddingWidth;
                    int columnStart = Math.Max(left, 0), columnEnd = Math.Min(left + pool.KernelWidth, width);
                    T share = A.Divide(delta[(((c * outHeight) + i) * outWidth) + j], divisor);
                    for (int r = rowStart; r < rowEnd; r++)
                    {
                        int at = plane + (r * width);
                        for (int column = columnStart; column < columnEnd; column++)
                        {
                            dx[at + column] = A.Add(dx[at + column], share);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>y[s, c]</c> = the mean of channel c's <paramref name="positions"/> values: their sum in order
    /// from zero, divided by their count (PyTorch's <c>AdaptiveAvgPool(1)</c> then <c>Flatten</c>).
    /// </summary>
    [MethodImpl(Optimized)]
    public static void GlobalAvgPoolForward(ReadOnlySpan<T> x, Span<T> y, int channels, int positions, int count)
    {
        T divisor = A.FromDouble(positions);
        int planes = count * channels;
        for (int c = 0; c < planes; c++)
        {
            int at = c * positions;
            T sum = A.Zero;
            for (int j = 0; j < positions; j++)
            {
                sum = A.Add(sum, x[at + j]);
            }
            y[c] = A.Divide(sum, divisor);
        }
    }

    /// <summary>The global average pool's input gradient, written over <paramref name="dx"/>: <c>dx[s, c, j] = delta[s, c] / positions</c>.</summary>
    [MethodImpl(Optimized)]
    public static void GlobalAvgPoolBackward(ReadOnlySpan<T> delta, Span<T> dx, int channels, int positions, int count)
    {
        T divisor = A.FromDouble(positions);
        int planes = count * channels;
        for (int c = 0; c < planes; c++)
        {
            dx.Slice(c * positions, positions).Fill(A.Divide(delta[c], divisor));
        }
    }
}
