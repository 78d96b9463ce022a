#if NET8_0_OR_GREATER
using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Runtime;

// One GRU or LSTM step of one sequence in float, on .NET 8+ with AVX-512: the path a game agent's or an
// audio callback's Step takes (and the whole-sequence Forward of fewer sequences than a vector, which
// steps the same way, so both give the same bits).
//
// The shared path (NetworkKernels.SequenceGateProducts, then sigmoid, tanh and the blend each over whole
// gate spans) spends as much time between the products as in them: each elementwise pass is a call that
// reloads what the previous one stored. Here the step runs a vector of hidden values at a time, every
// gate's value in registers from its products to the new h. What each choice bought, gru16's step alone
// on AMD EPYC (Zen 5), from 87 ns with the products stored and the gates in a second loop:
// - the input's products and the biases first, apart from the hidden products: they do not depend on h,
//   so the chain from one step's h to the next is only the hidden products, their sum across lanes, one
//   add, the gates and the blend (87 -> 66 ns);
// - products along PyTorch's row-major weights (the parameters' public layout, which users may write at
//   any time, so no transposed copy), one row per accumulator, 16 rows at 512 bits (8 at 256), summed
//   across lanes by a transposing tree whose first two levels shuffle within 128-bit blocks (cheap) and
//   only the last two across them (FloatKernels.LanePairSums and its kin): six cross-block shuffles per
//   16 rows where a tree of full two-source permutes (FloatKernels.LaneSum) takes thirty (66 -> 58 ns); a
//   single input (a signal) is one broadcast multiply-add over the rows' consecutive weights;
// - the layer's sizes as constants (a type argument), so that every row offset folds into an address, and
//   each width in a method of its own, so that one body is all the JIT's inlining budget must hold (past
//   it the lane operations become calls: lstm8 101 -> 65 ns);
// - sigmoid is the shared kernels' (same bits); tanh is the written-out forward's rational (LaneTanh, at
//   most 6 ulps), about half the cost of the shared kernels' two-branch tanh; products of gates are not
//   fused, as in the shared path. Sigmoid from that tanh (0.5 tanh(x/2) + 0.5) saved only 2 ns and loses
//   relative accuracy near 0, so it is not used.
// It takes layers whose hidden size is a multiple of 8, with any input width (an input that fills no
// whole vectors is copied zero-padded, and the weights' lanes past it masked); others keep the shared path.
public abstract partial class FloatKernels
{
    /// <summary>The vector width a recurrent step of this shape runs at here: 16 or 8 lanes, or 0 for the shared path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int RecurrentLanes(int inputs, int hidden) => LanesAccelerated ? RecurrentLaneWidth(inputs, hidden) : 0;

    /// <summary>
    /// The rule for which layers take the step in registers, wherever it runs: 16 lanes for a hidden size
    /// that is a multiple of 16, else 8 lanes for a multiple of 8, else 0 (the shared path); any input
    /// width. The generator's file header states it per layer (a test holds the two equal).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RecurrentLaneWidth(int inputs, int hidden)
        => inputs < 1 ? 0 : hidden % 16 == 0 ? 16 : hidden % 8 == 0 ? 8 : 0;

    /// <summary>
    /// A GRU step of one sequence at <paramref name="lanes"/> (see <see cref="RecurrentLanes"/>): the
    /// layer's tensors in <paramref name="p"/> from its offset in PyTorch's order, its sizes constants to
    /// the JIT (so that every row offset folds into an address); reads
    /// x and h, writes the new h over h; <paramref name="workspace"/> holds hidden values; unless empty,
    /// <paramref name="saved"/> gets h, r, z, n and W_hn h + b_hn as the shared path keeps them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void GruStepLanes<TLayer>(int lanes, ReadOnlySpan<float> p,
        ReadOnlySpan<float> x, Span<float> h, Span<float> workspace, Span<float> saved)
        where TLayer : struct, IRecurrentShape
    {
        // Each width in a method of its own: one body is all the JIT's inlining budget holds (past it, the
        // lane operations would become calls).
        if (lanes == 16)
        {
            GruStepLanes512<TLayer>(p, x, h, workspace, saved);
        }
        else
        {
            GruStepLanes256<TLayer>(p, x, h, workspace, saved);
        }
    }

    [MethodImpl(Block)]
    private static void GruStepLanes512<TLayer>(ReadOnlySpan<float> p, ReadOnlySpan<float> x, Span<float> h, Span<float> workspace, Span<float> saved)
        where TLayer : struct, IRecurrentShape
        => GruStep<Lanes512, Vector512<float>>(p, default(TLayer).Offset, default(TLayer).Inputs, default(TLayer).Hidden, x, h, workspace, saved);

    [MethodImpl(Block)]
    private static void GruStepLanes256<TLayer>(ReadOnlySpan<float> p, ReadOnlySpan<float> x, Span<float> h, Span<float> workspace, Span<float> saved)
        where TLayer : struct, IRecurrentShape
        => GruStep<Lanes256, Vector256<float>>(p, default(TLayer).Offset, default(TLayer).Inputs, default(TLayer).Hidden, x, h, workspace, saved);

    /// <summary>
    /// An LSTM step of one sequence at <paramref name="lanes"/>: reads x and the state (h then c), writes
    /// the new state over it; <paramref name="workspace"/> holds hidden values; unless empty,
    /// <paramref name="saved"/> gets h, c, i, f, g, o and tanh(c') as the shared path keeps them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void LstmStepLanes<TLayer>(int lanes, ReadOnlySpan<float> p,
        ReadOnlySpan<float> x, Span<float> state, Span<float> workspace, Span<float> saved)
        where TLayer : struct, IRecurrentShape
    {
        // Each width in a method of its own: one body is all the JIT's inlining budget holds (past it, the
        // lane operations would become calls).
        if (lanes == 16)
        {
            LstmStepLanes512<TLayer>(p, x, state, workspace, saved);
        }
        else
        {
            LstmStepLanes256<TLayer>(p, x, state, workspace, saved);
        }
    }

    [MethodImpl(Block)]
    private static void LstmStepLanes512<TLayer>(ReadOnlySpan<float> p, ReadOnlySpan<float> x, Span<float> state, Span<float> workspace, Span<float> saved)
        where TLayer : struct, IRecurrentShape
        => LstmStep<Lanes512, Vector512<float>>(p, default(TLayer).Offset, default(TLayer).Inputs, default(TLayer).Hidden, x, state, workspace, saved);

    [MethodImpl(Block)]
    private static void LstmStepLanes256<TLayer>(ReadOnlySpan<float> p, ReadOnlySpan<float> x, Span<float> state, Span<float> workspace, Span<float> saved)
        where TLayer : struct, IRecurrentShape
        => LstmStep<Lanes256, Vector256<float>>(p, default(TLayer).Offset, default(TLayer).Inputs, default(TLayer).Hidden, x, state, workspace, saved);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GruStep<TLanes, TVector>(ReadOnlySpan<float> p, int weightIh, int inputs, int hidden,
        ReadOnlySpan<float> x, Span<float> h, Span<float> workspace, Span<float> saved)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        TLanes v = default;
        int rows = 3 * hidden, weightHh = weightIh + (rows * inputs), biasIh = weightHh + (rows * hidden), biasHh = biasIh + rows;
        ref float weights = ref MemoryMarshal.GetReference(p);
        ref float input = ref PaddedInput(v.Count, inputs, hidden, x, workspace);
        ref float previous = ref MemoryMarshal.GetReference(h);
        // With more than one vector of hidden values the new h waits here until every vector's products
        // have read the old one; with one it goes straight to h.
        bool staged = hidden > v.Count;
        ref float next = ref staged ? ref MemoryMarshal.GetReference(workspace) : ref previous;
        bool keep = !saved.IsEmpty;
        ref float record = ref MemoryMarshal.GetReference(saved);
        for (int k = 0; k < hidden; k += v.Count)
        {
            // A vector of hidden values at a time: what does not depend on h first (the input products and
            // the biases), so that the chain from one step's h to the next is only the hidden products,
            // their sum across lanes, one add, the gates and the blend.
            int rRow = k, zRow = hidden + k, nRow = (2 * hidden) + k;
            TVector rInput = InputRows<TLanes, TVector>(v, ref weights, ref input, weightIh, inputs, rRow, biasIh, biasHh);
            TVector zInput = InputRows<TLanes, TVector>(v, ref weights, ref input, weightIh, inputs, zRow, biasIh, biasHh);
            TVector nInput = InputRows<TLanes, TVector>(v, ref weights, ref input, weightIh, inputs, nRow, biasIh, -1);
            TVector rGate = v.Sigmoid(v.Add(HiddenRows<TLanes, TVector>(v, ref weights, ref previous, weightHh, hidden, rRow), rInput));
            TVector zGate = v.Sigmoid(v.Add(HiddenRows<TLanes, TVector>(v, ref weights, ref previous, weightHh, hidden, zRow), zInput));
            TVector hn = v.Add(HiddenRows<TLanes, TVector>(v, ref weights, ref previous, weightHh, hidden, nRow), v.Load(ref weights, biasHh + nRow));
            TVector nGate = v.Tanh(v.Add(nInput, v.Multiply(rGate, hn)));
            TVector old = v.Load(ref previous, k);
            if (keep)
            {
                v.Store(ref record, k, old);
                v.Store(ref record, hidden + k, rGate);
                v.Store(ref record, (2 * hidden) + k, zGate);
                v.Store(ref record, (3 * hidden) + k, nGate);
                v.Store(ref record, (4 * hidden) + k, hn);
            }
            // h' = (1 - z) n + z h, in the shared path's order.
            v.Store(ref next, k, v.Add(v.Multiply(v.Subtract(v.One, zGate), nGate), v.Multiply(zGate, old)));
        }
        if (staged)
        {
            // Copied as the vectors were stored, so that the next step's loads are forwarded from these stores.
            for (int k = 0; k < hidden; k += v.Count)
            {
                v.Store(ref previous, k, v.Load(ref next, k));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LstmStep<TLanes, TVector>(ReadOnlySpan<float> p, int weightIh, int inputs, int hidden,
        ReadOnlySpan<float> x, Span<float> state, Span<float> workspace, Span<float> saved)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        TLanes v = default;
        int rows = 4 * hidden, weightHh = weightIh + (rows * inputs), biasIh = weightHh + (rows * hidden), biasHh = biasIh + rows;
        ref float weights = ref MemoryMarshal.GetReference(p);
        ref float input = ref PaddedInput(v.Count, inputs, hidden, x, workspace);
        ref float h = ref MemoryMarshal.GetReference(state);
        ref float c = ref Unsafe.Add(ref h, hidden);
        // The new h is staged as the GRU's is; c is read and written a vector at a time (no product reads it).
        bool staged = hidden > v.Count;
        ref float next = ref staged ? ref MemoryMarshal.GetReference(workspace) : ref h;
        bool keep = !saved.IsEmpty;
        ref float record = ref MemoryMarshal.GetReference(saved);
        for (int k = 0; k < hidden; k += v.Count)
        {
            int iRow = k, fRow = hidden + k, gRow = (2 * hidden) + k, oRow = (3 * hidden) + k;
            TVector iInput = InputRows<TLanes, TVector>(v, ref weights, ref input, weightIh, inputs, iRow, biasIh, biasHh);
            TVector fInput = InputRows<TLanes, TVector>(v, ref weights, ref input, weightIh, inputs, fRow, biasIh, biasHh);
            TVector gInput = InputRows<TLanes, TVector>(v, ref weights, ref input, weightIh, inputs, gRow, biasIh, biasHh);
            TVector oInput = InputRows<TLanes, TVector>(v, ref weights, ref input, weightIh, inputs, oRow, biasIh, biasHh);
            TVector iGate = v.Sigmoid(v.Add(HiddenRows<TLanes, TVector>(v, ref weights, ref h, weightHh, hidden, iRow), iInput));
            TVector fGate = v.Sigmoid(v.Add(HiddenRows<TLanes, TVector>(v, ref weights, ref h, weightHh, hidden, fRow), fInput));
            TVector gGate = v.Tanh(v.Add(HiddenRows<TLanes, TVector>(v, ref weights, ref h, weightHh, hidden, gRow), gInput));
            TVector oGate = v.Sigmoid(v.Add(HiddenRows<TLanes, TVector>(v, ref weights, ref h, weightHh, hidden, oRow), oInput));
            TVector oldC = v.Load(ref c, k);
            // c' = f c + i g, two products then their sum, as the shared path; h' = o tanh(c').
            TVector cell = v.Add(v.Multiply(fGate, oldC), v.Multiply(iGate, gGate));
            TVector tc = v.Tanh(cell);
            if (keep)
            {
                v.Store(ref record, k, v.Load(ref h, k));
                v.Store(ref record, hidden + k, oldC);
                v.Store(ref record, (2 * hidden) + k, iGate);
                v.Store(ref record, (3 * hidden) + k, fGate);
                v.Store(ref record, (4 * hidden) + k, gGate);
                v.Store(ref record, (5 * hidden) + k, oGate);
                v.Store(ref record, (6 * hidden) + k, tc);
            }
            v.Store(ref c, k, cell);
            v.Store(ref next, k, v.Multiply(oGate, tc));
        }
        if (staged)
        {
            for (int k = 0; k < hidden; k += v.Count)
            {
                v.Store(ref h, k, v.Load(ref next, k));
            }
        }
    }

    /// <summary>
    /// The input as the products read it: x itself when it is one value or whole vectors; otherwise a copy
    /// in the workspace after the staged h (hidden values), zero-padded to whole vectors, so that the last
    /// vector's loads stay inside memory the step owns (the weights' lanes past the input are masked off
    /// in <c>RowSums</c>: they hold the next row's weights, or past weight_ih's last row the first values of
    /// weight_hh, which follows it and is larger than a vector, so every load stays inside the parameters).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float PaddedInput(int lanes, int inputs, int hidden, ReadOnlySpan<float> x, Span<float> workspace)
    {
        if (inputs == 1 || inputs % lanes == 0)
        {
            return ref MemoryMarshal.GetReference(x);
        }
        int padded = (inputs + lanes - 1) / lanes * lanes;
        Span<float> copy = workspace.Slice(hidden, padded);
        x.Slice(0, inputs).CopyTo(copy);
        copy.Slice(inputs).Clear();
        return ref MemoryMarshal.GetReference(copy);
    }

    /// <summary>
    /// What a vector of consecutive gate rows from <paramref name="row"/> gets from the input and the
    /// biases: <c>W_ih[row..] x + p[biasA + row..]</c> (+ <c>p[biasB + row..]</c> unless -1). One input value
    /// is a broadcast multiply-add over the rows' consecutive weights.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector InputRows<TLanes, TVector>(TLanes v, ref float weights, ref float input, int weightIh, int inputs, int row, int biasA, int biasB)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        TVector sums = v.Load(ref weights, biasA + row);
        if (biasB >= 0)
        {
            sums = v.Add(sums, v.Load(ref weights, biasB + row));
        }
        if (inputs == 1)
        {
            return v.MultiplyAdd(v.Broadcast(input), v.Load(ref weights, weightIh + row), sums);
        }
        return v.Add(v.RowSums(ref weights, ref input, weightIh + (row * inputs), inputs), sums);
    }

    /// <summary>A vector of consecutive gate rows' hidden products from <paramref name="row"/>: <c>W_hh[row..] h</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector HiddenRows<TLanes, TVector>(TLanes v, ref float weights, ref float h, int weightHh, int hidden, int row)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
        => v.RowSums(ref weights, ref h, weightHh + (row * hidden), hidden);
}
#endif
