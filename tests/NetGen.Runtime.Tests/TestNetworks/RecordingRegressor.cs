using System;
using System.Collections.Generic;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>
/// Wraps a regressor and records, for every training batch, the first feature and the first target of
/// each sample it holds, in order: with features whose first value is the sample's number, the sequence
/// of samples the trainer visited, and whether each sample's targets travelled with its features.
/// </summary>
public sealed class RecordingRegressor<T>(IRegressor<T> inner) : IRegressor<T> where T : unmanaged
{
    public List<List<int>> Batches { get; } = new();
    public List<List<double>> BatchTargets { get; } = new();

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
    public T Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets) => inner.Loss(inputs, targets);
    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate) => inner.TrainStep(inputs, targets, learningRate);

    public T BackwardFromTargets(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
    {
        var batch = new List<int>();
        var batchTargets = new List<double>();
        for (int b = 0; b < targets.Length / OutputSize; b++)
        {
            batch.Add((int)Scalar.ToDouble(inputs[b * InputSize]));
            batchTargets.Add(Scalar.ToDouble(targets[b * OutputSize]));
        }

        Batches.Add(batch);
        BatchTargets.Add(batchTargets);
        return inner.BackwardFromTargets(inputs, targets);
    }
}
