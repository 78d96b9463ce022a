using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen.Layouts;

// The normalisation and block kinds: LayerNorm, BatchNorm1D, Dropout and the residual markers. Only the
// two normalisations own tensors; Dropout and the markers keep the shape and own nothing.
internal static partial class LayerLayouts
{
    /// <summary>The kind name of a layer normalisation, as the architecture text writes it.</summary>
    public const string LayerNorm = "LayerNorm";

    /// <summary>The kind name of a batch normalisation over features or (channels, length).</summary>
    public const string BatchNorm1D = "BatchNorm1D";

    /// <summary>The kind name of a batch normalisation over (channels, height, width).</summary>
    public const string BatchNorm2D = "BatchNorm2D";

    /// <summary>The epsilon both normalisations add to the variance, PyTorch's default.</summary>
    public const double NormEpsilon = 1e-5;

    /// <summary>The weight of the newest batch in a running statistic, PyTorch's default momentum.</summary>
    public const double BatchNormMomentum = 0.1;

    /// <summary>
    /// nn.LayerNorm(normalized_shape)'s tensors over a sample of shape <paramref name="incoming"/>:
    /// <c>weight</c> then <c>bias</c>, each of the sample's shape (PyTorch's normalized_shape), 1s then 0s.
    /// </summary>
    public static IReadOnlyList<TensorLayout> LayerNormTensors(Shape incoming)
    {
        int[] shape = Dimensions(incoming);
        return new[]
        {
            new TensorLayout("weight", "scales", shape, ParameterInit.Ones, 0),
            new TensorLayout("bias", "shifts", (int[])shape.Clone(), ParameterInit.Zeros, 0),
        };
    }

    /// <summary>nn.BatchNorm1d(numFeatures)'s parameters: <c>weight</c> <c>[numFeatures]</c> (1s), then <c>bias</c> (0s).</summary>
    public static IReadOnlyList<TensorLayout> BatchNormTensors(int numFeatures) => new[]
    {
        new TensorLayout("weight", "scales", new[] { numFeatures }, ParameterInit.Ones, 0),
        new TensorLayout("bias", "shifts", new[] { numFeatures }, ParameterInit.Zeros, 0),
    };

    /// <summary>
    /// nn.BatchNorm1d(numFeatures)'s buffers, which are state but not trained: <c>running_mean</c>
    /// <c>[numFeatures]</c> (0s), then <c>running_var</c> (1s). PyTorch's third buffer,
    /// <c>num_batches_tracked</c>, plays no part with a fixed momentum and is not kept.
    /// </summary>
    public static IReadOnlyList<TensorLayout> BatchNormBuffers(int numFeatures) => new[]
    {
        new TensorLayout("running_mean", "running means", new[] { numFeatures }, ParameterInit.Zeros, 0),
        new TensorLayout("running_var", "running variances", new[] { numFeatures }, ParameterInit.Ones, 0),
    };

    /// <summary>
    /// The buffers (state that is not trained) of the layer written <paramref name="kind"/>(<paramref name="arguments"/>):
    /// a BatchNorm layer's running statistics; none for every other kind.
    /// </summary>
    /// <exception cref="FormatException">The arguments are not the kind's.</exception>
    public static IReadOnlyList<TensorLayout> Buffers(string kind, IReadOnlyList<string> arguments) => kind switch
    {
        BatchNorm1D or BatchNorm2D => BatchNormBuffers(PositiveArgument(kind, arguments, 0, 1)),
        _ => None,
    };

    /// <summary>
    /// The channels a batch normalisation of <paramref name="numFeatures"/> normalises in a sample of shape
    /// <paramref name="incoming"/>: the features of a flat sample, the channels of (channels, length); a
    /// message saying why not otherwise.
    /// </summary>
    public static string? BatchNorm1DMismatch(int numFeatures, Shape incoming)
    {
        if (incoming.Rank == 1 && incoming.Width == numFeatures) return null;
        if (incoming.Rank == 2 && incoming.Channels == numFeatures) return null;
        return incoming.Rank == 3
            ? string.Format(CultureInfo.InvariantCulture, "BatchNorm1D({0}) takes features or (channels, length), but {1} flows into it", numFeatures, incoming)
            : string.Format(CultureInfo.InvariantCulture, "BatchNorm1D({0}) normalises {0} {1}, but {2} flows into it", numFeatures, incoming.Rank == 1 ? "features" : "channels", incoming);
    }

    /// <summary>
    /// The channels a 2-D batch normalisation of <paramref name="numFeatures"/> normalises in a sample of
    /// shape <paramref name="incoming"/>: those of (channels, height, width); a message saying why not otherwise.
    /// </summary>
    public static string? BatchNorm2DMismatch(int numFeatures, Shape incoming)
    {
        if (incoming.Rank == 3 && incoming.Channels == numFeatures) return null;
        return incoming.Rank == 3
            ? string.Format(CultureInfo.InvariantCulture, "BatchNorm2D({0}) normalises {0} channels, but {1} flows into it", numFeatures, incoming)
            : string.Format(CultureInfo.InvariantCulture, "BatchNorm2D({0}) takes (channels, height, width), but {1} flows into it", numFeatures, incoming);
    }

    /// <summary>The values a batch normalisation of a sample of shape <paramref name="incoming"/> takes per channel and sample: 1 for features, the length for (channels, length), height x width for (channels, height, width).</summary>
    public static int PerChannel(Shape incoming) => incoming.Rank == 1 ? 1 : incoming.Height * incoming.Width;

    /// <summary>The channels of <paramref name="incoming"/> as a batch normalisation counts them: the features of a flat sample.</summary>
    public static int NormChannels(Shape incoming) => incoming.Rank == 1 ? incoming.Width : incoming.Channels;

    /// <summary>A dropout probability as the architecture text and C# write it: the shortest text that reads back as the same double.</summary>
    public static string ProbabilityText(double p) => p.ToString("R", CultureInfo.InvariantCulture);

    private static Shape BatchNormOutput(string kind, IReadOnlyList<string> arguments, Shape incoming)
    {
        int features = PositiveArgument(kind, arguments, 0, 1);
        string? mismatch = kind == BatchNorm2D ? BatchNorm2DMismatch(features, incoming) : BatchNorm1DMismatch(features, incoming);
        if (mismatch is not null) throw new FormatException(mismatch);
        return incoming;
    }

    private static int[] Dimensions(Shape shape) => shape.Rank switch
    {
        1 => new[] { shape.Width },
        2 => new[] { shape.Channels, shape.Width },
        3 => new[] { shape.Channels, shape.Height, shape.Width },
        _ => new[] { (int)Math.Max(0, shape.Size) },
    };
}
