using NetGen.Generator.Model;
using NetGen.Layouts;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Blocks;

/// <summary>
/// PyTorch's nn.BatchNorm2d(numFeatures): per channel of a (channels, height, width) sample, over every
/// position of every sample; otherwise as <see cref="BatchNorm1DLayer"/> (the same kernels, with height x
/// width values per channel and sample).
/// </summary>
internal sealed class BatchNorm2DLayer : BatchNorm1DLayer
{
    public static new readonly BatchNorm2DLayer Instance = new();

    public override LayerKind Kind => LayerKind.BatchNorm2D;

    public override string Name => "BatchNorm2D";

    public override string Formula => "training: y = (x - mean_B) / sqrt(var_B + 1e-5) * weight + bias per channel over the batch and positions; inference: the running statistics";

    protected override bool Mismatch(int features, Shape incoming) => LayerLayouts.BatchNorm2DMismatch(features, incoming) is not null;

    protected override string What(int features, Shape incoming) => Invariant($"{features} channels of (channels, height, width)");

    protected override string Fix(Shape incoming) => incoming.Rank == 3
        ? Invariant($"BatchNorm2D({incoming.Channels})")
        : incoming.Rank == 2 ? Invariant($"BatchNorm1D({incoming.Channels})") : Invariant($"BatchNorm1D({incoming.Width})");
}
