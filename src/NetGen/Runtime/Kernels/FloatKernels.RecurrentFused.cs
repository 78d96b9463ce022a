#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// The columns step (FloatKernels.RecurrentColumns.cs) for layers with one or two vectors per gate (hidden 8
// in 256 bits, 16 and 32 in 512: at most eight vectors of gate rows), with every value from the biases to
// the new h in registers: no workspace, no store and reload between the products and the gates, no call.
// - Each output vector's accumulators start from values that do not depend on h (its biases and the
//   input's products, or zero), so the chain from one step's h to the next starts at the first hidden
//   multiply-add; the input's products for the GRU's n stay apart (r scales only W_hn h + b_hn).
// - Each vector in 4 accumulators (at most four vectors) or 2 (at most eight), split by the residue of
//   the hidden value's index, so that at most 16 accumulators are live (half the register file, the
//   weights are memory operands of the multiply-adds) and the chain is Hidden / splits multiply-adds long.
// - The gates straight from the summed accumulators, in one method with the products (the lane helpers
//   inlined; a call there would spill every vector register on Linux x64).
public abstract partial class FloatKernels
{
    /// <summary>
    /// Whether a layer takes the fused step at this width: one or two vectors per gate (hidden 8 at 256 bits, 16
    /// and 32 at 512), so that at most eight vectors of gate rows, each in two or four accumulators, fill sixteen
    /// registers. Against the split kernel with its workspace on the stack, lstm32 91 against 100 ns (one
    /// process, alternating); at one vector per gate, gru8 43 vs 46, lstm8 47 vs 50, gru16 50 vs 54, lstm16 64 vs
    /// 62 (an earlier session's measure, which put the fused gru32 and lstm32 behind: those runs also zeroed the
    /// step's stack scratch on every step, 30-40 ns of it at hidden 32, which hid the difference).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FusedColumns(int gates, int hidden, int lanes) => hidden <= 2 * lanes && gates * hidden <= 8 * lanes;

    [MethodImpl(Block)]
    private static void GruStepFused<TLanes, TVector, TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> h)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
        where TLayer : struct, IRecurrentShape
    {
        TLanes v = default;
        TLayer layer = default;
        int hidden = layer.Hidden, rows = 3 * hidden, vectors = rows / v.Count, per = hidden / v.Count;
        int splits = vectors <= 4 ? 4 : 2, pitch = ColumnSlots / splits;
        int weightHh = layer.Offset + (rows * layer.Inputs), biasIh = weightHh + (rows * hidden), biasHh = biasIh + rows;
        ref float p = ref MemoryMarshal.GetReference(columns);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float hs = ref MemoryMarshal.GetReference(h);
        ref float wIh = ref Unsafe.Add(ref p, layer.Offset);
        ref float wHh = ref Unsafe.Add(ref p, weightHh);
        ref float bIh = ref Unsafe.Add(ref p, biasIh);
        ref float bHh = ref Unsafe.Add(ref p, biasHh);
        int plainFrom = 2 * hidden;

        // r and z: both biases, then the input's products; n: W_in x + b_in apart, its accumulator from b_hn.
        TVector a0 = FusedStart<TLanes, TVector>(v, 0, pitch, vectors, ref bIh, ref bHh, plainFrom);
        TVector a1 = FusedStart<TLanes, TVector>(v, 1, pitch, vectors, ref bIh, ref bHh, plainFrom);
        TVector a2 = FusedStart<TLanes, TVector>(v, 2, pitch, vectors, ref bIh, ref bHh, plainFrom);
        TVector a3 = FusedStart<TLanes, TVector>(v, 3, pitch, vectors, ref bIh, ref bHh, plainFrom);
        TVector a4 = FusedStart<TLanes, TVector>(v, 4, pitch, vectors, ref bIh, ref bHh, plainFrom);
        TVector a5 = FusedStart<TLanes, TVector>(v, 5, pitch, vectors, ref bIh, ref bHh, plainFrom);
        TVector a6 = FusedStart<TLanes, TVector>(v, 6, pitch, vectors, ref bIh, ref bHh, plainFrom);
        TVector a7 = FusedStart<TLanes, TVector>(v, 7, pitch, vectors, ref bIh, ref bHh, plainFrom);
        TVector n0 = v.Load(ref bIh, plainFrom);
        TVector n1 = per > 1 ? v.Load(ref bIh, plainFrom + v.Count) : default;
        for (int i = 0; i < layer.Inputs; i++)
        {
            ref float column = ref Unsafe.Add(ref wIh, i * rows);
            TVector value = v.Broadcast(Unsafe.Add(ref xs, i));
            // Slots below 2 * per are r and z (split 0), constant conditions.
            a0 = 0 < 2 * per ? v.MultiplyAdd(v.Load(ref column, 0), value, a0) : a0;
            a1 = 1 < 2 * per ? v.MultiplyAdd(v.Load(ref column, v.Count), value, a1) : a1;
            a2 = 2 < 2 * per ? v.MultiplyAdd(v.Load(ref column, 2 * v.Count), value, a2) : a2;
            a3 = 3 < 2 * per ? v.MultiplyAdd(v.Load(ref column, 3 * v.Count), value, a3) : a3;
            n0 = v.MultiplyAdd(v.Load(ref column, plainFrom), value, n0);
            n1 = per > 1 ? v.MultiplyAdd(v.Load(ref column, plainFrom + v.Count), value, n1) : n1;
        }

        TVector a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        for (int j = 0; j < hidden; j += splits)
        {
            ref float column = ref Unsafe.Add(ref wHh, j * rows);
            ref float value = ref Unsafe.Add(ref hs, j);
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
        FusedSums<TLanes, TVector>(v, splits, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7,
            a8, a9, a10, a11, a12, a13, a14, a15);

        // Vector k of gate g is accumulator g * per + k (per is 1 or 2).
        if (per == 1)
        {
            FusedGruGate<TLanes, TVector>(v, ref hs, 0, a0, a1, n0, a2);
        }
        else
        {
            FusedGruGate<TLanes, TVector>(v, ref hs, 0, a0, a2, n0, a4);
            FusedGruGate<TLanes, TVector>(v, ref hs, v.Count, a1, a3, n1, a5);
        }
    }

    [MethodImpl(Block)]
    private static void LstmStepFused<TLanes, TVector, TLayer>(ReadOnlySpan<float> columns, ReadOnlySpan<float> x, Span<float> state)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
        where TLayer : struct, IRecurrentShape
    {
        TLanes v = default;
        TLayer layer = default;
        int hidden = layer.Hidden, rows = 4 * hidden, vectors = rows / v.Count, per = hidden / v.Count;
        int splits = vectors <= 4 ? 4 : 2, pitch = ColumnSlots / splits;
        int weightHh = layer.Offset + (rows * layer.Inputs), biasIh = weightHh + (rows * hidden), biasHh = biasIh + rows;
        ref float p = ref MemoryMarshal.GetReference(columns);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float hs = ref MemoryMarshal.GetReference(state);
        ref float cs = ref Unsafe.Add(ref hs, hidden);
        ref float wIh = ref Unsafe.Add(ref p, layer.Offset);
        ref float wHh = ref Unsafe.Add(ref p, weightHh);
        ref float bIh = ref Unsafe.Add(ref p, biasIh);
        ref float bHh = ref Unsafe.Add(ref p, biasHh);

        TVector a0 = FusedStart<TLanes, TVector>(v, 0, pitch, vectors, ref bIh, ref bHh, rows);
        TVector a1 = FusedStart<TLanes, TVector>(v, 1, pitch, vectors, ref bIh, ref bHh, rows);
        TVector a2 = FusedStart<TLanes, TVector>(v, 2, pitch, vectors, ref bIh, ref bHh, rows);
        TVector a3 = FusedStart<TLanes, TVector>(v, 3, pitch, vectors, ref bIh, ref bHh, rows);
        TVector a4 = FusedStart<TLanes, TVector>(v, 4, pitch, vectors, ref bIh, ref bHh, rows);
        TVector a5 = FusedStart<TLanes, TVector>(v, 5, pitch, vectors, ref bIh, ref bHh, rows);
        TVector a6 = FusedStart<TLanes, TVector>(v, 6, pitch, vectors, ref bIh, ref bHh, rows);
        TVector a7 = FusedStart<TLanes, TVector>(v, 7, pitch, vectors, ref bIh, ref bHh, rows);
        for (int i = 0; i < layer.Inputs; i++)
        {
            ref float column = ref Unsafe.Add(ref wIh, i * rows);
            TVector value = v.Broadcast(Unsafe.Add(ref xs, i));
            a0 = v.MultiplyAdd(v.Load(ref column, 0), value, a0);
            a1 = v.MultiplyAdd(v.Load(ref column, v.Count), value, a1);
            a2 = v.MultiplyAdd(v.Load(ref column, 2 * v.Count), value, a2);
            a3 = v.MultiplyAdd(v.Load(ref column, 3 * v.Count), value, a3);
            a4 = 4 < vectors ? v.MultiplyAdd(v.Load(ref column, 4 * v.Count), value, a4) : a4;
            a5 = 5 < vectors ? v.MultiplyAdd(v.Load(ref column, 5 * v.Count), value, a5) : a5;
            a6 = 6 < vectors ? v.MultiplyAdd(v.Load(ref column, 6 * v.Count), value, a6) : a6;
            a7 = 7 < vectors ? v.MultiplyAdd(v.Load(ref column, 7 * v.Count), value, a7) : a7;
        }

        TVector a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        for (int j = 0; j < hidden; j += splits)
        {
            ref float column = ref Unsafe.Add(ref wHh, j * rows);
            ref float value = ref Unsafe.Add(ref hs, j);
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
        FusedSums<TLanes, TVector>(v, splits, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7,
            a8, a9, a10, a11, a12, a13, a14, a15);

        if (per == 1)
        {
            FusedLstmGate<TLanes, TVector>(v, ref hs, ref cs, 0, a0, a1, a2, a3);
        }
        else
        {
            FusedLstmGate<TLanes, TVector>(v, ref hs, ref cs, 0, a0, a2, a4, a6);
            FusedLstmGate<TLanes, TVector>(v, ref hs, ref cs, v.Count, a1, a3, a5, a7);
        }
    }

    /// <summary>
    /// Slot <paramref name="slot"/>'s start: for split 0 of a vector that exists, <c>b_ih + b_hh</c> below
    /// <paramref name="plainFrom"/> and <c>b_hh</c> from it (the GRU's n, whose input part is apart); zero otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector FusedStart<TLanes, TVector>(TLanes v, int slot, int pitch, int vectors, ref float biasIh, ref float biasHh, int plainFrom)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        if (slot >= pitch || slot >= vectors)
        {
            return default;
        }
        int row = slot * v.Count;
        return row < plainFrom ? v.Add(v.Load(ref biasIh, row), v.Load(ref biasHh, row)) : v.Load(ref biasHh, row);
    }

    /// <summary>Each vector's partial sums into its split-0 slot (a0..a7), pairwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FusedSums<TLanes, TVector>(TLanes v, int splits,
        ref TVector a0, ref TVector a1, ref TVector a2, ref TVector a3, ref TVector a4, ref TVector a5, ref TVector a6, ref TVector a7,
        TVector a8, TVector a9, TVector a10, TVector a11, TVector a12, TVector a13, TVector a14, TVector a15)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        if (splits == 4)
        {
            a0 = v.Add(v.Add(a0, a8), v.Add(a4, a12));
            a1 = v.Add(v.Add(a1, a9), v.Add(a5, a13));
            a2 = v.Add(v.Add(a2, a10), v.Add(a6, a14));
            a3 = v.Add(v.Add(a3, a11), v.Add(a7, a15));
        }
        else
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
    }

    /// <summary>One vector of the GRU's new h at <paramref name="k"/>: r and z from their sums, n = tanh(xn + r hn), then h' = (1 - z) n + z h.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FusedGruGate<TLanes, TVector>(TLanes v, ref float h, int k, TVector r, TVector z, TVector xn, TVector hn)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        TVector rGate = v.GateSigmoid(r);
        TVector zGate = v.GateSigmoid(z);
        TVector nGate = v.Tanh(v.Add(xn, v.Multiply(rGate, hn)));
        v.Store(ref h, k, v.Add(v.Multiply(v.Subtract(v.One, zGate), nGate), v.Multiply(zGate, v.Load(ref h, k))));
    }

    /// <summary>One vector of the LSTM's new state at <paramref name="k"/>: c' = f c + i g, h' = o tanh(c').</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FusedLstmGate<TLanes, TVector>(TLanes v, ref float h, ref float c, int k, TVector i, TVector f, TVector g, TVector o)
        where TLanes : struct, IRecurrentLanes<TVector>
        where TVector : struct
    {
        TVector gGate = v.Tanh(g);
        TVector iGate = v.GateSigmoid(i);
        TVector fGate = v.GateSigmoid(f);
        TVector oGate = v.GateSigmoid(o);
        TVector cell = v.Add(v.Multiply(fGate, v.Load(ref c, k)), v.Multiply(iGate, gGate));
        v.Store(ref c, k, cell);
        v.Store(ref h, k, v.Multiply(oGate, v.Tanh(cell)));
    }
}
#endif
