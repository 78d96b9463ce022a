using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// One sample's shape, without the batch: <c>(features)</c>, <c>(channels, length)</c> or
/// <c>(channels, height, width)</c>. A sample is its tensor in PyTorch's contiguous layout (channels,
/// then rows, then columns), so the network's <c>InputSize</c> is the product of the shape. Comes before
/// the first layer; <c>[Input(n)]</c> may come before a first <see cref="LinearAttribute"/> of n inputs.
/// </summary>
/// <example><code>
/// [Network] [Input(1, 8, 8)] [Conv2D(1, 8, 3, Padding = 1)] [ReLU] [MaxPool2D(2)] [Flatten]
/// [Linear(128, 10)] [Softmax] [CrossEntropyLoss]
/// public partial class DigitsCnn { }
/// </code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>A flat sample of <paramref name="features"/> values.</summary>
    public InputAttribute(int features) => Shape = new[] { features };

    /// <summary>A sequence sample: <paramref name="channels"/> rows of <paramref name="length"/> values, as PyTorch's <c>(C, L)</c>.</summary>
    public InputAttribute(int channels, int length) => Shape = new[] { channels, length };

    /// <summary>An image sample: <paramref name="channels"/> planes of <paramref name="height"/> rows of <paramref name="width"/> values, as PyTorch's <c>(C, H, W)</c>.</summary>
    public InputAttribute(int channels, int height, int width) => Shape = new[] { channels, height, width };

    /// <summary>The sample's dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape { get; }
}

/// <summary>
/// A one-dimensional convolution over <c>(channels, length)</c> samples, as PyTorch's
/// <c>nn.Conv1d(in_channels, out_channels, kernel_size)</c>: zero padding and a bias. Its weight is
/// <c>[outChannels, inChannels / Groups, kernelSize]</c>, then its bias <c>[outChannels]</c>. The output
/// length is <c>(length + 2 Padding - Dilation (kernelSize - 1) - 1) / Stride + 1</c>, rounded down.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1DAttribute : Attribute
{
    /// <summary>A convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels with a kernel of <paramref name="kernelSize"/> taps.</summary>
    public Conv1DAttribute(int inChannels, int outChannels, int kernelSize)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
    }

    /// <summary>Channels flowing in.</summary>
    public int InChannels { get; }

    /// <summary>Channels flowing out: one filter each.</summary>
    public int OutChannels { get; }

    /// <summary>Taps of each filter.</summary>
    public int KernelSize { get; }

    /// <summary>Positions between one output's window and the next's; 1 unless given, as in PyTorch.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added at each end of the input; 0 unless given, as in PyTorch.</summary>
    public int Padding { get; set; }

    /// <summary>Positions between neighbouring taps (1: adjacent); 1 unless given, as in PyTorch.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>
    /// Channel groups, each convolved on its own (1 unless given, as in PyTorch): both channel counts must
    /// be multiples of it, and <c>Groups = inChannels</c> is a depthwise convolution.
    /// </summary>
    public int Groups { get; set; } = 1;
}

/// <summary>
/// A two-dimensional convolution over <c>(channels, height, width)</c> samples with a square kernel, as
/// PyTorch's <c>nn.Conv2d(in_channels, out_channels, kernel_size)</c>: zero padding and a bias, the same
/// stride, padding and dilation along both axes. Its weight is
/// <c>[outChannels, inChannels / Groups, kernelSize, kernelSize]</c>, then its bias <c>[outChannels]</c>.
/// Each output side is <c>(side + 2 Padding - Dilation (kernelSize - 1) - 1) / Stride + 1</c>, rounded down.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>A convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels with <paramref name="kernelSize"/> x <paramref name="kernelSize"/> kernels.</summary>
    public Conv2DAttribute(int inChannels, int outChannels, int kernelSize)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
    }

    /// <summary>Channels flowing in.</summary>
    public int InChannels { get; }

    /// <summary>Channels flowing out: one filter each.</summary>
    public int OutChannels { get; }

    /// <summary>Rows and columns of each (square) filter.</summary>
    public int KernelSize { get; }

    /// <summary>Rows and columns between one output's window and the next's; 1 unless given, as in PyTorch.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Rows and columns of zeros added on every side of the input; 0 unless given, as in PyTorch.</summary>
    public int Padding { get; set; }

    /// <summary>Rows and columns between neighbouring taps (1: adjacent); 1 unless given, as in PyTorch.</summary>
    public int Dilation { get; set; } = 1;

    /// <inheritdoc cref="Conv1DAttribute.Groups"/>
    public int Groups { get; set; } = 1;
}

/// <summary>
/// The largest value of each window of each channel of a <c>(channels, length)</c> sample, as PyTorch's
/// <c>nn.MaxPool1d(kernel_size)</c>: padding never wins, and on a tie the first maximum in the window
/// takes the gradient.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool1DAttribute : Attribute
{
    /// <summary>Windows of <paramref name="kernelSize"/> positions, a window apart unless <see cref="Stride"/> says otherwise.</summary>
    public MaxPool1DAttribute(int kernelSize)
    {
        KernelSize = kernelSize;
        Stride = kernelSize;
    }

    /// <summary>Positions in each window.</summary>
    public int KernelSize { get; }

    /// <summary>Positions between one window and the next: the kernel size unless given, as in PyTorch.</summary>
    public int Stride { get; set; }

    /// <summary>Positions added at each end, which no window takes as its maximum; 0 unless given (at most half the kernel size, as PyTorch requires).</summary>
    public int Padding { get; set; }
}

/// <summary>
/// The largest value of each square window of each channel of a <c>(channels, height, width)</c> sample,
/// as PyTorch's <c>nn.MaxPool2d(kernel_size)</c>: padding never wins, and on a tie the first maximum in
/// the window (row by row) takes the gradient.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <summary>Windows of <paramref name="kernelSize"/> x <paramref name="kernelSize"/> values, a window apart unless <see cref="Stride"/> says otherwise.</summary>
    public MaxPool2DAttribute(int kernelSize)
    {
        KernelSize = kernelSize;
        Stride = kernelSize;
    }

    /// <summary>Rows and columns of each window.</summary>
    public int KernelSize { get; }

    /// <summary>Rows and columns between one window and the next: the kernel size unless given, as in PyTorch.</summary>
    public int Stride { get; set; }

    /// <summary>Rows and columns added on every side, which no window takes as its maximum; 0 unless given (at most half the kernel size, as PyTorch requires).</summary>
    public int Padding { get; set; }
}

/// <summary>
/// The mean of each window of each channel of a <c>(channels, length)</c> sample, as PyTorch's
/// <c>nn.AvgPool1d(kernel_size)</c>: padded positions count as zeros in the mean (PyTorch's default,
/// <c>count_include_pad=True</c>), so every window divides by the kernel size.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool1DAttribute : Attribute
{
    /// <summary>Windows of <paramref name="kernelSize"/> positions, a window apart unless <see cref="Stride"/> says otherwise.</summary>
    public AvgPool1DAttribute(int kernelSize)
    {
        KernelSize = kernelSize;
        Stride = kernelSize;
    }

    /// <summary>Positions in each window.</summary>
    public int KernelSize { get; }

    /// <summary>Positions between one window and the next: the kernel size unless given, as in PyTorch.</summary>
    public int Stride { get; set; }

    /// <summary>Zeros added at each end; 0 unless given (at most half the kernel size, as PyTorch requires).</summary>
    public int Padding { get; set; }
}

/// <summary>
/// The mean of each square window of each channel of a <c>(channels, height, width)</c> sample, as
/// PyTorch's <c>nn.AvgPool2d(kernel_size)</c>: padded positions count as zeros in the mean (PyTorch's
/// default, <c>count_include_pad=True</c>), so every window divides by the kernel size squared.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Attribute
{
    /// <summary>Windows of <paramref name="kernelSize"/> x <paramref name="kernelSize"/> values, a window apart unless <see cref="Stride"/> says otherwise.</summary>
    public AvgPool2DAttribute(int kernelSize)
    {
        KernelSize = kernelSize;
        Stride = kernelSize;
    }

    /// <summary>Rows and columns of each window.</summary>
    public int KernelSize { get; }

    /// <summary>Rows and columns between one window and the next: the kernel size unless given, as in PyTorch.</summary>
    public int Stride { get; set; }

    /// <summary>Rows and columns of zeros added on every side; 0 unless given (at most half the kernel size, as PyTorch requires).</summary>
    public int Padding { get; set; }
}

/// <summary>
/// The mean over every position of each channel: <c>(C, L)</c> or <c>(C, H, W)</c> in, <c>C</c> values
/// out, as PyTorch's <c>nn.AdaptiveAvgPool1d(1)</c> or <c>nn.AdaptiveAvgPool2d(1)</c> followed by
/// <c>nn.Flatten()</c>. No parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPoolAttribute : Attribute { }

/// <summary>
/// <c>(C, L)</c> or <c>(C, H, W)</c> to its <c>C L</c> or <c>C H W</c> values in the same order, as
/// PyTorch's <c>nn.Flatten()</c>: what a <see cref="LinearAttribute"/> or <see cref="SoftmaxAttribute"/>
/// after a convolution or pool needs. Moves nothing: a sample is already stored flat.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute { }
