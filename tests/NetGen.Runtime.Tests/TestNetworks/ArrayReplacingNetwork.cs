using System;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>
/// Wraps a network and can hand out other Parameters and Gradients arrays than its own: what a network
/// would look like that replaced its arrays (say, to grow or reload) after an optimizer was built for it.
/// </summary>
public sealed class ArrayReplacingNetwork<T>(INetwork<T> inner) : INetwork<T> where T : unmanaged
{
    public T[]? ReplacementParameters { get; set; }
    public T[]? ReplacementGradients { get; set; }

    public int InputSize => inner.InputSize;
    public int OutputSize => inner.OutputSize;
    public int ParameterCount => inner.ParameterCount;
    public T[] Parameters => ReplacementParameters ?? inner.Parameters;

    public T[] Buffers => inner.Buffers;
    public T[] Gradients => ReplacementGradients ?? inner.Gradients;
    public void Prepare() => inner.Prepare();
    public string Architecture => inner.Architecture;
    public void Forward(ReadOnlySpan<T> input, Span<T> output) => inner.Forward(input, output);
    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize) => inner.Forward(inputs, outputs, batchSize);
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients) => inner.Backward(inputs, outputGradients);
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients) => inner.Backward(inputs, outputGradients, inputGradients);
}
