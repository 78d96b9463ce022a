using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// A convolution's parameter gradients, one sample at a time, added onto the running sums: the weight
// gradient with the filter taps along the vector lanes, so that each gradient is one sum over the
// batch's positions in order, in its own lane, whatever the vector width.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// <c>gw[o * taps + t] += sum over j of delta[o * positions + j] * byPosition[j * taps + t]</c>, the
    /// sum added term by term in j order onto the value already there.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void AccumulateWeightGradient(ReadOnlySpan<T> delta, ReadOnlySpan<T> byPosition, Span<T> gw, int rows, int taps, int positions)
    {
        if (!Vector.IsHardwareAccelerated)
        {
            AccumulateWeightGradientScalar(delta, byPosition, gw, 0, rows, 0, taps, taps, positions);
            return;
        }
#if NET8_0_OR_GREATER
        // 512 bits only where the taps fill its blocks: with fewer, more of them would fall to the scalar tail.
        if (Simd512.IsWorthwhile<T>() && taps >= ProductVectors * Vector512<T>.Count)
        {
            AccumulateWeightGradient<Vector512<T>, Vectors512<T, TArithmetic>>(delta, byPosition, gw, rows, taps, positions);
            return;
        }
#endif
        AccumulateWeightGradient<Vector<T>, NumericsVectors<T, TArithmetic>>(delta, byPosition, gw, rows, taps, positions);
    }

    /// <summary>
    /// The weight gradient on one vector width: 4 rows x 3 vectors of taps (12 accumulators, each
    /// broadcast delta feeding 3 FMAs, each loaded window vector 4), then 4 rows x 1 vector, then the
    /// taps left over in scalars. A last, partial block of rows repeats its last row and stores only the
    /// real ones.
    /// </summary>
    [MethodImpl(Block)]
    private static void AccumulateWeightGradient<TVector, TWidth>(ReadOnlySpan<T> delta, ReadOnlySpan<T> byPosition, Span<T> gw, int rows, int taps, int positions)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        int lanes = V.Count;
        int step = ProductVectors * lanes;
        int vectorEnd = taps - (taps % lanes);
        for (int o = 0; o < rows; o += ProductRows)
        {
            int real = Math.Min(ProductRows, rows - o);
            int r1 = Math.Min(o + 1, rows - 1), r2 = Math.Min(o + 2, rows - 1), r3 = Math.Min(o + 3, rows - 1);
            int d0 = o * positions, d1 = r1 * positions, d2 = r2 * positions, d3 = r3 * positions;
            int g0 = o * taps, g1 = r1 * taps, g2 = r2 * taps, g3 = r3 * taps;
            int t = 0;
            for (; t + step <= vectorEnd; t += step)
            {
                TVector a00 = V.Load(gw, g0 + t), a01 = V.Load(gw, g0 + t + lanes), a02 = V.Load(gw, g0 + t + (2 * lanes));
                TVector a10 = V.Load(gw, g1 + t), a11 = V.Load(gw, g1 + t + lanes), a12 = V.Load(gw, g1 + t + (2 * lanes));
                TVector a20 = V.Load(gw, g2 + t), a21 = V.Load(gw, g2 + t + lanes), a22 = V.Load(gw, g2 + t + (2 * lanes));
                TVector a30 = V.Load(gw, g3 + t), a31 = V.Load(gw, g3 + t + lanes), a32 = V.Load(gw, g3 + t + (2 * lanes));
                for (int j = 0; j < positions; j++)
                {
                    int at = (j * taps) + t;
                    TVector v0 = V.Load(byPosition, at), v1 = V.Load(byPosition, at + lanes), v2 = V.Load(byPosition, at + (2 * lanes));
                    TVector b = V.Broadcast(delta, d0 + j);
                    a00 = V.MultiplyAdd(b, v0, a00); a01 = V.MultiplyAdd(b, v1, a01); a02 = V.MultiplyAdd(b, v2, a02);
                    b = V.Broadcast(delta, d1 + j);
                    a10 = V.MultiplyAdd(b, v0, a10); a11 = V.MultiplyAdd(b, v1, a11); a12 = V.MultiplyAdd(b, v2, a12);
                    b = V.Broadcast(delta, d2 + j);
                    a20 = V.MultiplyAdd(b, v0, a20); a21 = V.MultiplyAdd(b, v1, a21); a22 = V.MultiplyAdd(b, v2, a22);
                    b = V.Broadcast(delta, d3 + j);
                    a30 = V.MultiplyAdd(b, v0, a30); a31 = V.MultiplyAdd(b, v1, a31); a32 = V.MultiplyAdd(b, v2, a32);
                }
                StoreGradientTaps<TVector, TWidth>(gw, g0 + t, lanes, a00, a01, a02);
                if (real > 1) StoreGradientTaps<TVector, TWidth>(gw, g1 + t, lanes, a10, a11, a12);
                if (real > 2) StoreGradientTaps<TVector, TWidth>(gw, g2 + t, lanes, a20, a21, a22);
                if (real > 3) StoreGradientTaps<TVector, TWidth>(gw, g3 + t, lanes, a30, a31, a32);
            }
            for (; t < vectorEnd; t += lanes)
            {
                TVector a0 = V.Load(gw, g0 + t), a1 = V.Load(gw, g1 + t), a2 = V.Load(gw, g2 + t), a3 = V.Load(gw, g3 + t);
                for (int j = 0; j < positions; j++)
                {
                    TVector v = V.Load(byPosition, (j * taps) + t);
                    a0 = V.MultiplyAdd(V.Broadcast(delta, d0 + j), v, a0);
                    a1 = V.MultiplyAdd(V.Broadcast(delta, d1 + j), v, a1);
                    a2 = V.MultiplyAdd(V.Broadcast(delta, d2 + j), v, a2);
                    a3 = V.MultiplyAdd(V.Broadcast(delta, d3 + j), v, a3);
                }
                V.Store(gw, g0 + t, a0);
                if (real > 1) V.Store(gw, g1 + t, a1);
                if (real > 2) V.Store(gw, g2 + t, a2);
                if (real > 3) V.Store(gw, g3 + t, a3);
            }
            if (t < taps)
            {
                AccumulateWeightGradientScalar(delta, byPosition, gw, o, o + real, t, taps, taps, positions);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreGradientTaps<TVector, TWidth>(Span<T> gw, int at, int lanes, TVector a0, TVector a1, TVector a2)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        V.Store(gw, at, a0);
        V.Store(gw, at + lanes, a1);
        V.Store(gw, at + (2 * lanes), a2);
    }

    /// <summary>The weight gradient of rows [firstRow, endRow) and taps [firstTap, endTap) in scalars, in the same order as the vector blocks.</summary>
    [MethodImpl(Optimized)]
    private static void AccumulateWeightGradientScalar(ReadOnlySpan<T> delta, ReadOnlySpan<T> byPosition, Span<T> gw, int firstRow, int endRow, int firstTap, int endTap, int taps, int positions)
    {
        for (int o = firstRow; o < endRow; o++)
        {
            int d = o * positions;
            for (int t = firstTap; t < endTap; t++)
            {
                T sum = gw[(o * taps) + t];
                for (int j = 0; j < positions; j++)
                {
                    sum = A.MultiplyAdd(delta[d + j], byPosition[(j * taps) + t], sum);
                }
                gw[(o * taps) + t] = sum;
            }
        }
    }

    /// <summary><c>gb[o] += sum over j of delta[o * positions + j]</c>, added term by term in j order; 4 rows at once to overlap their additions.</summary>
    [MethodImpl(Optimized)]
    private static void AccumulateBiasGradient(ReadOnlySpan<T> delta, Span<T> gb, int rows, int positions)
    {
        int o = 0;
        for (; o + 4 <= rows; o += 4)
        {
            T b0 = gb[o], b1 = gb[o + 1], b2 = gb[o + 2], b3 = gb[o + 3];
            int d0 = o * positions;
            for (int j = 0; j < positions; j++)
            {
                b0 = A.Add(b0, delta[d0 + j]);
                b1 = A.Add(b1, delta[d0 + positions + j]);
                b2 = A.Add(b2, delta[d0 + (2 * positions) + j]);
                b3 = A.Add(b3, delta[d0 + (3 * positions) + j]);
            }
            gb[o] = b0;
            gb[o + 1] = b1;
            gb[o + 2] = b2;
            gb[o + 3] = b3;
        }
        for (; o < rows; o++)
        {
            T sum = gb[o];
            for (int j = 0; j < positions; j++)
            {
                sum = A.Add(sum, delta[(o * positions) + j]);
            }
            gb[o] = sum;
        }
    }
}
