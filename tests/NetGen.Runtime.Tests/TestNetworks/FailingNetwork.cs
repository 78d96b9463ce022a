using System;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>
/// Wraps a network and fails when its <see cref="Architecture"/> is read: a network that breaks
/// while being saved, to check that a failed save leaves the old file alone.
/// </summary>
public sealed class FailingNetwork<T>(INetwork<T> inner) : INetwork<T> where T : unmanaged
{
    public int InputSize => inner.InputSize;
    public int OutputSize => inner.OutputSize;
    public int ParameterCount => inner.ParameterCount;
    public T[] Parameters => inner.Parameters;

    public T[] Buffers => inner.Buffers;
    public T[] Gradients => inner.Gradients;
    public void Prepare() => inner.Prepare();
    public string Architecture => throw new InvalidOperationException("Simulated failure while reading the network.");
    public void Forward(ReadOnlySpan<T> input, Span<T> output) => inner.Forward(input, output);
    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize) => inner.Forward(inputs, outputs, batchSize);
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients) => inner.Backward(inputs, outputGradients);
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients) => inner.Backward(inputs, outputGradients, inputGradients);
}
