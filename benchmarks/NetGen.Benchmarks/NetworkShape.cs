using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Benchmarks;

/// <summary>
/// One benchmarked architecture: Linear layers of the given widths with ReLU between them, then Softmax
/// and the mean cross-entropy loss. Every implementation (hand-written, ONNX Runtime, NetGen) is built
/// from the same shape, so that one table compares like with like.
/// </summary>
public sealed class NetworkShape
{
    /// <summary>The four benchmarked networks, by the name used in the <c>Network</c> parameter column.</summary>
    public static readonly IReadOnlyList<NetworkShape> All =
    [
        new("iris", [4, 16, 3]),
        new("digits", [64, 128, 64, 10]),
        new("mnist", [784, 128, 10]),
        new("wide", [784, 512, 512, 10]),
    ];

    private NetworkShape(string name, int[] widths)
    {
        Name = name;
        Widths = widths;
    }

    /// <summary>Short name; also the ONNX model's file name without extension.</summary>
    public string Name { get; }

    /// <summary>Widths flowing between layers: input, hidden..., output.</summary>
    public IReadOnlyList<int> Widths { get; }

    public int InputSize => Widths[0];

    public int OutputSize => Widths[^1];

    public int LinearLayerCount => Widths.Count - 1;

    /// <summary>Weights of all Linear layers (biases excluded): what the FLOP count is based on.</summary>
    public long WeightCount => Enumerable.Range(0, LinearLayerCount).Sum(l => (long)Widths[l] * Widths[l + 1]);

    /// <summary>Weights and biases, in NetGen's parameter layout.</summary>
    public int ParameterCount => Enumerable.Range(0, LinearLayerCount).Sum(l => Widths[l] * Widths[l + 1] + Widths[l + 1]);

    /// <summary>
    /// Floating-point operations of one forward pass of one sample: a multiply and an add per weight.
    /// Biases, ReLU and softmax are ignored, as is usual for matrix-dominated work.
    /// </summary>
    public long ForwardFlopsPerSample => 2 * WeightCount;

    /// <summary>
    /// A training step costs three matrix products per layer (forward, weight gradient, input gradient),
    /// so three times the forward count; the first layer's input gradient is not needed, but the
    /// convention (and every framework's FLOP counter) keeps the factor 3.
    /// </summary>
    public long TrainStepFlopsPerSample => 3 * ForwardFlopsPerSample;

    /// <summary>The model file copied next to the binary (see the project file).</summary>
    public string OnnxModelPath => System.IO.Path.Combine(AppContext.BaseDirectory, "models", Name + ".onnx");

    public static NetworkShape Named(string name)
        => All.FirstOrDefault(s => s.Name == name)
           ?? throw new ArgumentException($"Unknown network '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));

    public override string ToString() => Name + " " + string.Join("-", Widths);
}
