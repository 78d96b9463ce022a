using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

// A convolution's weight gradient with the output channels along the vector lanes, for layers whose
// filter taps do not fill whole vectors (a 1-D kernel of 5 over one channel has 5 taps, a 3x3 kernel over
// one channel 9) but whose output channels do. With the taps along the lanes, as
// NetworkKernels.ConvolutionGradients.cs has them, the taps left over run in scalars, one dependent
// chain each; here every lane is one (output channel, tap) gradient instead. Each gradient is still one
// sum over the batch's positions in (sample, position) order from zero, in its own lane, so the bits are
// the same as on the other path and on every vector width.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// Whether the weight gradient runs with the output channels along the lanes: with hardware vectors,
    /// when the taps would leave a scalar tail on the taps-along-lanes path and the channels of a group
    /// fill whole vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool WeightGradientByRows<TLayer>()
        where TLayer : struct, IConvolutionShape
    {
        if (!Vector.IsHardwareAccelerated)
        {
            return false;
        }
        TLayer layer = default;
        int taps = GroupTaps<TLayer>(), groupOut = layer.OutChannels / layer.Groups;
        int tapLanes = Vector<T>.Count;
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>() && taps >= ProductVectors * Vector512<T>.Count)
        {
            tapLanes = Vector512<T>.Count;
        }
#endif
        return taps % tapLanes != 0 && groupOut % Vector<T>.Count == 0;
    }

    /// <summary>
    /// The parameter gradients as <see cref="ConvolutionParameterGradients{TLayer}"/> defines them, group by
    /// group: for each sample, its windows (tap-major) and its delta transposed to position-major, then
    /// <c>gwT[t, o] += sum over j of windows[t, j] * deltaT[j, o]</c>; the group's <c>gwT</c> is transposed
    /// into g after the last sample. Workspace: the windows, the transposed delta, and <c>gwT</c>.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void ConvolutionParameterGradientsByRows<TLayer>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> g, int count, Span<T> workspace)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int groups = layer.Groups, outChannels = layer.OutChannels;
        int groupIn = layer.InChannels / groups, groupOut = outChannels / groups;
        int plane = layer.InputHeight * layer.InputWidth;
        int inputSize = layer.InChannels * plane;
        int positions = ConvolutionOutputHeight<TLayer>() * ConvolutionOutputWidth<TLayer>();
        int taps = GroupTaps<TLayer>();
        int weights = layer.Offset, bias = weights + (outChannels * taps);
        Span<T> windows = workspace.Slice(0, taps * positions);
        Span<T> deltaByPosition = workspace.Slice(taps * positions, groupOut * positions);
        Span<T> gradientByTap = workspace.Slice((taps + groupOut) * positions, taps * groupOut);
        g.Slice(bias, outChannels).Clear();
        for (int group = 0; group < groups; group++)
        {
            int firstOut = group * groupOut;
            gradientByTap.Clear();
            for (int s = 0; s < count; s++)
            {
                ReadOnlySpan<T> groupInput = x.Slice((s * inputSize) + (group * groupIn * plane), groupIn * plane);
                ReadOnlySpan<T> source = groupInput;
                if (!IsPointwise<TLayer>())
                {
                    WindowsToColumns<TLayer>(groupInput, windows);
                    source = windows;
                }
                ReadOnlySpan<T> groupDelta = delta.Slice(((s * outChannels) + firstOut) * positions, groupOut * positions);
                Simd.Transpose(groupDelta, deltaByPosition, groupOut, positions);
                AccumulateWeightGradientByRows(source, deltaByPosition, gradientByTap, groupOut, taps, positions);
                AccumulateBiasGradient(groupDelta, g.Slice(bias + firstOut, groupOut), groupOut, positions);
            }
            Simd.Transpose(gradientByTap, g.Slice(weights + (firstOut * taps), groupOut * taps), taps, groupOut);
        }
    }

    /// <summary>
    /// <c>gwT[t * rows + o] += sum over j of windows[t * positions + j] * deltaT[j * rows + o]</c>, each
    /// sum added term by term in j order onto the value already there; rows is a multiple of
    /// <c>Vector&lt;T&gt;.Count</c>.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void AccumulateWeightGradientByRows(ReadOnlySpan<T> windows, ReadOnlySpan<T> deltaT, Span<T> gwT, int rows, int taps, int positions)
    {
#if NET8_0_OR_GREATER
        if (Simd512.IsWorthwhile<T>() && rows % Vector512<T>.Count == 0)
        {
            AccumulateWeightGradientByRows<Vector512<T>, Vectors512<T, TArithmetic>>(windows, deltaT, gwT, rows, taps, positions);
            return;
        }
#endif
        AccumulateWeightGradientByRows<Vector<T>, NumericsVectors<T, TArithmetic>>(windows, deltaT, gwT, rows, taps, positions);
    }

    /// <summary>
    /// On one vector width: 4 taps x 3 vectors of output channels (12 accumulators, each loaded delta vector
    /// feeding 4 FMAs, each broadcast window value 3), then 4 taps x 1 vector. A last, partial block of
    /// taps repeats its last tap and stores only the real ones.
    /// </summary>
    [MethodImpl(Block)]
    private static void AccumulateWeightGradientByRows<TVector, TWidth>(ReadOnlySpan<T> windows, ReadOnlySpan<T> deltaT, Span<T> gwT, int rows, int taps, int positions)
        where TVector : struct
        where TWidth : struct, IVectorWidth<T, TVector>
    {
        TWidth V = default;
        int lanes = V.Count;
        int step = ProductVectors * lanes;
        for (int t = 0; t < taps; t += ProductRows)
        {
            int real = Math.Min(ProductRows, taps - t);
            int t1 = Math.Min(t + 1, taps - 1), t2 = Math.Min(t + 2, taps - 1), t3 = Math.Min(t + 3, taps - 1);
            int w0 = t * positions, w1 = t1 * positions, w2 = t2 * positions, w3 = t3 * positions;
            int g0 = t * rows, g1 = t1 * rows, g2 = t2 * rows, g3 = t3 * rows;
            int o = 0;
            for (; o + step <= rows; o += step)
            {
                TVector a00 = V.Load(gwT, g0 + o), a01 = V.Load(gwT, g0 + o + lanes), a02 = V.Load(gwT, g0 + o + (2 * lanes));
                TVector a10 = V.Load(gwT, g1 + o), a11 = V.Load(gwT, g1 + o + lanes), a12 = V.Load(gwT, g1 + o + (2 * lanes));
                TVector a20 = V.Load(gwT, g2 + o), a21 = V.Load(gwT, g2 + o + lanes), a22 = V.Load(gwT, g2 + o + (2 * lanes));
                TVector a30 = V.Load(gwT, g3 + o), a31 = V.Load(gwT, g3 + o + lanes), a32 = V.Load(gwT, g3 + o + (2 * lanes));
                for (int j = 0; j < positions; j++)
                {
                    int at = (j * rows) + o;
                    TVector v0 = V.Load(deltaT, at), v1 = V.Load(deltaT, at + lanes), v2 = V.Load(deltaT, at + (2 * lanes));
                    TVector b = V.Broadcast(windows, w0 + j);
                    a00 = V.MultiplyAdd(v0, b, a00); a01 = V.MultiplyAdd(v1, b, a01); a02 = V.MultiplyAdd(v2, b, a02);
                    b = V.Broadcast(windows, w1 + j);
                    a10 = V.MultiplyAdd(v0, b, a10); a11 = V.MultiplyAdd(v1, b, a11); a12 = V.MultiplyAdd(v2, b, a12);
                    b = V.Broadcast(windows, w2 + j);
                    a20 = V.MultiplyAdd(v0, b, a20); a21 = V.MultiplyAdd(v1, b, a21); a22 = V.MultiplyAdd(v2, b, a22);
                    b = V.Broadcast(windows, w3 + j);
                    a30 = V.MultiplyAdd(v0, b, a30); a31 = V.MultiplyAdd(v1, b, a31); a32 = V.MultiplyAdd(v2, b, a32);
                }
                StoreGradientTaps<TVector, TWidth>(gwT, g0 + o, lanes, a00, a01, a02);
                if (real > 1) StoreGradientTaps<TVector, TWidth>(gwT, g1 + o, lanes, a10, a11, a12);
                if (real > 2) StoreGradientTaps<TVector, TWidth>(gwT, g2 + o, lanes, a20, a21, a22);
                if (real > 3) StoreGradientTaps<TVector, TWidth>(gwT, g3 + o, lanes, a30, a31, a32);
            }
            for (; o < rows; o += lanes)
            {
                TVector a0 = V.Load(gwT, g0 + o), a1 = V.Load(gwT, g1 + o), a2 = V.Load(gwT, g2 + o), a3 = V.Load(gwT, g3 + o);
                for (int j = 0; j < positions; j++)
                {
                    TVector v = V.Load(deltaT, (j * rows) + o);
                    a0 = V.MultiplyAdd(v, V.Broadcast(windows, w0 + j), a0);
                    a1 = V.MultiplyAdd(v, V.Broadcast(windows, w1 + j), a1);
                    a2 = V.MultiplyAdd(v, V.Broadcast(windows, w2 + j), a2);
                    a3 = V.MultiplyAdd(v, V.Broadcast(windows, w3 + j), a3);
                }
                V.Store(gwT, g0 + o, a0);
                if (real > 1) V.Store(gwT, g1 + o, a1);
                if (real > 2) V.Store(gwT, g2 + o, a2);
                if (real > 3) V.Store(gwT, g3 + o, a3);
            }
        }
    }
}
