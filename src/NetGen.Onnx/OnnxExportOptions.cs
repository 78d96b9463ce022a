namespace NetGen.Onnx;

/// <summary>How <see cref="OnnxExport"/> writes a model. Every property has a usable default.</summary>
/// <example><code>
/// // Unity's Barracuda and ML-Agents read opset 9:
/// network.ExportOnnx("policy.onnx", new OnnxExportOptions { Opset = 9 });
/// </code></example>
public sealed record OnnxExportOptions
{
    /// <summary>The defaults: opset 13, tensors named "input", "output" and "logits", batch dimension "batch".</summary>
    public static OnnxExportOptions Default { get; } = new();

    /// <summary>
    /// The version of the default ONNX operator set to write, from <see cref="OnnxOpsets.Lowest"/> (9) to
    /// <see cref="OnnxOpsets.Highest"/>. Default 13, which ONNX Runtime and Unity Sentis load; 9 is what
    /// Unity's Barracuda and ML-Agents expect. The graph computes the same at every opset: before 13,
    /// Softmax flattens its input to two dimensions around its axis, so it is written with axis 1, which
    /// for <c>[batch, features]</c> is exactly the last axis that opset 13's <c>axis=-1</c> names.
    /// </summary>
    public int Opset { get; init; } = 13;

    /// <summary>The name of the graph input, <c>[batch, InputSize]</c>. Default "input".</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The name of the graph output, <c>[batch, OutputSize]</c>: what <c>Forward</c> writes (a classifier's probabilities). Default "output".</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>
    /// For a classifier (a network that ends in <c>Softmax CrossEntropyLoss</c>), the name of the second
    /// graph output: the values that go into the final Softmax, <c>[batch, OutputSize]</c>, which is what
    /// PyTorch's <c>nn.CrossEntropyLoss</c> and most game code want. Default "logits".
    /// </summary>
    public string LogitsName { get; init; } = "logits";

    /// <summary>The symbolic name of the batch dimension, so that a model runs on any batch size. Default "batch".</summary>
    public string BatchDimensionName { get; init; } = "batch";
}
