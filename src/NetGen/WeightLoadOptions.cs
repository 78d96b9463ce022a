using System.Collections.Generic;

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

    /// <summary>
    /// For safetensors: the module of each layer with parameters (each <c>Linear</c>), in declaration
    /// order, as the model's <c>forward</c> runs them: <c>new[] { "embed", "mlp", "ff", "out" }</c> for the
    /// tensors <c>embed.weight</c>, <c>mlp.weight</c>, ... A name is the module path as the file writes it
    /// (the tensor's name without <c>.weight</c>), or its end after a dot (<c>mlp</c> for <c>model.mlp</c>)
    /// where only one module ends so. Default null: the order comes from the names where they fix it
    /// (<c>nn.Sequential</c> indices) and otherwise from the shapes; a file whose shapes fit more than one
    /// order is refused, and its message says which modules to name. <c>save_file</c> sorts names, so a file
    /// cannot say that <c>mlp</c> runs before <c>ff</c>. ONNX files carry their order: <c>LoadOnnxWeights</c>
    /// refuses options that set this.
    /// </summary>
    public IReadOnlyList<string>? ModuleNames { get; init; }
}
