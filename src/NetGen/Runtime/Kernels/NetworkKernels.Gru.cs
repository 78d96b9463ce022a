using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// The GRU layer, as PyTorch's nn.GRU (gates r, z, n):
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)      z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))   h' = (1 - z) * n + z * h
// A layer's output at a step is h'. What a step keeps for back-propagation through time, per sequence:
// h (the state it started from), r, z, n and W_hn h + b_hn, GruSaved values in that order.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>Values a GRU step keeps per sequence for back-propagation: h, r, z, n, W_hn h + b_hn.</summary>
    private const int GruSaved = 5;

    /// <summary>
    /// The workspace a GRU step of <paramref name="count"/> sequences needs (one sequence included), in
    /// elements: <c>(Inputs + 7 * Hidden) * count</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GruStepWorkspaceLength<TLayer>(int count)
        where TLayer : struct, IRecurrentShape
        => (default(TLayer).Inputs + (7 * default(TLayer).Hidden)) * count;

    /// <summary>What <see cref="GruForwardSequence"/> keeps for <see cref="GruBackwardSequence"/>, in elements: <c>5 * Hidden</c> per sequence and step.</summary>
    public static int GruSavedLength<TLayer>(int batch, int steps)
        where TLayer : struct, IRecurrentShape
        => GruSaved * default(TLayer).Hidden * batch * steps;

    /// <summary>The workspace <see cref="GruForwardSequence"/> and <see cref="GruBackwardSequence"/> need, in elements.</summary>
    public static int GruSequenceWorkspaceLength<TLayer>(int batch, int steps)
        where TLayer : struct, IRecurrentShape
    {
        int hidden = default(TLayer).Hidden;
        int forward = (hidden * batch) + GruStepWorkspaceLength<TLayer>(batch);
        int backward = (2 * 3 * hidden * batch * steps) + (5 * hidden * batch);
        return Math.Max(forward, backward);
    }

    /// <summary>
    /// One step of one sequence: reads <paramref name="x"/> (Inputs values) and <paramref name="h"/>
    /// (Hidden values), writes the new h over <paramref name="h"/>; h is also the layer's output.
    /// Allocates nothing; <paramref name="workspace"/> holds <see cref="GruStepWorkspaceLength"/>(1) values.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void GruStep<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> h, Span<T> workspace)
        where TLayer : struct, IRecurrentShape
        => GruStepOne<TLayer>(p, x, h, workspace, default);

    /// <summary>
    /// One step of <paramref name="count"/> independent sequences: sequence s reads its input at
    /// <c>inputs[s * inputStride ..]</c> and its h at <c>states[s * stateStride ..]</c>, writes its new h
    /// there and (unless <paramref name="outputs"/> is empty) at <c>outputs[s * outputStride ..]</c>.
    /// With at least a vector of sequences (always in the deterministic mode) sequences fill the vector
    /// lanes; below that each runs as <see cref="GruStep{TLayer}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T})"/>.
    /// <paramref name="workspace"/> holds <see cref="GruStepWorkspaceLength"/>(count) values.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void GruStep<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride,
        Span<T> outputs, int outputStride, int count, Span<T> workspace)
        where TLayer : struct, IRecurrentShape
        => GruStepMany<TLayer>(p, inputs, inputStride, states, stateStride, outputs, outputStride, count, workspace, default, 0);

    /// <summary>
    /// The layer over <paramref name="batch"/> whole sequences of <paramref name="steps"/> steps:
    /// <paramref name="inputs"/> <c>[batch, steps, Inputs]</c> to <paramref name="outputs"/>
    /// <c>[batch, steps, Hidden]</c>, from <paramref name="initialState"/> <c>[batch, Hidden]</c> (empty:
    /// zero, PyTorch's default). Each step is <see cref="GruStep{TLayer}(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Span{T}, int, Span{T}, int, int, Span{T})"/>
    /// over the batch, so stepping gives the same bits. Unless <paramref name="saved"/> is empty it keeps
    /// <see cref="GruSavedLength"/> values there for <see cref="GruBackwardSequence"/>.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void GruForwardSequence<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, Span<T> outputs, int batch, int steps,
        ReadOnlySpan<T> initialState, Span<T> saved, Span<T> workspace)
        where TLayer : struct, IRecurrentShape
    {
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden, kept = GruSaved * hidden;
        Span<T> state = workspace.Slice(0, batch * hidden);
        Span<T> rest = workspace.Slice(batch * hidden);
        if (initialState.IsEmpty)
        {
            state.Clear();
        }
        else
        {
            initialState.Slice(0, batch * hidden).CopyTo(state);
        }
        for (int t = 0; t < steps; t++)
        {
            GruStepMany<TLayer>(p, inputs.Slice(t * inputCount), steps * inputCount, state, hidden, outputs.Slice(t * hidden), steps * hidden,
                batch, rest, saved.IsEmpty ? default : saved.Slice(t * kept), steps * kept);
        }
    }

    /// <summary>
    /// Back-propagation through time of <see cref="GruForwardSequence"/>, given the values it saved:
    /// writes over the layer's four tensors in <paramref name="g"/> the gradient of <c>sum of
    /// outputGradients * outputs</c> (<paramref name="outputGradients"/> <c>[batch, steps, Hidden]</c>), and
    /// unless empty, its gradient with respect to the inputs into <paramref name="inputGradients"/>
    /// <c>[batch, steps, Inputs]</c> and with respect to the initial state into
    /// <paramref name="initialStateGradients"/> <c>[batch, Hidden]</c>.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void GruBackwardSequence<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients,
        Span<T> g, int batch, int steps, ReadOnlySpan<T> saved, Span<T> initialStateGradients, Span<T> workspace)
        where TLayer : struct, IRecurrentShape
    {
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden, gates = 3 * hidden, kept = GruSaved * hidden;
        int rows = batch * steps;
        Span<T> inputDeltas = workspace.Slice(0, rows * gates);               // d(pre-activations) of W_ih x + b_ih, row b * steps + t
        Span<T> hiddenDeltas = workspace.Slice(rows * gates, rows * gates);   // d(W_hh h + b_hh), likewise
        Span<T> dh = workspace.Slice(2 * rows * gates, batch * hidden);       // d(h) flowing back into the step being processed
        Span<T> stepDeltas = workspace.Slice((2 * rows * gates) + (batch * hidden), batch * gates);
        Span<T> back = workspace.Slice((2 * rows * gates) + (batch * (hidden + gates)), batch * hidden);
        dh.Clear();
        T one = A.One;
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps) + t;
                ReadOnlySpan<T> record = saved.Slice(row * kept, kept);
                ReadOnlySpan<T> previous = record.Slice(0, hidden), r = record.Slice(hidden, hidden), z = record.Slice(2 * hidden, hidden);
                ReadOnlySpan<T> n = record.Slice(3 * hidden, hidden), hiddenN = record.Slice(4 * hidden, hidden);
                ReadOnlySpan<T> dy = outputGradients.Slice(row * hidden, hidden);
                Span<T> di = inputDeltas.Slice(row * gates, gates);
                Span<T> dhh = stepDeltas.Slice(b * gates, gates);
                Span<T> d = dh.Slice(b * hidden, hidden);
                for (int k = 0; k < hidden; k++)
                {
                    T total = A.Add(dy[k], d[k]);
                    T zk = z[k], nk = n[k], rk = r[k];
                    T dn = A.Multiply(total, A.Subtract(one, zk));
                    T dz = A.Multiply(total, A.Subtract(previous[k], nk));
                    d[k] = A.Multiply(total, zk);
                    T an = A.Multiply(dn, A.Multiply(A.Subtract(one, nk), A.Add(one, nk)));
                    T ar = A.Multiply(A.Multiply(an, hiddenN[k]), A.Multiply(rk, A.Subtract(one, rk)));
                    T az = A.Multiply(dz, A.Multiply(zk, A.Subtract(one, zk)));
                    di[k] = ar;
                    di[hidden + k] = az;
                    di[(2 * hidden) + k] = an;
                    dhh[k] = ar;
                    dhh[hidden + k] = az;
                    dhh[(2 * hidden) + k] = A.Multiply(an, rk);
                }
                dhh.CopyTo(hiddenDeltas.Slice(row * gates, gates));
            }
            // d(h) of the previous step: z * d(h') directly, plus W_hh^T times the hidden deltas.
            LinearInputGradient<HiddenWeights<TLayer, GruCell>>(p, stepDeltas, back, batch);
            AddInPlace(dh, back);
        }
        if (!initialStateGradients.IsEmpty)
        {
            dh.CopyTo(initialStateGradients);
        }
        if (!inputGradients.IsEmpty)
        {
            LinearInputGradient<InputWeights<TLayer, GruCell>>(p, inputDeltas, inputGradients, rows);
        }
        OuterProductSums(inputs, inputCount, inputCount, inputDeltas, gates, gates, g, default(TLayer).Offset, RecurrentOffsets<TLayer, GruCell>.BiasIh, rows);
        OuterProductSums(saved, kept, hidden, hiddenDeltas, gates, gates, g, RecurrentOffsets<TLayer, GruCell>.WeightHh, RecurrentOffsets<TLayer, GruCell>.BiasHh, rows);
    }

    /// <summary>
    /// A step of many sequences; <paramref name="saved"/> (empty: nothing kept) gets sequence s's values at
    /// <c>s * savedStride</c>.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void GruStepMany<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride,
        Span<T> outputs, int outputStride, int count, Span<T> workspace, Span<T> saved, int savedStride)
        where TLayer : struct, IRecurrentShape
    {
        if (A.IsDeterministic || UseColumns(count))
        {
            GruColumns<TLayer>(p, inputs, inputStride, states, stateStride, outputs, outputStride, count, workspace, saved, savedStride);
            return;
        }
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden;
        for (int s = 0; s < count; s++)
        {
            Span<T> h = states.Slice(s * stateStride, hidden);
            GruStepOne<TLayer>(p, inputs.Slice(s * inputStride, inputCount), h, workspace, saved.IsEmpty ? default : saved.Slice(s * savedStride, GruSaved * hidden));
            if (!outputs.IsEmpty)
            {
                h.CopyTo(outputs.Slice(s * outputStride, hidden));
            }
        }
    }

    /// <summary>
    /// One sequence. In the default mode with hardware vectors, every gate's products in registers
    /// (<see cref="SequenceGateProducts"/>); otherwise a batch of one, so that the deterministic mode's
    /// step is the same arithmetic whatever the batch.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void GruStepOne<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> h, Span<T> workspace, Span<T> saved)
        where TLayer : struct, IRecurrentShape
    {
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden;
        if (A.IsDeterministic || !Vector.IsHardwareAccelerated)
        {
            GruColumns<TLayer>(p, x, inputCount, h, hidden, default, 0, 1, workspace, saved, GruSaved * hidden);
            return;
        }
#if NET8_0_OR_GREATER
        if (typeof(T) == typeof(float) && typeof(TArithmetic) == typeof(FloatArithmetic) && FloatKernels.RecurrentLanes(inputCount, hidden) is int lanes and > 0)
        {
            // float on AVX-512: the products and the gates in registers (FloatKernels.RecurrentLanes.cs).
            FloatKernels.GruStepLanes<TLayer>(lanes, MemoryMarshal.Cast<T, float>(p), MemoryMarshal.Cast<T, float>(x),
                MemoryMarshal.Cast<T, float>(h), MemoryMarshal.Cast<T, float>(workspace), MemoryMarshal.Cast<T, float>(saved));
            return;
        }
#endif
        Span<T> pre = workspace.Slice(0, 3 * hidden);
        Span<T> hiddenN = workspace.Slice(3 * hidden, hidden);
        SequenceGateProducts<TLayer, GruCell>(p, x, h, pre, hiddenN);
        Span<T> rz = pre.Slice(0, 2 * hidden), r = pre.Slice(0, hidden), z = pre.Slice(hidden, hidden), n = pre.Slice(2 * hidden, hidden);
        SigmoidForward(rz, rz);
        AddProduct(n, r, hiddenN);
        TanhForward(n, n);
        if (!saved.IsEmpty)
        {
            h.CopyTo(saved);
            pre.CopyTo(saved.Slice(hidden));
            hiddenN.CopyTo(saved.Slice(4 * hidden));
        }
        GruBlend(z, n, h);
    }

    /// <summary>
    /// A step of <paramref name="count"/> sequences feature-major: x and h gathered into columns, the two
    /// gate products with sequences in the vector lanes, the gates over whole rows of sequences.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void GruColumns<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride,
        Span<T> outputs, int outputStride, int count, Span<T> workspace, Span<T> saved, int savedStride)
        where TLayer : struct, IRecurrentShape
    {
        int inputCount = default(TLayer).Inputs, hidden = default(TLayer).Hidden;
        int block = hidden * count;
        Span<T> xT = workspace.Slice(0, inputCount * count);
        Span<T> hT = workspace.Slice(inputCount * count, block);
        Span<T> inputGates = workspace.Slice((inputCount * count) + block, 3 * block);
        Span<T> hiddenGates = workspace.Slice((inputCount * count) + (4 * block), 3 * block);
        GatherColumns(inputs, inputStride, inputCount, xT, count);
        GatherColumns(states, stateStride, hidden, hT, count);
        GateColumns<InputRows<TLayer, GruCell>>(p, xT, inputGates, count);
        GateColumns<HiddenRows<TLayer, GruCell>>(p, hT, hiddenGates, count);

        // Rows are gate-major, so r and z of every sequence are the first 2 * hidden rows, n the last hidden.
        Span<T> rz = inputGates.Slice(0, 2 * block);
        AddInPlace(rz, hiddenGates.Slice(0, 2 * block));
        SigmoidForward(rz, rz);
        Span<T> r = inputGates.Slice(0, block), z = inputGates.Slice(block, block), n = inputGates.Slice(2 * block, block);
        Span<T> hiddenN = hiddenGates.Slice(2 * block, block);
        AddProduct(n, r, hiddenN);
        TanhForward(n, n);
        if (!saved.IsEmpty)
        {
            ScatterColumns(hT, hidden, saved, savedStride, count);
            ScatterColumns(inputGates, 3 * hidden, saved.Slice(hidden), savedStride, count);
            ScatterColumns(hiddenN, hidden, saved.Slice(4 * hidden), savedStride, count);
        }
        GruBlend(z, n, hT);
        ScatterColumns(hT, hidden, states, stateStride, count);
        if (!outputs.IsEmpty)
        {
            ScatterColumns(hT, hidden, outputs, outputStride, count);
        }
    }
}
