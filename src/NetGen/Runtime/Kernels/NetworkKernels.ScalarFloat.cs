using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// The scalar Linear kernels of NetworkKernels.Scalar.cs written out on float, for the default float
// arithmetic only. Mono's JIT keeps a generic kernel's running sums in stack slots and copies every
// argument of the inlined FloatArithmetic.MultiplyAdd through a stack temporary, several memory
// operations per multiply-add; on plain floats the same expression is a load, a multiply and an add.
// Each output is the same sum in the same order ((w * x) + sum over the inputs in order, as
// FloatArithmetic.MultiplyAdd computes it), so the results are the generic kernels' bits. The
// deterministic arithmetic never comes here: its kernels stay exactly as they were.
internal static class ScalarFloatKernels
{
    private const MethodImplOptions Optimized = (MethodImplOptions)512;

    /// <summary>Outputs computed per pass: see the generic kernels.</summary>
    private const int ScalarRows = 4;

    /// <summary>
    /// The forward in scalars, <c>y = W x + b</c> for each of <paramref name="count"/> samples,
    /// sample-major: four rows of W per pass over two samples' inputs (eight running sums).
    /// </summary>
    [MethodImpl(Optimized)]
    internal static unsafe void Forward(float* parameters, float* xStart, float* yStart, int inputs, int outputs, int offset, int count)
    {
        float* w = parameters + offset;
        float* b = w + (inputs * outputs);
        int s = 0;
        // Two samples per pass: each weight loaded feeds both, each input four rows (eight chains).
        for (; s + 2 <= count; s += 2)
        {
            float* xa = xStart + (s * inputs);
            float* xb = xa + inputs;
            float* ya = yStart + (s * outputs);
            float* yb = ya + outputs;
            int o = 0;
            for (; o + ScalarRows <= outputs; o += ScalarRows)
            {
                float* r0 = w + (o * inputs);
                float* r1 = r0 + inputs;
                float* r2 = r1 + inputs;
                float* r3 = r2 + inputs;
                float a0 = b[o], a1 = b[o + 1], a2 = b[o + 2], a3 = b[o + 3];
                float b0 = a0, b1 = a1, b2 = a2, b3 = a3;
                for (int i = 0; i < inputs; i++)
                {
                    float v = xa[i], u = xb[i];
                    float w0 = r0[i], w1 = r1[i], w2 = r2[i], w3 = r3[i];
                    a0 = (w0 * v) + a0;
                    b0 = (w0 * u) + b0;
                    a1 = (w1 * v) + a1;
                    b1 = (w1 * u) + b1;
                    a2 = (w2 * v) + a2;
                    b2 = (w2 * u) + b2;
                    a3 = (w3 * v) + a3;
                    b3 = (w3 * u) + b3;
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
                float* r = w + (o * inputs);
                float sa = b[o], sb = sa;
                for (int i = 0; i < inputs; i++)
                {
                    sa = (r[i] * xa[i]) + sa;
                    sb = (r[i] * xb[i]) + sb;
                }
                ya[o] = sa;
                yb[o] = sb;
            }
        }
        // The odd sample left over: four rows per pass.
        for (; s < count; s++)
        {
            float* xs = xStart + (s * inputs);
            float* ys = yStart + (s * outputs);
            int o = 0;
            for (; o + ScalarRows <= outputs; o += ScalarRows)
            {
                float* r0 = w + (o * inputs);
                float* r1 = r0 + inputs;
                float* r2 = r1 + inputs;
                float* r3 = r2 + inputs;
                float s0 = b[o], s1 = b[o + 1], s2 = b[o + 2], s3 = b[o + 3];
                // Two inputs per iteration: half the loop's own work (Mono does not unroll), the same order.
                int i = 0;
                for (; i + 2 <= inputs; i += 2)
                {
                    float v = xs[i], u = xs[i + 1];
                    s0 = (r0[i + 1] * u) + ((r0[i] * v) + s0);
                    s1 = (r1[i + 1] * u) + ((r1[i] * v) + s1);
                    s2 = (r2[i + 1] * u) + ((r2[i] * v) + s2);
                    s3 = (r3[i + 1] * u) + ((r3[i] * v) + s3);
                }
                if (i < inputs)
                {
                    float v = xs[i];
                    s0 = (r0[i] * v) + s0;
                    s1 = (r1[i] * v) + s1;
                    s2 = (r2[i] * v) + s2;
                    s3 = (r3[i] * v) + s3;
                }
                ys[o] = s0;
                ys[o + 1] = s1;
                ys[o + 2] = s2;
                ys[o + 3] = s3;
            }
            for (; o < outputs; o++)
            {
                float* r = w + (o * inputs);
                float sum = b[o];
                for (int i = 0; i < inputs; i++)
                {
                    sum = (r[i] * xs[i]) + sum;
                }
                ys[o] = sum;
            }
        }
    }

    /// <summary>
    /// The input gradient in scalars, <c>dx = W^T delta</c> for each sample: four inputs of two samples per
    /// pass, each its own running sum over the rows in order from zero, walking down four columns of W together.
    /// </summary>
    [MethodImpl(Optimized)]
    internal static unsafe void InputGradient(float* parameters, float* deltaStart, float* dxStart, int inputs, int outputs, int offset, int count)
    {
        float* w = parameters + offset;
        int s = 0;
        // Two samples per pass: each weight loaded feeds both, each delta four inputs (eight chains).
        for (; s + 2 <= count; s += 2)
        {
            float* da = deltaStart + (s * outputs);
            float* db = da + outputs;
            float* ta = dxStart + (s * inputs);
            float* tb = ta + inputs;
            int i = 0;
            for (; i + ScalarRows <= inputs; i += ScalarRows)
            {
                float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
                float b0 = 0f, b1 = 0f, b2 = 0f, b3 = 0f;
                float* column = w + i;
                for (int o = 0; o < outputs; o++, column += inputs)
                {
                    float d = da[o], e = db[o];
                    float w0 = column[0], w1 = column[1], w2 = column[2], w3 = column[3];
                    a0 = (w0 * d) + a0;
                    b0 = (w0 * e) + b0;
                    a1 = (w1 * d) + a1;
                    b1 = (w1 * e) + b1;
                    a2 = (w2 * d) + a2;
                    b2 = (w2 * e) + b2;
                    a3 = (w3 * d) + a3;
                    b3 = (w3 * e) + b3;
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
                float sa = 0f, sb = 0f;
                float* column = w + i;
                for (int o = 0; o < outputs; o++, column += inputs)
                {
                    sa = (column[0] * da[o]) + sa;
                    sb = (column[0] * db[o]) + sb;
                }
                ta[i] = sa;
                tb[i] = sb;
            }
        }
        // The odd sample left over: four inputs per pass.
        for (; s < count; s++)
        {
            float* ds = deltaStart + (s * outputs);
            float* target = dxStart + (s * inputs);
            int i = 0;
            for (; i + ScalarRows <= inputs; i += ScalarRows)
            {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                float* column = w + i;
                for (int o = 0; o < outputs; o++, column += inputs)
                {
                    float d = ds[o];
                    s0 = (column[0] * d) + s0;
                    s1 = (column[1] * d) + s1;
                    s2 = (column[2] * d) + s2;
                    s3 = (column[3] * d) + s3;
                }
                target[i] = s0;
                target[i + 1] = s1;
                target[i + 2] = s2;
                target[i + 3] = s3;
            }
            for (; i < inputs; i++)
            {
                float sum = 0f;
                float* column = w + i;
                for (int o = 0; o < outputs; o++, column += inputs)
                {
                    sum = (column[0] * ds[o]) + sum;
                }
                target[i] = sum;
            }
        }
    }

    /// <summary>
    /// The parameter gradients in scalars, written over <paramref name="gStart"/>:
    /// <c>dW[o, i] = sum_s delta[s, o] x[s, i]</c>, <c>db[o] = sum_s delta[s, o]</c>. Four weights of two rows
    /// per pass, each its own running sum over the samples in order from zero.
    /// </summary>
    [MethodImpl(Optimized)]
    internal static unsafe void ParameterGradients(float* xStart, float* deltaStart, float* gStart, int inputs, int outputs, int offset, int count)
    {
        float* gw = gStart + offset;
        float* gb = gw + (inputs * outputs);
        int o = 0;
        // Two rows per pass: each input loaded feeds both, each delta four weights (eight chains).
        for (; o + 2 <= outputs; o += 2)
        {
            float* rowA = gw + (o * inputs);
            float* rowB = rowA + inputs;
            int i = 0;
            for (; i + ScalarRows <= inputs; i += ScalarRows)
            {
                float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
                float b0 = 0f, b1 = 0f, b2 = 0f, b3 = 0f;
                float* xs = xStart + i;
                float* d = deltaStart + o;
                for (int s = 0; s < count; s++, xs += inputs, d += outputs)
                {
                    float da = d[0], db = d[1];
                    float x0 = xs[0], x1 = xs[1], x2 = xs[2], x3 = xs[3];
                    a0 = (da * x0) + a0;
                    b0 = (db * x0) + b0;
                    a1 = (da * x1) + a1;
                    b1 = (db * x1) + b1;
                    a2 = (da * x2) + a2;
                    b2 = (db * x2) + b2;
                    a3 = (da * x3) + a3;
                    b3 = (db * x3) + b3;
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
                float sa = 0f, sb = 0f;
                for (int s = 0; s < count; s++)
                {
                    float v = xStart[(s * inputs) + i];
                    sa = (deltaStart[(s * outputs) + o] * v) + sa;
                    sb = (deltaStart[(s * outputs) + o + 1] * v) + sb;
                }
                rowA[i] = sa;
                rowB[i] = sb;
            }
            float biasA = 0f, biasB = 0f;
            for (int s = 0; s < count; s++)
            {
                biasA = biasA + deltaStart[(s * outputs) + o];
                biasB = biasB + deltaStart[(s * outputs) + o + 1];
            }
            gb[o] = biasA;
            gb[o + 1] = biasB;
        }
        // The odd row left over: four weights per pass.
        for (; o < outputs; o++)
        {
            float* row = gw + (o * inputs);
            int i = 0;
            for (; i + ScalarRows <= inputs; i += ScalarRows)
            {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                float* xs = xStart + i;
                float* d = deltaStart + o;
                for (int s = 0; s < count; s++, xs += inputs, d += outputs)
                {
                    float a = d[0];
                    s0 = (a * xs[0]) + s0;
                    s1 = (a * xs[1]) + s1;
                    s2 = (a * xs[2]) + s2;
                    s3 = (a * xs[3]) + s3;
                }
                row[i] = s0;
                row[i + 1] = s1;
                row[i + 2] = s2;
                row[i + 3] = s3;
            }
            for (; i < inputs; i++)
            {
                float sum = 0f;
                for (int s = 0; s < count; s++)
                {
                    sum = (deltaStart[(s * outputs) + o] * xStart[(s * inputs) + i]) + sum;
                }
                row[i] = sum;
            }
            float bias = 0f;
            for (int s = 0; s < count; s++)
            {
                bias = bias + deltaStart[(s * outputs) + o];
            }
            gb[o] = bias;
        }
    }
}
