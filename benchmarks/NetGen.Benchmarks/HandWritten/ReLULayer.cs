using System;

namespace NetGen.Benchmarks.HandWritten;

/// <summary>y = max(x, 0); the derivative at 0 is taken as 1, as NetGen's contract says.</summary>
public sealed class ReLULayer : ILayer
{
    public ReLULayer(int width)
    {
        InputSize = width;
        OutputSize = width;
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize)
    {
        int length = batchSize * InputSize;
        for (int i = 0; i < length; i++)
        {
            output[i] = input[i] > 0f ? input[i] : 0f;
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
    {
        int length = batchSize * InputSize;
        for (int i = 0; i < length; i++)
        {
            inputGradient[i] = input[i] >= 0f ? outputGradient[i] : 0f;
        }
    }

    public void ApplySgd(float learningRate)
    {
        // No parameters.
    }
}
