namespace NetGen;

/// <summary>
/// How weights from another framework's file (safetensors here, ONNX in NetGen.Onnx) are checked as
/// they load. Every property has a safe default.
/// </summary>
/// <example><code>
/// network.LoadSafetensors("model.safetensors", new WeightLoadOptions { AllowNonFiniteValues = true });
/// </code></example>
public sealed record WeightLoadOptions
{
    /// <summary>The defaults: only finite values are accepted.</summary>
    public static WeightLoadOptions Default { get; } = new();

    /// <summary>
    /// Whether a weight or bias may be NaN or infinite, including a finite value that overflows the
    /// network's element type when converted (a double above 3.4e38 loaded into a float network).
    /// Default false: such a file is refused, naming the tensor and the element, because a non-finite
    /// weight makes every output it reaches NaN, and in a file from another framework it almost always
    /// means training diverged. (NetGen's own format, <c>LoadParameters</c>, restores values bit for bit,
    /// NaN included, because it restores a NetGen network's exact state.)
    /// </summary>
    public bool AllowNonFiniteValues { get; init; }
}
