using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// What the GRU and LSTM kernels share: their matrices as views of the parameters, the gate products of
// one sequence (kept in registers) and of a batch (samples in vector lanes), the elementwise gate
// arithmetic, and the sums that give the weight gradients of a whole sequence.
//
// Paths, for both cells:
// - One sequence, default mode, hardware vectors: each gate's pre-activation is one dot product of the
//   gate's row with x and h together, eight rows at a time in registers (the recurrent matrix is never
//   stored as an intermediate), and its two biases added once.
// - A batch (default mode, at least one vector of sequences) and every call in the deterministic mode or
//   without hardware vectors: x and h are gathered feature-major, so that sequences fill the vector lanes
//   and each broadcast weight serves a whole vector of them (ColumnsProduct, the Linear layers' batch
//   kernel). Each product is summed in input order from zero and its bias added last, whatever the lane
//   count: so the deterministic mode gives the same bits on every vector width, and a deterministic step
//   of one sequence is exactly a batch of one.
// - Elementwise gate arithmetic multiplies and adds without fusing, in the same order in vector lanes and
//   scalar tails, so its bits never depend on where a value sits; sigmoid and tanh are the library's
//   vectorised activations, applied to whole gates at once.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>The gate count of a recurrent cell, as a type argument so that it folds into a constant.</summary>
    private interface IRecurrentCell
    {
        /// <summary>Gates per hidden value: GRU 3, LSTM 4.</summary>
        int Gates { get; }

        /// <summary>
        /// Rows whose pre-activation is the plain sum of the input and hidden products (GRU: r and z, 2 *
        /// hidden; LSTM: every gate). A GRU's n rows keep the two apart: n needs r * (W_hn h + b_hn).
        /// </summary>
        int SummedRows(int hidden);
    }

    private readonly struct GruCell : IRecurrentCell
    {
        public int Gates => 3;

        public int SummedRows(int hidden) => 2 * hidden;
    }

    private readonly struct LstmCell : IRecurrentCell
    {
        public int Gates => 4;

        public int SummedRows(int hidden) => 4 * hidden;
    }

    /// <summary>weight_ih with bias_ih, for the batch products.</summary>
    private readonly struct InputRows<TLayer, TCell> : IMatrixView
        where TLayer : struct, IRecurrentShape
        where TCell : struct, IRecurrentCell
    {
        public int Weights => default(TLayer).Offset;

        public int RowStride => default(TLayer).Inputs;

        public int ReduceStride => 1;

        public int Rows => default(TCell).Gates * default(TLayer).Hidden;

        public int Reduce => default(TLayer).Inputs;

        public int Bias => RecurrentOffsets<TLayer, TCell>.BiasIh;

        public bool ReLU => false;
    }

    /// <summary>weight_hh with bias_hh, for the batch products.</summary>
    private readonly struct HiddenRows<TLayer, TCell> : IMatrixView
        where TLayer : struct, IRecurrentShape
        where TCell : struct, IRecurrentCell
    {
        public int Weights => RecurrentOffsets<TLayer, TCell>.WeightHh;

        public int RowStride => default(TLayer).Hidden;

        public int ReduceStride => 1;

        public int Rows => default(TCell).Gates * default(TLayer).Hidden;

        public int Reduce => default(TLayer).Hidden;

        public int Bias => RecurrentOffsets<TLayer, TCell>.BiasHh;

        public bool ReLU => false;
    }

    /// <summary>weight_ih as a Linear layer's weights, for the input gradient (which reads no bias).</summary>
    private readonly struct InputWeights<TLayer, TCell> : ILinearShape
        where TLayer : struct, IRecurrentShape
        where TCell : struct, IRecurrentCell
    {
        public int Inputs => default(TLayer).Inputs;

        public int Outputs => default(TCell).Gates * default(TLayer).Hidden;

        public int Offset => default(TLayer).Offset;
    }

    /// <summary>weight_hh as a Linear layer's weights, for the gradient flowing back to h.</summary>
    private readonly struct HiddenWeights<TLayer, TCell> : ILinearShape
        where TLayer : struct, IRecurrentShape
        where TCell : struct, IRecurrentCell
    {
        public int Inputs => default(TLayer).Hidden;

        public int Outputs => default(TCell).Gates * default(TLayer).Hidden;

        public int Offset => RecurrentOffsets<TLayer, TCell>.WeightHh;
    }

    /// <summary>Where each of a recurrent layer's four tensors starts.</summary>
    private static class RecurrentOffsets<TLayer, TCell>
        where TLayer : struct, IRecurrentShape
        where TCell : struct, IRecurrentCell
    {
        public static int WeightHh
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => default(TLayer).Offset + (default(TCell).Gates * default(TLayer).Hidden * default(TLayer).Inputs);
        }

        public static int BiasIh
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => WeightHh + (default(TCell).Gates * default(TLayer).Hidden * default(TLayer).Hidden);
        }

        public static int BiasHh
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => BiasIh + (default(TCell).Gates * default(TLayer).Hidden);
        }
    }

    /// <summary>The batch product <c>target = M source + bias</c>, feature-major, at the widest worthwhile vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GateColumns<TMatrix>(ReadOnlySpan<T> p, ReadOnlySpan<T> source, Span<T> target, int count)
        where TMatrix : struct, IMatrixView
    {
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>())
        {
            ColumnsProduct<Vector512<T>, Vectors512<T, TArithmetic>, TMatrix>(p, source, target, count);
            return;
        }
#endif
        ColumnsProduct<Vector<T>, NumericsVectors<T, TArithmetic>, TMatrix>(p, source, target, count);
    }

    /// <summary>
    /// The gate pre-activations of one sequence, default mode with hardware vectors: for the summed rows
    /// (<see cref="IRecurrentCell.SummedRows"/>) <c>pre[r] = W_ih[r] x + W_hh[r] h + b_ih[r] + b_hh[r]</c>;
    /// for a GRU's n rows <c>pre[r] = W_ih[r] x + b_ih[r]</c> and <c>hiddenN[r - 2H] = W_hh[r] h + b_hh[r]</c>.
    /// </summary>
    [MethodImpl(Block)]
    private static void SequenceGateProducts<TLayer, TCell>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> h, Span<T> pre, Span<T> hiddenN)
        where TLayer : struct, IRecurrentShape
        where TCell : struct, IRecurrentCell
    {
        int inputs = default(TLayer).Inputs, hidden = default(TLayer).Hidden;
        int rows = default(TCell).Gates * hidden, summed = default(TCell).SummedRows(hidden);
        int weightIh = default(TLayer).Offset, weightHh = RecurrentOffsets<TLayer, TCell>.WeightHh;
        int biasIh = RecurrentOffsets<TLayer, TCell>.BiasIh, biasHh = RecurrentOffsets<TLayer, TCell>.BiasHh;
        int r = 0;
        for (; r + SingleSampleRows <= summed; r += SingleSampleRows)
        {
            EightRowProducts(p, x, weightIh + (r * inputs), inputs, h, weightHh + (r * hidden), hidden, biasIh + r, biasHh + r, pre, r);
        }
        for (; r < summed; r++)
        {
            pre[r] = RowProduct(p, x, weightIh + (r * inputs), inputs, h, weightHh + (r * hidden), hidden, biasIh + r, biasHh + r);
        }
        // A GRU's n rows: the input and hidden products apart.
        for (; r + SingleSampleRows <= rows; r += SingleSampleRows)
        {
            EightRowProducts(p, x, weightIh + (r * inputs), inputs, default, 0, 0, biasIh + r, -1, pre, r);
            EightRowProducts(p, h, weightHh + (r * hidden), hidden, default, 0, 0, biasHh + r, -1, hiddenN, r - summed);
        }
        for (; r < rows; r++)
        {
            pre[r] = RowProduct(p, x, weightIh + (r * inputs), inputs, default, 0, 0, biasIh + r, -1);
            hiddenN[r - summed] = RowProduct(p, h, weightHh + (r * hidden), hidden, default, 0, 0, biasHh + r, -1);
        }
    }

    /// <summary>
    /// Eight consecutive rows: <c>y[at + j] = M_a[j] a + M_b[j] b + biasA[j] + biasB[j]</c>, where
    /// <c>M_a</c>'s row j starts at <c>weightsA + j * lengthA</c> (likewise b). A part of length 0 is
    /// absent, and so is a bias at -1. Each row is its own chain of fused multiply-adds over both parts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EightRowProducts(ReadOnlySpan<T> p, ReadOnlySpan<T> a, int weightsA, int lengthA, ReadOnlySpan<T> b, int weightsB, int lengthB,
        int biasA, int biasB, Span<T> y, int at)
    {
        int lanes = Vector<T>.Count;
        int endA = lengthA - (lengthA % lanes), endB = lengthB - (lengthB % lanes);
        Vector<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int i = 0; i < endA; i += lanes)
        {
            Vector<T> v = Simd.Load(a, i);
            int w = weightsA + i;
            a0 = A.MultiplyAdd(v, Simd.Load(p, w), a0);
            a1 = A.MultiplyAdd(v, Simd.Load(p, w + lengthA), a1);
            a2 = A.MultiplyAdd(v, Simd.Load(p, w + (2 * lengthA)), a2);
            a3 = A.MultiplyAdd(v, Simd.Load(p, w + (3 * lengthA)), a3);
            a4 = A.MultiplyAdd(v, Simd.Load(p, w + (4 * lengthA)), a4);
            a5 = A.MultiplyAdd(v, Simd.Load(p, w + (5 * lengthA)), a5);
            a6 = A.MultiplyAdd(v, Simd.Load(p, w + (6 * lengthA)), a6);
            a7 = A.MultiplyAdd(v, Simd.Load(p, w + (7 * lengthA)), a7);
        }
        for (int i = 0; i < endB; i += lanes)
        {
            Vector<T> v = Simd.Load(b, i);
            int w = weightsB + i;
            a0 = A.MultiplyAdd(v, Simd.Load(p, w), a0);
            a1 = A.MultiplyAdd(v, Simd.Load(p, w + lengthB), a1);
            a2 = A.MultiplyAdd(v, Simd.Load(p, w + (2 * lengthB)), a2);
            a3 = A.MultiplyAdd(v, Simd.Load(p, w + (3 * lengthB)), a3);
            a4 = A.MultiplyAdd(v, Simd.Load(p, w + (4 * lengthB)), a4);
            a5 = A.MultiplyAdd(v, Simd.Load(p, w + (5 * lengthB)), a5);
            a6 = A.MultiplyAdd(v, Simd.Load(p, w + (6 * lengthB)), a6);
            a7 = A.MultiplyAdd(v, Simd.Load(p, w + (7 * lengthB)), a7);
        }
        if (typeof(T) == typeof(float) && Vector<T>.Count == 8)
        {
            // Eight lanes: the eight sums come out of one transpose-and-add as a vector, and the eight biases
            // add as vectors (the condition is a constant to the JIT).
            ReadOnlySpan<float> floats = MemoryMarshal.Cast<T, float>(p);
            Vector<float> sums = Simd.SumEach8(Vector.AsVectorSingle(a0), Vector.AsVectorSingle(a1), Vector.AsVectorSingle(a2), Vector.AsVectorSingle(a3),
                Vector.AsVectorSingle(a4), Vector.AsVectorSingle(a5), Vector.AsVectorSingle(a6), Vector.AsVectorSingle(a7));
            sums += Simd.Load(floats, biasA);
            if (biasB >= 0)
            {
                sums += Simd.Load(floats, biasB);
            }
            if (lengthA == 1 && endB == lengthB)
            {
                // One input (a signal, the audio case): the eight rows' weights of it are consecutive, so its
                // products are one vector multiply-add rather than a scalar tail per row.
                Simd.Store(MemoryMarshal.Cast<T, float>(y), at, Simd.MultiplyAdd(new Vector<float>(MemoryMarshal.Cast<T, float>(a)[0]), Simd.Load(floats, weightsA), sums));
                return;
            }
            Simd.Store(MemoryMarshal.Cast<T, float>(y), at, sums);
            if (endA < lengthA || endB < lengthB)
            {
                for (int j = 0; j < SingleSampleRows; j++)
                {
                    y[at + j] = A.Add(y[at + j], Tail(p, a, weightsA + (j * lengthA), endA, lengthA, b, weightsB + (j * lengthB), endB, lengthB));
                }
            }
            return;
        }
        T bias0 = Biases(p, biasA, biasB, 0), bias1 = Biases(p, biasA, biasB, 1), bias2 = Biases(p, biasA, biasB, 2), bias3 = Biases(p, biasA, biasB, 3);
        T bias4 = Biases(p, biasA, biasB, 4), bias5 = Biases(p, biasA, biasB, 5), bias6 = Biases(p, biasA, biasB, 6), bias7 = Biases(p, biasA, biasB, 7);
        y[at] = A.Add(A.Add(Simd.Sum(a0), Tail(p, a, weightsA, endA, lengthA, b, weightsB, endB, lengthB)), bias0);
        y[at + 1] = A.Add(A.Add(Simd.Sum(a1), Tail(p, a, weightsA + lengthA, endA, lengthA, b, weightsB + lengthB, endB, lengthB)), bias1);
        y[at + 2] = A.Add(A.Add(Simd.Sum(a2), Tail(p, a, weightsA + (2 * lengthA), endA, lengthA, b, weightsB + (2 * lengthB), endB, lengthB)), bias2);
        y[at + 3] = A.Add(A.Add(Simd.Sum(a3), Tail(p, a, weightsA + (3 * lengthA), endA, lengthA, b, weightsB + (3 * lengthB), endB, lengthB)), bias3);
        y[at + 4] = A.Add(A.Add(Simd.Sum(a4), Tail(p, a, weightsA + (4 * lengthA), endA, lengthA, b, weightsB + (4 * lengthB), endB, lengthB)), bias4);
        y[at + 5] = A.Add(A.Add(Simd.Sum(a5), Tail(p, a, weightsA + (5 * lengthA), endA, lengthA, b, weightsB + (5 * lengthB), endB, lengthB)), bias5);
        y[at + 6] = A.Add(A.Add(Simd.Sum(a6), Tail(p, a, weightsA + (6 * lengthA), endA, lengthA, b, weightsB + (6 * lengthB), endB, lengthB)), bias6);
        y[at + 7] = A.Add(A.Add(Simd.Sum(a7), Tail(p, a, weightsA + (7 * lengthA), endA, lengthA, b, weightsB + (7 * lengthB), endB, lengthB)), bias7);
    }

    /// <summary>One row of <see cref="EightRowProducts"/>, for the rows left over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T RowProduct(ReadOnlySpan<T> p, ReadOnlySpan<T> a, int weightsA, int lengthA, ReadOnlySpan<T> b, int weightsB, int lengthB, int biasA, int biasB)
    {
        int lanes = Vector<T>.Count;
        int endA = lengthA - (lengthA % lanes), endB = lengthB - (lengthB % lanes);
        Vector<T> sum = default;
        for (int i = 0; i < endA; i += lanes)
        {
            sum = A.MultiplyAdd(Simd.Load(a, i), Simd.Load(p, weightsA + i), sum);
        }
        for (int i = 0; i < endB; i += lanes)
        {
            sum = A.MultiplyAdd(Simd.Load(b, i), Simd.Load(p, weightsB + i), sum);
        }
        return A.Add(A.Add(Simd.Sum(sum), Tail(p, a, weightsA, endA, lengthA, b, weightsB, endB, lengthB)), Biases(p, biasA, biasB, 0));
    }

    /// <summary>The scalar rest of a row's dot products: the values past the last whole vector of each part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Tail(ReadOnlySpan<T> p, ReadOnlySpan<T> a, int weightsA, int endA, int lengthA, ReadOnlySpan<T> b, int weightsB, int endB, int lengthB)
    {
        T sum = A.Zero;
        for (int i = endA; i < lengthA; i++)
        {
            sum = A.MultiplyAdd(a[i], p[weightsA + i], sum);
        }
        for (int i = endB; i < lengthB; i++)
        {
            sum = A.MultiplyAdd(b[i], p[weightsB + i], sum);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Biases(ReadOnlySpan<T> p, int biasA, int biasB, int row)
        => biasB >= 0 ? A.Add(p[biasA + row], p[biasB + row]) : p[biasA + row];

    /// <summary>Rows of width <paramref name="width"/>, <paramref name="stride"/> apart, to feature-major columns: <c>columns[k * count + s] = rows[s * stride + k]</c>.</summary>
    private static void GatherColumns(ReadOnlySpan<T> rows, int stride, int width, Span<T> columns, int count)
    {
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<T> row = rows.Slice(s * stride, width);
            for (int k = 0; k < width; k++)
            {
                columns[(k * count) + s] = row[k];
            }
        }
    }

    /// <summary>The reverse of <see cref="GatherColumns"/>: <c>rows[s * stride + k] = columns[k * count + s]</c>.</summary>
    private static void ScatterColumns(ReadOnlySpan<T> columns, int width, Span<T> rows, int stride, int count)
    {
        for (int s = 0; s < count; s++)
        {
            Span<T> row = rows.Slice(s * stride, width);
            for (int k = 0; k < width; k++)
            {
                row[k] = columns[(k * count) + s];
            }
        }
    }

    /// <summary><c>a[k] = a[k] + b[k]</c>: one rounding per value, so every width gives the same bits (the recurrent and convolution backward passes share it).</summary>
    [MethodImpl(Optimized)]
    private static void AddInPlace(Span<T> a, ReadOnlySpan<T> b)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= a.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Simd.Store(a, k, Simd.Load(a, k) + Simd.Load(b, k));
            }
        }
        for (; k < a.Length; k++)
        {
            a[k] = A.Add(a[k], b[k]);
        }
    }

    /// <summary><c>a[k] = a[k] + r[k] * c[k]</c>, a multiply then an add (a GRU's n pre-activation).</summary>
    [MethodImpl(Optimized)]
    private static void AddProduct(Span<T> a, ReadOnlySpan<T> r, ReadOnlySpan<T> c)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= a.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Simd.Store(a, k, Simd.Load(a, k) + (Simd.Load(r, k) * Simd.Load(c, k)));
            }
        }
        for (; k < a.Length; k++)
        {
            a[k] = A.Add(a[k], A.Multiply(r[k], c[k]));
        }
    }

    /// <summary>
    /// <c>c[k] = f[k] * c[k] + i[k] * g[k]</c> (an LSTM's new cell), two products then their sum, in the
    /// same order in lanes and tail.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void CellUpdate(ReadOnlySpan<T> i, ReadOnlySpan<T> f, ReadOnlySpan<T> g, Span<T> c)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= c.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Simd.Store(c, k, (Simd.Load(f, k) * Simd.Load(c, k)) + (Simd.Load(i, k) * Simd.Load(g, k)));
            }
        }
        for (; k < c.Length; k++)
        {
            c[k] = A.Add(A.Multiply(f[k], c[k]), A.Multiply(i[k], g[k]));
        }
    }

    /// <summary><c>y[k] = a[k] * b[k]</c>.</summary>
    [MethodImpl(Optimized)]
    private static void MultiplyInto(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= y.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Simd.Store(y, k, Simd.Load(a, k) * Simd.Load(b, k));
            }
        }
        for (; k < y.Length; k++)
        {
            y[k] = A.Multiply(a[k], b[k]);
        }
    }

    /// <summary>
    /// <c>h[k] = (1 - z[k]) * n[k] + z[k] * h[k]</c>, a GRU's new state, as PyTorch writes it: two products
    /// then their sum, in the same order in lanes and tail.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void GruBlend(ReadOnlySpan<T> z, ReadOnlySpan<T> n, Span<T> h)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= h.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> gate = Simd.Load(z, k);
                Simd.Store(h, k, ((Vector<T>.One - gate) * Simd.Load(n, k)) + (gate * Simd.Load(h, k)));
            }
        }
        for (; k < h.Length; k++)
        {
            h[k] = A.Add(A.Multiply(A.Subtract(A.One, z[k]), n[k]), A.Multiply(z[k], h[k]));
        }
    }

    /// <summary>
    /// Writes a weight gradient and its bias gradient over <paramref name="g"/>, summed over
    /// <paramref name="count"/> rows: <c>g[weights + o * width + i] = sum_s d[s * dStride + o] x[s * xStride + i]</c>
    /// and <c>g[bias + o] = sum_s d[s * dStride + o]</c>, each sum in row order from zero (vectors run along
    /// i, so the order does not depend on the lane count).
    /// </summary>
    [MethodImpl(Optimized)]
    private static void OuterProductSums(ReadOnlySpan<T> x, int xStride, int width, ReadOnlySpan<T> d, int dStride, int outputs, Span<T> g, int weights, int bias, int count)
    {
        int lanes = Vector<T>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? width - (width % lanes) : 0;
        for (int o = 0; o < outputs; o++)
        {
            int row = weights + (o * width);
            int i = 0;
            for (; i < vectorEnd; i += lanes)
            {
                Vector<T> sum = Vector<T>.Zero;
                for (int s = 0; s < count; s++)
                {
                    sum = A.MultiplyAdd(new Vector<T>(d[(s * dStride) + o]), Simd.Load(x, (s * xStride) + i), sum);
                }
                Simd.Store(g, row + i, sum);
            }
            for (; i < width; i++)
            {
                T sum = A.Zero;
                for (int s = 0; s < count; s++)
                {
                    sum = A.MultiplyAdd(d[(s * dStride) + o], x[(s * xStride) + i], sum);
                }
                g[row + i] = sum;
            }
            T b = A.Zero;
            for (int s = 0; s < count; s++)
            {
                b = A.Add(b, d[(s * dStride) + o]);
            }
            g[bias + o] = b;
        }
    }
}
