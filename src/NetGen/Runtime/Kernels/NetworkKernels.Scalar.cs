using System;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// The Linear kernels in scalars: what runs where vectors are not hardware-accelerated (Mono without its
// SIMD, some Unity players, DOTNET_EnableHWIntrinsic=0) and for layers narrower than a vector. Shaped
// for Mono's JIT as much as .NET's: each kernel pins its spans once and walks raw pointers (Mono neither
// removes span bounds checks nor inlines the portable spans' accessors), and each pass computes a block
// of four outputs for two samples (or two rows), so that every value loaded feeds two to four of eight
// independent chains of multiply-adds. On float with the default arithmetic the kernels hand over to
// their written-out twins (NetworkKernels.ScalarFloat.cs): Mono spills a generic kernel's every
// multiply-add through the stack, and that, not the loads, was most of the training step's time.
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
    /// sample-major: four rows of W per pass over two samples' inputs (eight running sums).
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
            if (typeof(TArithmetic) == typeof(FloatArithmetic))
            {
                ScalarFloatKernels.Forward((float*)parameters, (float*)xStart, (float*)yStart, inputs, outputs, layer.Offset, count);
                return;
            }
            T* w = parameters + layer.Offset;
            T* b = w + (inputs * outputs);
            int s = 0;
            // Two samples per pass: each weight loaded feeds both, each input four rows (eight chains).
            for (; s + 2 <= count; s += 2)
            {
                T* xa = xStart + (s * inputs);
                T* xb = xa + inputs;
                T* ya = yStart + (s * outputs);
                T* yb = ya + outputs;
                int o = 0;
                for (; o + ScalarRows <= outputs; o += ScalarRows)
                {
                    T* r0 = w + (o * inputs);
                    T* r1 = r0 + inputs;
                    T* r2 = r1 + inputs;
                    T* r3 = r2 + inputs;
                    T a0 = b[o], a1 = b[o + 1], a2 = b[o + 2], a3 = b[o + 3];
                    T b0 = a0, b1 = a1, b2 = a2, b3 = a3;
                    for (int i = 0; i < inputs; i++)
                    {
                        T v = xa[i], u = xb[i];
                        T w0 = r0[i], w1 = r1[i], w2 = r2[i], w3 = r3[i];
                        a0 = A.MultiplyAdd(w0, v, a0);
                        b0 = A.MultiplyAdd(w0, u, b0);
                        a1 = A.MultiplyAdd(w1, v, a1);
                        b1 = A.MultiplyAdd(w1, u, b1);
                        a2 = A.MultiplyAdd(w2, v, a2);
                        b2 = A.MultiplyAdd(w2, u, b2);
                        a3 = A.MultiplyAdd(w3, v, a3);
                        b3 = A.MultiplyAdd(w3, u, b3);
                    }
                    ya[o] = a0;
                    ya[o + 1] = a1;
                    ya[o + 2] = a2;
                    ya[o + 3] = a3;
                    yb[o] = b0;
                    yb[o + 1] = b1;
                    yb[o + 2] = b2;
                    yb[o + 3] = b3;
                }
                for (; o < outputs; o++)
                {
                    T* r = w + (o * inputs);
                    T sa = b[o], sb = sa;
                    for (int i = 0; i < inputs; i++)
                    {
                        sa = A.MultiplyAdd(r[i], xa[i], sa);
                        sb = A.MultiplyAdd(r[i], xb[i], sb);
                    }
                    ya[o] = sa;
                    yb[o] = sb;
                }
            }
            // The odd sample left over: four rows per pass.
            for (; s < count; s++)
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
    /// The input gradient in scalars, <c>dx = W^T delta</c> for each sample: four inputs of two samples per
    /// pass, each its own running sum over the rows in order from zero, walking down four columns of W together.
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
            if (typeof(TArithmetic) == typeof(FloatArithmetic))
            {
                ScalarFloatKernels.InputGradient((float*)parameters, (float*)deltaStart, (float*)dxStart, inputs, outputs, layer.Offset, count);
                return;
            }
            T* w = parameters + layer.Offset;
            int s = 0;
            // Two samples per pass: each weight loaded feeds both, each delta four inputs (eight chains).
            for (; s + 2 <= count; s += 2)
            {
                T* da = deltaStart + (s * outputs);
                T* db = da + outputs;
                T* ta = dxStart + (s * inputs);
                T* tb = ta + inputs;
                int i = 0;
                for (; i + ScalarRows <= inputs; i += ScalarRows)
                {
                    T a0 = A.Zero, a1 = A.Zero, a2 = A.Zero, a3 = A.Zero;
                    T b0 = A.Zero, b1 = A.Zero, b2 = A.Zero, b3 = A.Zero;
                    T* column = w + i;
                    for (int o = 0; o < outputs; o++, column += inputs)
                    {
                        T d = da[o], e = db[o];
                        T w0 = column[0], w1 = column[1], w2 = column[2], w3 = column[3];
                        a0 = A.MultiplyAdd(w0, d, a0);
                        b0 = A.MultiplyAdd(w0, e, b0);
                        a1 = A.MultiplyAdd(w1, d, a1);
                        b1 = A.MultiplyAdd(w1, e, b1);
                        a2 = A.MultiplyAdd(w2, d, a2);
                        b2 = A.MultiplyAdd(w2, e, b2);
                        a3 = A.MultiplyAdd(w3, d, a3);
                        b3 = A.MultiplyAdd(w3, e, b3);
                    }
                    ta[i] = a0;
                    ta[i + 1] = a1;
                    ta[i + 2] = a2;
                    ta[i + 3] = a3;
                    tb[i] = b0;
                    tb[i + 1] = b1;
                    tb[i + 2] = b2;
                    tb[i + 3] = b3;
                }
                for (; i < inputs; i++)
                {
                    T sa = A.Zero, sb = A.Zero;
                    T* column = w + i;
                    for (int o = 0; o < outputs; o++, column += inputs)
                    {
                        sa = A.MultiplyAdd(column[0], da[o], sa);
                        sb = A.MultiplyAdd(column[0], db[o], sb);
                    }
                    ta[i] = sa;
                    tb[i] = sb;
                }
            }
            // The odd sample left over: four inputs per pass.
            for (; s < count; s++)
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
    /// <c>dW[o, i] = sum_s delta[s, o] x[s, i]</c>, <c>db[o] = sum_s delta[s, o]</c>. Four weights of two rows
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
            if (typeof(TArithmetic) == typeof(FloatArithmetic))
            {
                ScalarFloatKernels.ParameterGradients((float*)xStart, (float*)deltaStart, (float*)gStart, inputs, outputs, layer.Offset, count);
                return;
            }
            T* gw = gStart + layer.Offset;
            T* gb = gw + (inputs * outputs);
            int o = 0;
            // Two rows per pass: each input loaded feeds both, each delta four weights (eight chains).
            for (; o + 2 <= outputs; o += 2)
            {
                T* rowA = gw + (o * inputs);
                T* rowB = rowA + inputs;
                int i = 0;
                for (; i + ScalarRows <= inputs; i += ScalarRows)
                {
                    T a0 = A.Zero, a1 = A.Zero, a2 = A.Zero, a3 = A.Zero;
                    T b0 = A.Zero, b1 = A.Zero, b2 = A.Zero, b3 = A.Zero;
                    T* xs = xStart + i;
                    T* d = deltaStart + o;
                    for (int s = 0; s < count; s++, xs += inputs, d += outputs)
                    {
                        T da = d[0], db = d[1];
                        T x0 = xs[0], x1 = xs[1], x2 = xs[2], x3 = xs[3];
                        a0 = A.MultiplyAdd(da, x0, a0);
                        b0 = A.MultiplyAdd(db, x0, b0);
                        a1 = A.MultiplyAdd(da, x1, a1);
                        b1 = A.MultiplyAdd(db, x1, b1);
                        a2 = A.MultiplyAdd(da, x2, a2);
                        b2 = A.MultiplyAdd(db, x2, b2);
                        a3 = A.MultiplyAdd(da, x3, a3);
                        b3 = A.MultiplyAdd(db, x3, b3);
                    }
                    rowA[i] = a0;
                    rowA[i + 1] = a1;
                    rowA[i + 2] = a2;
                    rowA[i + 3] = a3;
                    rowB[i] = b0;
                    rowB[i + 1] = b1;
                    rowB[i + 2] = b2;
                    rowB[i + 3] = b3;
                }
                for (; i < inputs; i++)
                {
                    T sa = A.Zero, sb = A.Zero;
                    for (int s = 0; s < count; s++)
                    {
                        T v = xStart[(s * inputs) + i];
                        sa = A.MultiplyAdd(deltaStart[(s * outputs) + o], v, sa);
                        sb = A.MultiplyAdd(deltaStart[(s * outputs) + o + 1], v, sb);
                    }
                    rowA[i] = sa;
                    rowB[i] = sb;
                }
                T biasA = A.Zero, biasB = A.Zero;
                for (int s = 0; s < count; s++)
                {
                    biasA = A.Add(biasA, deltaStart[(s * outputs) + o]);
                    biasB = A.Add(biasB, deltaStart[(s * outputs) + o + 1]);
                }
                gb[o] = biasA;
                gb[o + 1] = biasB;
            }
            // The odd row left over: four weights per pass.
            for (; o < outputs; o++)
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
