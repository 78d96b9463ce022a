using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// Linear layers, sample-major (value i of sample s at [s * width + i]): what one sample and batches
// smaller than a vector run. Dot products along the inputs, in register blocks of accumulators.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    // Forward: 3 samples x 4 rows (12 dot-product accumulators), each weight vector loaded feeding 3.
    private const int ForwardSamples = 3;
    private const int ForwardRows = 4;

    // One sample alone has no sample to share a weight load with: 8 rows keep 8 independent FMA chains
    // in flight instead, enough to hide the FMA latency while the weights stream in.
    private const int SingleSampleRows = 8;

    // The input gradient: 4 samples x 3 vectors of inputs, each row of W loaded feeding 4 samples.
    private const int InputGradientSamples = 4;

    /// <summary>
    /// <c>y = W x + b</c> for each of <paramref name="count"/> samples, sample-major. W is
    /// <c>p[Offset ..]</c> row-major <c>[Outputs, Inputs]</c>, b follows it.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LinearForward<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs;
        // Inputs narrower than one vector leave nothing to vectorise along: plain scalars are quicker.
        if (!Vector.IsHardwareAccelerated || inputs < Vector<T>.Count)
        {
            LinearForwardScalar<TLayer>(p, x, y, count);
            return;
        }
        if (count == 1)
        {
#if NET8_0_OR_GREATER
            ForwardOneSample<TLayer>(p, x, y);
#else
            // Mono's JIT calls Simd.Load instead of loading: the pinned twin loads (NetworkKernels.Pointers.cs).
            ForwardOneSamplePinned<TLayer>(p, x, y);
#endif
            return;
        }
        ForwardSampleBlocks<TLayer>(p, x, y, count);
    }

    /// <summary>One sample: 8 rows at a time, each its own chain of fused multiply-adds.</summary>
    [MethodImpl(Block)]
    private static void ForwardOneSample<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs, weights = layer.Offset;
        int lanes = Vector<T>.Count;
        int vectorEnd = inputs - (inputs % lanes);
        int bias = weights + (inputs * outputs);
        int o = 0;
        for (; o + SingleSampleRows <= outputs; o += SingleSampleRows)
        {
            int w0 = weights + (o * inputs);
            Vector<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int i = 0; i < vectorEnd; i += lanes)
            {
                Vector<T> v = Simd.Load(x, i);
                int w = w0 + i;
                a0 = A.MultiplyAdd(v, Simd.Load(p, w), a0);
                a1 = A.MultiplyAdd(v, Simd.Load(p, w + inputs), a1);
                a2 = A.MultiplyAdd(v, Simd.Load(p, w + (2 * inputs)), a2);
                a3 = A.MultiplyAdd(v, Simd.Load(p, w + (3 * inputs)), a3);
                a4 = A.MultiplyAdd(v, Simd.Load(p, w + (4 * inputs)), a4);
                a5 = A.MultiplyAdd(v, Simd.Load(p, w + (5 * inputs)), a5);
                a6 = A.MultiplyAdd(v, Simd.Load(p, w + (6 * inputs)), a6);
                a7 = A.MultiplyAdd(v, Simd.Load(p, w + (7 * inputs)), a7);
            }
            if (typeof(T) == typeof(float) && Vector<T>.Count == 8 && vectorEnd == inputs)
            {
                // With 8 lanes and no tail, the 8 rows' sums come out of one transpose-and-add as a vector:
                // add the 8 biases and store the 8 outputs at once (the condition is a constant to the JIT).
                Vector<float> sums = Simd.SumEach8(Vector.AsVectorSingle(a0), Vector.AsVectorSingle(a1), Vector.AsVectorSingle(a2), Vector.AsVectorSingle(a3),
                    Vector.AsVectorSingle(a4), Vector.AsVectorSingle(a5), Vector.AsVectorSingle(a6), Vector.AsVectorSingle(a7));
                Span<float> floats = MemoryMarshal.Cast<T, float>(y);
                Simd.Store(floats, o, sums + Simd.Load(MemoryMarshal.Cast<T, float>(p), bias + o));
                continue;
            }
            T r0 = Simd.Sum(a0), r1 = Simd.Sum(a1), r2 = Simd.Sum(a2), r3 = Simd.Sum(a3);
            T r4 = Simd.Sum(a4), r5 = Simd.Sum(a5), r6 = Simd.Sum(a6), r7 = Simd.Sum(a7);
            for (int i = vectorEnd; i < inputs; i++)
            {
                T u = x[i];
                int w = w0 + i;
                r0 = A.MultiplyAdd(u, p[w], r0);
                r1 = A.MultiplyAdd(u, p[w + inputs], r1);
                r2 = A.MultiplyAdd(u, p[w + (2 * inputs)], r2);
                r3 = A.MultiplyAdd(u, p[w + (3 * inputs)], r3);
                r4 = A.MultiplyAdd(u, p[w + (4 * inputs)], r4);
                r5 = A.MultiplyAdd(u, p[w + (5 * inputs)], r5);
                r6 = A.MultiplyAdd(u, p[w + (6 * inputs)], r6);
                r7 = A.MultiplyAdd(u, p[w + (7 * inputs)], r7);
            }
            y[o] = A.Add(r0, p[bias + o]);
            y[o + 1] = A.Add(r1, p[bias + o + 1]);
            y[o + 2] = A.Add(r2, p[bias + o + 2]);
            y[o + 3] = A.Add(r3, p[bias + o + 3]);
            y[o + 4] = A.Add(r4, p[bias + o + 4]);
            y[o + 5] = A.Add(r5, p[bias + o + 5]);
            y[o + 6] = A.Add(r6, p[bias + o + 6]);
            y[o + 7] = A.Add(r7, p[bias + o + 7]);
        }
        // The rows left over, each a dot product; consecutive rows' chains are independent, so they overlap.
        for (; o < outputs; o++)
        {
            int w0 = weights + (o * inputs);
            Vector<T> a = default;
            for (int i = 0; i < vectorEnd; i += lanes)
            {
                a = A.MultiplyAdd(Simd.Load(x, i), Simd.Load(p, w0 + i), a);
            }
            T r = Simd.Sum(a);
            for (int i = vectorEnd; i < inputs; i++)
            {
                r = A.MultiplyAdd(x[i], p[w0 + i], r);
            }
            y[o] = A.Add(r, p[bias + o]);
        }
    }

    /// <summary>
    /// A few samples: 3 at a time against 4 rows at a time. Past the batch's end a block repeats its last
    /// sample (loads stay in range) and stores only the real ones.
    /// </summary>
    [MethodImpl(Block)]
    private static void ForwardSampleBlocks<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs, weights = layer.Offset;
        for (int s = 0; s < count; s += ForwardSamples)
        {
            ForwardSampleBlock(p, x, y, s, count, inputs, outputs, weights);
        }
    }

    /// <summary>Samples s to s + 2 against 4 rows at a time.</summary>
    [MethodImpl(Block)]
    private static void ForwardSampleBlock(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int s, int count, int inputs, int outputs, int weights)
    {
        int lanes = Vector<T>.Count;
        int vectorEnd = inputs - (inputs % lanes);
        int bias = weights + (inputs * outputs);
        int real = Math.Min(ForwardSamples, count - s);
        int x0 = s * inputs, x1 = Math.Min(s + 1, count - 1) * inputs, x2 = Math.Min(s + 2, count - 1) * inputs;
        int y0 = s * outputs;
        for (int o = 0; o < outputs; o += ForwardRows)
        {
            // Rows past the layer's end repeat its last row, as samples do past the batch's.
            int w0 = weights + (o * inputs);
            int w1 = weights + (Math.Min(o + 1, outputs - 1) * inputs);
            int w2 = weights + (Math.Min(o + 2, outputs - 1) * inputs);
            int w3 = weights + (Math.Min(o + 3, outputs - 1) * inputs);
            Vector<T> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector<T> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector<T> a20 = default, a21 = default, a22 = default, a23 = default;
            for (int i = 0; i < vectorEnd; i += lanes)
            {
                Vector<T> v0 = Simd.Load(x, x0 + i), v1 = Simd.Load(x, x1 + i), v2 = Simd.Load(x, x2 + i);
                Vector<T> w = Simd.Load(p, w0 + i);
                a00 = A.MultiplyAdd(v0, w, a00); a10 = A.MultiplyAdd(v1, w, a10); a20 = A.MultiplyAdd(v2, w, a20);
                w = Simd.Load(p, w1 + i);
                a01 = A.MultiplyAdd(v0, w, a01); a11 = A.MultiplyAdd(v1, w, a11); a21 = A.MultiplyAdd(v2, w, a21);
                w = Simd.Load(p, w2 + i);
                a02 = A.MultiplyAdd(v0, w, a02); a12 = A.MultiplyAdd(v1, w, a12); a22 = A.MultiplyAdd(v2, w, a22);
                w = Simd.Load(p, w3 + i);
                a03 = A.MultiplyAdd(v0, w, a03); a13 = A.MultiplyAdd(v1, w, a13); a23 = A.MultiplyAdd(v2, w, a23);
            }
            T r00 = Simd.Sum(a00), r01 = Simd.Sum(a01), r02 = Simd.Sum(a02), r03 = Simd.Sum(a03);
            T r10 = Simd.Sum(a10), r11 = Simd.Sum(a11), r12 = Simd.Sum(a12), r13 = Simd.Sum(a13);
            T r20 = Simd.Sum(a20), r21 = Simd.Sum(a21), r22 = Simd.Sum(a22), r23 = Simd.Sum(a23);
            for (int i = vectorEnd; i < inputs; i++)
            {
                T u0 = x[x0 + i], u1 = x[x1 + i], u2 = x[x2 + i];
                T c = p[w0 + i];
                r00 = A.MultiplyAdd(u0, c, r00); r10 = A.MultiplyAdd(u1, c, r10); r20 = A.MultiplyAdd(u2, c, r20);
                c = p[w1 + i];
                r01 = A.MultiplyAdd(u0, c, r01); r11 = A.MultiplyAdd(u1, c, r11); r21 = A.MultiplyAdd(u2, c, r21);
                c = p[w2 + i];
                r02 = A.MultiplyAdd(u0, c, r02); r12 = A.MultiplyAdd(u1, c, r12); r22 = A.MultiplyAdd(u2, c, r22);
                c = p[w3 + i];
                r03 = A.MultiplyAdd(u0, c, r03); r13 = A.MultiplyAdd(u1, c, r13); r23 = A.MultiplyAdd(u2, c, r23);
            }
            int rows = Math.Min(ForwardRows, outputs - o);
            StoreRows(y, p, y0 + o, bias + o, rows, r00, r01, r02, r03);
            if (real > 1)
            {
                StoreRows(y, p, y0 + outputs + o, bias + o, rows, r10, r11, r12, r13);
            }
            if (real > 2)
            {
                StoreRows(y, p, y0 + (2 * outputs) + o, bias + o, rows, r20, r21, r22, r23);
            }
        }
    }

    /// <summary>Adds the bias to the first <paramref name="rows"/> of four sums and stores them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(Span<T> y, ReadOnlySpan<T> p, int at, int bias, int rows, T r0, T r1, T r2, T r3)
    {
        y[at] = A.Add(r0, p[bias]);
        if (rows > 1)
        {
            y[at + 1] = A.Add(r1, p[bias + 1]);
        }
        if (rows > 2)
        {
            y[at + 2] = A.Add(r2, p[bias + 2]);
        }
        if (rows > 3)
        {
            y[at + 3] = A.Add(r3, p[bias + 3]);
        }
    }

    /// <summary>
    /// The input gradient <c>dx = W^T delta</c> for each of <paramref name="count"/> samples,
    /// sample-major: 4 samples x 3 vectors of inputs at a time, each row of W loaded feeding 4 samples.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LinearInputGradient<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, Span<T> dx, int count)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs, weights = layer.Offset;
        if (!Vector.IsHardwareAccelerated)
        {
            LinearInputGradientScalar<TLayer>(p, delta, dx, count);
            return;
        }
        int lanes = Vector<T>.Count;
        int vectorEnd = inputs - (inputs % lanes);
        for (int s = 0; s < count; s += InputGradientSamples)
        {
            // Past the batch's end the block repeats its last sample and stores only the real ones.
            int real = Math.Min(InputGradientSamples, count - s);
            int d0 = s * outputs, d1 = Math.Min(s + 1, count - 1) * outputs, d2 = Math.Min(s + 2, count - 1) * outputs, d3 = Math.Min(s + 3, count - 1) * outputs;
            int x0 = s * inputs;
            int i = 0;
            for (; i < vectorEnd; i += lanes)
            {
                Vector<T> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int o = 0; o < outputs; o++)
                {
                    Vector<T> w = Simd.Load(p, weights + (o * inputs) + i);
                    a0 = A.MultiplyAdd(Simd.Broadcast(delta, d0 + o), w, a0);
                    a1 = A.MultiplyAdd(Simd.Broadcast(delta, d1 + o), w, a1);
                    a2 = A.MultiplyAdd(Simd.Broadcast(delta, d2 + o), w, a2);
                    a3 = A.MultiplyAdd(Simd.Broadcast(delta, d3 + o), w, a3);
                }
                Simd.Store(dx, x0 + i, a0);
                if (real > 1) Simd.Store(dx, x0 + inputs + i, a1);
                if (real > 2) Simd.Store(dx, x0 + (2 * inputs) + i, a2);
                if (real > 3) Simd.Store(dx, x0 + (3 * inputs) + i, a3);
            }
            for (; i < inputs; i++)
            {
                T c0 = A.Zero, c1 = A.Zero, c2 = A.Zero, c3 = A.Zero;
                for (int o = 0; o < outputs; o++)
                {
                    T w = p[weights + (o * inputs) + i];
                    c0 = A.MultiplyAdd(delta[d0 + o], w, c0);
                    c1 = A.MultiplyAdd(delta[d1 + o], w, c1);
                    c2 = A.MultiplyAdd(delta[d2 + o], w, c2);
                    c3 = A.MultiplyAdd(delta[d3 + o], w, c3);
                }
                dx[x0 + i] = c0;
                if (real > 1) dx[x0 + inputs + i] = c1;
                if (real > 2) dx[x0 + (2 * inputs) + i] = c2;
                if (real > 3) dx[x0 + (3 * inputs) + i] = c3;
            }
        }
    }
}
