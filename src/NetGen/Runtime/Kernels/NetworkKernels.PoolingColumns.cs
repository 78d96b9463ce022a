using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// The pools feature-major: value k of sample s at [k * count + s], the samples along the vector lanes, as
// the feature-major passes hold a batch. Each lane computes exactly what the sample-major kernels
// (NetworkKernels.Pooling.cs) compute for its sample, in the same order, so the bits are the same on
// every path; but a window's values are whole vectors of samples here, where sample-major they are a few
// scalars each (a max pool's comparisons were branches the processor mispredicted), and the pass needs
// no transposes around the pool.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>The feature-major <see cref="MaxPoolForward{TPool}"/>: the same maximum, by the same rule, for each of <paramref name="count"/> samples.</summary>
    [MethodImpl(Optimized)]
    public static void MaxPoolForwardColumns<TPool>(ReadOnlySpan<T> x, Span<T> y, int count)
        where TPool : struct, IPoolShape
    {
        if (Vector.IsHardwareAccelerated && count >= Vector<T>.Count)
        {
#if NET8_0_OR_GREATER
            if (Simd512.IsWorthwhile<T>() && count >= Vector512<T>.Count)
            {
                MaxPoolForwardColumns<TPool, Vector512<T>, Vectors512<T, TArithmetic>>(x, y, count);
                return;
            }
#endif
            MaxPoolForwardColumns<TPool, Vector<T>, NumericsVectors<T, TArithmetic>>(x, y, count);
            return;
        }
        MaxPoolForwardColumnsScalar<TPool>(x, y, count);
    }

    /// <summary>
    /// The max pool on one vector width, <paramref name="count"/> at least one vector: each output a vector of
    /// samples at a time, then a last vector that ends at the last sample and overlaps the one before (the
    /// same maxima again), so no sample runs in scalars. 512-bit vectors where they are full width halve the
    /// comparisons and selects, which are the pool's whole cost.
    /// </summary>
    [MethodImpl(Block)]
    private static void MaxPoolForwardColumns<TPool, TVector, TWidth>(ReadOnlySpan<T> x, Span<T> y, int count)
        where TPool : struct, IPoolShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TPool pool = default;
        TWidth V = default;
        int height = pool.InputHeight, width = pool.InputWidth;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        int lanes = V.Count;
        TVector minusInfinity = V.Create(A.FromDouble(double.NegativeInfinity));
        for (int c = 0; c < pool.Channels; c++)
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
                    int output = (((c * outHeight) + i) * outWidth) + j;
                    for (int s = 0; s < count; s += lanes)
                    {
                        if (s + lanes > count)
                        {
                            s = count - lanes;
                        }
                        TVector maximum = minusInfinity;
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            for (int column = columnStart; column < columnEnd; column++)
                            {
                                maximum = V.TakeLarger(maximum, V.Load(x, ((plane + (r * width) + column) * count) + s));
                            }
                        }
                        V.Store(y, (output * count) + s, maximum);
                    }
                }
            }
        }
    }

    /// <summary>The feature-major max pool in scalars: fewer samples than a vector, or no hardware vectors.</summary>
    [MethodImpl(Optimized)]
    private static void MaxPoolForwardColumnsScalar<TPool>(ReadOnlySpan<T> x, Span<T> y, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int height = pool.InputHeight, width = pool.InputWidth;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        for (int c = 0; c < pool.Channels; c++)
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
                    int output = (((c * outHeight) + i) * outWidth) + j;
                    for (int s = 0; s < count; s++)
                    {
                        T maximum = A.FromDouble(double.NegativeInfinity);
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            for (int column = columnStart; column < columnEnd; column++)
                            {
                                T value = x[((plane + (r * width) + column) * count) + s];
                                if (A.LessThan(maximum, value) || !A.GreaterThanOrEqual(value, value))
                                {
                                    maximum = value;
                                }
                            }
                        }
                        y[(output * count) + s] = maximum;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The feature-major <see cref="MaxPoolBackward{TPool}"/>, written over <paramref name="dx"/>: each output's
    /// gradient to the input its forward took, per sample. In vectors, a lane's maximum is found again, then
    /// its gradient goes to the first input equal to it (a tie keeps the first maximum), or, when the
    /// maximum is NaN, to the last NaN (each NaN replaced the one before); every other lane adds zero there,
    /// which leaves its sum as it was (a sum that starts at +0 is never -0).
    /// </summary>
    [MethodImpl(Optimized)]
    public static void MaxPoolBackwardColumns<TPool>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int height = pool.InputHeight, width = pool.InputWidth;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        int lanes = Vector<T>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? count - (count % lanes) : 0;
        var minusInfinity = new Vector<T>(A.FromDouble(double.NegativeInfinity));
        // Windows that tile the input (no overlap, no padding, nothing left over: the usual MaxPool(2)) write
        // every input once, so each is stored rather than added onto a cleared dx: 0 + the routed gradient, the
        // value the clear and the addition gave, without the clear's pass and a load per input.
        bool tiles = pool.StrideHeight == pool.KernelHeight && pool.StrideWidth == pool.KernelWidth
            && pool.PaddingHeight == 0 && pool.PaddingWidth == 0
            && outHeight * pool.KernelHeight == height && outWidth * pool.KernelWidth == width;
        if (!tiles)
        {
            dx.Slice(0, pool.Channels * height * width * count).Clear();
        }
#if NET8_0_OR_GREATER
        if (tiles && Simd512.IsWorthwhile<T>() && count % Vector512<T>.Count == 0)
        {
            MaxPoolBackwardTiles512<TPool>(x, delta, dx, count);
            return;
        }
#endif
        for (int c = 0; c < pool.Channels; c++)
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
                    int output = (((c * outHeight) + i) * outWidth) + j;
                    if (tiles && vectorEnd < count)
                    {
                        // The scalar samples below add onto dx: their part of this window starts at zero.
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            for (int column = columnStart; column < columnEnd; column++)
                            {
                                dx.Slice(((plane + (r * width) + column) * count) + vectorEnd, count - vectorEnd).Clear();
                            }
                        }
                    }
                    for (int s = 0; s < vectorEnd; s += lanes)
                    {
                        Vector<T> maximum = minusInfinity;
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            for (int column = columnStart; column < columnEnd; column++)
                            {
                                Vector<T> value = Simd.Load(x, ((plane + (r * width) + column) * count) + s);
                                Vector<T> replace = Vector.BitwiseOr(Vector.LessThan(maximum, value), Vector.OnesComplement(Vector.Equals(value, value)));
                                maximum = Vector.ConditionalSelect(replace, value, maximum);
                            }
                        }
                        Vector<T> gradient = Simd.Load(delta, (output * count) + s);
                        Vector<T> routed = Vector<T>.Zero;
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            for (int column = columnStart; column < columnEnd; column++)
                            {
                                int at = ((plane + (r * width) + column) * count) + s;
                                Vector<T> here = Vector.AndNot(Vector.Equals(Simd.Load(x, at), maximum), routed);
                                routed = Vector.BitwiseOr(routed, here);
                                Vector<T> before = tiles ? Vector<T>.Zero : Simd.Load(dx, at);
                                Simd.Store(dx, at, before + Vector.ConditionalSelect(here, gradient, Vector<T>.Zero));
                            }
                        }
                        Vector<T> notANumber = Vector.OnesComplement(Vector.Equals(maximum, maximum));
                        if (!Vector.EqualsAll(notANumber, Vector<T>.Zero))
                        {
                            // The lanes whose maximum is NaN: their last NaN, found from the window's end.
                            routed = Vector.OnesComplement(notANumber);
                            for (int r = rowEnd - 1; r >= rowStart; r--)
                            {
                                for (int column = columnEnd - 1; column >= columnStart; column--)
                                {
                                    int at = ((plane + (r * width) + column) * count) + s;
                                    Vector<T> value = Simd.Load(x, at);
                                    Vector<T> here = Vector.AndNot(Vector.OnesComplement(Vector.Equals(value, value)), routed);
                                    routed = Vector.BitwiseOr(routed, here);
                                    Simd.Store(dx, at, Simd.Load(dx, at) + Vector.ConditionalSelect(here, gradient, Vector<T>.Zero));
                                }
                            }
                        }
                    }
                    for (int s = vectorEnd; s < count; s++)
                    {
                        int best = ((plane + (rowStart * width) + columnStart) * count) + s;
                        T maximum = A.FromDouble(double.NegativeInfinity);
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            for (int column = columnStart; column < columnEnd; column++)
                            {
                                int at = ((plane + (r * width) + column) * count) + s;
                                T value = x[at];
                                if (A.LessThan(maximum, value) || !A.GreaterThanOrEqual(value, value))
                                {
                                    maximum = value;
                                    best = at;
                                }
                            }
                        }
                        dx[best] = A.Add(dx[best], delta[(output * count) + s]);
                    }
                }
            }
        }
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// <see cref="MaxPoolBackwardColumns{TPool}"/> for windows that tile the input, a batch of whole 512-bit
    /// vectors, on AVX-512 where <c>Vector&lt;T&gt;</c> is 256-bit: each lane's maximum, routing and NaN rule as
    /// there, so the same bits, at twice the lanes per instruction and with a reference per window rather than
    /// index arithmetic per load. The digits CNN's two pools and the keyword spotter's one took 13% and 7% of
    /// their training steps at batch 64 in 256 bits.
    /// </summary>
    [MethodImpl(Block)]
    private static void MaxPoolBackwardTiles512<TPool>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int height = pool.InputHeight, width = pool.InputWidth;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        int kernelHeight = pool.KernelHeight, kernelWidth = pool.KernelWidth;
        int lanes = Vector512<T>.Count;
        Vector512<T> minusInfinity = Vector512.Create(A.FromDouble(double.NegativeInfinity));
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T dxs = ref MemoryMarshal.GetReference(dx);
        ref T deltas = ref MemoryMarshal.GetReference(delta);
        nint rowStep = (nint)width * count;
        for (int c = 0; c < pool.Channels; c++)
        {
            int plane = c * height * width;
            for (int i = 0; i < outHeight; i++)
            {
                for (int j = 0; j < outWidth; j++)
                {
                    nint corner = ((nint)plane + ((nint)i * kernelHeight * width) + ((nint)j * kernelWidth)) * count;
                    nint output = ((((nint)c * outHeight) + i) * outWidth + j) * count;
                    for (nint s = 0; s < count; s += lanes)
                    {
                        ref T window = ref Unsafe.Add(ref xs, corner + s);
                        ref T target = ref Unsafe.Add(ref dxs, corner + s);
                        Vector512<T> maximum = minusInfinity;
                        for (int r = 0; r < kernelHeight; r++)
                        {
                            for (int column = 0; column < kernelWidth; column++)
                            {
                                Vector512<T> value = Vector512.LoadUnsafe(ref window, (nuint)((r * rowStep) + ((nint)column * count)));
                                Vector512<T> replace = Vector512.BitwiseOr(Vector512.LessThan(maximum, value), Vector512.OnesComplement(Vector512.Equals(value, value)));
                                maximum = Vector512.ConditionalSelect(replace, value, maximum);
                            }
                        }
                        Vector512<T> gradient = Vector512.LoadUnsafe(ref deltas, (nuint)(output + s));
                        Vector512<T> routed = Vector512<T>.Zero;
                        for (int r = 0; r < kernelHeight; r++)
                        {
                            for (int column = 0; column < kernelWidth; column++)
                            {
                                nuint at = (nuint)((r * rowStep) + ((nint)column * count));
                                Vector512<T> here = Vector512.AndNot(Vector512.Equals(Vector512.LoadUnsafe(ref window, at), maximum), routed);
                                routed = Vector512.BitwiseOr(routed, here);
                                // 0 + the routed gradient: what the clear and the addition of the general path give.
                                (Vector512<T>.Zero + Vector512.ConditionalSelect(here, gradient, Vector512<T>.Zero)).StoreUnsafe(ref target, at);
                            }
                        }
                        Vector512<T> notANumber = Vector512.OnesComplement(Vector512.Equals(maximum, maximum));
                        if (notANumber != Vector512<T>.Zero)
                        {
                            // The lanes whose maximum is NaN: their last NaN, found from the window's end.
                            routed = Vector512.OnesComplement(notANumber);
                            for (int r = kernelHeight - 1; r >= 0; r--)
                            {
                                for (int column = kernelWidth - 1; column >= 0; column--)
                                {
                                    nuint at = (nuint)((r * rowStep) + ((nint)column * count));
                                    Vector512<T> value = Vector512.LoadUnsafe(ref window, at);
                                    Vector512<T> here = Vector512.AndNot(Vector512.OnesComplement(Vector512.Equals(value, value)), routed);
                                    routed = Vector512.BitwiseOr(routed, here);
                                    (Vector512.LoadUnsafe(ref target, at) + Vector512.ConditionalSelect(here, gradient, Vector512<T>.Zero)).StoreUnsafe(ref target, at);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
#endif

    /// <summary>The feature-major <see cref="AvgPoolForward{TPool}"/>: each window's sum in row order from zero, divided by the kernel's size.</summary>
    [MethodImpl(Optimized)]
    public static void AvgPoolForwardColumns<TPool>(ReadOnlySpan<T> x, Span<T> y, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int height = pool.InputHeight, width = pool.InputWidth;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        int lanes = Vector<T>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? count - (count % lanes) : 0;
        T divisor = A.FromDouble(pool.KernelHeight * pool.KernelWidth);
        var divisors = new Vector<T>(divisor);
        for (int c = 0; c < pool.Channels; c++)
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
                    int output = (((c * outHeight) + i) * outWidth) + j;
                    for (int s = 0; s < vectorEnd; s += lanes)
                    {
                        Vector<T> sum = Vector<T>.Zero;
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            for (int column = columnStart; column < columnEnd; column++)
                            {
                                sum += Simd.Load(x, ((plane + (r * width) + column) * count) + s);
                            }
                        }
                        Simd.Store(y, (output * count) + s, sum / divisors);
                    }
                    for (int s = vectorEnd; s < count; s++)
                    {
                        T sum = A.Zero;
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            for (int column = columnStart; column < columnEnd; column++)
                            {
                                sum = A.Add(sum, x[((plane + (r * width) + column) * count) + s]);
                            }
                        }
                        y[(output * count) + s] = A.Divide(sum, divisor);
                    }
                }
            }
        }
    }

    /// <summary>The feature-major <see cref="AvgPoolBackward{TPool}"/>, written over <paramref name="dx"/>: each output's gradient over the kernel's size to every input of its window, in output order.</summary>
    [MethodImpl(Optimized)]
    public static void AvgPoolBackwardColumns<TPool>(ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TPool : struct, IPoolShape
    {
        TPool pool = default;
        int height = pool.InputHeight, width = pool.InputWidth;
        int outHeight = PoolOutputHeight<TPool>(), outWidth = PoolOutputWidth<TPool>();
        T divisor = A.FromDouble(pool.KernelHeight * pool.KernelWidth);
        dx.Slice(0, pool.Channels * height * width * count).Clear();
        for (int c = 0; c < pool.Channels; c++)
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
                    ReadOnlySpan<T> gradients = delta.Slice(((((c * outHeight) + i) * outWidth) + j) * count, count);
                    for (int r = rowStart; r < rowEnd; r++)
                    {
                        for (int column = columnStart; column < columnEnd; column++)
                        {
                            AddShares(dx.Slice((plane + (r * width) + column) * count, count), gradients, divisor);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The feature-major <see cref="GlobalAvgPoolForward"/>: each channel's values summed in position order from zero, divided by their count.</summary>
    [MethodImpl(Optimized)]
    public static void GlobalAvgPoolForwardColumns(ReadOnlySpan<T> x, Span<T> y, int channels, int positions, int count)
    {
        int lanes = Vector<T>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? count - (count % lanes) : 0;
        T divisor = A.FromDouble(positions);
        var divisors = new Vector<T>(divisor);
        for (int c = 0; c < channels; c++)
        {
            int plane = c * positions;
            for (int s = 0; s < vectorEnd; s += lanes)
            {
                Vector<T> sum = Vector<T>.Zero;
                for (int j = 0; j < positions; j++)
                {
                    sum += Simd.Load(x, ((plane + j) * count) + s);
                }
                Simd.Store(y, (c * count) + s, sum / divisors);
            }
            for (int s = vectorEnd; s < count; s++)
            {
                T sum = A.Zero;
                for (int j = 0; j < positions; j++)
                {
                    sum = A.Add(sum, x[((plane + j) * count) + s]);
                }
                y[(c * count) + s] = A.Divide(sum, divisor);
            }
        }
    }

    /// <summary>The feature-major <see cref="GlobalAvgPoolBackward"/>, written over <paramref name="dx"/>: <c>dx[c, j] = delta[c] / positions</c> for each sample.</summary>
    [MethodImpl(Optimized)]
    public static void GlobalAvgPoolBackwardColumns(ReadOnlySpan<T> delta, Span<T> dx, int channels, int positions, int count)
    {
        T divisor = A.FromDouble(positions);
        for (int c = 0; c < channels; c++)
        {
            Span<T> first = dx.Slice(c * positions * count, count);
            ReadOnlySpan<T> gradients = delta.Slice(c * count, count);
            for (int s = 0; s < count; s++)
            {
                first[s] = A.Divide(gradients[s], divisor);
            }
            for (int j = 1; j < positions; j++)
            {
                first.CopyTo(dx.Slice(((c * positions) + j) * count, count));
            }
        }
    }

    /// <summary><c>target[s] += gradients[s] / divisor</c>, the division then the addition, as the sample-major kernel does per value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShares(Span<T> target, ReadOnlySpan<T> gradients, T divisor)
    {
        int s = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var divisors = new Vector<T>(divisor);
            for (; s <= target.Length - Vector<T>.Count; s += Vector<T>.Count)
            {
                Simd.Store(target, s, Simd.Load(target, s) + (Simd.Load(gradients, s) / divisors));
            }
        }
        for (; s < target.Length; s++)
        {
            target[s] = A.Add(target[s], A.Divide(gradients[s], divisor));
        }
    }
}
