using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// Linear layers on a feature-major batch (value i of sample s at [i * count + s]): samples run along the
// vector lanes, so each broadcast weight feeds a whole vector of samples and the weights stream once
// per block of samples rather than once per sample.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    // 6 rows x 2 vectors of samples keep 12 accumulators: each broadcast weight feeds 2 FMAs, each loaded
    // activation vector 6. Where the machine has 32 vector registers (AVX-512), 6 rows x 4 vectors keep 24:
    // 10 loads per 24 FMAs instead of 8 per 12, which is what lets 512-bit FMAs run at the machine's peak
    // (784x128 at batch 64: about 170 -> 220 GFLOP/s against a 227 GFLOP/s roofline, kernel alone).
    private const int ColumnRows = 6;

    /// <summary>
    /// Whether the JIT has 32 vector registers to allocate (AVX-512, at any vector width), enough for the
    /// 24 accumulators of <see cref="ColumnsBlockOfFour"/>; with 16 they would spill. A JIT-time constant.
    /// </summary>
    private static bool HasThirtyTwoVectorRegisters
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET8_0_OR_GREATER
        get => System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
#else
        get => false;
#endif
    }

    /// <summary><c>yT = W xT + b</c> for a feature-major batch of <paramref name="count"/> samples.</summary>
    [MethodImpl(Optimized)]
    public static void LinearForwardColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> xT, Span<T> yT, int count)
        where TLayer : struct, ILinearShape
    {
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>())
        {
            ColumnsProduct<Vector512<T>, Vectors512<T, TArithmetic>, WeightRows<TLayer>>(p, xT, yT, count);
            return;
        }
#endif
        ColumnsProduct<Vector<T>, NumericsVectors<T, TArithmetic>, WeightRows<TLayer>>(p, xT, yT, count);
    }

    /// <summary>
    /// <c>yT = ReLU(W xT + b)</c> for a feature-major batch: <see cref="LinearForwardColumns{TLayer}"/> with the
    /// ReLU layer after it applied as each sum is stored, to the same bits as the two passes, without the
    /// second pass over the activations (inference, where nothing needs the values before ReLU).
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LinearReLUForwardColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> xT, Span<T> yT, int count)
        where TLayer : struct, ILinearShape
    {
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>())
        {
            ColumnsProduct<Vector512<T>, Vectors512<T, TArithmetic>, WeightRowsThenReLU<TLayer>>(p, xT, yT, count);
            return;
        }
#endif
        ColumnsProduct<Vector<T>, NumericsVectors<T, TArithmetic>, WeightRowsThenReLU<TLayer>>(p, xT, yT, count);
    }

    /// <summary>
    /// The input gradient <c>dxT = W^T deltaT</c> for a feature-major batch: rows of dxT are columns of
    /// W, so a block of 6 of them reads 6 neighbouring weights of each row of W.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LinearInputGradientColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> deltaT, Span<T> dxT, int count)
        where TLayer : struct, ILinearShape
    {
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>())
        {
            ColumnsProduct<Vector512<T>, Vectors512<T, TArithmetic>, WeightColumns<TLayer>>(p, deltaT, dxT, count);
            return;
        }
#endif
        ColumnsProduct<Vector<T>, NumericsVectors<T, TArithmetic>, WeightColumns<TLayer>>(p, deltaT, dxT, count);
    }

    /// <summary>
    /// <c>target[r, s] = bias[r] + sum over k of M[r, k] * source[k, s]</c> for the Rows x Reduce matrix M
    /// that <typeparamref name="TMatrix"/> describes (W itself for the forward, W^T for the input
    /// gradient), both sides feature-major. Rows go 6 at a time; samples 2 vectors at a time, then 1, then
    /// one by one. A last, partial block of rows repeats its last row (loads stay in range) and stores only
    /// the real ones. Every size comes from the type arguments, so each layer's copy has them as constants.
    /// </summary>
    [MethodImpl(Block)]
    private static void ColumnsProduct<TVector, TWidth, TMatrix>(ReadOnlySpan<T> p, ReadOnlySpan<T> source, Span<T> target, int count)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
        where TMatrix : struct, IMatrixView
    {
        TWidth V = default;
        // Without hardware vectors (where only the deterministic mode runs feature-major) the scalar loop
        // below takes every sample: emulated vectors are far slower, and add in the same order anyway.
        int vectorSamples = Vector.IsHardwareAccelerated ? count : 0;
        TMatrix matrix = default;
        int weights = matrix.Weights, rowStride = matrix.RowStride, reduceStride = matrix.ReduceStride;
        int rows = matrix.Rows, reduce = matrix.Reduce, bias = matrix.Bias;
        bool relu = matrix.ReLU;
        int lanes = V.Count;
        for (int o = 0; o < rows; o += ColumnRows)
        {
            if (HasThirtyTwoVectorRegisters && (rows - o == 7 || rows - o == 8) && vectorSamples >= lanes)
            {
                // The last 7 or 8 rows at once rather than 6 and a block of 1 or 2: every block streams the
                // whole input once, so the small last block cost nearly a full one (784x128 at batch 64: 2.4
                // of 57 us for its 2 rows).
                ColumnsLastEightRows<TVector, TWidth, TMatrix>(p, source, target, count, o);
                break;
            }
            int real = Math.Min(ColumnRows, rows - o);
            int m0 = weights + (o * rowStride);
            int m1 = weights + (Math.Min(o + 1, rows - 1) * rowStride);
            int m2 = weights + (Math.Min(o + 2, rows - 1) * rowStride);
            int m3 = weights + (Math.Min(o + 3, rows - 1) * rowStride);
            int m4 = weights + (Math.Min(o + 4, rows - 1) * rowStride);
            int m5 = weights + (Math.Min(o + 5, rows - 1) * rowStride);
            int s = 0;
            if (HasThirtyTwoVectorRegisters)
            {
                for (; s + (4 * lanes) <= vectorSamples; s += 4 * lanes)
                {
                    ColumnsBlockOfFour<TVector, TWidth>(p, source, target, count, s, reduce, reduceStride, bias, relu, o, real, m0, m1, m2, m3, m4, m5);
                }
            }
            for (; s + (2 * lanes) <= vectorSamples; s += 2 * lanes)
            {
                TVector a00 = V.Zero, a01 = V.Zero, a10 = V.Zero, a11 = V.Zero, a20 = V.Zero, a21 = V.Zero;
                TVector a30 = V.Zero, a31 = V.Zero, a40 = V.Zero, a41 = V.Zero, a50 = V.Zero, a51 = V.Zero;
                for (int k = 0; k < reduce; k++)
                {
                    int column = (k * count) + s;
                    int m = k * reduceStride;
                    TVector v0 = V.Load(source, column), v1 = V.Load(source, column + lanes);
                    TVector b = V.Broadcast(p, m0 + m);
                    a00 = V.MultiplyAdd(b, v0, a00); a01 = V.MultiplyAdd(b, v1, a01);
                    b = V.Broadcast(p, m1 + m);
                    a10 = V.MultiplyAdd(b, v0, a10); a11 = V.MultiplyAdd(b, v1, a11);
                    b = V.Broadcast(p, m2 + m);
                    a20 = V.MultiplyAdd(b, v0, a20); a21 = V.MultiplyAdd(b, v1, a21);
                    b = V.Broadcast(p, m3 + m);
                    a30 = V.MultiplyAdd(b, v0, a30); a31 = V.MultiplyAdd(b, v1, a31);
                    b = V.Broadcast(p, m4 + m);
                    a40 = V.MultiplyAdd(b, v0, a40); a41 = V.MultiplyAdd(b, v1, a41);
                    b = V.Broadcast(p, m5 + m);
                    a50 = V.MultiplyAdd(b, v0, a50); a51 = V.MultiplyAdd(b, v1, a51);
                }
                StoreColumnRow<TVector, TWidth>(p, bias, o, target, (o * count) + s, lanes, a00, a01, relu);
                if (real > 1) StoreColumnRow<TVector, TWidth>(p, bias, o + 1, target, ((o + 1) * count) + s, lanes, a10, a11, relu);
                if (real > 2) StoreColumnRow<TVector, TWidth>(p, bias, o + 2, target, ((o + 2) * count) + s, lanes, a20, a21, relu);
                if (real > 3) StoreColumnRow<TVector, TWidth>(p, bias, o + 3, target, ((o + 3) * count) + s, lanes, a30, a31, relu);
                if (real > 4) StoreColumnRow<TVector, TWidth>(p, bias, o + 4, target, ((o + 4) * count) + s, lanes, a40, a41, relu);
                if (real > 5) StoreColumnRow<TVector, TWidth>(p, bias, o + 5, target, ((o + 5) * count) + s, lanes, a50, a51, relu);
            }
            for (; s + lanes <= vectorSamples; s += lanes)
            {
                TVector a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero, a4 = V.Zero, a5 = V.Zero;
                for (int k = 0; k < reduce; k++)
                {
                    int m = k * reduceStride;
                    TVector v = V.Load(source, (k * count) + s);
                    a0 = V.MultiplyAdd(V.Broadcast(p, m0 + m), v, a0);
                    a1 = V.MultiplyAdd(V.Broadcast(p, m1 + m), v, a1);
                    a2 = V.MultiplyAdd(V.Broadcast(p, m2 + m), v, a2);
                    a3 = V.MultiplyAdd(V.Broadcast(p, m3 + m), v, a3);
                    a4 = V.MultiplyAdd(V.Broadcast(p, m4 + m), v, a4);
                    a5 = V.MultiplyAdd(V.Broadcast(p, m5 + m), v, a5);
                }
                StoreColumnRow<TVector, TWidth>(p, bias, o, target, (o * count) + s, 0, a0, default, relu);
                if (real > 1) StoreColumnRow<TVector, TWidth>(p, bias, o + 1, target, ((o + 1) * count) + s, 0, a1, default, relu);
                if (real > 2) StoreColumnRow<TVector, TWidth>(p, bias, o + 2, target, ((o + 2) * count) + s, 0, a2, default, relu);
                if (real > 3) StoreColumnRow<TVector, TWidth>(p, bias, o + 3, target, ((o + 3) * count) + s, 0, a3, default, relu);
                if (real > 4) StoreColumnRow<TVector, TWidth>(p, bias, o + 4, target, ((o + 4) * count) + s, 0, a4, default, relu);
                if (real > 5) StoreColumnRow<TVector, TWidth>(p, bias, o + 5, target, ((o + 5) * count) + s, 0, a5, default, relu);
            }
            for (; s < count; s++)
            {
                T c0 = A.Zero, c1 = A.Zero, c2 = A.Zero, c3 = A.Zero, c4 = A.Zero, c5 = A.Zero;
                for (int k = 0; k < reduce; k++)
                {
                    int m = k * reduceStride;
                    T u = source[(k * count) + s];
                    c0 = A.MultiplyAdd(p[m0 + m], u, c0);
                    c1 = A.MultiplyAdd(p[m1 + m], u, c1);
                    c2 = A.MultiplyAdd(p[m2 + m], u, c2);
                    c3 = A.MultiplyAdd(p[m3 + m], u, c3);
                    c4 = A.MultiplyAdd(p[m4 + m], u, c4);
                    c5 = A.MultiplyAdd(p[m5 + m], u, c5);
                }
                StoreColumnValue(p, bias, o, target, (o * count) + s, c0, relu);
                if (real > 1) StoreColumnValue(p, bias, o + 1, target, ((o + 1) * count) + s, c1, relu);
                if (real > 2) StoreColumnValue(p, bias, o + 2, target, ((o + 2) * count) + s, c2, relu);
                if (real > 3) StoreColumnValue(p, bias, o + 3, target, ((o + 3) * count) + s, c3, relu);
                if (real > 4) StoreColumnValue(p, bias, o + 4, target, ((o + 4) * count) + s, c4, relu);
                if (real > 5) StoreColumnValue(p, bias, o + 5, target, ((o + 5) * count) + s, c5, relu);
            }
        }
    }

    /// <summary>
    /// The last 7 or 8 rows of <see cref="ColumnsProduct"/> from row <paramref name="o"/> (a 7th repeats its
    /// last row and stores only the real ones), for every sample: 8 rows by 3 vectors of samples (24
    /// accumulators), then by 1 vector, then samples one by one; each sum in the same order as every block.
    /// </summary>
    [MethodImpl(Block)]
    private static void ColumnsLastEightRows<TVector, TWidth, TMatrix>(ReadOnlySpan<T> p, ReadOnlySpan<T> source, Span<T> target, int count, int o)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
        where TMatrix : struct, IMatrixView
    {
        TWidth V = default;
        TMatrix matrix = default;
        int weights = matrix.Weights, rowStride = matrix.RowStride, reduceStride = matrix.ReduceStride;
        int rows = matrix.Rows, reduce = matrix.Reduce, bias = matrix.Bias;
        bool relu = matrix.ReLU;
        int lanes = V.Count;
        int real = rows - o;
        int m0 = weights + (o * rowStride), m1 = m0 + rowStride, m2 = m1 + rowStride, m3 = m2 + rowStride;
        int m4 = m3 + rowStride, m5 = m4 + rowStride, m6 = m5 + rowStride, m7 = weights + (Math.Min(o + 7, rows - 1) * rowStride);
        int s = 0;
        for (; s + (3 * lanes) <= count; s += 3 * lanes)
        {
            TVector a00 = V.Zero, a01 = V.Zero, a02 = V.Zero, a10 = V.Zero, a11 = V.Zero, a12 = V.Zero;
            TVector a20 = V.Zero, a21 = V.Zero, a22 = V.Zero, a30 = V.Zero, a31 = V.Zero, a32 = V.Zero;
            TVector a40 = V.Zero, a41 = V.Zero, a42 = V.Zero, a50 = V.Zero, a51 = V.Zero, a52 = V.Zero;
            TVector a60 = V.Zero, a61 = V.Zero, a62 = V.Zero, a70 = V.Zero, a71 = V.Zero, a72 = V.Zero;
            for (int k = 0; k < reduce; k++)
            {
                int column = (k * count) + s;
                int m = k * reduceStride;
                TVector v0 = V.Load(source, column), v1 = V.Load(source, column + lanes), v2 = V.Load(source, column + (2 * lanes));
                TVector b = V.Broadcast(p, m0 + m);
                a00 = V.MultiplyAdd(b, v0, a00); a01 = V.MultiplyAdd(b, v1, a01); a02 = V.MultiplyAdd(b, v2, a02);
                b = V.Broadcast(p, m1 + m);
                a10 = V.MultiplyAdd(b, v0, a10); a11 = V.MultiplyAdd(b, v1, a11); a12 = V.MultiplyAdd(b, v2, a12);
                b = V.Broadcast(p, m2 + m);
                a20 = V.MultiplyAdd(b, v0, a20); a21 = V.MultiplyAdd(b, v1, a21); a22 = V.MultiplyAdd(b, v2, a22);
                b = V.Broadcast(p, m3 + m);
                a30 = V.MultiplyAdd(b, v0, a30); a31 = V.MultiplyAdd(b, v1, a31); a32 = V.MultiplyAdd(b, v2, a32);
                b = V.Broadcast(p, m4 + m);
                a40 = V.MultiplyAdd(b, v0, a40); a41 = V.MultiplyAdd(b, v1, a41); a42 = V.MultiplyAdd(b, v2, a42);
                b = V.Broadcast(p, m5 + m);
                a50 = V.MultiplyAdd(b, v0, a50); a51 = V.MultiplyAdd(b, v1, a51); a52 = V.MultiplyAdd(b, v2, a52);
                b = V.Broadcast(p, m6 + m);
                a60 = V.MultiplyAdd(b, v0, a60); a61 = V.MultiplyAdd(b, v1, a61); a62 = V.MultiplyAdd(b, v2, a62);
                b = V.Broadcast(p, m7 + m);
                a70 = V.MultiplyAdd(b, v0, a70); a71 = V.MultiplyAdd(b, v1, a71); a72 = V.MultiplyAdd(b, v2, a72);
            }
            StoreRowOfThree<TVector, TWidth>(p, bias, o, target, (o * count) + s, a00, a01, a02, relu);
            StoreRowOfThree<TVector, TWidth>(p, bias, o + 1, target, ((o + 1) * count) + s, a10, a11, a12, relu);
            StoreRowOfThree<TVector, TWidth>(p, bias, o + 2, target, ((o + 2) * count) + s, a20, a21, a22, relu);
            StoreRowOfThree<TVector, TWidth>(p, bias, o + 3, target, ((o + 3) * count) + s, a30, a31, a32, relu);
            StoreRowOfThree<TVector, TWidth>(p, bias, o + 4, target, ((o + 4) * count) + s, a40, a41, a42, relu);
            StoreRowOfThree<TVector, TWidth>(p, bias, o + 5, target, ((o + 5) * count) + s, a50, a51, a52, relu);
            StoreRowOfThree<TVector, TWidth>(p, bias, o + 6, target, ((o + 6) * count) + s, a60, a61, a62, relu);
            if (real > 7)
            {
                StoreRowOfThree<TVector, TWidth>(p, bias, o + 7, target, ((o + 7) * count) + s, a70, a71, a72, relu);
            }
        }
        for (; s + lanes <= count; s += lanes)
        {
            TVector a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero, a4 = V.Zero, a5 = V.Zero, a6 = V.Zero, a7 = V.Zero;
            for (int k = 0; k < reduce; k++)
            {
                int m = k * reduceStride;
                TVector v = V.Load(source, (k * count) + s);
                a0 = V.MultiplyAdd(V.Broadcast(p, m0 + m), v, a0);
                a1 = V.MultiplyAdd(V.Broadcast(p, m1 + m), v, a1);
                a2 = V.MultiplyAdd(V.Broadcast(p, m2 + m), v, a2);
                a3 = V.MultiplyAdd(V.Broadcast(p, m3 + m), v, a3);
                a4 = V.MultiplyAdd(V.Broadcast(p, m4 + m), v, a4);
                a5 = V.MultiplyAdd(V.Broadcast(p, m5 + m), v, a5);
                a6 = V.MultiplyAdd(V.Broadcast(p, m6 + m), v, a6);
                a7 = V.MultiplyAdd(V.Broadcast(p, m7 + m), v, a7);
            }
            StoreColumnRow<TVector, TWidth>(p, bias, o, target, (o * count) + s, 0, a0, default, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 1, target, ((o + 1) * count) + s, 0, a1, default, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 2, target, ((o + 2) * count) + s, 0, a2, default, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 3, target, ((o + 3) * count) + s, 0, a3, default, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 4, target, ((o + 4) * count) + s, 0, a4, default, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 5, target, ((o + 5) * count) + s, 0, a5, default, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 6, target, ((o + 6) * count) + s, 0, a6, default, relu);
            if (real > 7) StoreColumnRow<TVector, TWidth>(p, bias, o + 7, target, ((o + 7) * count) + s, 0, a7, default, relu);
        }
        for (; s < count; s++)
        {
            for (int row = o; row < rows; row++)
            {
                int mr = weights + (row * rowStride);
                T c = A.Zero;
                for (int k = 0; k < reduce; k++)
                {
                    c = A.MultiplyAdd(p[mr + (k * reduceStride)], source[(k * count) + s], c);
                }
                StoreColumnValue(p, bias, row, target, (row * count) + s, c, relu);
            }
        }
    }

    /// <summary>
    /// One block of <see cref="ColumnsProduct"/>: 6 rows (those at m0..m5) by 4 vectors of samples from
    /// <paramref name="s"/>, 24 accumulators. A method of its own so that the JIT allocates its registers
    /// apart from the loops around it; the sums run over k in the same order as every other block, so the
    /// bits are the same whichever block a sample falls in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnsBlockOfFour<TVector, TWidth>(
        ReadOnlySpan<T> p, ReadOnlySpan<T> source, Span<T> target, int count, int s, int reduce, int reduceStride, int bias, bool relu, int o, int real,
        int m0, int m1, int m2, int m3, int m4, int m5)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        int lanes = V.Count;
        TVector a00 = V.Zero, a01 = V.Zero, a02 = V.Zero, a03 = V.Zero, a10 = V.Zero, a11 = V.Zero, a12 = V.Zero, a13 = V.Zero;
        TVector a20 = V.Zero, a21 = V.Zero, a22 = V.Zero, a23 = V.Zero, a30 = V.Zero, a31 = V.Zero, a32 = V.Zero, a33 = V.Zero;
        TVector a40 = V.Zero, a41 = V.Zero, a42 = V.Zero, a43 = V.Zero, a50 = V.Zero, a51 = V.Zero, a52 = V.Zero, a53 = V.Zero;
        for (int k = 0; k < reduce; k++)
        {
            int column = (k * count) + s;
            int m = k * reduceStride;
            TVector v0 = V.Load(source, column), v1 = V.Load(source, column + lanes);
            TVector v2 = V.Load(source, column + (2 * lanes)), v3 = V.Load(source, column + (3 * lanes));
            TVector b = V.Broadcast(p, m0 + m);
            a00 = V.MultiplyAdd(b, v0, a00); a01 = V.MultiplyAdd(b, v1, a01); a02 = V.MultiplyAdd(b, v2, a02); a03 = V.MultiplyAdd(b, v3, a03);
            b = V.Broadcast(p, m1 + m);
            a10 = V.MultiplyAdd(b, v0, a10); a11 = V.MultiplyAdd(b, v1, a11); a12 = V.MultiplyAdd(b, v2, a12); a13 = V.MultiplyAdd(b, v3, a13);
            b = V.Broadcast(p, m2 + m);
            a20 = V.MultiplyAdd(b, v0, a20); a21 = V.MultiplyAdd(b, v1, a21); a22 = V.MultiplyAdd(b, v2, a22); a23 = V.MultiplyAdd(b, v3, a23);
            b = V.Broadcast(p, m3 + m);
            a30 = V.MultiplyAdd(b, v0, a30); a31 = V.MultiplyAdd(b, v1, a31); a32 = V.MultiplyAdd(b, v2, a32); a33 = V.MultiplyAdd(b, v3, a33);
            b = V.Broadcast(p, m4 + m);
            a40 = V.MultiplyAdd(b, v0, a40); a41 = V.MultiplyAdd(b, v1, a41); a42 = V.MultiplyAdd(b, v2, a42); a43 = V.MultiplyAdd(b, v3, a43);
            b = V.Broadcast(p, m5 + m);
            a50 = V.MultiplyAdd(b, v0, a50); a51 = V.MultiplyAdd(b, v1, a51); a52 = V.MultiplyAdd(b, v2, a52); a53 = V.MultiplyAdd(b, v3, a53);
        }
        int half = 2 * lanes;
        StoreColumnRow<TVector, TWidth>(p, bias, o, target, (o * count) + s, lanes, a00, a01, relu);
        StoreColumnRow<TVector, TWidth>(p, bias, o, target, (o * count) + s + half, lanes, a02, a03, relu);
        if (real > 1)
        {
            StoreColumnRow<TVector, TWidth>(p, bias, o + 1, target, ((o + 1) * count) + s, lanes, a10, a11, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 1, target, ((o + 1) * count) + s + half, lanes, a12, a13, relu);
        }
        if (real > 2)
        {
            StoreColumnRow<TVector, TWidth>(p, bias, o + 2, target, ((o + 2) * count) + s, lanes, a20, a21, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 2, target, ((o + 2) * count) + s + half, lanes, a22, a23, relu);
        }
        if (real > 3)
        {
            StoreColumnRow<TVector, TWidth>(p, bias, o + 3, target, ((o + 3) * count) + s, lanes, a30, a31, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 3, target, ((o + 3) * count) + s + half, lanes, a32, a33, relu);
        }
        if (real > 4)
        {
            StoreColumnRow<TVector, TWidth>(p, bias, o + 4, target, ((o + 4) * count) + s, lanes, a40, a41, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 4, target, ((o + 4) * count) + s + half, lanes, a42, a43, relu);
        }
        if (real > 5)
        {
            StoreColumnRow<TVector, TWidth>(p, bias, o + 5, target, ((o + 5) * count) + s, lanes, a50, a51, relu);
            StoreColumnRow<TVector, TWidth>(p, bias, o + 5, target, ((o + 5) * count) + s + half, lanes, a52, a53, relu);
        }
    }

    /// <summary>Stores three consecutive vectors of one row, as <see cref="StoreColumnRow"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRowOfThree<TVector, TWidth>(ReadOnlySpan<T> p, int bias, int row, Span<T> target, int at, TVector first, TVector second, TVector third, bool relu)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        int lanes = default(TWidth).Count;
        StoreColumnRow<TVector, TWidth>(p, bias, row, target, at, lanes, first, second, relu);
        StoreColumnRow<TVector, TWidth>(p, bias, row, target, at + (2 * lanes), 0, third, default, relu);
    }

    /// <summary>
    /// Stores one row's vector (two when <paramref name="second"/> is non-zero, its offset), plus the row's
    /// bias where there is one, then through ReLU where <paramref name="relu"/> (a JIT-time constant): the
    /// values a ReLU layer after it would compute, without a pass of their own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumnRow<TVector, TWidth>(ReadOnlySpan<T> p, int bias, int row, Span<T> target, int at, int second, TVector first, TVector next, bool relu)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        if (bias >= 0)
        {
            TVector b = V.Broadcast(p, bias + row);
            first = V.Add(first, b);
            next = V.Add(next, b);
        }
        if (relu)
        {
            first = V.ReLU(first);
            next = V.ReLU(next);
        }
        V.Store(target, at, first);
        if (second != 0)
        {
            V.Store(target, at + second, next);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumnValue(ReadOnlySpan<T> p, int bias, int row, Span<T> target, int at, T value, bool relu)
    {
        T sum = bias >= 0 ? A.Add(value, p[bias + row]) : value;
        target[at] = relu && A.LessThan(sum, A.Zero) ? A.Zero : sum;
    }

    /// <summary>A matrix read out of the parameters: where its entries are, its shape, and its bias (-1: none).</summary>
    private interface IMatrixView
    {
        int Weights { get; }

        int RowStride { get; }

        int ReduceStride { get; }

        int Rows { get; }

        int Reduce { get; }

        int Bias { get; }

        /// <summary>Whether each sum goes through ReLU as it is stored (a ReLU layer fused into the product).</summary>
        bool ReLU { get; }
    }

    /// <summary>A Linear layer's W as it is stored, with its bias: the forward's matrix.</summary>
    private readonly struct WeightRows<TLayer> : IMatrixView
        where TLayer : struct, ILinearShape
    {
        public int Weights => default(TLayer).Offset;

        public int RowStride => default(TLayer).Inputs;

        public int ReduceStride => 1;

        public int Rows => default(TLayer).Outputs;

        public int Reduce => default(TLayer).Inputs;

        public int Bias => default(TLayer).Offset + (default(TLayer).Inputs * default(TLayer).Outputs);

        public bool ReLU => false;
    }

    /// <summary>The forward's matrix with the ReLU layer that follows it fused in: each sum stored through ReLU.</summary>
    private readonly struct WeightRowsThenReLU<TLayer> : IMatrixView
        where TLayer : struct, ILinearShape
    {
        public int Weights => default(WeightRows<TLayer>).Weights;

        public int RowStride => default(WeightRows<TLayer>).RowStride;

        public int ReduceStride => default(WeightRows<TLayer>).ReduceStride;

        public int Rows => default(WeightRows<TLayer>).Rows;

        public int Reduce => default(WeightRows<TLayer>).Reduce;

        public int Bias => default(WeightRows<TLayer>).Bias;

        public bool ReLU => true;
    }

    /// <summary>A Linear layer's W^T, read in place, without a bias: the input gradient's matrix.</summary>
    private readonly struct WeightColumns<TLayer> : IMatrixView
        where TLayer : struct, ILinearShape
    {
        public int Weights => default(TLayer).Offset;

        public int RowStride => 1;

        public int ReduceStride => default(TLayer).Inputs;

        public int Rows => default(TLayer).Inputs;

        public int Reduce => default(TLayer).Outputs;

        public int Bias => -1;

        public bool ReLU => false;
    }
}
