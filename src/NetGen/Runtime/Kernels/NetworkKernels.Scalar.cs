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
    /// The input gradient in scalars, <c>dx = W^T delta</c> for each sample: four inputs per pass, each
    /// its own running sum over the rows in order from zero, walking down four columns of W together.
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
                int i = 0;
                for (; i + ScalarRows <= inputs; i += ScalarRows)
                {
                    T s0 = A.Zero, s1 = A.Zero, s2 = A.Zero, s3 = A.Zero;
                    T* column = w + i;
                    for (int o = 0; o < outputs; o++, column += inputs)
                    {
                        T d = ds[o];
                        s0 = A.MultiplyAdd(column[0], d, s0);
                        s1 = A.MultiplyAdd(column[1], d, s1);
                        s2 = A.MultiplyAdd(column[2], d, s2);
                        s3 = A.MultiplyAdd(column[3], d, s3);
                    }
                    target[i] = s0;
                    target[i + 1] = s1;
                    target[i + 2] = s2;
                    target[i + 3] = s3;
                }
                for (; i < inputs; i++)
                {
                    T sum = A.Zero;
                    T* column = w + i;
                    for (int o = 0; o < outputs; o++, column += inputs)
                    {
                        sum = A.MultiplyAdd(column[0], ds[o], sum);
                    }
                    target[i] = sum;
                }
            }
        }
    }

    /// <summary>
    /// The parameter gradients in scalars, written over <paramref name="g"/>:
    /// <c>dW[o, i] = sum_s delta[s, o] x[s, i]</c>, <c>db[o] = sum_s delta[s, o]</c>. Four weights of a row
    /// per pass, each its own running sum over the samples in order from zero.
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
            for (int o = 0; o < outputs; o++)
            {
                T* row = gw + (o * inputs);
                int i = 0;
                for (; i + ScalarRows <= inputs; i += ScalarRows)
                {
                    T s0 = A.Zero, s1 = A.Zero, s2 = A.Zero, s3 = A.Zero;
                    T* xs = xStart + i;
                    T* d = deltaStart + o;
                    for (int s = 0; s < count; s++, xs += inputs, d += outputs)
                    {
                        T a = d[0];
                        s0 = A.MultiplyAdd(a, xs[0], s0);
                        s1 = A.MultiplyAdd(a, xs[1], s1);
                        s2 = A.MultiplyAdd(a, xs[2], s2);
                        s3 = A.MultiplyAdd(a, xs[3], s3);
                    }
                    row[i] = s0;
                    row[i + 1] = s1;
                    row[i + 2] = s2;
                    row[i + 3] = s3;
                }
                for (; i < inputs; i++)
                {
                    T sum = A.Zero;
                    for (int s = 0; s < count; s++)
                    {
                        sum = A.MultiplyAdd(deltaStart[(s * outputs) + o], xStart[(s * inputs) + i], sum);
                    }
                    row[i] = sum;
                }
                T bias = A.Zero;
                for (int s = 0; s < count; s++)
                {
                    bias = A.Add(bias, deltaStart[(s * outputs) + o]);
                }
                gb[o] = bias;
            }
        }
    }
}
