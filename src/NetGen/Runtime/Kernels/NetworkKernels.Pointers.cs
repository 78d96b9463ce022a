#if !NET8_0_OR_GREATER
using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// The netstandard builds' vector kernel for one sample, shaped for Mono (Unity's Editor and players,
// .NET Framework-era hosts). Mono compiles the span kernels' Simd.Load as real calls: the netstandard2.0
// spans are System.Memory's portable kind, Mono does not inline MemoryMarshal.GetReference on them, and
// Unsafe.ReadUnaligned<Vector<T>> becomes a call to a managed memcpy through a stack temporary. Pinned
// once and read as *(Vector<T>*)p, the same loop compiles to vector loads and multiply-adds. The sums are
// the span kernel's, in its order (per lane across the inputs, then the lanes, then the tail, then the
// bias), so the results are the same bits. The .NET 8+ build keeps the span kernels, which .NET compiles
// to the same instructions without pinning.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>Rows per pass of <see cref="ForwardOneSamplePinned{TLayer}"/>: four independent vector accumulators.</summary>
    private const int PinnedRows = 4;

    /// <summary>One sample, <c>y = W x + b</c>: four rows at a time, each its own chain of vector multiply-adds.</summary>
    [MethodImpl(Block)]
    private static unsafe void ForwardOneSamplePinned<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs;
        int lanes = Vector<T>.Count;
        int vectorEnd = inputs - (inputs % lanes);
        fixed (T* parameters = p)
        fixed (T* xs = x)
        fixed (T* ys = y)
        {
            T* w = parameters + layer.Offset;
            T* b = w + (inputs * outputs);
            int o = 0;
            for (; o + PinnedRows <= outputs; o += PinnedRows)
            {
                T* r0 = w + (o * inputs);
                T* r1 = r0 + inputs;
                T* r2 = r1 + inputs;
                T* r3 = r2 + inputs;
                Vector<T> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int i = 0; i < vectorEnd; i += lanes)
                {
                    Vector<T> v = *(Vector<T>*)(xs + i);
                    a0 = A.MultiplyAdd(v, *(Vector<T>*)(r0 + i), a0);
                    a1 = A.MultiplyAdd(v, *(Vector<T>*)(r1 + i), a1);
                    a2 = A.MultiplyAdd(v, *(Vector<T>*)(r2 + i), a2);
                    a3 = A.MultiplyAdd(v, *(Vector<T>*)(r3 + i), a3);
                }
                T s0 = Simd.Sum(a0), s1 = Simd.Sum(a1), s2 = Simd.Sum(a2), s3 = Simd.Sum(a3);
                for (int i = vectorEnd; i < inputs; i++)
                {
                    T u = xs[i];
                    s0 = A.MultiplyAdd(u, r0[i], s0);
                    s1 = A.MultiplyAdd(u, r1[i], s1);
                    s2 = A.MultiplyAdd(u, r2[i], s2);
                    s3 = A.MultiplyAdd(u, r3[i], s3);
                }
                ys[o] = A.Add(s0, b[o]);
                ys[o + 1] = A.Add(s1, b[o + 1]);
                ys[o + 2] = A.Add(s2, b[o + 2]);
                ys[o + 3] = A.Add(s3, b[o + 3]);
            }
            for (; o < outputs; o++)
            {
                T* r = w + (o * inputs);
                Vector<T> a = default;
                for (int i = 0; i < vectorEnd; i += lanes)
                {
                    a = A.MultiplyAdd(*(Vector<T>*)(xs + i), *(Vector<T>*)(r + i), a);
                }
                T sum = Simd.Sum(a);
                for (int i = vectorEnd; i < inputs; i++)
                {
                    sum = A.MultiplyAdd(xs[i], r[i], sum);
                }
                ys[o] = A.Add(sum, b[o]);
            }
        }
    }

    /// <summary>
    /// The parameter gradients with vectors (see <see cref="LinearParameterGradients{TLayer}"/>), written
    /// over g: four rows by two vectors of inputs per block, each broadcast delta feeding two
    /// multiply-adds and each input vector four. Every element is the span kernel's sum, over the samples
    /// in order from zero, so the bits (and the deterministic networks' hashes) are the same.
    /// </summary>
    [MethodImpl(Block)]
    private static unsafe void ParameterGradientsPinned<TLayer>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> g, int count)
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs;
        int lanes = Vector<T>.Count;
        int vectorEnd = inputs - (inputs % lanes);
        fixed (T* xStart = x)
        fixed (T* deltaStart = delta)
        fixed (T* gStart = g)
        {
            T* gw = gStart + layer.Offset;
            for (int o = 0; o < outputs; o += PinnedRows)
            {
                // A last, partial block repeats its last row's delta (reads stay in range) and stores only the real rows.
                int real = Math.Min(PinnedRows, outputs - o);
                int r1 = Math.Min(o + 1, outputs - 1), r2 = Math.Min(o + 2, outputs - 1), r3 = Math.Min(o + 3, outputs - 1);
                T* g0 = gw + (o * inputs);
                int i = 0;
                for (; i + (2 * lanes) <= vectorEnd; i += 2 * lanes)
                {
                    Vector<T> a00 = default, a01 = default, a10 = default, a11 = default;
                    Vector<T> a20 = default, a21 = default, a30 = default, a31 = default;
                    for (int s = 0; s < count; s++)
                    {
                        T* xs = xStart + (s * inputs) + i;
                        T* d = deltaStart + (s * outputs);
                        Vector<T> v0 = *(Vector<T>*)xs, v1 = *(Vector<T>*)(xs + lanes);
                        var b = new Vector<T>(d[o]);
                        a00 = A.MultiplyAdd(b, v0, a00); a01 = A.MultiplyAdd(b, v1, a01);
                        b = new Vector<T>(d[r1]);
                        a10 = A.MultiplyAdd(b, v0, a10); a11 = A.MultiplyAdd(b, v1, a11);
                        b = new Vector<T>(d[r2]);
                        a20 = A.MultiplyAdd(b, v0, a20); a21 = A.MultiplyAdd(b, v1, a21);
                        b = new Vector<T>(d[r3]);
                        a30 = A.MultiplyAdd(b, v0, a30); a31 = A.MultiplyAdd(b, v1, a31);
                    }
                    *(Vector<T>*)(g0 + i) = a00; *(Vector<T>*)(g0 + i + lanes) = a01;
                    if (real > 1) { *(Vector<T>*)(g0 + inputs + i) = a10; *(Vector<T>*)(g0 + inputs + i + lanes) = a11; }
                    if (real > 2) { *(Vector<T>*)(g0 + (2 * inputs) + i) = a20; *(Vector<T>*)(g0 + (2 * inputs) + i + lanes) = a21; }
                    if (real > 3) { *(Vector<T>*)(g0 + (3 * inputs) + i) = a30; *(Vector<T>*)(g0 + (3 * inputs) + i + lanes) = a31; }
                }
                for (; i < vectorEnd; i += lanes)
                {
                    Vector<T> a0 = default, a1 = default, a2 = default, a3 = default;
                    for (int s = 0; s < count; s++)
                    {
                        Vector<T> v = *(Vector<T>*)(xStart + (s * inputs) + i);
                        T* d = deltaStart + (s * outputs);
                        a0 = A.MultiplyAdd(new Vector<T>(d[o]), v, a0);
                        a1 = A.MultiplyAdd(new Vector<T>(d[r1]), v, a1);
                        a2 = A.MultiplyAdd(new Vector<T>(d[r2]), v, a2);
                        a3 = A.MultiplyAdd(new Vector<T>(d[r3]), v, a3);
                    }
                    *(Vector<T>*)(g0 + i) = a0;
                    if (real > 1) *(Vector<T>*)(g0 + inputs + i) = a1;
                    if (real > 2) *(Vector<T>*)(g0 + (2 * inputs) + i) = a2;
                    if (real > 3) *(Vector<T>*)(g0 + (3 * inputs) + i) = a3;
                }
                for (; i < inputs; i++)
                {
                    T c0 = A.Zero, c1 = A.Zero, c2 = A.Zero, c3 = A.Zero;
                    for (int s = 0; s < count; s++)
                    {
                        T u = xStart[(s * inputs) + i];
                        T* d = deltaStart + (s * outputs);
                        c0 = A.MultiplyAdd(d[o], u, c0);
                        c1 = A.MultiplyAdd(d[r1], u, c1);
                        c2 = A.MultiplyAdd(d[r2], u, c2);
                        c3 = A.MultiplyAdd(d[r3], u, c3);
                    }
                    g0[i] = c0;
                    if (real > 1) g0[inputs + i] = c1;
                    if (real > 2) g0[(2 * inputs) + i] = c2;
                    if (real > 3) g0[(3 * inputs) + i] = c3;
                }
            }

            // db: the deltas summed over samples, a vector of outputs at a time, as the span kernel does.
            T* gb = gw + (inputs * outputs);
            int outputEnd = outputs - (outputs % lanes);
            for (int o = 0; o < outputEnd; o += lanes)
            {
                Vector<T> sum = default;
                for (int s = 0; s < count; s++)
                {
                    sum += *(Vector<T>*)(deltaStart + (s * outputs) + o);
                }
                *(Vector<T>*)(gb + o) = sum;
            }
            for (int o = outputEnd; o < outputs; o++)
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
#endif
