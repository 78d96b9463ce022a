using System;

namespace NetGen;

/// <summary>
/// Opens a residual block: the layers up to the matching <see cref="EndResidualAttribute"/> compute
/// <c>f(x)</c>, and the block's output is <c>x + f(x)</c>. The layers inside must keep the shape; blocks may
/// nest. The marker itself computes nothing and has no parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResidualAttribute : Attribute { }

/// <summary>
/// Closes the innermost open <see cref="ResidualAttribute"/> block: adds the block's input to the output of
/// its last layer, <c>y = x + f(x)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EndResidualAttribute : Attribute { }

/// <summary>
/// PyTorch's <c>nn.LayerNorm</c> over each sample's values (its whole incoming shape), eps 1e-5:
/// <c>y = (x - mean) / sqrt(var + eps) * weight + bias</c> with the biased variance of the sample's values.
/// Parameters: <c>weight</c> (1s), then <c>bias</c> (0s), one per value of the sample; keeps the shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : Attribute { }

/// <summary>
/// PyTorch's <c>nn.BatchNorm1d(numFeatures)</c>: per feature of a flat input (per channel of a
/// <c>(channels, length)</c> input). Training calls normalise by the batch's mean and biased variance and
/// update the running statistics (momentum 0.1, unbiased variance); inference uses the running statistics.
/// eps 1e-5. Parameters: <c>weight</c> (1s), then <c>bias</c> (0s); <c>Buffers</c>: <c>running_mean</c> (0s),
/// then <c>running_var</c> (1s). Keeps the shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNorm1DAttribute : Attribute
{
    /// <summary>A batch normalisation over <paramref name="numFeatures"/> features or channels.</summary>
    public BatchNorm1DAttribute(int numFeatures) => NumFeatures = numFeatures;

    /// <summary>The features (flat input) or channels (<c>(channels, length)</c> input) it normalises.</summary>
    public int NumFeatures { get; }
}

/// <summary>
/// PyTorch's <c>nn.BatchNorm2d(numFeatures)</c>: per channel of a <c>(channels, height, width)</c> input, as
/// <see cref="BatchNorm1DAttribute"/> does per channel of <c>(channels, length)</c>: the same training and
/// inference modes, parameters and <c>Buffers</c>. Keeps the shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNorm2DAttribute : Attribute
{
    /// <summary>A batch normalisation over <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm2DAttribute(int numFeatures) => NumFeatures = numFeatures;

    /// <summary>The channels it normalises.</summary>
    public int NumFeatures { get; }
}

/// <summary>
/// PyTorch's <c>nn.Dropout(p)</c>: training calls set each value of each sample to 0 with probability
/// <c>p</c> (a fresh mask per call, from the network's own generator, which
/// <c>InitializeParameters(seed)</c> reseeds) and scale the rest by <c>1 / (1 - p)</c>; inference passes
/// values through. Keeps the shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>A dropout that zeroes each value with probability <paramref name="p"/>, in [0, 1).</summary>
    public DropoutAttribute(double p) => P = p;

    /// <summary>The probability of zeroing a value in training.</summary>
    public double P { get; }
}
