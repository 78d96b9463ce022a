using System;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// The Linear kernels in scalars: what runs where vectors are not hardware-accelerated (Mono without its
// SIMD, some Unity players, DOTNET_EnableHWIntrinsic=0) and for layers narrower than a vector. Shaped
// for Mono's JIT as much as .NET's: each kernel pins its spans once and walks raw pointers (Mono neither
// removes span bounds checks nor inlines the portable spans' accessors), and each pass computes four
// outputs, so that one load of an input feeds four independent chains of multiply-adds.
//
// Each output is still the same sum in the same order as a plain loop computes it (over the inputs in
// order, from the bias or from zero), so these kernels give the same bits as the one-output-at-a-time
// loops they replace, and the deterministic networks' hashes do not move.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>Outputs computed per pass of the scalar kernels: four independent chains of multiply-adds.</summary>
    private const int ScalarRows = 4;

    /// <summary>
    /// The forward in scalars, <c>y = W x + b</c> for each of <paramref name="count"/> samples,
    /// sample-major: four rows of W per pass over a sample's inputs.
    /// </summary>
    [MethodImpl(Optimized)]
    public static unsafe void LinearForwardScalar<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs;
        fixed (T* parameters = p)
        fixed (T* xStart = x)
        fixed (T* yStart = y)
        {
            T* w = parameters + layer.Offset;
            T* b = w + (inputs * outputs);
            for (int s = 0; s < count; s++)
            {
                T* xs = xStart + (s * inputs);
                T* ys = yStart + (s * outputs);
                int o = 0;
                for (; o + ScalarRows <= outputs; o += ScalarRows)
                {
                    T* r0 = w + (o * inputs);
                    T* r1 = r0 + inputs;
                    T* r2 = r1 + inputs;
                    T* r3 = r2 + inputs;
                    T s0 = b[o], s1 = b[o + 1], s2 = b[o + 2], s3 = b[o + 3];
                    // Two inputs per iteration: half the loop's own work (Mono does not unroll), the same order.
                    int i = 0;
                    for (; i + 2 <= inputs; i += 2)
                    {
                        T v = xs[i], u = xs[i + 1];
                        s0 = A.MultiplyAdd(r0[i + 1], u, A.MultiplyAdd(r0[i], v, s0));
                        s1 = A.MultiplyAdd(r1[i + 1], u, A.MultiplyAdd(r1[i], v, s1));
                        s2 = A.MultiplyAdd(r2[i + 1], u, A.MultiplyAdd(r2[i], v, s2));
                        s3 = A.MultiplyAdd(r3[i + 1], u, A.MultiplyAdd(r3[i], v, s3));
                    }
                    if (i < inputs)
                    {
                        T v = xs[i];
                        s0 = A.MultiplyAdd(r0[i], v, s0);
                        s1 = A.MultiplyAdd(r1[i], v, s1);
                        s2 = A.MultiplyAdd(r2[i], v, s2);
                        s3 = A.MultiplyAdd(r3[i], v, s3);
                    }
                    ys[o] = s0;
                    ys[o + 1] = s1;
                    ys[o + 2] = s2;
                    ys[o + 3] = s3;
                }
                for (; o < outputs; o++)
                {
                    T* r = w + (o * inputs);
                    T sum = b[o];
                    for (int i = 0; i < inputs; i++)
                    {
                        sum = A.MultiplyAdd(r[i], xs[i], sum);
                    }
                    ys[o] = sum;
                }
            }
        }
    }

    /// <summary>
    /// The input gradient in scalars, <c>dx = W^T delta</c> for each sample: walks W row by row (its
    /// memory order) and adds four rows' terms to each element of dx per pass. Each element is still the
    /// sum over the rows in order, from zero.
    /// </summary>
    [MethodImpl(Optimized)]
    public static unsafe void LinearInputGradientScalar<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs;
        fixed (T* parameters = p)
        fixed (T* deltaStart = delta)
        fixed (T* dxStart = dx)
        {
            T* w = parameters + layer.Offset;
            for (int s = 0; s < count; s++)
            {
                T* ds = deltaStart + (s * outputs);
                T* target = dxStart + (s * inputs);
                for (int i = 0; i < inputs; i++)
                {
                    target[i] = A.Zero;
                }
                int o = 0;
                for (; o + ScalarRows <= outputs; o += ScalarRows)
                {
                    T* r0 = w + (o * inputs);
                    T* r1 = r0 + inputs;
                    T* r2 = r1 + inputs;
                    T* r3 = r2 + inputs;
                    T d0 = ds[o], d1 = ds[o + 1], d2 = ds[o + 2], d3 = ds[o + 3];
                    for (int i = 0; i < inputs; i++)
                    {
                        target[i] = A.MultiplyAdd(r3[i], d3, A.MultiplyAdd(r2[i], d2, A.MultiplyAdd(r1[i], d1, A.MultiplyAdd(r0[i], d0, target[i]))));
                    }
                }
                for (; o < outputs; o++)
                {
                    T* r = w + (o * inputs);
                    T d = ds[o];
                    for (int i = 0; i < inputs; i++)
                    {
                        target[i] = A.MultiplyAdd(r[i], d, target[i]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The parameter gradients in scalars, written over <paramref name="g"/>:
    /// <c>dW[o, i] = sum_s delta[s, o] x[s, i]</c>, <c>db[o] = sum_s delta[s, o]</c>. Walks the samples
    /// four at a time and adds their four terms to each weight gradient per pass, two rows at once; each
    /// element is still the sum over the samples in order, from zero.
    /// </summary>
    [MethodImpl(Optimized)]
    public static unsafe void LinearParameterGradientsScalar<TLayer>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> g, int count)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs;
        fixed (T* xStart = x)
        fixed (T* deltaStart = delta)
        fixed (T* gStart = g)
        {
            T* gw = gStart + layer.Offset;
            T* gb = gw + (inputs * outputs);
            int o = 0;
            for (; o + 2 <= outputs; o += 2)
            {
                T* g0 = gw + (o * inputs);
                T* g1 = g0 + inputs;
                for (int i = 0; i < inputs; i++)
                {
                    g0[i] = A.Zero;
                    g1[i] = A.Zero;
                }
                int s = 0;
                for (; s + ScalarRows <= count; s += ScalarRows)
                {
                    T* x0 = xStart + (s * inputs);
                    T* x1 = x0 + inputs;
                    T* x2 = x1 + inputs;
                    T* x3 = x2 + inputs;
                    T* d = deltaStart + (s * outputs) + o;
                    T a0 = d[0], a1 = d[outputs], a2 = d[2 * outputs], a3 = d[3 * outputs];
                    T b0 = d[1], b1 = d[outputs + 1], b2 = d[(2 * outputs) + 1], b3 = d[(3 * outputs) + 1];
                    for (int i = 0; i < inputs; i++)
                    {
                        T v0 = x0[i], v1 = x1[i], v2 = x2[i], v3 = x3[i];
                        g0[i] = A.MultiplyAdd(a3, v3, A.MultiplyAdd(a2, v2, A.MultiplyAdd(a1, v1, A.MultiplyAdd(a0, v0, g0[i]))));
                        g1[i] = A.MultiplyAdd(b3, v3, A.MultiplyAdd(b2, v2, A.MultiplyAdd(b1, v1, A.MultiplyAdd(b0, v0, g1[i]))));
                    }
                }
                for (; s < count; s++)
                {
                    T* xs = xStart + (s * inputs);
                    T a = deltaStart[(s * outputs) + o], b = deltaStart[(s * outputs) + o + 1];
                    for (int i = 0; i < inputs; i++)
                    {
                        T v = xs[i];
                        g0[i] = A.MultiplyAdd(a, v, g0[i]);
                        g1[i] = A.MultiplyAdd(b, v, g1[i]);
                    }
                }
            }
            for (; o < outputs; o++)
            {
                T* g0 = gw + (o * inputs);
                for (int i = 0; i < inputs; i++)
                {
                    g0[i] = A.Zero;
                }
                for (int s = 0; s < count; s++)
                {
                    T* xs = xStart + (s * inputs);
                    T a = deltaStart[(s * outputs) + o];
                    for (int i = 0; i < inputs; i++)
                    {
                        g0[i] = A.MultiplyAdd(a, xs[i], g0[i]);
                    }
                }
            }
            for (o = 0; o < outputs; o++)
            {
                T sum = A.Zero;
                for (int s = 0; s < count; s++)
                {
                    sum = A.Add(sum, deltaStart[(s * outputs) + o]);
                }
                gb[o] = sum;
            }
        }
    }
}
