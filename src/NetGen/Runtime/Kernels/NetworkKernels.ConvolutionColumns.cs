using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// A convolution's forward feature-major: value k of sample s at [k * count + s], the samples along the
// vector lanes, as the feature-major passes hold a batch. Each window value is then a whole vector of
// samples, loaded in place: no window matrix is copied (im2col was most of a small image's forward) and
// the pass needs no transposes around the layer. Every output is the sum ConvolutionForward defines, over
// (c, u, v) in that order from zero with the padding's taps multiplied by zero as the window matrix has
// them, then the bias: the same bits as the sample-major kernel, lane by lane.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// The feature-major <see cref="ConvolutionForward{TLayer}"/>: <c>y[(o, i, j) * count + s]</c> from
    /// <c>x[(c, row, column) * count + s]</c> for each of <paramref name="count"/> samples. Needs no workspace.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void ConvolutionForwardColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count)
        where TLayer : struct, IConvolutionShape
    {
        if (Vector.IsHardwareAccelerated && count >= Vector<T>.Count)
        {
#if NET8_0_OR_GREATER
            if (Simd512.IsWorthwhile<T>() && count >= Vector512<T>.Count)
            {
                ConvolutionForwardColumns<TLayer, Vector512<T>, Vectors512<T, TArithmetic>>(p, x, y, count);
                return;
            }
#endif
            ConvolutionForwardColumns<TLayer, Vector<T>, NumericsVectors<T, TArithmetic>>(p, x, y, count);
            return;
        }
        ConvolutionForwardColumnsScalar<TLayer>(p, x, y, count);
    }

    /// <summary>
    /// On one vector width (<paramref name="count"/> at least one vector): for each block of 4 output
    /// channels of a group (a last, partial block repeats its last channel and stores only the real ones)
    /// and each output position, 3 vectors of samples at a time (12 accumulators: each loaded window
    /// vector feeds 4 FMAs, each broadcast weight 3), then one vector, then a last vector that ends at the
    /// last sample and overlaps the one before (the same results again, to the same bits).
    /// </summary>
    [MethodImpl(Block)]
    private static void ConvolutionForwardColumns<TLayer, TVector, TWidth>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count)
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
                        int s = 0;
                        for (; s + step <= count; s += step)
                        {
                            TVector a00 = V.Zero, a01 = V.Zero, a02 = V.Zero, a10 = V.Zero, a11 = V.Zero, a12 = V.Zero;
                            TVector a20 = V.Zero, a21 = V.Zero, a22 = V.Zero, a30 = V.Zero, a31 = V.Zero, a32 = V.Zero;
                            int k = 0;
                            for (int c = 0; c < groupIn; c++)
                            {
                                for (int u = 0; u < kernelHeight; u++)
                                {
                                    int row = top + (u * layer.DilationHeight);
                                    for (int v = 0; v < kernelWidth; v++, k++)
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
                                }
                            }
                            StoreProductRow<TVector, TWidth>(p, bias, o, y, t0 + s, lanes, a00, a01, a02);
                            if (real > 1) StoreProductRow<TVector, TWidth>(p, bias, o + 1, y, t0 + (positions * count) + s, lanes, a10, a11, a12);
                            if (real > 2) StoreProductRow<TVector, TWidth>(p, bias, o + 2, y, t0 + (2 * positions * count) + s, lanes, a20, a21, a22);
                            if (real > 3) StoreProductRow<TVector, TWidth>(p, bias, o + 3, y, t0 + (3 * positions * count) + s, lanes, a30, a31, a32);
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
                                for (int u = 0; u < kernelHeight; u++)
                                {
                                    int row = top + (u * layer.DilationHeight);
                                    for (int v = 0; v < kernelWidth; v++, k++)
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
                                }
                            }
                            StoreProductRow<TVector, TWidth>(p, bias, o, y, t0 + s, 0, a0, default, default);
                            if (real > 1) StoreProductRow<TVector, TWidth>(p, bias, o + 1, y, t0 + (positions * count) + s, 0, a1, default, default);
                            if (real > 2) StoreProductRow<TVector, TWidth>(p, bias, o + 2, y, t0 + (2 * positions * count) + s, 0, a2, default, default);
                            if (real > 3) StoreProductRow<TVector, TWidth>(p, bias, o + 3, y, t0 + (3 * positions * count) + s, 0, a3, default, default);
                            s += lanes;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The feature-major forward in scalars: fewer samples than a vector, or no hardware vectors.</summary>
    [MethodImpl(Optimized)]
    private static void ConvolutionForwardColumnsScalar<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count)
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
                        y[target + s] = A.Add(sum, p[bias + o]);
                    }
                }
            }
        }
    }
}
