using System;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// Convolutions (Conv1D as a Conv2D of one row), sample-major: sample s is (channels, rows, columns) at
// [s * channels * rows * columns], as PyTorch lays it out. Each sample's windows are copied into the
// columns of a matrix (im2col: one row per filter tap, one column per output position, padding as
// zeros), so that the forward is one register-blocked product per group, weights times that matrix,
// with the output positions along the vector lanes; the input gradient is the transposed product,
// scattered back (col2im). Im2col over direct kernels: it serves every stride, padding, dilation and
// group count with one product kernel, whose rows of positions are contiguous whatever the stride.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>Rows of each output channel: <c>(InputHeight + 2 PaddingHeight - DilationHeight (KernelHeight - 1) - 1) / StrideHeight + 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ConvolutionOutputHeight<TLayer>()
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        return ((layer.InputHeight + (2 * layer.PaddingHeight) - (layer.DilationHeight * (layer.KernelHeight - 1)) - 1) / layer.StrideHeight) + 1;
    }

    /// <summary>Columns of each output channel: <c>(InputWidth + 2 PaddingWidth - DilationWidth (KernelWidth - 1) - 1) / StrideWidth + 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ConvolutionOutputWidth<TLayer>()
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        return ((layer.InputWidth + (2 * layer.PaddingWidth) - (layer.DilationWidth * (layer.KernelWidth - 1)) - 1) / layer.StrideWidth) + 1;
    }

    /// <summary>
    /// The workspace one convolution call needs, whatever the batch: room for one sample's window matrix
    /// (taps of one group x output positions), and after it room for that matrix again or, whichever is
    /// larger, for one group's delta and weight gradient (the weight gradient with the channels along the
    /// lanes). The caller owns it, so that the kernels allocate nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ConvolutionWorkspaceLength<TLayer>()
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int taps = GroupTaps<TLayer>(), groupOut = layer.OutChannels / layer.Groups;
        int positions = ConvolutionOutputHeight<TLayer>() * ConvolutionOutputWidth<TLayer>();
        return (taps * positions) + Math.Max(taps * positions, groupOut * (positions + taps));
    }

    /// <summary>Filter taps per output channel: <c>InChannels / Groups x KernelHeight x KernelWidth</c>, the length of a weight row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GroupTaps<TLayer>()
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        return layer.InChannels / layer.Groups * layer.KernelHeight * layer.KernelWidth;
    }

    /// <summary>
    /// True when the window matrix of a group is its input channels themselves (1 x 1 kernel, stride 1, no
    /// padding): then the product reads the input in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPointwise<TLayer>()
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        return layer.KernelHeight == 1 && layer.KernelWidth == 1 && layer.StrideHeight == 1 && layer.StrideWidth == 1
            && layer.PaddingHeight == 0 && layer.PaddingWidth == 0;
    }

    /// <summary>
    /// <c>y[s, o, i, j] = b[o] + sum over c in o's group, u, v of W[o, c, u, v] x[s, c, i Sh - Ph + u Dh, j Sw - Pw + v Dw]</c>
    /// (zero outside the input) for each of <paramref name="count"/> samples; W is <c>p[Offset ..]</c>,
    /// <c>[OutChannels, InChannels / Groups, KernelHeight, KernelWidth]</c>, b follows it. Each sum runs
    /// over (c, u, v) in that order from zero, the bias added last, on every vector width.
    /// <paramref name="workspace"/> holds at least <see cref="ConvolutionWorkspaceLength{TLayer}"/> values.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void ConvolutionForward<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, int count, Span<T> workspace)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int groups = layer.Groups, outChannels = layer.OutChannels;
        int groupIn = layer.InChannels / groups, groupOut = outChannels / groups;
        int inputSize = layer.InChannels * layer.InputHeight * layer.InputWidth;
        int positions = ConvolutionOutputHeight<TLayer>() * ConvolutionOutputWidth<TLayer>();
        int taps = GroupTaps<TLayer>();
        int bias = layer.Offset + (outChannels * taps);
        Span<T> windows = workspace.Slice(0, taps * positions);
        for (int s = 0; s < count; s++)
        {
            for (int g = 0; g < groups; g++)
            {
                ReadOnlySpan<T> groupInput = x.Slice((s * inputSize) + (g * groupIn * layer.InputHeight * layer.InputWidth), groupIn * layer.InputHeight * layer.InputWidth);
                ReadOnlySpan<T> source = groupInput;
                if (!IsPointwise<TLayer>())
                {
                    WindowsToColumns<TLayer>(groupInput, windows);
                    source = windows;
                }
                int firstOut = g * groupOut;
                ConvolutionProduct(
                    p, layer.Offset + (firstOut * taps), taps, 1, groupOut, taps, bias + firstOut,
                    source, positions, y.Slice(((s * outChannels) + firstOut) * positions, groupOut * positions), positions, positions);
            }
        }
    }

    /// <summary>
    /// The input gradient <c>dx = d(sum of delta * y) / dx</c> for each of <paramref name="count"/>
    /// samples, written over <paramref name="dx"/>: per group, the window gradients
    /// <c>W^T delta</c> (each a sum over the group's output channels in order, from zero), then added into
    /// dx tap by tap (c, u, v), each tap's positions in order.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void ConvolutionInputGradient<TLayer>(ReadOnlySpan<T> p, ReadOnlySpan<T> delta, Span<T> dx, int count, Span<T> workspace)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int groups = layer.Groups, outChannels = layer.OutChannels;
        int groupIn = layer.InChannels / groups, groupOut = outChannels / groups;
        int plane = layer.InputHeight * layer.InputWidth;
        int inputSize = layer.InChannels * plane;
        int positions = ConvolutionOutputHeight<TLayer>() * ConvolutionOutputWidth<TLayer>();
        int taps = GroupTaps<TLayer>();
        Span<T> windows = workspace.Slice(0, taps * positions);
        for (int s = 0; s < count; s++)
        {
            for (int g = 0; g < groups; g++)
            {
                Span<T> groupGradient = dx.Slice((s * inputSize) + (g * groupIn * plane), groupIn * plane);
                int firstOut = g * groupOut;
                ReadOnlySpan<T> groupDelta = delta.Slice(((s * outChannels) + firstOut) * positions, groupOut * positions);
                if (IsPointwise<TLayer>())
                {
                    // The window matrix is the input itself: the product is the gradient.
                    ConvolutionProduct(p, layer.Offset + (firstOut * taps), 1, taps, taps, groupOut, -1, groupDelta, positions, groupGradient, positions, positions);
                    continue;
                }
                ConvolutionProduct(p, layer.Offset + (firstOut * taps), 1, taps, taps, groupOut, -1, groupDelta, positions, windows, positions, positions);
                groupGradient.Clear();
                ColumnsToWindows<TLayer>(windows, groupGradient);
            }
        }
    }

    /// <summary>
    /// Writes the layer's weight and bias gradients over <paramref name="g"/> (not added to it):
    /// <c>dW[o, c, u, v] = sum over s, i, j of delta[s, o, i, j] x[s, c, i Sh - Ph + u Dh, j Sw - Pw + v Dw]</c>
    /// and <c>db[o] = sum over s, i, j of delta[s, o, i, j]</c>, each sum in (s, i, j) order from zero.
    /// The weight gradient runs with the taps along the vector lanes (each gradient in its own lane, so
    /// the order does not depend on the width), from a position-major copy of each sample's windows; or,
    /// where the taps do not fill whole vectors and the channels do, with the channels along the lanes
    /// (NetworkKernels.ConvolutionWeightGradientByRows.cs), to the same bits.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void ConvolutionParameterGradients<TLayer>(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> g, int count, Span<T> workspace)
        where TLayer : struct, IConvolutionShape
    {
        if (WeightGradientByRows<TLayer>())
        {
            ConvolutionParameterGradientsByRows<TLayer>(x, delta, g, count, workspace);
            return;
        }
        TLayer layer = default;
        int groups = layer.Groups, outChannels = layer.OutChannels;
        int groupIn = layer.InChannels / groups, groupOut = outChannels / groups;
        int plane = layer.InputHeight * layer.InputWidth;
        int inputSize = layer.InChannels * plane;
        int positions = ConvolutionOutputHeight<TLayer>() * ConvolutionOutputWidth<TLayer>();
        int taps = GroupTaps<TLayer>();
        int weights = layer.Offset, bias = weights + (outChannels * taps);
        Span<T> windows = workspace.Slice(0, taps * positions);
        Span<T> byPosition = workspace.Slice(taps * positions, taps * positions);
        g.Slice(weights, (outChannels * taps) + outChannels).Clear();
        for (int s = 0; s < count; s++)
        {
            for (int group = 0; group < groups; group++)
            {
                ReadOnlySpan<T> groupInput = x.Slice((s * inputSize) + (group * groupIn * plane), groupIn * plane);
                if (IsPointwise<TLayer>())
                {
                    Simd.Transpose(groupInput, byPosition, taps, positions);
                }
                else
                {
                    WindowsToColumns<TLayer>(groupInput, windows);
                    Simd.Transpose(windows, byPosition, taps, positions);
                }
                int firstOut = group * groupOut;
                AccumulateWeightGradient(delta.Slice(((s * outChannels) + firstOut) * positions, groupOut * positions), byPosition, g.Slice(weights + (firstOut * taps), groupOut * taps), groupOut, taps, positions);
                AccumulateBiasGradient(delta.Slice(((s * outChannels) + firstOut) * positions, groupOut * positions), g.Slice(bias + firstOut, groupOut), groupOut, positions);
            }
        }
    }

    /// <summary>
    /// Copies one group's windows of one sample into <paramref name="windows"/>, row (c, u, v) column
    /// (i, j): <c>x[c, i Sh - Ph + u Dh, j Sw - Pw + v Dw]</c>, zero where that falls in the padding.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void WindowsToColumns<TLayer>(ReadOnlySpan<T> input, Span<T> windows)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int strideWidth = layer.StrideWidth;
        int channels = layer.InChannels / layer.Groups;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            for (int u = 0; u < layer.KernelHeight; u++)
            {
                for (int v = 0; v < layer.KernelWidth; v++, row++)
                {
                    int shift = (v * layer.DilationWidth) - layer.PaddingWidth;
                    // The output columns whose input column j Sw + shift lies inside the input.
                    int first = FirstInside(shift, strideWidth), end = EndInside(shift, strideWidth, width, outWidth);
                    for (int i = 0; i < outHeight; i++)
                    {
                        int at = (row * outHeight * outWidth) + (i * outWidth);
                        int inputRow = (i * layer.StrideHeight) - layer.PaddingHeight + (u * layer.DilationHeight);
                        if ((uint)inputRow >= (uint)height || first >= end)
                        {
                            windows.Slice(at, outWidth).Clear();
                            continue;
                        }
                        int from = (c * height * width) + (inputRow * width) + (first * strideWidth) + shift;
                        if (strideWidth == 1 && outWidth >= WideWindowRow)
                        {
                            Span<T> target = windows.Slice(at, outWidth);
                            target.Slice(0, first).Clear();
                            target.Slice(end).Clear();
                            input.Slice(from, end - first).CopyTo(target.Slice(first));
                            continue;
                        }
                        // A narrow row (a small image's): element by element, since a block copy and two
                        // clears per row of a few values cost more in calls than in copying.
                        int j = 0;
                        for (; j < first; j++)
                        {
                            windows[at + j] = A.Zero;
                        }
                        for (; j < end; j++, from += strideWidth)
                        {
                            windows[at + j] = input[from];
                        }
                        for (; j < outWidth; j++)
                        {
                            windows[at + j] = A.Zero;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds window gradients back onto one group's input gradient: the inverse of
    /// <see cref="WindowsToColumns{TLayer}"/>, row by row (c, u, v), each row's positions in order; the
    /// padding's share is dropped.
    /// </summary>
    [MethodImpl(Optimized)]
    private static void ColumnsToWindows<TLayer>(ReadOnlySpan<T> windows, Span<T> gradient)
        where TLayer : struct, IConvolutionShape
    {
        TLayer layer = default;
        int height = layer.InputHeight, width = layer.InputWidth;
        int outHeight = ConvolutionOutputHeight<TLayer>(), outWidth = ConvolutionOutputWidth<TLayer>();
        int strideWidth = layer.StrideWidth;
        int channels = layer.InChannels / layer.Groups;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            for (int u = 0; u < layer.KernelHeight; u++)
            {
                for (int v = 0; v < layer.KernelWidth; v++, row++)
                {
                    int shift = (v * layer.DilationWidth) - layer.PaddingWidth;
                    int first = FirstInside(shift, strideWidth), end = EndInside(shift, strideWidth, width, outWidth);
                    if (first >= end)
                    {
                        continue;
                    }
                    for (int i = 0; i < outHeight; i++)
                    {
                        int inputRow = (i * layer.StrideHeight) - layer.PaddingHeight + (u * layer.DilationHeight);
                        if ((uint)inputRow >= (uint)height)
                        {
                            continue;
                        }
                        ReadOnlySpan<T> source = windows.Slice((row * outHeight * outWidth) + (i * outWidth) + first, end - first);
                        int to = (c * height * width) + (inputRow * width) + (first * strideWidth) + shift;
                        if (strideWidth == 1 && outWidth >= WideWindowRow)
                        {
                            // Distinct elements, each added once here: vectors change no element's order.
                            AddInPlace(gradient.Slice(to, end - first), source);
                        }
                        else
                        {
                            for (int j = 0; j < source.Length; j++, to += strideWidth)
                            {
                                gradient[to] = A.Add(gradient[to], source[j]);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Output rows at least this wide are copied into and out of the window matrix as blocks; narrower
    /// ones element by element (the same values, and in col2im the same additions in the same order).
    /// </summary>
    private const int WideWindowRow = 32;

    /// <summary>The first output column j with <c>j stride + shift &gt;= 0</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FirstInside(int shift, int stride) => shift >= 0 ? 0 : (-shift + stride - 1) / stride;

    /// <summary>One past the last output column j with <c>j stride + shift &lt; width</c>, at most <paramref name="outWidth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EndInside(int shift, int stride, int width, int outWidth)
        => width - shift <= 0 ? 0 : Math.Min(outWidth, ((width - shift - 1) / stride) + 1);
}
