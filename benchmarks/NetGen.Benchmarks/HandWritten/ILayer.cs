using System;

namespace NetGen.Benchmarks.HandWritten;

/// <summary>
/// A layer of the hand-written baseline: the runtime object graph a C# developer writes without a
/// code generator. All spans are sample-major batches; <c>batchSize</c> samples are processed.
/// </summary>
public interface ILayer
{
    int InputSize { get; }

    int OutputSize { get; }

    void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize);

    /// <summary>
    /// Given the layer's forward input and the loss gradient at its output, writes the gradient at its
    /// input (unless <paramref name="inputGradient"/> is empty: the first layer needs none) and sets
    /// the layer's own parameter gradients.
    /// </summary>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize);

    /// <summary>Plain SGD: parameters -= learningRate * gradients.</summary>
    void ApplySgd(float learningRate);
}
