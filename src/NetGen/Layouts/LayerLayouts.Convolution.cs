using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen.Layouts;

// The shape family: Input, Conv1D/Conv2D, the pools, GlobalAvgPool and Flatten. Their arguments in the
// architecture text are every integer the attribute holds, in a fixed order, so that the text says
// everything and parses back alone:
//   Input(c,l) / Input(c,h,w) / Input(n)
//   Conv1D(in,out,kernel,stride,padding,dilation,groups), Conv2D likewise (square kernels)
//   MaxPool1D(kernel,stride,padding), MaxPool2D, AvgPool1D, AvgPool2D likewise
//   GlobalAvgPool, Flatten (no arguments)
internal static partial class LayerLayouts
{
    /// <summary>The token that states the network's input shape: not a layer, so it takes no place among the modules.</summary>
    public const string Input = "Input";

    /// <summary>A one-dimensional convolution, nn.Conv1d.</summary>
    public const string Conv1D = "Conv1D";

    /// <summary>A two-dimensional convolution with square kernels, nn.Conv2d.</summary>
    public const string Conv2D = "Conv2D";

    /// <summary>nn.MaxPool1d.</summary>
    public const string MaxPool1D = "MaxPool1D";

    /// <summary>nn.MaxPool2d.</summary>
    public const string MaxPool2D = "MaxPool2D";

    /// <summary>nn.AvgPool1d.</summary>
    public const string AvgPool1D = "AvgPool1D";

    /// <summary>nn.AvgPool2d.</summary>
    public const string AvgPool2D = "AvgPool2D";

    /// <summary>The mean of each channel over every position.</summary>
    public const string GlobalAvgPool = "GlobalAvgPool";

    /// <summary>nn.Flatten.</summary>
    public const string Flatten = "Flatten";

    /// <summary>A convolution's arguments in the architecture text: in, out, kernel, stride, padding, dilation, groups.</summary>
    public const int ConvolutionArgumentCount = 7;

    /// <summary>A pool's arguments in the architecture text: kernel, stride, padding.</summary>
    public const int PoolArgumentCount = 3;

    /// <summary>
    /// A convolution's tensors, as nn.Conv1d / nn.Conv2d has them: <c>weight</c>
    /// <c>[out, in / groups, k]</c> (or <c>[out, in / groups, k, k]</c>) then <c>bias</c> <c>[out]</c>, both
    /// uniform in (-1/sqrt(fanIn), 1/sqrt(fanIn)) with <c>fanIn = in / groups * k^dimensions</c>, PyTorch's
    /// default (its kaiming_uniform with a = sqrt(5) has that bound too).
    /// </summary>
    public static IReadOnlyList<TensorLayout> ConvolutionTensors(int dimensions, int inChannels, int outChannels, int kernel, int groups)
    {
        int perGroup = inChannels / groups;
        int fanIn = perGroup * (dimensions == 1 ? kernel : kernel * kernel);
        int[] weight = dimensions == 1 ? new[] { outChannels, perGroup, kernel } : new[] { outChannels, perGroup, kernel, kernel };
        return new[]
        {
            new TensorLayout("weight", "weights", weight, ParameterInit.UniformFanIn, fanIn),
            new TensorLayout("bias", "biases", new[] { outChannels }, ParameterInit.UniformFanIn, fanIn),
        };
    }

    /// <summary>
    /// Positions along one axis after a window of <paramref name="kernel"/> taps, <paramref name="dilation"/>
    /// apart, slides <paramref name="stride"/> at a time over <paramref name="length"/> positions padded by
    /// <paramref name="padding"/> at each end: <c>(length + 2 padding - dilation (kernel - 1) - 1) / stride + 1</c>,
    /// rounded down as PyTorch does; 0 or less where the window is wider than the padded input.
    /// </summary>
    public static long SlidingLength(long length, int kernel, int stride, int padding, int dilation)
    {
        long span = ((long)dilation * (kernel - 1)) + 1;
        long padded = length + (2L * padding);
        return padded < span ? 0 : ((padded - span) / stride) + 1;
    }

    /// <summary>Whether <paramref name="kind"/> is a convolution (<c>Conv1D</c> or <c>Conv2D</c>).</summary>
    public static bool IsConvolution(string kind) => kind == Conv1D || kind == Conv2D;

    /// <summary>Whether <paramref name="kind"/> is a max or average pool of one or two dimensions.</summary>
    public static bool IsPool(string kind) => kind == MaxPool1D || kind == MaxPool2D || kind == AvgPool1D || kind == AvgPool2D;

    /// <summary>The dimensions a convolution or pool slides over: 1 or 2.</summary>
    public static int DimensionsOf(string kind) => kind.EndsWith("1D", StringComparison.Ordinal) ? 1 : 2;

    /// <summary>The shape an Input token states: one to three positive sizes.</summary>
    private static Shape InputShape(IReadOnlyList<string> arguments)
    {
        if (arguments.Count < 1 || arguments.Count > 3)
        {
            throw new FormatException($"Input({string.Join(",", arguments)}) has {arguments.Count} sizes, not 1 to 3");
        }

        var sizes = new int[arguments.Count];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = PositiveArgument(Input, arguments, i, arguments.Count);
        return sizes.Length switch
        {
            1 => Shape.Features(sizes[0]),
            2 => Shape.ChannelsByLength(sizes[0], sizes[1]),
            _ => Shape.ChannelsByHeightByWidth(sizes[0], sizes[1], sizes[2]),
        };
    }

    /// <summary>A convolution's tensors from its architecture-text arguments.</summary>
    private static IReadOnlyList<TensorLayout> ConvolutionTensors(string kind, IReadOnlyList<string> arguments)
    {
        int[] a = ConvolutionArguments(kind, arguments);
        return ConvolutionTensors(DimensionsOf(kind), a[0], a[1], a[2], a[6]);
    }

    /// <summary>in, out, kernel, stride, padding, dilation, groups: positive except padding, which may be 0.</summary>
    private static int[] ConvolutionArguments(string kind, IReadOnlyList<string> arguments)
    {
        var values = new int[ConvolutionArgumentCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i == 4 ? NonNegativeArgument(kind, arguments, i, ConvolutionArgumentCount) : PositiveArgument(kind, arguments, i, ConvolutionArgumentCount);
        }

        if (values[0] % values[6] != 0 || values[1] % values[6] != 0)
        {
            throw new FormatException($"{kind}({string.Join(",", arguments)}) has {values[6]} groups, which do not divide both channel counts");
        }

        return values;
    }

    /// <summary>kernel, stride, padding: padding at most half the kernel, as PyTorch requires.</summary>
    private static int[] PoolArguments(string kind, IReadOnlyList<string> arguments)
    {
        int kernel = PositiveArgument(kind, arguments, 0, PoolArgumentCount);
        int stride = PositiveArgument(kind, arguments, 1, PoolArgumentCount);
        int padding = NonNegativeArgument(kind, arguments, 2, PoolArgumentCount);
        if (padding > kernel / 2)
        {
            throw new FormatException($"{kind}({string.Join(",", arguments)}) pads by {padding}, more than half its kernel");
        }

        return new[] { kernel, stride, padding };
    }

    /// <summary>The shape a convolution makes from <paramref name="incoming"/>, or a FormatException saying why it cannot.</summary>
    private static Shape ConvolutionOutput(string kind, IReadOnlyList<string> arguments, Shape incoming)
    {
        int[] a = ConvolutionArguments(kind, arguments);
        int dimensions = DimensionsOf(kind);
        CheckSpatial(kind, arguments, incoming, dimensions);
        if (incoming.Channels != a[0])
        {
            throw new FormatException($"{kind}({string.Join(",", arguments)}) takes {a[0]} channels, but {incoming} flows into it");
        }

        long width = SlidingLength(incoming.Width, a[2], a[3], a[4], a[5]);
        long height = dimensions == 1 ? 1 : SlidingLength(incoming.Height, a[2], a[3], a[4], a[5]);
        return Sized(kind, arguments, incoming, dimensions, a[1], height, width);
    }

    /// <summary>The shape a pool makes from <paramref name="incoming"/>, or a FormatException saying why it cannot.</summary>
    private static Shape PoolOutput(string kind, IReadOnlyList<string> arguments, Shape incoming)
    {
        int[] a = PoolArguments(kind, arguments);
        int dimensions = DimensionsOf(kind);
        CheckSpatial(kind, arguments, incoming, dimensions);
        long width = SlidingLength(incoming.Width, a[0], a[1], a[2], 1);
        long height = dimensions == 1 ? 1 : SlidingLength(incoming.Height, a[0], a[1], a[2], 1);
        return Sized(kind, arguments, incoming, dimensions, incoming.Channels, height, width);
    }

    private static void CheckSpatial(string kind, IReadOnlyList<string> arguments, Shape incoming, int dimensions)
    {
        if (incoming.Rank != dimensions + 1)
        {
            string wanted = dimensions == 1 ? "(channels, length)" : "(channels, height, width)";
            throw new FormatException($"{kind}({string.Join(",", arguments)}) takes {wanted}, but {incoming} flows into it");
        }
    }

    private static Shape Sized(string kind, IReadOnlyList<string> arguments, Shape incoming, int dimensions, int channels, long height, long width)
    {
        if (height < 1 || width < 1)
        {
            throw new FormatException($"{kind}({string.Join(",", arguments)}) leaves no output positions of {incoming}: its window is wider than the padded input");
        }

        return dimensions == 1 ? Shape.ChannelsByLength(channels, (int)width) : Shape.ChannelsByHeightByWidth(channels, (int)height, (int)width);
    }

    /// <summary>GlobalAvgPool: <c>(C, ...)</c> to C features.</summary>
    private static Shape GlobalPoolOutput(Shape incoming)
        => incoming.Rank >= 2
            ? Shape.Features(incoming.Channels)
            : throw new FormatException($"GlobalAvgPool takes (channels, length) or (channels, height, width), but {incoming} flows into it");

    /// <summary>Flatten: every value of the sample, in the same order, as features.</summary>
    private static Shape FlattenOutput(Shape incoming) => Shape.Features((int)incoming.Size);

    /// <summary>
    /// Argument <paramref name="index"/> of a token with exactly <paramref name="count"/> arguments, as a
    /// non-negative integer in invariant digits (a padding); a <see cref="FormatException"/> naming the token otherwise.
    /// </summary>
    private static int NonNegativeArgument(string kind, IReadOnlyList<string> arguments, int index, int count)
    {
        if (arguments.Count != count)
        {
            throw new FormatException($"{kind}({string.Join(",", arguments)}) has {arguments.Count} arguments, not {count}");
        }

        if (!int.TryParse(arguments[index], NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new FormatException($"{kind}({string.Join(",", arguments)}) has \"{arguments[index]}\" as argument {index + 1}, not a non-negative integer");
        }

        return value;
    }
}
