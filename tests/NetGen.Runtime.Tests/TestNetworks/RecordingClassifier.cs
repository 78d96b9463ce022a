using System;
using System.Collections.Generic;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>
/// Wraps a classifier and records the first feature of every sample each training batch holds, in
/// order: with features whose first value is the sample's number, the sequence of samples the trainer
/// visited.
/// </summary>
public sealed class RecordingClassifier<T>(IClassifier<T> inner) : IClassifier<T> where T : unmanaged
{
    public List<List<int>> Batches { get; } = new();

    /// <summary>Called after each training batch is recorded, e.g. to cancel training from inside an epoch.</summary>
    public Action? AfterBatch { get; set; }

    public int InputSize => inner.InputSize;
    public int OutputSize => inner.OutputSize;
    public int ParameterCount => inner.ParameterCount;
    public T[] Parameters => inner.Parameters;

    public T[] Buffers => inner.Buffers;
    public T[] Gradients => inner.Gradients;
    public void Prepare() => inner.Prepare();
    public string Architecture => inner.Architecture;
    public void Forward(ReadOnlySpan<T> input, Span<T> output) => inner.Forward(input, output);
    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize) => inner.Forward(inputs, outputs, batchSize);
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients) => inner.Backward(inputs, outputGradients);
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients) => inner.Backward(inputs, outputGradients, inputGradients);
    public int Predict(ReadOnlySpan<T> input) => inner.Predict(input);
    public T Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels) => inner.Loss(inputs, labels);
    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, T learningRate) => inner.TrainStep(inputs, labels, learningRate);

    public T Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels)
    {
        var batch = new List<int>();
        for (int b = 0; b < labels.Length; b++) batch.Add((int)Scalar.ToDouble(inputs[b * InputSize]));
        Batches.Add(batch);
        T loss = inner.Backward(inputs, labels);
        AfterBatch?.Invoke();
        return loss;
    }
}
