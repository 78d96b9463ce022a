using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// A Linear layer's parameter gradients, dW = sum over samples of delta x^T and db = sum of delta, from
// sample-major activations and deltas (the feature-major passes transpose both first: transposing is
// linear in the batch, the gradient linear in batch times weights).
public abstract partial class NetworkKernels<T, TArithmetic>
{
    // 4 rows x 3 vectors of inputs (12 accumulators): each broadcast delta feeds 3 FMAs, each input vector 4.
    private const int GradientRows = 4;

    /// <summary>
    /// Writes the layer's weight and bias gradients over <paramref name="g"/> (not added to it):
    /// <c>dW[o, i] = sum_s delta[s, o] x[s, i]</c>, <c>db[o] = sum_s delta[s, o]</c>.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LinearParameterGradients<TLayer>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> g, int count)
        where TLayer : struct, ILinearShape
    {
        if (!Vector.IsHardwareAccelerated)
        {
            LinearParameterGradientsScalar<TLayer>(x, delta, g, count);
            return;
        }
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>())
        {
            ParameterGradients<Vector512<T>, Vectors512<T, TArithmetic>, TLayer>(x, delta, g, count);
            return;
        }
        ParameterGradients<Vector<T>, NumericsVectors<T, TArithmetic>, TLayer>(x, delta, g, count);
#else
        // Mono's JIT calls the span kernel's loads instead of loading: the pinned twin loads (NetworkKernels.Pointers.cs).
        ParameterGradientsPinned<TLayer>(x, delta, g, count);
#endif
    }

    [MethodImpl(Block)]
    private static void ParameterGradients<TVector, TWidth, TLayer>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> g, int count)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
        where TLayer : struct, ILinearShape
    {
        TWidth V = default;
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs, weights = layer.Offset;
        int lanes = V.Count;
        int vectorEnd = inputs - (inputs % lanes);
        int step = 3 * lanes;
        for (int o = 0; o < outputs; o += GradientRows)
        {
            // A last, partial block repeats its last row's delta (reads stay in range) and stores only the real rows.
            int real = Math.Min(GradientRows, outputs - o);
            int r1 = Math.Min(o + 1, outputs - 1), r2 = Math.Min(o + 2, outputs - 1), r3 = Math.Min(o + 3, outputs - 1);
            int g0 = weights + (o * inputs);
            int i = 0;
            for (; i + step <= vectorEnd; i += step)
            {
                TVector a00 = V.Zero, a01 = V.Zero, a02 = V.Zero, a10 = V.Zero, a11 = V.Zero, a12 = V.Zero;
                TVector a20 = V.Zero, a21 = V.Zero, a22 = V.Zero, a30 = V.Zero, a31 = V.Zero, a32 = V.Zero;
                for (int s = 0; s < count; s++)
                {
                    int xs = (s * inputs) + i, d = s * outputs;
                    TVector v0 = V.Load(x, xs), v1 = V.Load(x, xs + lanes), v2 = V.Load(x, xs + (2 * lanes));
                    TVector b = V.Broadcast(delta, d + o);
                    a00 = V.MultiplyAdd(b, v0, a00); a01 = V.MultiplyAdd(b, v1, a01); a02 = V.MultiplyAdd(b, v2, a02);
                    b = V.Broadcast(delta, d + r1);
                    a10 = V.MultiplyAdd(b, v0, a10); a11 = V.MultiplyAdd(b, v1, a11); a12 = V.MultiplyAdd(b, v2, a12);
                    b = V.Broadcast(delta, d + r2);
                    a20 = V.MultiplyAdd(b, v0, a20); a21 = V.MultiplyAdd(b, v1, a21); a22 = V.MultiplyAdd(b, v2, a22);
                    b = V.Broadcast(delta, d + r3);
                    a30 = V.MultiplyAdd(b, v0, a30); a31 = V.MultiplyAdd(b, v1, a31); a32 = V.MultiplyAdd(b, v2, a32);
                }
                StoreGradientRow<TVector, TWidth>(g, g0 + i, lanes, a00, a01, a02);
                if (real > 1) StoreGradientRow<TVector, TWidth>(g, g0 + inputs + i, lanes, a10, a11, a12);
                if (real > 2) StoreGradientRow<TVector, TWidth>(g, g0 + (2 * inputs) + i, lanes, a20, a21, a22);
                if (real > 3) StoreGradientRow<TVector, TWidth>(g, g0 + (3 * inputs) + i, lanes, a30, a31, a32);
            }
            for (; i < vectorEnd; i += lanes)
            {
                TVector a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
                for (int s = 0; s < count; s++)
                {
                    int d = s * outputs;
                    TVector v = V.Load(x, (s * inputs) + i);
                    a0 = V.MultiplyAdd(V.Broadcast(delta, d + o), v, a0);
                    a1 = V.MultiplyAdd(V.Broadcast(delta, d + r1), v, a1);
                    a2 = V.MultiplyAdd(V.Broadcast(delta, d + r2), v, a2);
                    a3 = V.MultiplyAdd(V.Broadcast(delta, d + r3), v, a3);
                }
                V.Store(g, g0 + i, a0);
                if (real > 1) V.Store(g, g0 + inputs + i, a1);
                if (real > 2) V.Store(g, g0 + (2 * inputs) + i, a2);
                if (real > 3) V.Store(g, g0 + (3 * inputs) + i, a3);
            }
            for (; i < inputs; i++)
            {
                T c0 = A.Zero, c1 = A.Zero, c2 = A.Zero, c3 = A.Zero;
                for (int s = 0; s < count; s++)
                {
                    T u = x[(s * inputs) + i];
                    int d = s * outputs;
                    c0 = A.MultiplyAdd(delta[d + o], u, c0);
                    c1 = A.MultiplyAdd(delta[d + r1], u, c1);
                    c2 = A.MultiplyAdd(delta[d + r2], u, c2);
                    c3 = A.MultiplyAdd(delta[d + r3], u, c3);
                }
                g[g0 + i] = c0;
                if (real > 1) g[g0 + inputs + i] = c1;
                if (real > 2) g[g0 + (2 * inputs) + i] = c2;
                if (real > 3) g[g0 + (3 * inputs) + i] = c3;
            }
        }

        // db: the deltas summed over samples, a vector of outputs at a time.
        int bias = weights + (inputs * outputs);
        int outputEnd = outputs - (outputs % lanes);
        for (int o = 0; o < outputEnd; o += lanes)
        {
            TVector sum = V.Zero;
            for (int s = 0; s < count; s++)
            {
                sum = V.Add(sum, V.Load(delta, (s * outputs) + o));
            }
            V.Store(g, bias + o, sum);
        }
        for (int o = outputEnd; o < outputs; o++)
        {
            T sum = A.Zero;
            for (int s = 0; s < count; s++)
            {
                sum = A.Add(sum, delta[(s * outputs) + o]);
            }
            g[bias + o] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreGradientRow<TVector, TWidth>(Span<T> g, int at, int lanes, TVector a0, TVector a1, TVector a2)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        V.Store(g, at, a0);
        V.Store(g, at + lanes, a1);
        V.Store(g, at + (2 * lanes), a2);
    }
}
