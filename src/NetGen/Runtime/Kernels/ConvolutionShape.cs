using System.ComponentModel;

namespace NetGen.Runtime;

/// <summary>
/// One convolution layer's sizes and place in the parameters, as a generated empty struct whose
/// properties return constants (see <see cref="ILinearShape"/>): the kernels take it as a type argument,
/// so each layer's copy has its sizes, stride, padding and dilation folded in. A sample is
/// <c>(InChannels, InputHeight, InputWidth)</c> in PyTorch's contiguous layout. A 1-D convolution is one
/// with <c>InputHeight = KernelHeight = StrideHeight = DilationHeight = 1</c> and <c>PaddingHeight = 0</c>:
/// its <c>(C, L)</c> sample is a <c>(C, 1, L)</c> image and its weight <c>[out, in / groups, k]</c> a
/// <c>[out, in / groups, 1, k]</c> one, with the same values in the same places.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IConvolutionShape
{
    /// <summary>Channels flowing in.</summary>
    int InChannels { get; }

    /// <summary>Channels flowing out.</summary>
    int OutChannels { get; }

    /// <summary>Channel groups; both channel counts are multiples of it.</summary>
    int Groups { get; }

    /// <summary>Rows of each input channel (1 for a 1-D convolution).</summary>
    int InputHeight { get; }

    /// <summary>Columns of each input channel (the length of a 1-D convolution's).</summary>
    int InputWidth { get; }

    /// <summary>Rows of each filter.</summary>
    int KernelHeight { get; }

    /// <summary>Columns of each filter.</summary>
    int KernelWidth { get; }

    /// <summary>Rows between one output row's window and the next's.</summary>
    int StrideHeight { get; }

    /// <summary>Columns between one output column's window and the next's.</summary>
    int StrideWidth { get; }

    /// <summary>Rows of zeros above and below the input.</summary>
    int PaddingHeight { get; }

    /// <summary>Columns of zeros left and right of the input.</summary>
    int PaddingWidth { get; }

    /// <summary>Rows between neighbouring taps.</summary>
    int DilationHeight { get; }

    /// <summary>Columns between neighbouring taps.</summary>
    int DilationWidth { get; }

    /// <summary>Where the layer's weight starts in the parameters, <c>[out, in / groups, kh, kw]</c>; its bias <c>[out]</c> follows it.</summary>
    int Offset { get; }
}

/// <summary>
/// One pooling layer's sizes, as a generated empty struct of constants (see <see cref="IConvolutionShape"/>):
/// a sample is <c>(Channels, InputHeight, InputWidth)</c>, a 1-D pool's <c>(C, L)</c> one with
/// <c>InputHeight = KernelHeight = StrideHeight = 1</c> and <c>PaddingHeight = 0</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPoolShape
{
    /// <summary>Channels, each pooled on its own.</summary>
    int Channels { get; }

    /// <summary>Rows of each channel.</summary>
    int InputHeight { get; }

    /// <summary>Columns of each channel.</summary>
    int InputWidth { get; }

    /// <summary>Rows of each window.</summary>
    int KernelHeight { get; }

    /// <summary>Columns of each window.</summary>
    int KernelWidth { get; }

    /// <summary>Rows between one window and the next.</summary>
    int StrideHeight { get; }

    /// <summary>Columns between one window and the next.</summary>
    int StrideWidth { get; }

    /// <summary>Rows of padding above and below: never a maximum, zeros in a mean.</summary>
    int PaddingHeight { get; }

    /// <summary>Columns of padding left and right: never a maximum, zeros in a mean.</summary>
    int PaddingWidth { get; }
}
