using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif

namespace NetGen.Runtime;

// A convolution's weight and bias gradients feature-major, in the default arithmetic: the samples along the
// vector lanes, as the feature-major training pass holds the layer's input and delta, so that no sample is
// transposed back, no window matrix is copied per sample and no delta is transposed per sample (together
// most of a small CNN's training step on the sample-major path). Each gradient is summed lane by lane over
// the positions and the vectors of samples, the lanes added at the end and the samples past the last whole
// vector after them: another order than the sample-major kernels' (sample, position), so the result
// differs from theirs in the last bits. The deterministic arithmetic keeps that documented order and the
// sample-major kernels; so do machines without hardware vectors and batches smaller than a vector.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// The parameter gradients of <see cref="ConvolutionParameterGradients{TLayer}"/> (written over the layer's
    /// weight and bias gradients in <paramref name="g"/>) from the feature-major input <paramref name="xT"/>
    /// (<c>[(c, row, column) * count + s]</c>) and delta <paramref name="deltaT"/> (<c>[(o, i, j) * count + s]</c>),
    /// when this layout's kernel runs here: the default arithmetic, hardware vectors, at least a vector of
    /// samples, and a layer <see cref="WeightGradientFeatureMajor{TLayer}"/> accepts. Returns false, having
    /// written nothing, otherwise; the caller then runs the sample-major kernel.
    /// </summary>
    /// <remarks>
    /// Measured on the benchmark CNNs' training step at batch 64 (AVX-512): the digits CNN (taps 9 and 72)
    /// went from about 255 to 125 us and the keyword spotter's first layer (5 taps) from about 880-1,040 to
    /// 775 us for the step; the keyword spotter's second layer (80 taps, which the sample-major kernel runs
    /// with the taps along the lanes) was slower here at first (the step 1,090 us: each block streamed its 4
    /// channels' deltas once per pair of taps, out of L1), and came here once the eight-channel block took its
    /// positions in passes (<see cref="WeightGradientEightChannels{TLayer, TVector, TWidth}"/>).
    /// </remarks>
    [MethodImpl(Optimized)]
    public static bool ConvolutionParameterGradientsColumns<TLayer>(ReadOnlySpan<T> xT, ReadOnlySpan<T> deltaT, Span<T> g, int count)
        where TLayer : struct, IConvolutionShape
    {
        if (A.IsDeterministic || !Vector.IsHardwareAccelerated || count < Vector<T>.Count || !WeightGradientFeatureMajor<TLayer>(count))
        {
            return false;
        }
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>() && count >= Vector512<T>.Count)
        {
            ConvolutionParameterGradientsColumns<TLayer, Vector512<T>, Vectors512<T, TArithmetic>>(xT, deltaT, g, count);
            return true;
        }
#endif
        ConvolutionParameterGradientsColumns<TLayer, Vector<T>, NumericsVectors<T, TArithmetic>>(xT, deltaT, g, count);
        return true;
    }

    /// <summary>
    /// Whether the feature-major kernel takes the layer: taps that do not fill whole vectors (the sample-major
    /// kernel would put the output channels in the lanes), or, on 512-bit vectors with every block of output
    /// channels eight wide, any taps: the eight-channel kernel, its samples a vector at a time where the deltas
    /// would leave L1, took the keyword spotter's second convolution (80 taps) from the sample-major kernel's
    /// transposes, window copies and per-sample products.
    /// </summary>
    private static bool WeightGradientFeatureMajor<TLayer>(int count)
        where TLayer : struct, IConvolutionShape
    {
        if (WeightGradientByRows<TLayer>())
        {
            return true;
        }
#if NET8_0_OR_GREATER
        TLayer layer = default;
        return Simd512.IsWorthwhile<T>() && count >= Vector512<T>.Count && Vector512<T>.Count * Unsafe.SizeOf<T>() == 64
            && (layer.OutChannels / layer.Groups) % WideBlock == 0;
#else
        return false;
#endif
    }

    /// <summary>
    /// On one vector width: for each block of 4 output channels of a group (a last, partial block repeats its
    /// last channel and stores only the real ones) and each pair of taps (a last, odd tap paired with itself),
    /// 8 accumulators over the output positions and the whole vectors of samples: each loaded window vector
    /// feeds 4 multiply-adds, each loaded delta vector 2. Taps that fall on the padding for a position are
    /// skipped whole (their window values are zero).
    /// </summary>
    [MethodImpl(Block)]
    [SkipLocalsInit] // the stack buffer is written before it is read; zeroing its 16 KB on every call bought nothing
    private static void ConvolutionParameterGradientsColumns<TLayer, TVector, TWidth>(ReadOnlySpan<T> xT, ReadOnlySpan<T> deltaT, Span<T> g, int count)
        where TLayer : struct, IConvolutionShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TLayer layer = default;
        TWidth V = default;
        int lanes = V.Count, whole = count - (count % lanes);
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int positions = outHeight * outWidth;
        int groupIn = layer.InChannels / layer.Groups, groupOut = layer.OutChannels / layer.Groups;
        int kernelHeight = layer.KernelHeight, kernelWidth = layer.KernelWidth, kernelArea = kernelHeight * kernelWidth;
        int taps = GroupTaps<TLayer>();
        int weights = layer.Offset, bias = weights + (layer.OutChannels * taps);
        // Eight channels at a time where the vectors are 512-bit (32 registers hold the 16 accumulators).
        bool wide = lanes * Unsafe.SizeOf<T>() == 64;
        // Each accumulator's lanes on their way to a sum, and the eight-channel block's partial sums (16 KB).
        Span<T> lanesOut = stackalloc T[(wide ? WidePartials : 2 * WideBlock) * lanes];
        for (int group = 0; group < layer.Groups; group++)
        {
            int firstIn = group * groupIn;
            for (int block = 0; block < groupOut; block += ProductRows)
            {
                if (wide && groupOut - block >= WideBlock)
                {
                    WeightGradientEightChannels<TLayer, TVector, TWidth>(xT, deltaT, g, count, (group * groupOut) + block, firstIn, lanesOut);
                    block += WideBlock - ProductRows;
                    continue;
                }
                int o = (group * groupOut) + block;
                int real = Math.Min(ProductRows, groupOut - block);
                int last = o + real - 1;
                int d0 = o * positions * count, d1 = Math.Min(o + 1, last) * positions * count;
                int d2 = Math.Min(o + 2, last) * positions * count, d3 = Math.Min(o + 3, last) * positions * count;
                for (int k = 0; k < taps; k += 2)
                {
                    int kNext = Math.Min(k + 1, taps - 1);
                    // Tap k is (c, u, v) of the group's input channel c.
                    int c0 = k / kernelArea, u0 = (k % kernelArea) / kernelWidth, v0 = k % kernelWidth;
                    int c1 = kNext / kernelArea, u1 = (kNext % kernelArea) / kernelWidth, v1 = kNext % kernelWidth;
                    TVector a00 = V.Zero, a10 = V.Zero, a20 = V.Zero, a30 = V.Zero, a01 = V.Zero, a11 = V.Zero, a21 = V.Zero, a31 = V.Zero;
                    for (int i = 0; i < outHeight; i++)
                    {
                        int top = (i * layer.StrideHeight) - layer.PaddingHeight;
                        int row0 = top + (u0 * layer.DilationHeight), row1 = top + (u1 * layer.DilationHeight);
                        for (int j = 0; j < outWidth; j++)
                        {
                            int left = (j * layer.StrideWidth) - layer.PaddingWidth;
                            int column0 = left + (v0 * layer.DilationWidth), column1 = left + (v1 * layer.DilationWidth);
                            bool in0 = (uint)row0 < (uint)height && (uint)column0 < (uint)width;
                            bool in1 = (uint)row1 < (uint)height && (uint)column1 < (uint)width;
                            if (!in0 && !in1)
                            {
                                continue;
                            }
                            int position = ((i * outWidth) + j) * count;
                            if (in0 && in1)
                            {
                                int x0 = (((((firstIn + c0) * height) + row0) * width) + column0) * count;
                                int x1 = (((((firstIn + c1) * height) + row1) * width) + column1) * count;
                                for (int s = 0; s < whole; s += lanes)
                                {
                                    TVector w0 = V.Load(xT, x0 + s), w1 = V.Load(xT, x1 + s);
                                    TVector e = V.Load(deltaT, d0 + position + s);
                                    a00 = V.MultiplyAdd(e, w0, a00); a01 = V.MultiplyAdd(e, w1, a01);
                                    e = V.Load(deltaT, d1 + position + s);
                                    a10 = V.MultiplyAdd(e, w0, a10); a11 = V.MultiplyAdd(e, w1, a11);
                                    e = V.Load(deltaT, d2 + position + s);
                                    a20 = V.MultiplyAdd(e, w0, a20); a21 = V.MultiplyAdd(e, w1, a21);
                                    e = V.Load(deltaT, d3 + position + s);
                                    a30 = V.MultiplyAdd(e, w0, a30); a31 = V.MultiplyAdd(e, w1, a31);
                                }
                            }
                            else if (in0)
                            {
                                int x0 = (((((firstIn + c0) * height) + row0) * width) + column0) * count;
                                for (int s = 0; s < whole; s += lanes)
                                {
                                    TVector w0 = V.Load(xT, x0 + s);
                                    a00 = V.MultiplyAdd(V.Load(deltaT, d0 + position + s), w0, a00);
                                    a10 = V.MultiplyAdd(V.Load(deltaT, d1 + position + s), w0, a10);
                                    a20 = V.MultiplyAdd(V.Load(deltaT, d2 + position + s), w0, a20);
                                    a30 = V.MultiplyAdd(V.Load(deltaT, d3 + position + s), w0, a30);
                                }
                            }
                            else
                            {
                                int x1 = (((((firstIn + c1) * height) + row1) * width) + column1) * count;
                                for (int s = 0; s < whole; s += lanes)
                                {
                                    TVector w1 = V.Load(xT, x1 + s);
                                    a01 = V.MultiplyAdd(V.Load(deltaT, d0 + position + s), w1, a01);
                                    a11 = V.MultiplyAdd(V.Load(deltaT, d1 + position + s), w1, a11);
                                    a21 = V.MultiplyAdd(V.Load(deltaT, d2 + position + s), w1, a21);
                                    a31 = V.MultiplyAdd(V.Load(deltaT, d3 + position + s), w1, a31);
                                }
                            }
                        }
                    }
                    V.Store(lanesOut, 0, a00); V.Store(lanesOut, lanes, a10); V.Store(lanesOut, 2 * lanes, a20); V.Store(lanesOut, 3 * lanes, a30);
                    V.Store(lanesOut, 4 * lanes, a01); V.Store(lanesOut, 5 * lanes, a11); V.Store(lanesOut, 6 * lanes, a21); V.Store(lanesOut, 7 * lanes, a31);
                    for (int r = 0; r < real; r++)
                    {
                        int channel = o + r;
                        g[weights + (channel * taps) + k] = WeightGradientTail<TLayer>(xT, deltaT, count, whole, channel, firstIn, k, SumOfLanes(lanesOut.Slice(r * lanes, lanes)));
                        if (kNext != k)
                        {
                            g[weights + (channel * taps) + kNext] = WeightGradientTail<TLayer>(xT, deltaT, count, whole, channel, firstIn, kNext, SumOfLanes(lanesOut.Slice((4 + r) * lanes, lanes)));
                        }
                    }
                }
            }
        }

        // The bias gradient: each output channel's delta over every position and sample.
        for (int o = 0; o < layer.OutChannels; o++)
        {
            int start = o * positions * count;
            if (whole == count)
            {
                // Whole vectors of samples: the channel's deltas are one run of values.
                g[bias + o] = SumOfRun<TVector, TWidth>(ref Unsafe.Add(ref MemoryMarshal.GetReference(deltaT), start), (nint)positions * count, lanesOut);
                continue;
            }
            TVector a0 = V.Zero, a1 = V.Zero;
            for (int position = 0; position < positions; position++)
            {
                int at = start + (position * count);
                int s = 0;
                for (; s + (2 * lanes) <= whole; s += 2 * lanes)
                {
                    a0 = V.Add(a0, V.Load(deltaT, at + s));
                    a1 = V.Add(a1, V.Load(deltaT, at + s + lanes));
                }
                if (s < whole)
                {
                    a0 = V.Add(a0, V.Load(deltaT, at + s));
                }
            }
            V.Store(lanesOut, 0, V.Add(a0, a1));
            T total = SumOfLanes(lanesOut.Slice(0, lanes));
            for (int position = 0; position < positions; position++)
            {
                for (int s = whole; s < count; s++)
                {
                    total = A.Add(total, deltaT[start + (position * count) + s]);
                }
            }
            g[bias + o] = total;
        }
    }

    /// <summary>
    /// The sum of the <paramref name="length"/> values from <paramref name="start"/> (whole vectors): eight chains
    /// of vector additions, then their lanes. The bias gradient of a channel at batch 64 is a run of 64 x positions
    /// values; summed position by position in two chains it waited on the additions' latency (a fifth of the digits
    /// CNN's first weight gradient).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SumOfRun<TVector, TWidth>(ref T start, nint length, Span<T> lanesOut)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        int lanes = V.Count;
        TVector a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero, a4 = V.Zero, a5 = V.Zero, a6 = V.Zero, a7 = V.Zero;
        nint t = 0;
        for (; t + (8 * lanes) <= length; t += 8 * lanes)
        {
            a0 = V.Add(a0, V.LoadAt(ref start, t)); a1 = V.Add(a1, V.LoadAt(ref start, t + lanes));
            a2 = V.Add(a2, V.LoadAt(ref start, t + (2 * lanes))); a3 = V.Add(a3, V.LoadAt(ref start, t + (3 * lanes)));
            a4 = V.Add(a4, V.LoadAt(ref start, t + (4 * lanes))); a5 = V.Add(a5, V.LoadAt(ref start, t + (5 * lanes)));
            a6 = V.Add(a6, V.LoadAt(ref start, t + (6 * lanes))); a7 = V.Add(a7, V.LoadAt(ref start, t + (7 * lanes)));
        }
        for (; t < length; t += lanes)
        {
            a0 = V.Add(a0, V.LoadAt(ref start, t));
        }
        V.Store(lanesOut, 0, V.Add(V.Add(V.Add(a0, a1), V.Add(a2, a3)), V.Add(V.Add(a4, a5), V.Add(a6, a7))));
        return SumOfLanes(lanesOut.Slice(0, lanes));
    }

    /// <summary>
    /// One pass of <see cref="WeightGradientEightChannels"/> for a pair of taps whose windows, like the eight
    /// channels' deltas, run contiguously over the pass's positions and samples (one row, stride 1, no padding):
    /// the 16 sums from <paramref name="pair"/> (or zero when <paramref name="fresh"/>), every value from
    /// <paramref name="start"/> to <paramref name="stop"/> in order, and back into <paramref name="pair"/>. A
    /// method of its own so that its ten streams' references stay in registers: inlined into the kernel, with
    /// the rest of its variables live, the JIT reloaded nine of them from the stack on every iteration (19 loads
    /// per 16 multiply-adds, more than the load ports keep up with).
    /// </summary>
    [MethodImpl(Block)]
    private static void WeightGradientStream<TVector, TWidth>(ref T window0, ref T window1, ref T e0, int stride, nint start, nint stop, Span<T> pair, bool fresh)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        int lanes = V.Count;
        ref T e1 = ref Unsafe.Add(ref e0, stride);
        ref T e2 = ref Unsafe.Add(ref e1, stride);
        ref T e3 = ref Unsafe.Add(ref e2, stride);
        ref T e4 = ref Unsafe.Add(ref e3, stride);
        ref T e5 = ref Unsafe.Add(ref e4, stride);
        ref T e6 = ref Unsafe.Add(ref e5, stride);
        ref T e7 = ref Unsafe.Add(ref e6, stride);
        TVector a00 = fresh ? V.Zero : V.Load(pair, 0), a10 = fresh ? V.Zero : V.Load(pair, lanes);
        TVector a20 = fresh ? V.Zero : V.Load(pair, 2 * lanes), a30 = fresh ? V.Zero : V.Load(pair, 3 * lanes);
        TVector a40 = fresh ? V.Zero : V.Load(pair, 4 * lanes), a50 = fresh ? V.Zero : V.Load(pair, 5 * lanes);
        TVector a60 = fresh ? V.Zero : V.Load(pair, 6 * lanes), a70 = fresh ? V.Zero : V.Load(pair, 7 * lanes);
        TVector a01 = fresh ? V.Zero : V.Load(pair, 8 * lanes), a11 = fresh ? V.Zero : V.Load(pair, 9 * lanes);
        TVector a21 = fresh ? V.Zero : V.Load(pair, 10 * lanes), a31 = fresh ? V.Zero : V.Load(pair, 11 * lanes);
        TVector a41 = fresh ? V.Zero : V.Load(pair, 12 * lanes), a51 = fresh ? V.Zero : V.Load(pair, 13 * lanes);
        TVector a61 = fresh ? V.Zero : V.Load(pair, 14 * lanes), a71 = fresh ? V.Zero : V.Load(pair, 15 * lanes);
        for (nint t = start; t < stop; t += lanes)
        {
            TVector w0 = V.LoadAt(ref window0, t), w1 = V.LoadAt(ref window1, t);
            TVector e = V.LoadAt(ref e0, t);
            a00 = V.MultiplyAdd(e, w0, a00); a01 = V.MultiplyAdd(e, w1, a01);
            e = V.LoadAt(ref e1, t);
            a10 = V.MultiplyAdd(e, w0, a10); a11 = V.MultiplyAdd(e, w1, a11);
            e = V.LoadAt(ref e2, t);
            a20 = V.MultiplyAdd(e, w0, a20); a21 = V.MultiplyAdd(e, w1, a21);
            e = V.LoadAt(ref e3, t);
            a30 = V.MultiplyAdd(e, w0, a30); a31 = V.MultiplyAdd(e, w1, a31);
            e = V.LoadAt(ref e4, t);
            a40 = V.MultiplyAdd(e, w0, a40); a41 = V.MultiplyAdd(e, w1, a41);
            e = V.LoadAt(ref e5, t);
            a50 = V.MultiplyAdd(e, w0, a50); a51 = V.MultiplyAdd(e, w1, a51);
            e = V.LoadAt(ref e6, t);
            a60 = V.MultiplyAdd(e, w0, a60); a61 = V.MultiplyAdd(e, w1, a61);
            e = V.LoadAt(ref e7, t);
            a70 = V.MultiplyAdd(e, w0, a70); a71 = V.MultiplyAdd(e, w1, a71);
        }
        V.Store(pair, 0, a00); V.Store(pair, lanes, a10); V.Store(pair, 2 * lanes, a20); V.Store(pair, 3 * lanes, a30);
        V.Store(pair, 4 * lanes, a40); V.Store(pair, 5 * lanes, a50); V.Store(pair, 6 * lanes, a60); V.Store(pair, 7 * lanes, a70);
        V.Store(pair, 8 * lanes, a01); V.Store(pair, 9 * lanes, a11); V.Store(pair, 10 * lanes, a21); V.Store(pair, 11 * lanes, a31);
        V.Store(pair, 12 * lanes, a41); V.Store(pair, 13 * lanes, a51); V.Store(pair, 14 * lanes, a61); V.Store(pair, 15 * lanes, a71);
    }

    /// <summary>Output channels per block of <see cref="WeightGradientEightChannels"/>.</summary>
    private const int WideBlock = 8;

    /// <summary>Taps per pass of <see cref="WeightGradientEightChannels"/>: the partial sums of 16 pairs (8 KB of vectors per pair at most) stay on the stack.</summary>
    private const int WideTaps = 32;

    /// <summary>
    /// How many bytes of a block's deltas <see cref="WeightGradientEightChannels"/> may stream per pass of a tap pair
    /// before it goes through the positions in passes: about two thirds of a 48 KB L1, the rest for the windows.
    /// </summary>
    private const int WideDeltaBudget = 32 * 1024;

    /// <summary>
    /// The vectors <see cref="ConvolutionParameterGradientsColumns{TLayer, TVector, TWidth}"/> sets aside for
    /// <see cref="WeightGradientEightChannels"/>'s partial sums: 16 per pair of a pass's taps.
    /// </summary>
    private const int WidePartials = WideTaps * WideBlock;

    /// <summary>
    /// Eight output channels from <paramref name="o"/> and each pair of taps: 16 accumulators, so that each loaded
    /// window vector feeds 8 multiply-adds (4 in the four-channel block) and 16 independent chains cover the
    /// multiply-add latency that 8 only just did. For 512-bit vectors only: 16 accumulators and their operands need
    /// AVX-512's 32 registers.
    /// <para>
    /// Each pair of taps streams the block's deltas (8 channels, every position and sample) once. Where those pass
    /// <see cref="WideDeltaBudget"/> (the keyword spotter's second convolution: 118 KB of deltas, 80 taps), they came
    /// from L2 once per pair, 40 times, and the sample-major kernel was quicker; so there the positions go in passes
    /// of as many as keep the deltas in L1 (16 at batch 64), every pair of taps over one pass before the next, each
    /// accumulator carried through <paramref name="partials"/>. Every chain adds the same values in the same order as
    /// in one pass, so the passes do not change the bits. Floats in 512-bit vectors add each accumulator's lanes as a
    /// tree (<c>Simd512.SumsOfSixteen</c>), other element types lane after lane as the four-channel block does. Taps
    /// go <see cref="WideTaps"/> at a time, so that the partial sums stay within 16 KB of stack. The keyword spotter's
    /// training step at batch 64, stopwatch medians of three processes: about 600 us with the sample-major kernel
    /// there, 500-520 with this.
    /// </para>
    /// Compiled on its own, fully optimised at once: with the passes it no longer inlines into its caller, and
    /// the tiered JIT left it at tier 0 for seconds (222 us of the keyword spotter's step, against about 60).
    /// </summary>
    [MethodImpl(Block)]
    private static void WeightGradientEightChannels<TLayer, TVector, TWidth>(ReadOnlySpan<T> xT, ReadOnlySpan<T> deltaT, Span<T> g, int count, int o, int firstIn, Span<T> partials)
        where TLayer : struct, IConvolutionShape
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TLayer layer = default;
        TWidth V = default;
        int lanes = V.Count, whole = count - (count % lanes);
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int positions = outHeight * outWidth, stride = positions * count;
        int kernelHeight = layer.KernelHeight, kernelWidth = layer.KernelWidth, kernelArea = kernelHeight * kernelWidth;
        int taps = GroupTaps<TLayer>();
        int weights = layer.Offset;
        int d0 = o * stride;
        // Positions per pass: as many as keep the block's deltas for every sample in L1, so that every pair of taps
        // after the first reads them from there. Even with few pairs this pays: the digits CNN's first convolution (9
        // taps, 128 KB of deltas at batch 64) took 5.7 us in one pass and 4.15 in four, the kernel alone.
        int positionsPerPass = Math.Max(1, Math.Min(positions, WideDeltaBudget / (WideBlock * count * Unsafe.SizeOf<T>())));
        // Whether every pass's windows and deltas run contiguously (see the loop below).
        bool streams = height == 1 && outHeight == 1 && layer.StrideWidth == 1 && layer.PaddingWidth == 0 && whole == count;
        bool runs = layer.StrideWidth == 1 && whole == count;
        for (int first = 0; first < taps; first += WideTaps)
        {
            int end = Math.Min(taps, first + WideTaps);
            for (int q0 = 0; q0 < positions; q0 += positionsPerPass)
            {
                int q1 = Math.Min(positions, q0 + positionsPerPass);
                for (int k = first; k < end; k += 2)
                {
                    int kNext = Math.Min(k + 1, end - 1);
                    int c0 = k / kernelArea, u0 = (k % kernelArea) / kernelWidth, v0 = k % kernelWidth;
                    int c1 = kNext / kernelArea, u1 = (kNext % kernelArea) / kernelWidth, v1 = kNext % kernelWidth;
                    // This pair's 16 sums: zero at the first position, then where the last pass left them (each chain
                    // goes on in the same order as in one pass, so the bits do not depend on the passes).
                    Span<T> pair = partials.Slice((k - first) * WideBlock * lanes, 2 * WideBlock * lanes);
                    bool fresh = q0 == 0;
                    if (streams)
                    {
                        // One row, stride 1, no padding, whole vectors of samples: a tap's windows over the pass's
                        // positions and samples are one run of values, as are each channel's deltas, so the pass is
                        // one loop over them, in the same order as position by position.
                        WeightGradientStream<TVector, TWidth>(
                            ref Unsafe.Add(ref MemoryMarshal.GetReference(xT), (((firstIn + c0) * width) + (v0 * layer.DilationWidth)) * count),
                            ref Unsafe.Add(ref MemoryMarshal.GetReference(xT), (((firstIn + c1) * width) + (v1 * layer.DilationWidth)) * count),
                            ref Unsafe.Add(ref MemoryMarshal.GetReference(deltaT), d0), stride, (nint)q0 * count, (nint)q1 * count, pair, fresh);
                        continue;
                    }
                    TVector a00 = fresh ? V.Zero : V.Load(pair, 0), a10 = fresh ? V.Zero : V.Load(pair, lanes);
                    TVector a20 = fresh ? V.Zero : V.Load(pair, 2 * lanes), a30 = fresh ? V.Zero : V.Load(pair, 3 * lanes);
                    TVector a40 = fresh ? V.Zero : V.Load(pair, 4 * lanes), a50 = fresh ? V.Zero : V.Load(pair, 5 * lanes);
                    TVector a60 = fresh ? V.Zero : V.Load(pair, 6 * lanes), a70 = fresh ? V.Zero : V.Load(pair, 7 * lanes);
                    TVector a01 = fresh ? V.Zero : V.Load(pair, 8 * lanes), a11 = fresh ? V.Zero : V.Load(pair, 9 * lanes);
                    TVector a21 = fresh ? V.Zero : V.Load(pair, 10 * lanes), a31 = fresh ? V.Zero : V.Load(pair, 11 * lanes);
                    TVector a41 = fresh ? V.Zero : V.Load(pair, 12 * lanes), a51 = fresh ? V.Zero : V.Load(pair, 13 * lanes);
                    TVector a61 = fresh ? V.Zero : V.Load(pair, 14 * lanes), a71 = fresh ? V.Zero : V.Load(pair, 15 * lanes);
                    // A last, odd tap is paired with itself: only its first half of the accumulators runs.
                    bool single = kNext == k;
                    // Stride 1 along a row, whole vectors of samples: the positions of a row from j on whose taps stay
                    // in (or on the padding) together run contiguously through both windows and the deltas, so they
                    // are one loop (a run ends where either tap's valid columns begin or end, or the row or pass does).
                    // Same values in the same order as position by position, so the same bits. With 3 x 3 taps on a
                    // 4 x 4 output (the digits CNN) a position is only 4 vectors of samples; kernel alone, batch 64,
                    // position by position against runs: digits conv1 4.6 -> 4.1 us, conv2 15.3 -> 14.0 us.
                    int lo0 = layer.PaddingWidth - (v0 * layer.DilationWidth), hi0 = lo0 + width;
                    int lo1 = layer.PaddingWidth - (v1 * layer.DilationWidth), hi1 = lo1 + width;
                    for (int q = q0, next; q < q1; q = next)
                    {
                        int i = q / outWidth, j = q - (i * outWidth);
                        next = q + 1;
                        if (runs)
                        {
                            int stop = Math.Min(q1 - (i * outWidth), outWidth);
                            stop = j < lo0 && lo0 < stop ? lo0 : stop;
                            stop = j < hi0 && hi0 < stop ? hi0 : stop;
                            stop = j < lo1 && lo1 < stop ? lo1 : stop;
                            stop = j < hi1 && hi1 < stop ? hi1 : stop;
                            next = (i * outWidth) + stop;
                        }
                        nint length = runs ? (nint)(next - q) * count : whole;
                        int top = (i * layer.StrideHeight) - layer.PaddingHeight;
                        int row0 = top + (u0 * layer.DilationHeight), row1 = top + (u1 * layer.DilationHeight);
                        int left = (j * layer.StrideWidth) - layer.PaddingWidth;
                        int column0 = left + (v0 * layer.DilationWidth), column1 = left + (v1 * layer.DilationWidth);
                        bool in0 = (uint)row0 < (uint)height && (uint)column0 < (uint)width;
                        bool in1 = single ? false : (uint)row1 < (uint)height && (uint)column1 < (uint)width;
                        if (!in0 && !in1)
                        {
                            continue;
                        }
                        // A tap on the padding is skipped (its window values are zero), as in the four-channel block.
                        int at = d0 + (((i * outWidth) + j) * count);
                        int x0 = (((((firstIn + c0) * height) + row0) * width) + column0) * count;
                        int x1 = (((((firstIn + c1) * height) + row1) * width) + column1) * count;
                        if (in0 && in1)
                        {
                            // A reference per stream and one native offset: each load one address, no index arithmetic.
                            ref T window0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(xT), x0);
                            ref T window1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(xT), x1);
                            ref T e0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(deltaT), at);
                            ref T e1 = ref Unsafe.Add(ref e0, stride);
                            ref T e2 = ref Unsafe.Add(ref e1, stride);
                            ref T e3 = ref Unsafe.Add(ref e2, stride);
                            ref T e4 = ref Unsafe.Add(ref e3, stride);
                            ref T e5 = ref Unsafe.Add(ref e4, stride);
                            ref T e6 = ref Unsafe.Add(ref e5, stride);
                            ref T e7 = ref Unsafe.Add(ref e6, stride);
                            for (nint s = 0; s < length; s += lanes)
                            {
                                TVector w0 = V.LoadAt(ref window0, s), w1 = V.LoadAt(ref window1, s);
                                TVector e = V.LoadAt(ref e0, s);
                                a00 = V.MultiplyAdd(e, w0, a00); a01 = V.MultiplyAdd(e, w1, a01);
                                e = V.LoadAt(ref e1, s);
                                a10 = V.MultiplyAdd(e, w0, a10); a11 = V.MultiplyAdd(e, w1, a11);
                                e = V.LoadAt(ref e2, s);
                                a20 = V.MultiplyAdd(e, w0, a20); a21 = V.MultiplyAdd(e, w1, a21);
                                e = V.LoadAt(ref e3, s);
                                a30 = V.MultiplyAdd(e, w0, a30); a31 = V.MultiplyAdd(e, w1, a31);
                                e = V.LoadAt(ref e4, s);
                                a40 = V.MultiplyAdd(e, w0, a40); a41 = V.MultiplyAdd(e, w1, a41);
                                e = V.LoadAt(ref e5, s);
                                a50 = V.MultiplyAdd(e, w0, a50); a51 = V.MultiplyAdd(e, w1, a51);
                                e = V.LoadAt(ref e6, s);
                                a60 = V.MultiplyAdd(e, w0, a60); a61 = V.MultiplyAdd(e, w1, a61);
                                e = V.LoadAt(ref e7, s);
                                a70 = V.MultiplyAdd(e, w0, a70); a71 = V.MultiplyAdd(e, w1, a71);
                            }
                        }
                        else
                        {
                            // One tap on the padding: the other's window against the eight channels' deltas.
                            ref T window = ref Unsafe.Add(ref MemoryMarshal.GetReference(xT), in0 ? x0 : x1);
                            ref T e0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(deltaT), at);
                            ref T e1 = ref Unsafe.Add(ref e0, stride);
                            ref T e2 = ref Unsafe.Add(ref e1, stride);
                            ref T e3 = ref Unsafe.Add(ref e2, stride);
                            ref T e4 = ref Unsafe.Add(ref e3, stride);
                            ref T e5 = ref Unsafe.Add(ref e4, stride);
                            ref T e6 = ref Unsafe.Add(ref e5, stride);
                            ref T e7 = ref Unsafe.Add(ref e6, stride);
                            if (in0)
                            {
                                for (nint s = 0; s < length; s += lanes)
                                {
                                    TVector w0 = V.LoadAt(ref window, s);
                                    a00 = V.MultiplyAdd(V.LoadAt(ref e0, s), w0, a00);
                                    a10 = V.MultiplyAdd(V.LoadAt(ref e1, s), w0, a10);
                                    a20 = V.MultiplyAdd(V.LoadAt(ref e2, s), w0, a20);
                                    a30 = V.MultiplyAdd(V.LoadAt(ref e3, s), w0, a30);
                                    a40 = V.MultiplyAdd(V.LoadAt(ref e4, s), w0, a40);
                                    a50 = V.MultiplyAdd(V.LoadAt(ref e5, s), w0, a50);
                                    a60 = V.MultiplyAdd(V.LoadAt(ref e6, s), w0, a60);
                                    a70 = V.MultiplyAdd(V.LoadAt(ref e7, s), w0, a70);
                                }
                            }
                            else
                            {
                                for (nint s = 0; s < length; s += lanes)
                                {
                                    TVector w1 = V.LoadAt(ref window, s);
                                    a01 = V.MultiplyAdd(V.LoadAt(ref e0, s), w1, a01);
                                    a11 = V.MultiplyAdd(V.LoadAt(ref e1, s), w1, a11);
                                    a21 = V.MultiplyAdd(V.LoadAt(ref e2, s), w1, a21);
                                    a31 = V.MultiplyAdd(V.LoadAt(ref e3, s), w1, a31);
                                    a41 = V.MultiplyAdd(V.LoadAt(ref e4, s), w1, a41);
                                    a51 = V.MultiplyAdd(V.LoadAt(ref e5, s), w1, a51);
                                    a61 = V.MultiplyAdd(V.LoadAt(ref e6, s), w1, a61);
                                    a71 = V.MultiplyAdd(V.LoadAt(ref e7, s), w1, a71);
                                }
                            }
                        }
                    }
                    V.Store(pair, 0, a00); V.Store(pair, lanes, a10); V.Store(pair, 2 * lanes, a20); V.Store(pair, 3 * lanes, a30);
                    V.Store(pair, 4 * lanes, a40); V.Store(pair, 5 * lanes, a50); V.Store(pair, 6 * lanes, a60); V.Store(pair, 7 * lanes, a70);
                    V.Store(pair, 8 * lanes, a01); V.Store(pair, 9 * lanes, a11); V.Store(pair, 10 * lanes, a21); V.Store(pair, 11 * lanes, a31);
                    V.Store(pair, 12 * lanes, a41); V.Store(pair, 13 * lanes, a51); V.Store(pair, 14 * lanes, a61); V.Store(pair, 15 * lanes, a71);
                }
            }
            // The pass's weights: each partial sum's lanes, then the samples past the last whole vector.
            for (int k = first; k < end; k += 2)
            {
                int kNext = Math.Min(k + 1, end - 1);
                Span<T> pair = partials.Slice((k - first) * WideBlock * lanes, 2 * WideBlock * lanes);
                bool summed = SumPairInPlace(pair, lanes);
                for (int r = 0; r < WideBlock; r++)
                {
                    int channel = o + r;
                    T sum0 = summed ? pair[r] : SumOfLanes(pair.Slice(r * lanes, lanes));
                    g[weights + (channel * taps) + k] = WeightGradientTail<TLayer>(xT, deltaT, count, whole, channel, firstIn, k, sum0);
                    if (kNext != k)
                    {
                        T sum1 = summed ? pair[WideBlock + r] : SumOfLanes(pair.Slice((WideBlock + r) * lanes, lanes));
                        g[weights + (channel * taps) + kNext] = WeightGradientTail<TLayer>(xT, deltaT, count, whole, channel, firstIn, kNext, sum1);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Where floats sit 16 to a 512-bit vector, the 16 sums of a pair's accumulators (each one's lanes added) over
    /// the start of <paramref name="pair"/>, in the accumulators' order, by <c>Simd512.SumsOfSixteen</c>;
    /// false, with nothing written, elsewhere (each accumulator's lanes are then added one after another).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SumPairInPlace(Span<T> pair, int lanes)
    {
#if NET8_0_OR_GREATER
        if (typeof(T) == typeof(float) && lanes == 16 && Avx512F.IsSupported)
        {
            Simd512.SumsOfSixteen(MemoryMarshal.Cast<T, float>(pair));
            return true;
        }
#endif
        return false;
    }

    /// <summary>
    /// A weight's gradient from <paramref name="partial"/> (its sum over the whole vectors of samples) plus the
    /// samples from <paramref name="whole"/> on, position by position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T WeightGradientTail<TLayer>(ReadOnlySpan<T> xT, ReadOnlySpan<T> deltaT, int count, int whole, int channel, int firstIn, int k, T partial)
        where TLayer : struct, IConvolutionShape
    {
        if (whole == count)
        {
            return partial;
        }
        TLayer layer = default;
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int kernelArea = layer.KernelHeight * layer.KernelWidth;
        int c = k / kernelArea, u = (k % kernelArea) / layer.KernelWidth, v = k % layer.KernelWidth;
        T total = partial;
        for (int i = 0; i < outHeight; i++)
        {
            int row = (i * layer.StrideHeight) - layer.PaddingHeight + (u * layer.DilationHeight);
            if ((uint)row >= (uint)height)
            {
                continue;
            }
            for (int j = 0; j < outWidth; j++)
            {
                int column = (j * layer.StrideWidth) - layer.PaddingWidth + (v * layer.DilationWidth);
                if ((uint)column >= (uint)width)
                {
                    continue;
                }
                int x = (((((firstIn + c) * height) + row) * width) + column) * count;
                int d = ((channel * outHeight * outWidth) + (i * outWidth) + j) * count;
                for (int s = whole; s < count; s++)
                {
                    total = A.MultiplyAdd(deltaT[d + s], xT[x + s], total);
                }
            }
        }
        return total;
    }

    /// <summary>The values of <paramref name="lanes"/> added in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SumOfLanes(ReadOnlySpan<T> lanes)
    {
        T total = lanes[0];
        for (int k = 1; k < lanes.Length; k++)
        {
            total = A.Add(total, lanes[k]);
        }
        return total;
    }
}
