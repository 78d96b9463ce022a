#if NET8_0_OR_GREATER
using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Runtime;

// One GRU or LSTM step of one sequence in float, on .NET 8+ with AVX-512, reading the layer's weights
// transposed ("columns": weight_ih as [Inputs, G * Hidden], weight_hh as [Hidden, G * Hidden], at the
// same offsets as PyTorch's tensors; TransposeRecurrentLayer writes that layout).
//
// Why a second layout: along PyTorch's rows (FloatKernels.RecurrentLanes.cs) every gate output is a dot
// product, one accumulator per output, and sixteen accumulators must be summed across lanes before a
// gate can use them. Along columns, each input or hidden value is broadcast once and multiplied into
// whole vectors of gate outputs (column j of W_hh holds hidden value j's weight for every output, which
// are consecutive), so an accumulator already holds a vector of finished outputs: no sums across lanes.
//
// How it is laid out for speed:
// - the input's products and the biases first, apart from the hidden products: they do not depend on h,
//   so the chain from one step's h to the next is only the hidden products, the gates and the blend (the
//   two parts meet in the gates);
// - the products in "tiles" of up to sixteen accumulators (half the register file): with few output
//   vectors (G * Hidden / lanes of 4 or fewer, or 8 or fewer) each vector gets 4 or 2 accumulators, one per
//   residue of the value's index, so that the 4-cycle latency of a multiply-add chain does not hold up 2
//   multiply-adds per cycle; each value is broadcast from memory once and multiplied into every column
//   vector it meets; the partial sums are added once, at the end;
// - all products finished and stored (the workspace: G * Hidden values of each part) before any sigmoid
//   or tanh, so that no gate code sits in a loop holding live accumulators (a call there, should the
//   JIT not inline one, would spill them all: no vector register survives a call on Linux x64);
// - the gates a vector of hidden values at a time, 512 bits when the hidden size is a multiple of 16 (so
//   that a vector never straddles two gates), else 256: the written-out forward's tanh (LaneTanh) and a
//   sigmoid through it (GateSigmoid, 0.5 + 0.5 tanh(x / 2): half the chain of the shared kernels' e^x),
//   through the IRecurrentLanes helpers that RecurrentLanes.cs uses too;
// - the layer's sizes as constants (a type argument), and the hidden products in a method of their own:
//   one method holding the input's products, the hidden products and the gates passed the JIT's inlining
//   budget and turned the lane helpers into calls (gru16 384 ns, against 53 split this way).
// The new h goes straight over h: every product that reads the old h is finished before the first gate.
// Measured on AMD EPYC (Zen 5), one input, median of 11 runs against the row-major step
// (RecurrentLanes.cs) in the same process: gru8 45 vs 45 ns, gru16 52 vs 58, gru32 100 vs 98, gru64 358
// vs 326, lstm8 48 vs 51, lstm16 55 vs 72, lstm32 143 vs 147, lstm64 494 vs 607 (at 64 the weights,
// 51 and 68 KB, no longer fit in L1).
// Both spend most of a step on the same products' throughput and the gates' latency (sigmoid, then tanh,
// then the blend); what columns save is only the sums across lanes.
public abstract partial class FloatKernels
{
    /// <summary>The most accumulators a tile of hidden (or input) products holds: half the 32 vector registers.</summary>
    private const int ColumnSlots = 16;

    /// <summary>
    /// Writes one recurrent layer's tensors from PyTorch's layout in <paramref name="parameters"/> to the
    /// columns layout in <paramref name="columns"/>, at the same offset and length: weight_ih
    /// <c>[G * hidden, inputs]</c> becomes <c>[inputs, G * hidden]</c> (element (row r, input i) at
    /// <c>offset + i * G * hidden + r</c>), weight_hh <c>[G * hidden, hidden]</c> becomes
    /// <c>[hidden, G * hidden]</c> (element (row r, hidden j) at <c>offset + G * hidden * inputs + j * G * hidden + r</c>),
    /// and the two biases are copied unchanged. Nothing else in <paramref name="columns"/> is written.
    /// The two spans must not overlap.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void TransposeRecurrentLayer(ReadOnlySpan<float> parameters, Span<float> columns, int offset, int inputs, int hidden, int gates)
    {
        if (offset < 0 || inputs < 1 || hidden < 1 || gates < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "The offset must be at least 0, and the inputs, hidden size and gates at least 1.");
        }
        int rows = gates * hidden;
        int weightHh = offset + (rows * inputs), biases = weightHh + (rows * hidden), end = biases + (2 * rows);
        if (parameters.Length < end || columns.Length < end)
        {
            throw new ArgumentException("The layer's tensors reach past the end of the parameters or of the columns.");
        }
        if (parameters.Overlaps(columns))
        {
            // A transpose in place would read values it has already overwritten.
            throw new ArgumentException("The parameters and the columns must not overlap.");
        }
        Simd.Transpose(parameters.Slice(offset, rows * inputs), columns.Slice(offset, rows * inputs), rows, inputs);
        Simd.Transpose(parameters.Slice(weightHh, rows * hidden), columns.Slice(weightHh, rows * hidden), rows, hidden);
        parameters.Slice(biases, 2 * rows).CopyTo(columns.Slice(biases, 2 * rows));
    }

    /// <summary>
    /// A GRU step of one sequence on the columns layout (see <see cref="TransposeRecurrentLayer"/>): reads
    /// <paramref name="x"/> (Inputs values) and <paramref name="h"/> (Hidden values), writes the new h over
    /// <paramref name="h"/>. The caller guarantees <see cref="LanesAccelerated"/> and
    /// <see cref="RecurrentLaneWidth"/><c>(Inputs, Hidden) &gt; 0</c> (a hidden size that is a multiple of 8).
    /// Allocates nothing: a layer too wide for the fused kernel keeps its products on the stack (6 * Hidden values).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GruStepColumns<TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> h)
        where TLayer : struct, IRecurrentShape
    {
        // Each width in a method of its own: one body is all the JIT's inlining budget holds.
        if (default(TLayer).Hidden % 16 == 0 && FusedColumns(3, default(TLayer).Hidden, 16))
        {
            GruStepFused<Lanes512, Vector512<float>, TLayer>(columns, x, h);
        }
        else if (default(TLayer).Hidden % 16 != 0 && FusedColumns(3, default(TLayer).Hidden, 8))
        {
            GruStepFused<Lanes256, Vector256<float>, TLayer>(columns, x, h);
        }
        else if (default(TLayer).Hidden % 16 == 0)
        {
            GruStepColumns512<TLayer>(columns, x, h);
        }
        else
        {
            GruStepColumns256<TLayer>(columns, x, h);
        }
    }

    /// <summary>
    /// An LSTM step of one sequence on the columns layout: reads <paramref name="x"/> and
    /// <paramref name="state"/> (h then c, Hidden values each), writes the new state over it. The caller
    /// guarantees what <see cref="GruStepColumns{TLayer}"/> says. Allocates nothing (8 * Hidden values on the
    /// stack where the fused kernel does not take the layer).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LstmStepColumns<TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> state)
        where TLayer : struct, IRecurrentShape
    {
        if (default(TLayer).Hidden % 16 == 0 && FusedColumns(4, default(TLayer).Hidden, 16))
        {
            LstmStepFused<Lanes512, Vector512<float>, TLayer>(columns, x, state);
        }
        else if (default(TLayer).Hidden % 16 != 0 && FusedColumns(4, default(TLayer).Hidden, 8))
        {
            LstmStepFused<Lanes256, Vector256<float>, TLayer>(columns, x, state);
        }
        else if (default(TLayer).Hidden % 16 == 0)
        {
            LstmStepColumns512<TLayer>(columns, x, state);
        }
        else
        {
            LstmStepColumns256<TLayer>(columns, x, state);
        }
    }

    // Each cell and width: the input's products and the gates inlined here, the hidden products in a
    // method of their own (see the file's header). The type arguments are all structs, so each method is
    // compiled per layer, cell and width, with every size a constant. The workspace is on the stack and not
    // zeroed (SkipLocalsInit: every value is stored before it is read): the generated step's stack buffer,
    // zeroed on every step in the user's assembly, cost 30-40 ns a step at hidden 32.

    [MethodImpl(Block)]
    [SkipLocalsInit]
    private static void GruStepColumns512<TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> h)
        where TLayer : struct, IRecurrentShape
        => GruStepSplit<Lanes512, Vector512<float>, TLayer>(columns, x, h, stackalloc float[6 * default(TLayer).Hidden]);

    [MethodImpl(Block)]
    [SkipLocalsInit]
    private static void GruStepColumns256<TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> h)
        where TLayer : struct, IRecurrentShape
        => GruStepSplit<Lanes256, Vector256<float>, TLayer>(columns, x, h, stackalloc float[6 * default(TLayer).Hidden]);

    [MethodImpl(Block)]
    [SkipLocalsInit]
    private static void LstmStepColumns512<TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> state)
        where TLayer : struct, IRecurrentShape
        => LstmStepSplit<Lanes512, Vector512<float>, TLayer>(columns, x, state, stackalloc float[8 * default(TLayer).Hidden]);

    [MethodImpl(Block)]
    [SkipLocalsInit]
    private static void LstmStepColumns256<TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> state)
        where TLayer : struct, IRecurrentShape
        => LstmStepSplit<Lanes256, Vector256<float>, TLayer>(columns, x, state, stackalloc float[8 * default(TLayer).Hidden]);

    /// <summary>The split GRU step over <paramref name="workspace"/> (6 * Hidden values, each written before it is read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GruStepSplit<TLanes, TVector, TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> h, Span<float> workspace)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
        where TLayer : struct, IRecurrentShape
    {
        InputProducts<TLanes, TVector, TLayer, GruGateCount>(columns, x, workspace);
        HiddenProducts<TLanes, TVector, TLayer, GruGateCount>(columns, h, workspace);
        GruGates<TLanes, TVector>(default(TLayer).Hidden, h, workspace);
    }

    /// <summary>The split LSTM step over <paramref name="workspace"/> (8 * Hidden values, each written before it is read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LstmStepSplit<TLanes, TVector, TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> state, Span<float> workspace)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
        where TLayer : struct, IRecurrentShape
    {
        InputProducts<TLanes, TVector, TLayer, LstmGateCount>(columns, x, workspace);
        HiddenProducts<TLanes, TVector, TLayer, LstmGateCount>(columns, state, workspace);
        LstmGates<TLanes, TVector>(default(TLayer).Hidden, state, workspace);
    }

    /// <summary>
    /// For the tests: the step <see cref="GruStepColumns{TLayer}"/> takes, with the split kernel's products in
    /// <paramref name="workspace"/> (at least 6 * Hidden values) rather than on the stack, so that a test can fill
    /// it with NaN and see any value read before it is written. The fused kernel does not read it.
    /// </summary>
    internal static void GruStepColumnsOver<TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> h, Span<float> workspace)
        where TLayer : struct, IRecurrentShape
    {
        int hidden = default(TLayer).Hidden;
        if (hidden % 16 == 0 ? FusedColumns(3, hidden, 16) : FusedColumns(3, hidden, 8))
        {
            // The fused kernel has no workspace: the public entry runs it.
            GruStepColumns<TLayer>(columns, x, h);
        }
        else if (hidden % 16 == 0)
        {
            GruStepSplit<Lanes512, Vector512<float>, TLayer>(columns, x, h, workspace.Slice(0, 6 * hidden));
        }
        else
        {
            GruStepSplit<Lanes256, Vector256<float>, TLayer>(columns, x, h, workspace.Slice(0, 6 * hidden));
        }
    }

    /// <summary>For the tests: <see cref="LstmStepColumns{TLayer}"/> over a given workspace (at least 8 * Hidden values), as <see cref="GruStepColumnsOver{TLayer}"/>.</summary>
    internal static void LstmStepColumnsOver<TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> state, Span<float> workspace)
        where TLayer : struct, IRecurrentShape
    {
        int hidden = default(TLayer).Hidden;
        if (hidden % 16 == 0 ? FusedColumns(4, hidden, 16) : FusedColumns(4, hidden, 8))
        {
            // The fused kernel has no workspace: the public entry runs it.
            LstmStepColumns<TLayer>(columns, x, state);
        }
        else if (hidden % 16 == 0)
        {
            LstmStepSplit<Lanes512, Vector512<float>, TLayer>(columns, x, state, workspace.Slice(0, 8 * hidden));
        }
        else
        {
            LstmStepSplit<Lanes256, Vector256<float>, TLayer>(columns, x, state, workspace.Slice(0, 8 * hidden));
        }
    }

    /// <summary>A cell's gate count as a type argument, so that it is a constant where the sizes are.</summary>
    private interface IGateCount
    {
        int Gates { get; }
    }

    private readonly struct GruGateCount : IGateCount
    {
        public int Gates => 3;
    }

    private readonly struct LstmGateCount : IGateCount
    {
        public int Gates => 4;
    }

    /// <summary>
    /// <c>W_i x + b_i</c> per gate row into the workspace's first G * Hidden values, with <c>b_h</c> added
    /// too except for the GRU's n (whose b_hn stays with W_hn h, which r scales). Independent of h, so it
    /// overlaps the hidden products.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputProducts<TLanes, TVector, TLayer, TCell>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> workspace)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
        where TLayer : struct, IRecurrentShape
        where TCell : struct, IGateCount
    {
        TLayer layer = default;
        int rows = default(TCell).Gates * layer.Hidden, weightHh = layer.Offset + (rows * layer.Inputs), biasIh = weightHh + (rows * layer.Hidden);
        int plainFrom = default(TCell).Gates == 3 ? 2 * layer.Hidden : rows;
        ref float p = ref MemoryMarshal.GetReference(columns);
        ColumnProducts<TLanes, TVector>(default, ref Unsafe.Add(ref p, layer.Offset), rows, ref MemoryMarshal.GetReference(x), layer.Inputs,
            ref Unsafe.Add(ref p, biasIh), ref Unsafe.Add(ref p, biasIh + rows), plainFrom, inputPass: true, ref MemoryMarshal.GetReference(workspace));
    }

    /// <summary>
    /// <c>W_h h</c> per gate row into the workspace's second G * Hidden values, plus <c>b_hn</c> for the
    /// GRU's n (the other rows' b_h went with the input's products).
    /// </summary>
    [MethodImpl(Block)]
    private static void HiddenProducts<TLanes, TVector, TLayer, TCell>(ReadOnlySpan<float> columns, ReadOnlySpan<float> h, Span<float> workspace)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
        where TLayer : struct, IRecurrentShape
        where TCell : struct, IGateCount
    {
        TLayer layer = default;
        int rows = default(TCell).Gates * layer.Hidden, weightHh = layer.Offset + (rows * layer.Inputs), biasHh = weightHh + (rows * layer.Hidden) + rows;
        int plainFrom = default(TCell).Gates == 3 ? 2 * layer.Hidden : rows;
        ref float p = ref MemoryMarshal.GetReference(columns);
        ColumnProducts<TLanes, TVector>(default, ref Unsafe.Add(ref p, weightHh), rows, ref MemoryMarshal.GetReference(h), layer.Hidden,
            ref Unsafe.Add(ref p, biasHh), ref Unsafe.Add(ref p, biasHh), plainFrom, inputPass: false, ref Unsafe.Add(ref MemoryMarshal.GetReference(workspace), rows));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GruGates<TLanes, TVector>(int hidden, Span<float> h, Span<float> workspace)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        TLanes v = default;
        ref float previous = ref MemoryMarshal.GetReference(h);
        ref float inputPart = ref MemoryMarshal.GetReference(workspace);
        ref float hiddenPart = ref Unsafe.Add(ref inputPart, 3 * hidden);
        for (int k = 0; k < hidden; k += v.Count)
        {
            TVector rGate = v.GateSigmoid(v.Add(v.Load(ref hiddenPart, k), v.Load(ref inputPart, k)));
            TVector zGate = v.GateSigmoid(v.Add(v.Load(ref hiddenPart, hidden + k), v.Load(ref inputPart, hidden + k)));
            TVector nGate = v.Tanh(v.Add(v.Load(ref inputPart, (2 * hidden) + k), v.Multiply(rGate, v.Load(ref hiddenPart, (2 * hidden) + k))));
            // h' = (1 - z) n + z h, in the shared path's order; every product that read the old h is done.
            TVector old = v.Load(ref previous, k);
            v.Store(ref previous, k, v.Add(v.Multiply(v.Subtract(v.One, zGate), nGate), v.Multiply(zGate, old)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LstmGates<TLanes, TVector>(int hidden, Span<float> state, Span<float> workspace)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        TLanes v = default;
        ref float h = ref MemoryMarshal.GetReference(state);
        ref float c = ref Unsafe.Add(ref h, hidden);
        ref float inputPart = ref MemoryMarshal.GetReference(workspace);
        ref float hiddenPart = ref Unsafe.Add(ref inputPart, 4 * hidden);
        for (int k = 0; k < hidden; k += v.Count)
        {
            TVector iGate = v.GateSigmoid(v.Add(v.Load(ref hiddenPart, k), v.Load(ref inputPart, k)));
            TVector fGate = v.GateSigmoid(v.Add(v.Load(ref hiddenPart, hidden + k), v.Load(ref inputPart, hidden + k)));
            TVector gGate = v.Tanh(v.Add(v.Load(ref hiddenPart, (2 * hidden) + k), v.Load(ref inputPart, (2 * hidden) + k)));
            TVector oGate = v.GateSigmoid(v.Add(v.Load(ref hiddenPart, (3 * hidden) + k), v.Load(ref inputPart, (3 * hidden) + k)));
            // c' = f c + i g, two products then their sum, as the shared path; h' = o tanh(c').
            TVector cell = v.Add(v.Multiply(fGate, v.Load(ref c, k)), v.Multiply(iGate, gGate));
            v.Store(ref c, k, cell);
            v.Store(ref h, k, v.Multiply(oGate, v.Tanh(cell)));
        }
    }

    /// <summary>
    /// All <paramref name="rows"/> gate rows' products with <paramref name="values"/> (<paramref name="length"/>
    /// values, column j of the weights at <c>weights[j * rows ..]</c>), stored at
    /// <paramref name="destination"/>. In the input pass each row starts from <c>biasIh[row] + biasHh[row]</c>
    /// (<c>biasIh[row]</c> alone from <paramref name="plainFrom"/> on); in the hidden pass from zero
    /// (<c>biasHh[row]</c> from <paramref name="plainFrom"/> on: the GRU's n). Sixteen vectors of rows per
    /// tile, then the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnProducts<TLanes, TVector>(TLanes v, ref float weights, int rows, ref float values, int length,
        ref float biasIh, ref float biasHh, int plainFrom, bool inputPass, ref float destination)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        int vectors = rows / v.Count, rest = vectors % ColumnSlots, whole = (vectors - rest) * v.Count;
        // Constant conditions, so that a layer of at most sixteen vectors of rows has one tile's code.
        if (vectors >= ColumnSlots)
        {
            for (int first = 0; first < whole; first += ColumnSlots * v.Count)
            {
                ColumnTile<TLanes, TVector>(v, ref weights, rows, ref values, length, first, ColumnSlots, 1, ref biasIh, ref biasHh, plainFrom, inputPass, ref destination);
            }
        }
        if (rest > 0)
        {
            // Few vectors: 2 or 4 accumulators each (as many as divide the length), so that enough
            // independent chains keep both FMA units busy.
            int splits = rest <= ColumnSlots / 4 && length % 4 == 0 ? 4 : rest <= ColumnSlots / 2 && length % 2 == 0 ? 2 : 1;
            ColumnTile<TLanes, TVector>(v, ref weights, rows, ref values, length, whole, rest, splits, ref biasIh, ref biasHh, plainFrom, inputPass, ref destination);
        }
    }

    /// <summary>
    /// One tile: <paramref name="vectors"/> vectors of rows from <paramref name="first"/>, each in
    /// <paramref name="splits"/> accumulators (split t takes the values j with j % splits == t), all
    /// constants to the JIT once inlined. Slot q of the sixteen holds split q / pitch of vector q % pitch,
    /// pitch = 16 / splits, so that the partial sums of a vector are a fixed distance apart whatever the count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnTile<TLanes, TVector>(TLanes v, ref float weights, int rows, ref float values, int length, int first, int vectors, int splits,
        ref float biasIh, ref float biasHh, int plainFrom, bool inputPass, ref float destination)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        int pitch = ColumnSlots / splits;
        TVector a0 = SlotStart<TLanes, TVector>(v, 0, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a1 = SlotStart<TLanes, TVector>(v, 1, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a2 = SlotStart<TLanes, TVector>(v, 2, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a3 = SlotStart<TLanes, TVector>(v, 3, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a4 = SlotStart<TLanes, TVector>(v, 4, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a5 = SlotStart<TLanes, TVector>(v, 5, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a6 = SlotStart<TLanes, TVector>(v, 6, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a7 = SlotStart<TLanes, TVector>(v, 7, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a8 = SlotStart<TLanes, TVector>(v, 8, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a9 = SlotStart<TLanes, TVector>(v, 9, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a10 = SlotStart<TLanes, TVector>(v, 10, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a11 = SlotStart<TLanes, TVector>(v, 11, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a12 = SlotStart<TLanes, TVector>(v, 12, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a13 = SlotStart<TLanes, TVector>(v, 13, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a14 = SlotStart<TLanes, TVector>(v, 14, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        TVector a15 = SlotStart<TLanes, TVector>(v, 15, pitch, vectors, first, ref biasIh, ref biasHh, plainFrom, inputPass);
        for (int j = 0; j < length; j += splits)
        {
            ref float column = ref Unsafe.Add(ref weights, (j * rows) + first);
            ref float value = ref Unsafe.Add(ref values, j);
            a0 = SlotProduct<TLanes, TVector>(v, a0, 0, pitch, vectors, ref column, rows, ref value);
            a1 = SlotProduct<TLanes, TVector>(v, a1, 1, pitch, vectors, ref column, rows, ref value);
            a2 = SlotProduct<TLanes, TVector>(v, a2, 2, pitch, vectors, ref column, rows, ref value);
            a3 = SlotProduct<TLanes, TVector>(v, a3, 3, pitch, vectors, ref column, rows, ref value);
            a4 = SlotProduct<TLanes, TVector>(v, a4, 4, pitch, vectors, ref column, rows, ref value);
            a5 = SlotProduct<TLanes, TVector>(v, a5, 5, pitch, vectors, ref column, rows, ref value);
            a6 = SlotProduct<TLanes, TVector>(v, a6, 6, pitch, vectors, ref column, rows, ref value);
            a7 = SlotProduct<TLanes, TVector>(v, a7, 7, pitch, vectors, ref column, rows, ref value);
            a8 = SlotProduct<TLanes, TVector>(v, a8, 8, pitch, vectors, ref column, rows, ref value);
            a9 = SlotProduct<TLanes, TVector>(v, a9, 9, pitch, vectors, ref column, rows, ref value);
            a10 = SlotProduct<TLanes, TVector>(v, a10, 10, pitch, vectors, ref column, rows, ref value);
            a11 = SlotProduct<TLanes, TVector>(v, a11, 11, pitch, vectors, ref column, rows, ref value);
            a12 = SlotProduct<TLanes, TVector>(v, a12, 12, pitch, vectors, ref column, rows, ref value);
            a13 = SlotProduct<TLanes, TVector>(v, a13, 13, pitch, vectors, ref column, rows, ref value);
            a14 = SlotProduct<TLanes, TVector>(v, a14, 14, pitch, vectors, ref column, rows, ref value);
            a15 = SlotProduct<TLanes, TVector>(v, a15, 15, pitch, vectors, ref column, rows, ref value);
        }
        // The partial sums of each vector, pairwise, then the vectors stored in row order.
        if (splits == 4)
        {
            a0 = v.Add(v.Add(a0, a8), v.Add(a4, a12));
            a1 = v.Add(v.Add(a1, a9), v.Add(a5, a13));
            a2 = v.Add(v.Add(a2, a10), v.Add(a6, a14));
            a3 = v.Add(v.Add(a3, a11), v.Add(a7, a15));
        }
        else if (splits == 2)
        {
            a0 = v.Add(a0, a8);
            a1 = v.Add(a1, a9);
            a2 = v.Add(a2, a10);
            a3 = v.Add(a3, a11);
            a4 = v.Add(a4, a12);
            a5 = v.Add(a5, a13);
            a6 = v.Add(a6, a14);
            a7 = v.Add(a7, a15);
        }
        ref float target = ref Unsafe.Add(ref destination, first);
        int w = v.Count;
        StoreSlot<TLanes, TVector>(v, ref target, 0, vectors, a0);
        StoreSlot<TLanes, TVector>(v, ref target, 1 * w, vectors, a1);
        StoreSlot<TLanes, TVector>(v, ref target, 2 * w, vectors, a2);
        StoreSlot<TLanes, TVector>(v, ref target, 3 * w, vectors, a3);
        StoreSlot<TLanes, TVector>(v, ref target, 4 * w, vectors, a4);
        StoreSlot<TLanes, TVector>(v, ref target, 5 * w, vectors, a5);
        StoreSlot<TLanes, TVector>(v, ref target, 6 * w, vectors, a6);
        StoreSlot<TLanes, TVector>(v, ref target, 7 * w, vectors, a7);
        StoreSlot<TLanes, TVector>(v, ref target, 8 * w, vectors, a8);
        StoreSlot<TLanes, TVector>(v, ref target, 9 * w, vectors, a9);
        StoreSlot<TLanes, TVector>(v, ref target, 10 * w, vectors, a10);
        StoreSlot<TLanes, TVector>(v, ref target, 11 * w, vectors, a11);
        StoreSlot<TLanes, TVector>(v, ref target, 12 * w, vectors, a12);
        StoreSlot<TLanes, TVector>(v, ref target, 13 * w, vectors, a13);
        StoreSlot<TLanes, TVector>(v, ref target, 14 * w, vectors, a14);
        StoreSlot<TLanes, TVector>(v, ref target, 15 * w, vectors, a15);
    }

    /// <summary>
    /// Slot <paramref name="slot"/>'s starting value: for the first split of a vector that exists, the
    /// row's biases (<see cref="ColumnProducts"/> says which); zero for the other splits and for slots past the tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector SlotStart<TLanes, TVector>(TLanes v, int slot, int pitch, int vectors, int first,
        ref float biasIh, ref float biasHh, int plainFrom, bool inputPass)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        if (slot >= pitch || slot >= vectors)
        {
            return default;
        }
        int row = first + (slot * v.Count);
        if (inputPass)
        {
            return row < plainFrom ? v.Add(v.Load(ref biasIh, row), v.Load(ref biasHh, row)) : v.Load(ref biasIh, row);
        }
        return row < plainFrom ? default : v.Load(ref biasHh, row);
    }

    /// <summary>
    /// Slot <paramref name="slot"/> (split <c>slot / pitch</c> of vector <c>slot % pitch</c>) after one more
    /// value: <c>sum + column(j + split)[vector] * value[split]</c>, the value broadcast; unchanged for an unused slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector SlotProduct<TLanes, TVector>(TLanes v, TVector sum, int slot, int pitch, int vectors,
        ref float column, int rows, ref float value)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        int vector = slot % pitch, split = slot / pitch;
        if (vector >= vectors)
        {
            return sum;
        }
        return v.MultiplyAdd(v.Load(ref column, (split * rows) + (vector * v.Count)), v.Broadcast(Unsafe.Add(ref value, split)), sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSlot<TLanes, TVector>(TLanes v, ref float target, int offset, int vectors, TVector sum)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        if (offset < vectors * v.Count)
        {
            v.Store(ref target, offset, sum);
        }
    }
}
#endif
