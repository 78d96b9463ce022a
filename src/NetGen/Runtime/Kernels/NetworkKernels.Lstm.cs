using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// The LSTM layer, as PyTorch's nn.LSTM (gates i, f, g, o, each W_i* x + b_i* + W_h* h + b_h*):
//   i, f, o through sigmoid, g through tanh;   c' = f * c + i * g;   h' = o * tanh(c')
// A layer's output at a step is h'; its state is h then c. What a step keeps for back-propagation through
// time, per sequence: h and c (the state it started from), i, f, g, o and tanh(c'), LstmSaved values.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>Values an LSTM step keeps per sequence for back-propagation: h, c, i, f, g, o, tanh(c').</summary>
    private const int LstmSaved = 7;

    /// <summary>
    /// The workspace an LSTM step of <paramref name="count"/> sequences needs (one sequence included), in
    /// elements: <c>(Inputs + 10 * Hidden) * count</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LstmStepWorkspaceLength<TLayer>(int count)
        where TLayer : struct, IRecurrentShape
        => (default(TLayer).Inputs + (10 * default(TLayer).Hidden)) * count;

    /// <summary>What <see cref="LstmForwardSequence"/> keeps for <see cref="LstmBackwardSequence"/>, in elements: <c>7 * Hidden</c> per sequence and step.</summary>
    public static int LstmSavedLength<TLayer>(int batch, int steps)
        where TLayer : struct, IRecurrentShape
        => LstmSaved * default(TLayer).Hidden * batch * steps;

    /// <summary>The workspace <see cref="LstmForwardSequence"/> and <see cref="LstmBackwardSequence"/> need, in elements.</summary>
    public static int LstmSequenceWorkspaceLength<TLayer>(int batch, int steps)
        where TLayer : struct, IRecurrentShape
    {
        int hidden = default(TLayer).Hidden;
        int forward = (2 * hidden * batch) + LstmStepWorkspaceLength<TLayer>(batch);
        int backward = (4 * hidden * batch * steps) + (6 * hidden * batch);
        return Math.Max(forward, backward);
    }

    /// <summary>
    /// One step of one sequence: reads <paramref name="x"/> (Inputs values) and <paramref name="state"/>
    /// (h then c, 2 * Hidden values), writes the new state over it; the new h (its first Hidden values) is
    /// the layer's output. Allocates nothing; <paramref name="workspace"/> holds
    /// <see cref="LstmStepWorkspaceLength"/>(1) values.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LstmStep<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> state, Span<T> workspace)
        where TLayer : struct, IRecurrentShape
        => LstmStepOne<TLayer>(p, x, state, workspace, default);

    /// <summary>
    /// One step of <paramref name="count"/> independent sequences: sequence s reads its input at
    /// <c>inputs[s * inputStride ..]</c> and its state (h then c) at <c>states[s * stateStride ..]</c>,
    /// writes its new state there and (unless <paramref name="outputs"/> is empty) its new h at
    /// <c>outputs[s * outputStride ..]</c>. With at least a vector of sequences (always in the
    /// deterministic mode) sequences fill the vector lanes; below that each runs as
    /// <see cref="LstmStep{TLayer}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T})"/>.
    /// <paramref name="workspace"/> holds <see cref="LstmStepWorkspaceLength"/>(count) values.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LstmStep<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride,
        Span<T> outputs, int outputStride, int count, Span<T> workspace)
        where TLayer : struct, IRecurrentShape
        => LstmStepMany<TLayer>(p, inputs, inputStride, states, stateStride, outputs, outputStride, count, workspace, default, 0);

    /// <summary>
    /// The layer over <paramref name="batch"/> whole sequences of <paramref name="steps"/> steps:
    /// <paramref name="inputs"/> <c>[batch, steps, Inputs]</c> to <paramref name="outputs"/>
    /// <c>[batch, steps, Hidden]</c>, from <paramref name="initialState"/> <c>[batch, 2 * Hidden]</c> (h then
    /// c per sequence; empty: zero, PyTorch's default). Each step is
    /// <see cref="LstmStep{TLayer}(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Span{T}, int, Span{T}, int, int, Span{T})"/>
    /// over the batch, so stepping gives the same bits. Unless <paramref name="saved"/> is empty it keeps
    /// <see cref="LstmSavedLength"/> values there for <see cref="LstmBackwardSequence"/>.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LstmForwardSequence<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, Span<T> outputs, int batch, int steps,
        ReadOnlySpan<T> initialState, Span<T> saved, Span<T> workspace)
        where TLayer : struct, IRecurrentShape
    {
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden, kept = LstmSaved * hidden;
        Span<T> state = workspace.Slice(0, 2 * batch * hidden);
        Span<T> rest = workspace.Slice(2 * batch * hidden);
        if (initialState.IsEmpty)
        {
            state.Clear();
        }
        else
        {
            initialState.Slice(0, 2 * batch * hidden).CopyTo(state);
        }
        for (int t = 0; t < steps; t++)
        {
            LstmStepMany<TLayer>(p, inputs.Slice(t * inputCount), steps * inputCount, state, 2 * hidden, outputs.Slice(t * hidden), steps * hidden,
                batch, rest, saved.IsEmpty ? default : saved.Slice(t * kept), steps * kept);
        }
    }

    /// <summary>
    /// Back-propagation through time of <see cref="LstmForwardSequence"/>, given the values it saved:
    /// writes over the layer's four tensors in <paramref name="g"/> the gradient of <c>sum of
    /// outputGradients * outputs</c> (<paramref name="outputGradients"/> <c>[batch, steps, Hidden]</c>), and
    /// unless empty, its gradient with respect to the inputs into <paramref name="inputGradients"/>
    /// <c>[batch, steps, Inputs]</c> and with respect to the initial state into
    /// <paramref name="initialStateGradients"/> <c>[batch, 2 * Hidden]</c> (h then c).
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LstmBackwardSequence<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients,
        Span<T> g, int batch, int steps, ReadOnlySpan<T> saved, Span<T> initialStateGradients, Span<T> workspace)
        where TLayer : struct, IRecurrentShape
    {
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden, gates = 4 * hidden, kept = LstmSaved * hidden;
        int rows = batch * steps;
        // The gate deltas are the same for W_ih x + b_ih and W_hh h + b_hh: their sum is each gate's input.
        Span<T> deltas = workspace.Slice(0, rows * gates);
        Span<T> dh = workspace.Slice(rows * gates, batch * hidden);
        Span<T> dc = workspace.Slice((rows * gates) + (batch * hidden), batch * hidden);
        Span<T> stepDeltas = workspace.Slice((rows * gates) + (2 * batch * hidden), batch * gates);
        dh.Clear();
        dc.Clear();
        T one = A.One;
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps) + t;
                ReadOnlySpan<T> record = saved.Slice(row * kept, kept);
                ReadOnlySpan<T> previousC = record.Slice(hidden, hidden);
                ReadOnlySpan<T> i = record.Slice(2 * hidden, hidden), f = record.Slice(3 * hidden, hidden);
                ReadOnlySpan<T> gg = record.Slice(4 * hidden, hidden), o = record.Slice(5 * hidden, hidden), tc = record.Slice(6 * hidden, hidden);
                ReadOnlySpan<T> dy = outputGradients.Slice(row * hidden, hidden);
                Span<T> delta = stepDeltas.Slice(b * gates, gates);
                Span<T> dhb = dh.Slice(b * hidden, hidden), dcb = dc.Slice(b * hidden, hidden);
                for (int k = 0; k < hidden; k++)
                {
                    T total = A.Add(dy[k], dhb[k]);
                    T ik = i[k], fk = f[k], gk = gg[k], ok = o[k], tck = tc[k];
                    T dOut = A.Multiply(total, tck);
                    T dCell = A.Add(dcb[k], A.Multiply(A.Multiply(total, ok), A.Multiply(A.Subtract(one, tck), A.Add(one, tck))));
                    dcb[k] = A.Multiply(dCell, fk);
                    delta[k] = A.Multiply(A.Multiply(dCell, gk), A.Multiply(ik, A.Subtract(one, ik)));
                    delta[hidden + k] = A.Multiply(A.Multiply(dCell, previousC[k]), A.Multiply(fk, A.Subtract(one, fk)));
                    delta[(2 * hidden) + k] = A.Multiply(A.Multiply(dCell, ik), A.Multiply(A.Subtract(one, gk), A.Add(one, gk)));
                    delta[(3 * hidden) + k] = A.Multiply(dOut, A.Multiply(ok, A.Subtract(one, ok)));
                }
                delta.CopyTo(deltas.Slice(row * gates, gates));
            }
            // d(h) of the previous step: only through the gates, W_hh^T times their deltas.
            LinearInputGradient<HiddenWeights<TLayer, LstmCell>>(p, stepDeltas, dh, batch);
        }
        if (!initialStateGradients.IsEmpty)
        {
            for (int b = 0; b < batch; b++)
            {
                dh.Slice(b * hidden, hidden).CopyTo(initialStateGradients.Slice(2 * b * hidden, hidden));
                dc.Slice(b * hidden, hidden).CopyTo(initialStateGradients.Slice(((2 * b) + 1) * hidden, hidden));
            }
        }
        if (!inputGradients.IsEmpty)
        {
            LinearInputGradient<InputWeights<TLayer, LstmCell>>(p, deltas, inputGradients, rows);
        }
        OuterProductSums(inputs, inputCount, inputCount, deltas, gates, gates, g, default(TLayer).Offset, RecurrentOffsets<TLayer, LstmCell>.BiasIh, rows);
        OuterProductSums(saved, kept, hidden, deltas, gates, gates, g, RecurrentOffsets<TLayer, LstmCell>.WeightHh, RecurrentOffsets<TLayer, LstmCell>.BiasHh, rows);
    }

    /// <summary>
    /// A step of many sequences; <paramref name="saved"/> (empty: nothing kept) gets sequence s's values at
    /// <c>s * savedStride</c>.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void LstmStepMany<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride,
        Span<T> outputs, int outputStride, int count, Span<T> workspace, Span<T> saved, int savedStride)
        where TLayer : struct, IRecurrentShape
    {
        if (A.IsDeterministic || UseColumns(count))
        {
            LstmColumns<TLayer>(p, inputs, inputStride, states, stateStride, outputs, outputStride, count, workspace, saved, savedStride);
            return;
        }
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden;
        for (int s = 0; s < count; s++)
        {
            Span<T> state = states.Slice(s * stateStride, 2 * hidden);
            LstmStepOne<TLayer>(p, inputs.Slice(s * inputStride, inputCount), state, workspace, saved.IsEmpty ? default : saved.Slice(s * savedStride, LstmSaved * hidden));
            if (!outputs.IsEmpty)
            {
                state.Slice(0, hidden).CopyTo(outputs.Slice(s * outputStride, hidden));
            }
        }
    }

    /// <summary>
    /// One sequence. In the default mode with hardware vectors, every gate's products in registers
    /// (<see cref="SequenceGateProducts"/>); otherwise a batch of one, so that the deterministic mode's
    /// step is the same arithmetic whatever the batch.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void LstmStepOne<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> state, Span<T> workspace, Span<T> saved)
        where TLayer : struct, IRecurrentShape
    {
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden;
        if (A.IsDeterministic || !Vector.IsHardwareAccelerated)
        {
            LstmColumns<TLayer>(p, x, inputCount, state, 2 * hidden, default, 0, 1, workspace, saved, LstmSaved * hidden);
            return;
        }
#if NET8_0_OR_GREATER
        if (typeof(T) == typeof(float) && typeof(TArithmetic) == typeof(FloatArithmetic) && FloatKernels.RecurrentLanes(inputCount, hidden) is int lanes and > 0)
        {
            // float on AVX-512: the products and the gates in registers (FloatKernels.RecurrentLanes.cs).
            FloatKernels.LstmStepLanes<TLayer>(lanes, MemoryMarshal.Cast<T, float>(p), MemoryMarshal.Cast<T, float>(x),
                MemoryMarshal.Cast<T, float>(state), MemoryMarshal.Cast<T, float>(workspace), MemoryMarshal.Cast<T, float>(saved));
            return;
        }
#endif
        Span<T> h = state.Slice(0, hidden), c = state.Slice(hidden, hidden);
        Span<T> pre = workspace.Slice(0, 4 * hidden);
        Span<T> tc = workspace.Slice(4 * hidden, hidden);
        SequenceGateProducts<TLayer, LstmCell>(p, x, h, pre, default);
        Span<T> i = pre.Slice(0, hidden), f = pre.Slice(hidden, hidden), g = pre.Slice(2 * hidden, hidden), o = pre.Slice(3 * hidden, hidden);
        SigmoidForward(pre.Slice(0, 2 * hidden), pre.Slice(0, 2 * hidden));
        TanhForward(g, g);
        SigmoidForward(o, o);
        if (!saved.IsEmpty)
        {
            state.CopyTo(saved);
        }
        CellUpdate(i, f, g, c);
        TanhForward(c, tc);
        MultiplyInto(o, tc, h);
        if (!saved.IsEmpty)
        {
            pre.CopyTo(saved.Slice(2 * hidden));
            tc.CopyTo(saved.Slice(6 * hidden));
        }
    }

    /// <summary>
    /// A step of <paramref name="count"/> sequences feature-major: x, h and c gathered into columns, the
    /// two gate products with sequences in the vector lanes, the gates over whole rows of sequences.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void LstmColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride,
        Span<T> outputs, int outputStride, int count, Span<T> workspace, Span<T> saved, int savedStride)
        where TLayer : struct, IRecurrentShape
    {
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden;
        int block = hidden * count;
        Span<T> xT = workspace.Slice(0, inputCount * count);
        Span<T> hT = workspace.Slice(inputCount * count, block);
        Span<T> cT = workspace.Slice((inputCount * count) + block, block);
        Span<T> gatesT = workspace.Slice((inputCount * count) + (2 * block), 4 * block);
        Span<T> hiddenGates = workspace.Slice((inputCount * count) + (6 * block), 4 * block);
        GatherColumns(inputs, inputStride, inputCount, xT, count);
        GatherColumns(states, stateStride, hidden, hT, count);
        GatherColumns(states.Slice(hidden), stateStride, hidden, cT, count);
        if (!saved.IsEmpty)
        {
            ScatterColumns(hT, hidden, saved, savedStride, count);
            ScatterColumns(cT, hidden, saved.Slice(hidden), savedStride, count);
        }
        GateColumns<InputRows<TLayer, LstmCell>>(p, xT, gatesT, count);
        GateColumns<HiddenRows<TLayer, LstmCell>>(p, hT, hiddenGates, count);
        AddInPlace(gatesT, hiddenGates);

        // Rows are gate-major: i and f of every sequence are the first 2 * hidden rows, then g, then o.
        Span<T> i = gatesT.Slice(0, block), f = gatesT.Slice(block, block), g = gatesT.Slice(2 * block, block), o = gatesT.Slice(3 * block, block);
        SigmoidForward(gatesT.Slice(0, 2 * block), gatesT.Slice(0, 2 * block));
        TanhForward(g, g);
        SigmoidForward(o, o);
        CellUpdate(i, f, g, cT);
        Span<T> tc = hiddenGates.Slice(0, block);
        TanhForward(cT, tc);
        MultiplyInto(o, tc, hT);
        if (!saved.IsEmpty)
        {
            ScatterColumns(gatesT, 4 * hidden, saved.Slice(2 * hidden), savedStride, count);
            ScatterColumns(tc, hidden, saved.Slice(6 * hidden), savedStride, count);
        }
        ScatterColumns(hT, hidden, states, stateStride, count);
        ScatterColumns(cT, hidden, states.Slice(hidden), stateStride, count);
        if (!outputs.IsEmpty)
        {
            ScatterColumns(hT, hidden, outputs, outputStride, count);
        }
    }
}
