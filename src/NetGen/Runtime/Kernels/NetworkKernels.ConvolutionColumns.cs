using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// A convolution's forward and input gradient feature-major: value k of sample s at [k * count + s], the
// samples along the vector lanes, as the feature-major passes hold a batch. Each window value is then a
// whole vector of samples, loaded in place: no window matrix is copied (im2col was most of a small image's
// forward, col2im a large part of its backward) and the pass needs no transposes around them. Every value
// is the sum the sample-major kernels define, in their order: the forward over (c, u, v) from zero with
// the padding's taps multiplied by zero as the window matrix has them, then the bias; the input gradient's
// window gradients over the output channels from zero, summed onto zero for each input in its taps' order.
// So the bits are the sample-major kernels', lane by lane. The weight gradient sums over the samples first,
// so it stays sample-major.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// The feature-major <see cref="ConvolutionForward{TLayer}"/>: <c>y[(o, i, j) * count + s]</c> from
    /// <c>x[(c, row, column) * count + s]</c> for each of <paramref name="count"/> samples. Needs no workspace.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void ConvolutionForwardColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count)
        where TLayer : struct, IConvolutionShape
        => ConvolutionForwardColumnsStoring<TLayer>(p, x, y, count, relu: false);

    /// <summary>
    /// <see cref="ConvolutionForwardColumns{TLayer}"/> with the ReLU layer after it applied as each sum is
    /// stored, to the same bits as the two passes, without the second pass over the activations (inference,
    /// where nothing needs the values before ReLU).
    /// </summary>
    [MethodImpl(Optimized)]
    public static void ConvolutionReLUForwardColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count)
        where TLayer : struct, IConvolutionShape
        => ConvolutionForwardColumnsStoring<TLayer>(p, x, y, count, relu: true);

    /// <summary>The two entry points' body: the width's kernel, its sums stored through ReLU where <paramref name="relu"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ConvolutionForwardColumnsStoring<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count, bool relu)
        where TLayer : struct, IConvolutionShape
    {
        if (Vector.IsHardwareAccelerated && count >= Vector<T>.Count)
        {
#if NET8_0_OR_GREATER
            if (Simd512.IsWorthwhile<T>() && count >= Vector512<T>.Count)
            {
                ConvolutionForwardColumns<TLayer, Vector512<T>, Vectors512<T, TArithmetic>>(p, x, y, count, relu);
                return;
            }
#endif
            ConvolutionForwardColumns<TLayer, Vector<T>, NumericsVectors<T, TArithmetic>>(p, x, y, count, relu);
            return;
        }
        ConvolutionForwardColumnsScalar<TLayer>(p, x, y, count, relu);
    }

    /// <summary>
    /// On one vector width (<paramref name="count"/> at least one vector): for each block of 4 output
    /// channels of a group (a last, partial block repeats its last channel and stores only the real ones)
    /// and each output position, 3 vectors of samples at a time (12 accumulators: each loaded window
    /// vector feeds 4 FMAs, each broadcast weight 3), then one vector, then a last vector that ends at the
    /// last sample and overlaps the one before (the same results again, to the same bits).
    /// </summary>
    [MethodImpl(Block)]
    private static void ConvolutionForwardColumns<TLayer, TVector, TWidth>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count, bool relu)
        where TLayer : struct, IConvolutionShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TLayer layer = default;
        TWidth V = default;
        int lanes = V.Count, step = ProductVectors * lanes;
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int positions = outHeight * outWidth;
        int groupIn = layer.InChannels / layer.Groups, groupOut = layer.OutChannels / layer.Groups;
        int kernelHeight = layer.KernelHeight, kernelWidth = layer.KernelWidth;
        int taps = GroupTaps<TLayer>();
        int bias = layer.Offset + (layer.OutChannels * taps);
        for (int g = 0; g < layer.Groups; g++)
        {
            int firstIn = g * groupIn;
            for (int block = 0; block < groupOut; block += ProductRows)
            {
                int o = (g * groupOut) + block;
                int real = Math.Min(ProductRows, groupOut - block);
                int last = o + real - 1;
                int m0 = layer.Offset + (o * taps), m1 = layer.Offset + (Math.Min(o + 1, last) * taps);
                int m2 = layer.Offset + (Math.Min(o + 2, last) * taps), m3 = layer.Offset + (Math.Min(o + 3, last) * taps);
                for (int i = 0; i < outHeight; i++)
                {
                    for (int j = 0; j < outWidth; j++)
                    {
                        int top = (i * layer.StrideHeight) - layer.PaddingHeight, left = (j * layer.StrideWidth) - layer.PaddingWidth;
                        int t0 = ((o * positions) + (i * outWidth) + j) * count;
                        WindowTaps<TLayer>(top, left, out int uFirst, out int uEnd, out int vFirst, out int vEnd);
                        int s = 0;
#if NET8_0_OR_GREATER
                        if (typeof(TVector) == typeof(Vector512<T>))
                        {
                            // 32 vector registers: 4 vectors of samples (a batch of 64 floats in one block).
                            for (; s + (WideVectors * lanes) <= count; s += WideVectors * lanes)
                            {
                                ConvolutionForwardWideBlock<TLayer, TVector, TWidth>(p, x, y, count, s, t0, positions, firstIn, top, left, bias, relu, o, real, m0, m1, m2, m3);
                            }
                        }
#endif
                        for (; s + step <= count; s += step)
                        {
                            TVector a00 = V.Zero, a01 = V.Zero, a02 = V.Zero, a10 = V.Zero, a11 = V.Zero, a12 = V.Zero;
                            TVector a20 = V.Zero, a21 = V.Zero, a22 = V.Zero, a30 = V.Zero, a31 = V.Zero, a32 = V.Zero;
                            int k = 0;
                            for (int c = 0; c < groupIn; c++)
                            {
                                k += uFirst * kernelWidth;
                                for (int u = uFirst; u < uEnd; u++)
                                {
                                    int row = top + (u * layer.DilationHeight);
                                    k += vFirst;
                                    for (int v = vFirst; v < vEnd; v++, k++)
                                    {
                                        int column = left + (v * layer.DilationWidth);
                                        TVector v0 = V.Zero, v1 = V.Zero, v2 = V.Zero;
                                        if ((uint)row < (uint)height && (uint)column < (uint)width)
                                        {
                                            int at = (((((firstIn + c) * height) + row) * width) + column) * count + s;
                                            v0 = V.Load(x, at);
                                            v1 = V.Load(x, at + lanes);
                                            v2 = V.Load(x, at + (2 * lanes));
                                        }
                                        TVector b = V.Broadcast(p, m0 + k);
                                        a00 = V.MultiplyAdd(b, v0, a00); a01 = V.MultiplyAdd(b, v1, a01); a02 = V.MultiplyAdd(b, v2, a02);
                                        b = V.Broadcast(p, m1 + k);
                                        a10 = V.MultiplyAdd(b, v0, a10); a11 = V.MultiplyAdd(b, v1, a11); a12 = V.MultiplyAdd(b, v2, a12);
                                        b = V.Broadcast(p, m2 + k);
                                        a20 = V.MultiplyAdd(b, v0, a20); a21 = V.MultiplyAdd(b, v1, a21); a22 = V.MultiplyAdd(b, v2, a22);
                                        b = V.Broadcast(p, m3 + k);
                                        a30 = V.MultiplyAdd(b, v0, a30); a31 = V.MultiplyAdd(b, v1, a31); a32 = V.MultiplyAdd(b, v2, a32);
                                    }
                                    k += kernelWidth - vEnd;
                                }
                                k += (kernelHeight - uEnd) * kernelWidth;
                            }
                            StoreProductRow<TVector, TWidth>(p, bias, o, y, t0 + s, lanes, a00, a01, a02, relu);
                            if (real > 1) StoreProductRow<TVector, TWidth>(p, bias, o + 1, y, t0 + (positions * count) + s, lanes, a10, a11, a12, relu);
                            if (real > 2) StoreProductRow<TVector, TWidth>(p, bias, o + 2, y, t0 + (2 * positions * count) + s, lanes, a20, a21, a22, relu);
                            if (real > 3) StoreProductRow<TVector, TWidth>(p, bias, o + 3, y, t0 + (3 * positions * count) + s, lanes, a30, a31, a32, relu);
                        }
                        while (s < count)
                        {
                            // Whole vectors, then one that ends at the last sample (overlapping: the same results again).
                            if (s + lanes > count)
                            {
                                s = count - lanes;
                            }
                            TVector a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
                            int k = 0;
                            for (int c = 0; c < groupIn; c++)
                            {
                                k += uFirst * kernelWidth;
                                for (int u = uFirst; u < uEnd; u++)
                                {
                                    int row = top + (u * layer.DilationHeight);
                                    k += vFirst;
                                    for (int v = vFirst; v < vEnd; v++, k++)
                                    {
                                        int column = left + (v * layer.DilationWidth);
                                        TVector window = V.Zero;
                                        if ((uint)row < (uint)height && (uint)column < (uint)width)
                                        {
                                            window = V.Load(x, ((((((firstIn + c) * height) + row) * width) + column) * count) + s);
                                        }
                                        a0 = V.MultiplyAdd(V.Broadcast(p, m0 + k), window, a0);
                                        a1 = V.MultiplyAdd(V.Broadcast(p, m1 + k), window, a1);
                                        a2 = V.MultiplyAdd(V.Broadcast(p, m2 + k), window, a2);
                                        a3 = V.MultiplyAdd(V.Broadcast(p, m3 + k), window, a3);
                                    }
                                    k += kernelWidth - vEnd;
                                }
                                k += (kernelHeight - uEnd) * kernelWidth;
                            }
                            StoreProductRow<TVector, TWidth>(p, bias, o, y, t0 + s, 0, a0, default, default, relu);
                            if (real > 1) StoreProductRow<TVector, TWidth>(p, bias, o + 1, y, t0 + (positions * count) + s, 0, a1, default, default, relu);
                            if (real > 2) StoreProductRow<TVector, TWidth>(p, bias, o + 2, y, t0 + (2 * positions * count) + s, 0, a2, default, default, relu);
                            if (real > 3) StoreProductRow<TVector, TWidth>(p, bias, o + 3, y, t0 + (3 * positions * count) + s, 0, a3, default, default, relu);
                            s += lanes;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The taps (u in [<paramref name="uFirst"/>, <paramref name="uEnd"/>), v in [<paramref name="vFirst"/>,
    /// <paramref name="vEnd"/>)) whose window values the forward multiplies at the output position whose window starts
    /// at (<paramref name="top"/>, <paramref name="left"/>): in the default arithmetic those inside the input, since a
    /// tap on the padding adds w * 0 (a third of the digits CNN's second convolution's multiply-adds: 3 x 3 taps with
    /// padding 1 on a 4 x 4 input); in the deterministic arithmetic every tap, as the sample-major kernel multiplies
    /// them (w * 0 is NaN for an infinite weight, which the mode's bits keep). The loops still test each tap against
    /// the input's bounds, so that there a tap on the padding multiplies a zero, as before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WindowTaps<TLayer>(int top, int left, out int uFirst, out int uEnd, out int vFirst, out int vEnd)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        // Without padding every window is inside: constant ranges, which the JIT folds into the loops as before.
        if (A.IsDeterministic || (layer.PaddingHeight == 0 && layer.PaddingWidth == 0))
        {
            uFirst = 0; uEnd = layer.KernelHeight; vFirst = 0; vEnd = layer.KernelWidth;
            return;
        }
        TapsInside(top, layer.InputHeight, layer.DilationHeight, layer.KernelHeight, out uFirst, out uEnd);
        TapsInside(left, layer.InputWidth, layer.DilationWidth, layer.KernelWidth, out vFirst, out vEnd);

        // Taps t with 0 <= start + t * dilation < size, t in [0, kernel): an empty range where none is.
        static void TapsInside(int start, int size, int dilation, int kernel, out int first, out int end)
        {
            first = start >= 0 ? 0 : Math.Min(kernel, (-start + dilation - 1) / dilation);
            end = start >= size ? 0 : Math.Min(kernel, (size - start + dilation - 1) / dilation);
            end = Math.Max(end, first);
        }
    }

    /// <summary>Vectors of samples per block where there are 32 vector registers (the 512-bit path): 16 accumulators, 4 window vectors and a broadcast weight.</summary>
    private const int WideVectors = 4;

    /// <summary>
    /// One block of 4 output channels x <see cref="WideVectors"/> vectors of samples at one output position,
    /// from sample <paramref name="s"/>: each loaded window vector feeds 4 FMAs, each broadcast weight 4. The
    /// 12-accumulator block leaves a batch of 64 floats in 512-bit vectors with a last vector of 16 samples
    /// on 4 accumulators, whose FMAs wait on each other; this block takes the 64 at once. The sums are the
    /// same, in the same order, lane by lane.
    /// <para>
    /// Compiled on its own, fully optimised at once. Marked for inlining, it had grown past the inliner and was left
    /// to tiering: its tier-1 code, laid out from the profile its tier-0 code happened to gather, put the digits
    /// CNN's training step at about 64 us in some processes and about 100 in others (the same binary, one speed
    /// per process; none slow with dynamic PGO off, nor with this).
    /// </para>
    /// </summary>
    [MethodImpl(Block)]
    private static void ConvolutionForwardWideBlock<TLayer, TVector, TWidth>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count, int s, int t0,
        int positions, int firstIn, int top, int left, int bias, bool relu, int o, int real, int m0, int m1, int m2, int m3)
        where TLayer : struct, IConvolutionShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TLayer layer = default;
        TWidth V = default;
        int lanes = V.Count, height = layer.InputHeight, width = layer.InputWidth;
        int groupIn = layer.InChannels / layer.Groups;
        TVector a00 = V.Zero, a01 = V.Zero, a02 = V.Zero, a03 = V.Zero, a10 = V.Zero, a11 = V.Zero, a12 = V.Zero, a13 = V.Zero;
        TVector a20 = V.Zero, a21 = V.Zero, a22 = V.Zero, a23 = V.Zero, a30 = V.Zero, a31 = V.Zero, a32 = V.Zero, a33 = V.Zero;
        WindowTaps<TLayer>(top, left, out int uFirst, out int uEnd, out int vFirst, out int vEnd);
        int k = 0;
        for (int c = 0; c < groupIn; c++)
        {
            // k steps over the skipped taps (nothing where the ranges are whole: the loops of a layer without padding).
            k += uFirst * layer.KernelWidth;
            for (int u = uFirst; u < uEnd; u++)
            {
                int row = top + (u * layer.DilationHeight);
                k += vFirst;
                for (int v = vFirst; v < vEnd; v++, k++)
                {
                    int column = left + (v * layer.DilationWidth);
                    TVector v0 = V.Zero, v1 = V.Zero, v2 = V.Zero, v3 = V.Zero;
                    if ((uint)row < (uint)height && (uint)column < (uint)width)
                    {
                        int at = (((((firstIn + c) * height) + row) * width) + column) * count + s;
                        v0 = V.Load(x, at);
                        v1 = V.Load(x, at + lanes);
                        v2 = V.Load(x, at + (2 * lanes));
                        v3 = V.Load(x, at + (3 * lanes));
                    }
                    TVector b = V.Broadcast(p, m0 + k);
                    a00 = V.MultiplyAdd(b, v0, a00); a01 = V.MultiplyAdd(b, v1, a01); a02 = V.MultiplyAdd(b, v2, a02); a03 = V.MultiplyAdd(b, v3, a03);
                    b = V.Broadcast(p, m1 + k);
                    a10 = V.MultiplyAdd(b, v0, a10); a11 = V.MultiplyAdd(b, v1, a11); a12 = V.MultiplyAdd(b, v2, a12); a13 = V.MultiplyAdd(b, v3, a13);
                    b = V.Broadcast(p, m2 + k);
                    a20 = V.MultiplyAdd(b, v0, a20); a21 = V.MultiplyAdd(b, v1, a21); a22 = V.MultiplyAdd(b, v2, a22); a23 = V.MultiplyAdd(b, v3, a23);
                    b = V.Broadcast(p, m3 + k);
                    a30 = V.MultiplyAdd(b, v0, a30); a31 = V.MultiplyAdd(b, v1, a31); a32 = V.MultiplyAdd(b, v2, a32); a33 = V.MultiplyAdd(b, v3, a33);
                }
                k += layer.KernelWidth - vEnd;
            }
            k += (layer.KernelHeight - uEnd) * layer.KernelWidth;
        }
        int fourth = 3 * lanes;
        StoreProductRow<TVector, TWidth>(p, bias, o, y, t0 + s, lanes, a00, a01, a02, relu);
        StoreProductRow<TVector, TWidth>(p, bias, o, y, t0 + s + fourth, 0, a03, default, default, relu);
        if (real > 1)
        {
            int at = t0 + (positions * count) + s;
            StoreProductRow<TVector, TWidth>(p, bias, o + 1, y, at, lanes, a10, a11, a12, relu);
            StoreProductRow<TVector, TWidth>(p, bias, o + 1, y, at + fourth, 0, a13, default, default, relu);
        }
        if (real > 2)
        {
            int at = t0 + (2 * positions * count) + s;
            StoreProductRow<TVector, TWidth>(p, bias, o + 2, y, at, lanes, a20, a21, a22, relu);
            StoreProductRow<TVector, TWidth>(p, bias, o + 2, y, at + fourth, 0, a23, default, default, relu);
        }
        if (real > 3)
        {
            int at = t0 + (3 * positions * count) + s;
            StoreProductRow<TVector, TWidth>(p, bias, o + 3, y, at, lanes, a30, a31, a32, relu);
            StoreProductRow<TVector, TWidth>(p, bias, o + 3, y, at + fourth, 0, a33, default, default, relu);
        }
    }

    /// <summary>The feature-major forward in scalars: fewer samples than a vector, or no hardware vectors.</summary>
    [MethodImpl(Optimized)]
    private static void ConvolutionForwardColumnsScalar<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count, bool relu)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int positions = outHeight * outWidth;
        int groupIn = layer.InChannels / layer.Groups, groupOut = layer.OutChannels / layer.Groups;
        int taps = GroupTaps<TLayer>();
        int bias = layer.Offset + (layer.OutChannels * taps);
        for (int o = 0; o < layer.OutChannels; o++)
        {
            int firstIn = o / groupOut * groupIn;
            int weights = layer.Offset + (o * taps);
            for (int i = 0; i < outHeight; i++)
            {
                for (int j = 0; j < outWidth; j++)
                {
                    int top = (i * layer.StrideHeight) - layer.PaddingHeight, left = (j * layer.StrideWidth) - layer.PaddingWidth;
                    int target = ((o * positions) + (i * outWidth) + j) * count;
                    for (int s = 0; s < count; s++)
                    {
                        T sum = A.Zero;
                        int k = 0;
                        for (int c = 0; c < groupIn; c++)
                        {
                            for (int u = 0; u < layer.KernelHeight; u++)
                            {
                                int row = top + (u * layer.DilationHeight);
                                for (int v = 0; v < layer.KernelWidth; v++, k++)
                                {
                                    int column = left + (v * layer.DilationWidth);
                                    T value = (uint)row < (uint)height && (uint)column < (uint)width
                                        ? x[(((((firstIn + c) * height) + row) * width) + column) * count + s]
                                        : A.Zero;
                                    sum = A.MultiplyAdd(p[weights + k], value, sum);
                                }
                            }
                        }
                        sum = A.Add(sum, p[bias + o]);
                        y[target + s] = relu && A.LessThan(sum, A.Zero) ? A.Zero : sum;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The feature-major <see cref="ConvolutionInputGradient{TLayer}"/>, written over <paramref name="dx"/>:
    /// <c>dx[(c, row, column) * count + s]</c> from <c>delta[(o, i, j) * count + s]</c> for each of
    /// <paramref name="count"/> samples. Needs no workspace.
    /// </summary>
    /// <remarks>
    /// Gathered input by input rather than scattered tap by tap: an input of channel c takes the window
    /// gradients of its own taps (u, v), in that order, each from the one output position whose window puts
    /// that tap on it, so its sum is the one the sample-major kernel adds up, in the same order, kept in a
    /// register; and the delta is read near the input rather than streamed once per tap.
    /// </remarks>
    [MethodImpl(Optimized)]
    public static void ConvolutionInputGradientColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TLayer : struct, IConvolutionShape
    {
        int vectorEnd = 0;
        if (Vector.IsHardwareAccelerated && count >= Vector<T>.Count)
        {
#if NET8_0_OR_GREATER
            if (Simd512.IsWorthwhile<T>() && count >= Vector512<T>.Count)
            {
                vectorEnd = ConvolutionInputGradientColumns<TLayer, Vector512<T>, Vectors512<T, TArithmetic>>(p, delta, dx, count);
            }
            else
#endif
            {
                vectorEnd = ConvolutionInputGradientColumns<TLayer, Vector<T>, NumericsVectors<T, TArithmetic>>(p, delta, dx, count);
            }
        }
        if (vectorEnd < count)
        {
            ConvolutionInputGradientColumnsScalar<TLayer>(p, delta, dx, count, vectorEnd);
        }
    }

    /// <summary>
    /// The output position (i, j) whose window puts tap (u, v) on input (row, column), if there is one:
    /// <c>i Sh - Ph + u Dh = row</c> and <c>j Sw - Pw + v Dw = column</c> inside the output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool WindowPosition<TLayer>(int row, int column, int u, int v, int outHeight, int outWidth, out int position)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int i = row + layer.PaddingHeight - (u * layer.DilationHeight);
        int j = column + layer.PaddingWidth - (v * layer.DilationWidth);
        position = 0;
        if (i < 0 || j < 0 || i % layer.StrideHeight != 0 || j % layer.StrideWidth != 0)
        {
            return false;
        }
        i /= layer.StrideHeight;
        j /= layer.StrideWidth;
        position = (i * outWidth) + j;
        return i < outHeight && j < outWidth;
    }

    /// <summary>
    /// On one vector width, the samples below the returned count (whole vectors; the scalar kernel takes the
    /// rest): for each input, 4 vectors of samples at a time (4 chains of multiply-adds over the output
    /// channels), then one.
    /// </summary>
    [MethodImpl(Block)]
    private static int ConvolutionInputGradientColumns<TLayer, TVector, TWidth>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TLayer : struct, IConvolutionShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TLayer layer = default;
        TWidth V = default;
        int lanes = V.Count, step = 4 * lanes;
        int vectorEnd = count - (count % lanes);
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int groupIn = layer.InChannels / layer.Groups, groupOut = layer.OutChannels / layer.Groups;
        int taps = GroupTaps<TLayer>();
        bool pointwise = IsPointwise<TLayer>();
        int channelStride = outHeight * outWidth * count;
        int kernelArea = layer.KernelHeight * layer.KernelWidth;
        // Four input channels of a group at once where there are registers for them (AVX-512): each loaded
        // delta vector then feeds four multiply-adds instead of one, which is what bounded this kernel.
        bool fourChannels = HasThirtyTwoVectorRegisters && groupIn % 4 == 0 && vectorEnd >= 2 * lanes;
        for (int c = 0; c < layer.InChannels; c++)
        {
            int g = c / groupIn;
            int weights = layer.Offset + (g * groupOut * taps) + ((c - (g * groupIn)) * kernelArea);
            int firstDelta = g * groupOut * channelStride;
            if (fourChannels)
            {
                for (int row = 0; row < height; row++)
                {
                    for (int column = 0; column < width; column++)
                    {
                        int s = 0;
                        for (; s + (4 * lanes) <= vectorEnd; s += 4 * lanes)
                        {
                            InputGradientFourChannelsWide<TLayer, TVector, TWidth>(p, delta, dx, count, c, row, column, s, weights, firstDelta);
                        }
                        for (; s + (2 * lanes) <= vectorEnd; s += 2 * lanes)
                        {
                            InputGradientFourChannels<TLayer, TVector, TWidth>(p, delta, dx, count, c, row, column, s, weights, firstDelta);
                        }
                        for (int i = 0; i < 4; i++)
                        {
                            int target = ((((c + i) * height) + row) * width + column) * count;
                            for (int t = s; t < vectorEnd; t += lanes)
                            {
                                V.Store(dx, target + t, InputGradientVector<TLayer, TVector, TWidth>(p, delta, count, row, column, t, weights + (i * kernelArea), firstDelta));
                            }
                        }
                    }
                }
                c += 3;
                continue;
            }
            for (int row = 0; row < height; row++)
            {
                for (int column = 0; column < width; column++)
                {
                    int target = (((c * height) + row) * width + column) * count;
                    int s = 0;
                    for (; s + step <= vectorEnd; s += step)
                    {
                        TVector d0 = V.Zero, d1 = V.Zero, d2 = V.Zero, d3 = V.Zero;
                        for (int u = 0; u < layer.KernelHeight; u++)
                        {
                            for (int v = 0; v < layer.KernelWidth; v++)
                            {
                                if (!WindowPosition<TLayer>(row, column, u, v, outHeight, outWidth, out int position))
                                {
                                    continue;
                                }
                                int k = weights + (u * layer.KernelWidth) + v;
                                int source = firstDelta + (position * count) + s;
                                TVector a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
                                if (v + 1 < layer.KernelWidth && WindowPosition<TLayer>(row, column, u, v + 1, outHeight, outWidth, out int next))
                                {
                                    // The next tap's window gradient alongside (8 chains of multiply-adds), added after this one's.
                                    int nextSource = firstDelta + (next * count) + s;
                                    TVector b0 = V.Zero, b1 = V.Zero, b2 = V.Zero, b3 = V.Zero;
                                    for (int o = 0; o < groupOut; o++)
                                    {
                                        int at = source + (o * channelStride), atNext = nextSource + (o * channelStride);
                                        TVector w = V.Broadcast(p, k + (o * taps)), wNext = V.Broadcast(p, k + 1 + (o * taps));
                                        a0 = V.MultiplyAdd(w, V.Load(delta, at), a0);
                                        a1 = V.MultiplyAdd(w, V.Load(delta, at + lanes), a1);
                                        a2 = V.MultiplyAdd(w, V.Load(delta, at + (2 * lanes)), a2);
                                        a3 = V.MultiplyAdd(w, V.Load(delta, at + (3 * lanes)), a3);
                                        b0 = V.MultiplyAdd(wNext, V.Load(delta, atNext), b0);
                                        b1 = V.MultiplyAdd(wNext, V.Load(delta, atNext + lanes), b1);
                                        b2 = V.MultiplyAdd(wNext, V.Load(delta, atNext + (2 * lanes)), b2);
                                        b3 = V.MultiplyAdd(wNext, V.Load(delta, atNext + (3 * lanes)), b3);
                                    }
                                    // Two taps: never a pointwise layer.
                                    d0 = V.Add(V.Add(d0, a0), b0);
                                    d1 = V.Add(V.Add(d1, a1), b1);
                                    d2 = V.Add(V.Add(d2, a2), b2);
                                    d3 = V.Add(V.Add(d3, a3), b3);
                                    v++;
                                    continue;
                                }
                                for (int o = 0; o < groupOut; o++)
                                {
                                    int at = source + (o * channelStride);
                                    TVector w = V.Broadcast(p, k + (o * taps));
                                    a0 = V.MultiplyAdd(w, V.Load(delta, at), a0);
                                    a1 = V.MultiplyAdd(w, V.Load(delta, at + lanes), a1);
                                    a2 = V.MultiplyAdd(w, V.Load(delta, at + (2 * lanes)), a2);
                                    a3 = V.MultiplyAdd(w, V.Load(delta, at + (3 * lanes)), a3);
                                }
                                // A pointwise layer's gradient is the window gradient itself, as the sample-major
                                // kernel writes it; any other is a sum onto zero.
                                d0 = pointwise ? a0 : V.Add(d0, a0);
                                d1 = pointwise ? a1 : V.Add(d1, a1);
                                d2 = pointwise ? a2 : V.Add(d2, a2);
                                d3 = pointwise ? a3 : V.Add(d3, a3);
                            }
                        }
                        V.Store(dx, target + s, d0);
                        V.Store(dx, target + s + lanes, d1);
                        V.Store(dx, target + s + (2 * lanes), d2);
                        V.Store(dx, target + s + (3 * lanes), d3);
                    }
                    for (; s < vectorEnd; s += lanes)
                    {
                        V.Store(dx, target + s, InputGradientVector<TLayer, TVector, TWidth>(p, delta, count, row, column, s, weights, firstDelta));
                    }
                }
            }
        }
        return vectorEnd;
    }

    /// <summary>
    /// One vector of samples of one input's gradient (channel at <paramref name="weights"/>, position row, column):
    /// over its taps in order, each tap's window gradient over the output channels from zero, summed onto zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector InputGradientVector<TLayer, TVector, TWidth>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, int count, int row, int column, int s, int weights, int firstDelta)
        where TLayer : struct, IConvolutionShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TLayer layer = default;
        TWidth V = default;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int groupOut = layer.OutChannels / layer.Groups, taps = GroupTaps<TLayer>();
        int channelStride = outHeight * outWidth * count;
        bool pointwise = IsPointwise<TLayer>();
        TVector d = V.Zero;
        for (int u = 0; u < layer.KernelHeight; u++)
        {
            for (int v = 0; v < layer.KernelWidth; v++)
            {
                if (!WindowPosition<TLayer>(row, column, u, v, outHeight, outWidth, out int position))
                {
                    continue;
                }
                int k = weights + (u * layer.KernelWidth) + v;
                int source = firstDelta + (position * count) + s;
                TVector a = V.Zero;
                for (int o = 0; o < groupOut; o++)
                {
                    a = V.MultiplyAdd(V.Broadcast(p, k + (o * taps)), V.Load(delta, source + (o * channelStride)), a);
                }
                d = pointwise ? a : V.Add(d, a);
            }
        }
        return d;
    }

    /// <summary>
    /// Four input channels' gradients from channel <paramref name="c"/> (the first of four in one group, its
    /// weights at <paramref name="weights"/>) at one position, two vectors of samples from <paramref name="s"/>:
    /// 8 chains of multiply-adds that share each loaded delta vector four ways. Each channel's sum is the one
    /// <see cref="InputGradientVector"/> adds up, in the same order, so the bits are the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradientFourChannels<TLayer, TVector, TWidth>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, Span<T> dx, int count, int c, int row, int column, int s, int weights, int firstDelta)
        where TLayer : struct, IConvolutionShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TLayer layer = default;
        TWidth V = default;
        int lanes = V.Count;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int groupOut = layer.OutChannels / layer.Groups, taps = GroupTaps<TLayer>();
        int channelStride = outHeight * outWidth * count;
        int kernelArea = layer.KernelHeight * layer.KernelWidth;
        bool pointwise = IsPointwise<TLayer>();
        TVector d00 = V.Zero, d01 = V.Zero, d10 = V.Zero, d11 = V.Zero, d20 = V.Zero, d21 = V.Zero, d30 = V.Zero, d31 = V.Zero;
        for (int u = 0; u < layer.KernelHeight; u++)
        {
            for (int v = 0; v < layer.KernelWidth; v++)
            {
                if (!WindowPosition<TLayer>(row, column, u, v, outHeight, outWidth, out int position))
                {
                    continue;
                }
                int k = weights + (u * layer.KernelWidth) + v;
                int source = firstDelta + (position * count) + s;
                TVector a00 = V.Zero, a01 = V.Zero, a10 = V.Zero, a11 = V.Zero, a20 = V.Zero, a21 = V.Zero, a30 = V.Zero, a31 = V.Zero;
                for (int o = 0; o < groupOut; o++)
                {
                    int at = source + (o * channelStride), m = k + (o * taps);
                    TVector x0 = V.Load(delta, at), x1 = V.Load(delta, at + lanes);
                    TVector w = V.Broadcast(p, m);
                    a00 = V.MultiplyAdd(w, x0, a00); a01 = V.MultiplyAdd(w, x1, a01);
                    w = V.Broadcast(p, m + kernelArea);
                    a10 = V.MultiplyAdd(w, x0, a10); a11 = V.MultiplyAdd(w, x1, a11);
                    w = V.Broadcast(p, m + (2 * kernelArea));
                    a20 = V.MultiplyAdd(w, x0, a20); a21 = V.MultiplyAdd(w, x1, a21);
                    w = V.Broadcast(p, m + (3 * kernelArea));
                    a30 = V.MultiplyAdd(w, x0, a30); a31 = V.MultiplyAdd(w, x1, a31);
                }
                d00 = pointwise ? a00 : V.Add(d00, a00); d01 = pointwise ? a01 : V.Add(d01, a01);
                d10 = pointwise ? a10 : V.Add(d10, a10); d11 = pointwise ? a11 : V.Add(d11, a11);
                d20 = pointwise ? a20 : V.Add(d20, a20); d21 = pointwise ? a21 : V.Add(d21, a21);
                d30 = pointwise ? a30 : V.Add(d30, a30); d31 = pointwise ? a31 : V.Add(d31, a31);
            }
        }
        int plane = layer.InputHeight * layer.InputWidth * count;
        int target = ((((c * layer.InputHeight) + row) * layer.InputWidth) + column) * count + s;
        V.Store(dx, target, d00); V.Store(dx, target + lanes, d01);
        V.Store(dx, target + plane, d10); V.Store(dx, target + plane + lanes, d11);
        V.Store(dx, target + (2 * plane), d20); V.Store(dx, target + (2 * plane) + lanes, d21);
        V.Store(dx, target + (3 * plane), d30); V.Store(dx, target + (3 * plane) + lanes, d31);
    }

    /// <summary>
    /// <see cref="InputGradientFourChannels"/> for four vectors of samples from <paramref name="s"/>: 16 chains
    /// of multiply-adds (each loaded delta vector feeds four, each broadcast weight four), where the two-vector
    /// block's 8 only just covered the multiply-add latency and spent a load on every 1.3 multiply-adds. The
    /// window sums go onto <paramref name="dx"/> tap by tap (zero first), as the two-vector block adds them onto
    /// its registers: the same additions in the same order, so the same bits. A reference per stream and one
    /// step per output channel, so that a load is one address. Compiled on its own, fully optimised at once.
    /// The keyword spotter's training step at batch 64 (its second convolution's input gradient), stopwatch:
    /// see the commit that added it.
    /// </summary>
    [MethodImpl(Block)]
    private static void InputGradientFourChannelsWide<TLayer, TVector, TWidth>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, Span<T> dx, int count, int c, int row, int column, int s, int weights, int firstDelta)
        where TLayer : struct, IConvolutionShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TLayer layer = default;
        TWidth V = default;
        int lanes = V.Count;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int groupOut = layer.OutChannels / layer.Groups, taps = GroupTaps<TLayer>();
        int channelStride = outHeight * outWidth * count;
        int kernelArea = layer.KernelHeight * layer.KernelWidth;
        bool pointwise = IsPointwise<TLayer>();
        int plane = layer.InputHeight * layer.InputWidth * count;
        ref T d0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(dx), ((((c * layer.InputHeight) + row) * layer.InputWidth) + column) * count + s);
        ref T d1 = ref Unsafe.Add(ref d0, plane);
        ref T d2 = ref Unsafe.Add(ref d1, plane);
        ref T d3 = ref Unsafe.Add(ref d2, plane);
        TVector zero = V.Zero;
        StoreFour(V, ref d0, lanes, zero, zero, zero, zero);
        StoreFour(V, ref d1, lanes, zero, zero, zero, zero);
        StoreFour(V, ref d2, lanes, zero, zero, zero, zero);
        StoreFour(V, ref d3, lanes, zero, zero, zero, zero);
        for (int u = 0; u < layer.KernelHeight; u++)
        {
            for (int v = 0; v < layer.KernelWidth; v++)
            {
                if (!WindowPosition<TLayer>(row, column, u, v, outHeight, outWidth, out int position))
                {
                    continue;
                }
                ref T w = ref Unsafe.Add(ref MemoryMarshal.GetReference(p), weights + (u * layer.KernelWidth) + v);
                ref T e = ref Unsafe.Add(ref MemoryMarshal.GetReference(delta), firstDelta + (position * count) + s);
                TVector a00 = zero, a01 = zero, a02 = zero, a03 = zero, a10 = zero, a11 = zero, a12 = zero, a13 = zero;
                TVector a20 = zero, a21 = zero, a22 = zero, a23 = zero, a30 = zero, a31 = zero, a32 = zero, a33 = zero;
                for (int o = 0; o < groupOut; o++)
                {
                    TVector x0 = V.LoadAt(ref e, 0), x1 = V.LoadAt(ref e, lanes), x2 = V.LoadAt(ref e, 2 * lanes), x3 = V.LoadAt(ref e, 3 * lanes);
                    TVector k = V.Create(w);
                    a00 = V.MultiplyAdd(k, x0, a00); a01 = V.MultiplyAdd(k, x1, a01); a02 = V.MultiplyAdd(k, x2, a02); a03 = V.MultiplyAdd(k, x3, a03);
                    k = V.Create(Unsafe.Add(ref w, kernelArea));
                    a10 = V.MultiplyAdd(k, x0, a10); a11 = V.MultiplyAdd(k, x1, a11); a12 = V.MultiplyAdd(k, x2, a12); a13 = V.MultiplyAdd(k, x3, a13);
                    k = V.Create(Unsafe.Add(ref w, 2 * kernelArea));
                    a20 = V.MultiplyAdd(k, x0, a20); a21 = V.MultiplyAdd(k, x1, a21); a22 = V.MultiplyAdd(k, x2, a22); a23 = V.MultiplyAdd(k, x3, a23);
                    k = V.Create(Unsafe.Add(ref w, 3 * kernelArea));
                    a30 = V.MultiplyAdd(k, x0, a30); a31 = V.MultiplyAdd(k, x1, a31); a32 = V.MultiplyAdd(k, x2, a32); a33 = V.MultiplyAdd(k, x3, a33);
                    e = ref Unsafe.Add(ref e, channelStride);
                    w = ref Unsafe.Add(ref w, taps);
                }
                AddFour(V, ref d0, lanes, pointwise, a00, a01, a02, a03);
                AddFour(V, ref d1, lanes, pointwise, a10, a11, a12, a13);
                AddFour(V, ref d2, lanes, pointwise, a20, a21, a22, a23);
                AddFour(V, ref d3, lanes, pointwise, a30, a31, a32, a33);
            }
        }
    }

    /// <summary>Four consecutive vectors at <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour<TVector, TWidth>(TWidth V, ref T target, int lanes, TVector a, TVector b, TVector c, TVector d)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        V.StoreAt(ref target, 0, a);
        V.StoreAt(ref target, lanes, b);
        V.StoreAt(ref target, 2 * lanes, c);
        V.StoreAt(ref target, 3 * lanes, d);
    }

    /// <summary>Four consecutive vectors at <paramref name="target"/> plus the given ones (or replaced by them, for a 1x1 kernel's one tap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddFour<TVector, TWidth>(TWidth V, ref T target, int lanes, bool replace, TVector a, TVector b, TVector c, TVector d)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        V.StoreAt(ref target, 0, replace ? a : V.Add(V.LoadAt(ref target, 0), a));
        V.StoreAt(ref target, lanes, replace ? b : V.Add(V.LoadAt(ref target, lanes), b));
        V.StoreAt(ref target, 2 * lanes, replace ? c : V.Add(V.LoadAt(ref target, 2 * lanes), c));
        V.StoreAt(ref target, 3 * lanes, replace ? d : V.Add(V.LoadAt(ref target, 3 * lanes), d));
    }

    /// <summary>The feature-major input gradient in scalars for samples [<paramref name="firstSample"/>, count), in the same order.</summary>
    [MethodImpl(Optimized)]
    private static void ConvolutionInputGradientColumnsScalar<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, Span<T> dx, int count, int firstSample)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int groupIn = layer.InChannels / layer.Groups, groupOut = layer.OutChannels / layer.Groups;
        int taps = GroupTaps<TLayer>();
        bool pointwise = IsPointwise<TLayer>();
        int channelStride = outHeight * outWidth * count;
        for (int c = 0; c < layer.InChannels; c++)
        {
            int g = c / groupIn;
            int weights = layer.Offset + (g * groupOut * taps) + ((c - (g * groupIn)) * layer.KernelHeight * layer.KernelWidth);
            int firstDelta = g * groupOut * channelStride;
            for (int row = 0; row < height; row++)
            {
                for (int column = 0; column < width; column++)
                {
                    int target = (((c * height) + row) * width + column) * count;
                    for (int s = firstSample; s < count; s++)
                    {
                        T sum = A.Zero;
                        for (int u = 0; u < layer.KernelHeight; u++)
                        {
                            for (int v = 0; v < layer.KernelWidth; v++)
                            {
                                if (!WindowPosition<TLayer>(row, column, u, v, outHeight, outWidth, out int position))
                                {
                                    continue;
                                }
                                int k = weights + (u * layer.KernelWidth) + v;
                                int source = firstDelta + (position * count) + s;
                                T window = A.Zero;
                                for (int o = 0; o < groupOut; o++)
                                {
                                    window = A.MultiplyAdd(p[k + (o * taps)], delta[source + (o * channelStride)], window);
                                }
                                sum = pointwise ? window : A.Add(sum, window);
                            }
                        }
                        dx[target + s] = sum;
                    }
                }
            }
        }
    }
}
