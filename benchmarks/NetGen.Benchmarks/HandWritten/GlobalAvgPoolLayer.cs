using System;

namespace NetGen.Benchmarks.HandWritten;

/// <summary>The mean of each channel over its positions: (channels, positions) to channels values.</summary>
public sealed class GlobalAvgPoolLayer : ILayer
{
    private readonly int _positions;

    public GlobalAvgPoolLayer(int channels, int positions)
    {
        _positions = positions;
        InputSize = channels * positions;
        OutputSize = channels;
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize)
    {
        for (int k = 0; k < batchSize * OutputSize; k++)
        {
            float sum = 0f;
            for (int j = 0; j < _positions; j++) sum += input[(k * _positions) + j];
            output[k] = sum / _positions;
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
    {
        if (inputGradient.IsEmpty) return;
        for (int k = 0; k < batchSize * OutputSize; k++)
        {
            float share = outputGradient[k] / _positions;
            for (int j = 0; j < _positions; j++) inputGradient[(k * _positions) + j] = share;
        }
    }

    public void ApplySgd(float learningRate)
    {
        // No parameters.
    }
}
