using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// The matrix product behind a convolution's forward and input gradient: a small matrix read out of the
// weights times a matrix whose columns are output positions, positions running along the vector lanes.
// Each result is one sum over the reduced index, in index order, in its own lane: no sum is ever split
// across lanes, so every vector width (and the scalar path) adds in the same order, and with the
// deterministic arithmetic gives the same bits.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    // 4 rows x 3 vectors of positions (12 accumulators): each loaded source vector feeds 4 FMAs, each
    // broadcast weight 3; fits the 16 registers of AVX2 with room for the operands.
    private const int ProductRows = 4;
    private const int ProductVectors = 3;

    /// <summary>
    /// <c>target[r * targetStride + j] = bias[r] + sum over k &lt; reduce of M[r, k] * source[k * sourceStride + j]</c>
    /// for r &lt; rows and j &lt; columns, where <c>M[r, k] = p[weights + r * rowStride + k * reduceStride]</c>
    /// and <c>bias[r] = p[bias + r]</c> (no bias where <paramref name="bias"/> is negative). The sum runs
    /// from zero in k order, the bias added last, on every path.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void ConvolutionProduct(
        ReadOnlySpan<T> p, int weights, int rowStride, int reduceStride, int rows, int reduce, int bias,
        ReadOnlySpan<T> source, int sourceStride, Span<T> target, int targetStride, int columns)
    {
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>())
        {
            ConvolutionProduct<Vector512<T>, Vectors512<T, TArithmetic>>(p, weights, rowStride, reduceStride, rows, reduce, bias, source, sourceStride, target, targetStride, columns);
            return;
        }
#endif
        ConvolutionProduct<Vector<T>, NumericsVectors<T, TArithmetic>>(p, weights, rowStride, reduceStride, rows, reduce, bias, source, sourceStride, target, targetStride, columns);
    }

    /// <summary>
    /// The product on one vector width. Rows go 4 at a time (a last, partial block repeats its last row,
    /// so loads stay in range, and stores only the real ones); positions 3 vectors at a time, then one
    /// vector, then a last vector that ends at the last position and overlaps the one before (it computes
    /// the overlapped results again, in the same order, to the same bits), so that no position runs in
    /// scalars unless a row is narrower than a vector. Without hardware vectors every position runs in scalars.
    /// </summary>
    [MethodImpl(Block)]
    private static void ConvolutionProduct<TVector, TWidth>(
        ReadOnlySpan<T> p, int weights, int rowStride, int reduceStride, int rows, int reduce, int bias,
        ReadOnlySpan<T> source, int sourceStride, Span<T> target, int targetStride, int columns)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        int lanes = V.Count;
        bool vectors = Vector.IsHardwareAccelerated && columns >= lanes;
        if (rows == 1 && vectors)
        {
            // One output channel per group (depthwise): a block of 4 rows would compute it 4 times over.
            SingleRowProduct<TVector, TWidth>(p, weights, reduceStride, reduce, bias, source, sourceStride, target, columns);
            return;
        }
        for (int o = 0; o < rows; o += ProductRows)
        {
            int real = Math.Min(ProductRows, rows - o);
            int m0 = weights + (o * rowStride);
            int m1 = weights + (Math.Min(o + 1, rows - 1) * rowStride);
            int m2 = weights + (Math.Min(o + 2, rows - 1) * rowStride);
            int m3 = weights + (Math.Min(o + 3, rows - 1) * rowStride);
            int t0 = o * targetStride;
            int j = 0;
            if (vectors)
            {
                int step = ProductVectors * lanes;
                for (; j + step <= columns; j += step)
                {
                    TVector a00 = V.Zero, a01 = V.Zero, a02 = V.Zero, a10 = V.Zero, a11 = V.Zero, a12 = V.Zero;
                    TVector a20 = V.Zero, a21 = V.Zero, a22 = V.Zero, a30 = V.Zero, a31 = V.Zero, a32 = V.Zero;
                    for (int k = 0; k < reduce; k++)
                    {
                        int at = (k * sourceStride) + j;
                        int m = k * reduceStride;
                        TVector v0 = V.Load(source, at), v1 = V.Load(source, at + lanes), v2 = V.Load(source, at + (2 * lanes));
                        TVector b = V.Broadcast(p, m0 + m);
                        a00 = V.MultiplyAdd(b, v0, a00); a01 = V.MultiplyAdd(b, v1, a01); a02 = V.MultiplyAdd(b, v2, a02);
                        b = V.Broadcast(p, m1 + m);
                        a10 = V.MultiplyAdd(b, v0, a10); a11 = V.MultiplyAdd(b, v1, a11); a12 = V.MultiplyAdd(b, v2, a12);
                        b = V.Broadcast(p, m2 + m);
                        a20 = V.MultiplyAdd(b, v0, a20); a21 = V.MultiplyAdd(b, v1, a21); a22 = V.MultiplyAdd(b, v2, a22);
                        b = V.Broadcast(p, m3 + m);
                        a30 = V.MultiplyAdd(b, v0, a30); a31 = V.MultiplyAdd(b, v1, a31); a32 = V.MultiplyAdd(b, v2, a32);
                    }
                    StoreProductRow<TVector, TWidth>(p, bias, o, target, t0 + j, lanes, a00, a01, a02);
                    if (real > 1) StoreProductRow<TVector, TWidth>(p, bias, o + 1, target, t0 + targetStride + j, lanes, a10, a11, a12);
                    if (real > 2) StoreProductRow<TVector, TWidth>(p, bias, o + 2, target, t0 + (2 * targetStride) + j, lanes, a20, a21, a22);
                    if (real > 3) StoreProductRow<TVector, TWidth>(p, bias, o + 3, target, t0 + (3 * targetStride) + j, lanes, a30, a31, a32);
                }
                while (j < columns)
                {
                    // Whole vectors, then one that ends at the last column (overlapping: the same results again).
                    if (j + lanes > columns)
                    {
                        j = columns - lanes;
                    }
                    TVector a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
                    for (int k = 0; k < reduce; k++)
                    {
                        int m = k * reduceStride;
                        TVector v = V.Load(source, (k * sourceStride) + j);
                        a0 = V.MultiplyAdd(V.Broadcast(p, m0 + m), v, a0);
                        a1 = V.MultiplyAdd(V.Broadcast(p, m1 + m), v, a1);
                        a2 = V.MultiplyAdd(V.Broadcast(p, m2 + m), v, a2);
                        a3 = V.MultiplyAdd(V.Broadcast(p, m3 + m), v, a3);
                    }
                    StoreProductRow<TVector, TWidth>(p, bias, o, target, t0 + j, 0, a0, default, default);
                    if (real > 1) StoreProductRow<TVector, TWidth>(p, bias, o + 1, target, t0 + targetStride + j, 0, a1, default, default);
                    if (real > 2) StoreProductRow<TVector, TWidth>(p, bias, o + 2, target, t0 + (2 * targetStride) + j, 0, a2, default, default);
                    if (real > 3) StoreProductRow<TVector, TWidth>(p, bias, o + 3, target, t0 + (3 * targetStride) + j, 0, a3, default, default);
                    j += lanes;
                }
            }
            for (; j < columns; j++)
            {
                T c0 = A.Zero, c1 = A.Zero, c2 = A.Zero, c3 = A.Zero;
                for (int k = 0; k < reduce; k++)
                {
                    int m = k * reduceStride;
                    T u = source[(k * sourceStride) + j];
                    c0 = A.MultiplyAdd(p[m0 + m], u, c0);
                    c1 = A.MultiplyAdd(p[m1 + m], u, c1);
                    c2 = A.MultiplyAdd(p[m2 + m], u, c2);
                    c3 = A.MultiplyAdd(p[m3 + m], u, c3);
                }
                StoreProductValue(p, bias, o, target, t0 + j, c0);
                if (real > 1) StoreProductValue(p, bias, o + 1, target, t0 + targetStride + j, c1);
                if (real > 2) StoreProductValue(p, bias, o + 2, target, t0 + (2 * targetStride) + j, c2);
                if (real > 3) StoreProductValue(p, bias, o + 3, target, t0 + (3 * targetStride) + j, c3);
            }
        }
    }

    /// <summary>
    /// The product for a matrix of one row: 4 vectors of positions at a time (4 independent chains of
    /// multiply-adds), then one vector, then a last one that overlaps the one before, as the blocks above.
    /// </summary>
    [MethodImpl(Block)]
    private static void SingleRowProduct<TVector, TWidth>(
        ReadOnlySpan<T> p, int weights, int reduceStride, int reduce, int bias,
        ReadOnlySpan<T> source, int sourceStride, Span<T> target, int columns)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        int lanes = V.Count;
        int j = 0;
        for (; j + (4 * lanes) <= columns; j += 4 * lanes)
        {
            TVector a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
            for (int k = 0; k < reduce; k++)
            {
                int at = (k * sourceStride) + j;
                TVector b = V.Broadcast(p, weights + (k * reduceStride));
                a0 = V.MultiplyAdd(b, V.Load(source, at), a0);
                a1 = V.MultiplyAdd(b, V.Load(source, at + lanes), a1);
                a2 = V.MultiplyAdd(b, V.Load(source, at + (2 * lanes)), a2);
                a3 = V.MultiplyAdd(b, V.Load(source, at + (3 * lanes)), a3);
            }
            StoreProductRow<TVector, TWidth>(p, bias, 0, target, j, 0, a0, default, default);
            StoreProductRow<TVector, TWidth>(p, bias, 0, target, j + lanes, 0, a1, default, default);
            StoreProductRow<TVector, TWidth>(p, bias, 0, target, j + (2 * lanes), 0, a2, default, default);
            StoreProductRow<TVector, TWidth>(p, bias, 0, target, j + (3 * lanes), 0, a3, default, default);
        }
        while (j < columns)
        {
            if (j + lanes > columns)
            {
                j = columns - lanes;
            }
            TVector a = V.Zero;
            for (int k = 0; k < reduce; k++)
            {
                a = V.MultiplyAdd(V.Broadcast(p, weights + (k * reduceStride)), V.Load(source, (k * sourceStride) + j), a);
            }
            StoreProductRow<TVector, TWidth>(p, bias, 0, target, j, 0, a, default, default);
            j += lanes;
        }
    }

    /// <summary>Stores one row's vectors (3 when <paramref name="second"/> is their spacing, 1 when it is 0), plus the row's bias where there is one, through ReLU where <paramref name="relu"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreProductRow<TVector, TWidth>(ReadOnlySpan<T> p, int bias, int row, Span<T> target, int at, int second, TVector v0, TVector v1, TVector v2, bool relu = false)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        if (bias >= 0)
        {
            TVector b = V.Broadcast(p, bias + row);
            v0 = V.Add(v0, b);
            v1 = V.Add(v1, b);
            v2 = V.Add(v2, b);
        }
        if (relu)
        {
            // A ReLU layer fused into the feature-major convolution's stores (inference).
            v0 = V.ReLU(v0);
            v1 = V.ReLU(v1);
            v2 = V.ReLU(v2);
        }
        V.Store(target, at, v0);
        if (second != 0)
        {
            V.Store(target, at + second, v1);
            V.Store(target, at + (2 * second), v2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreProductValue(ReadOnlySpan<T> p, int bias, int row, Span<T> target, int at, T value)
        => target[at] = bias >= 0 ? A.Add(value, p[bias + row]) : value;
}
