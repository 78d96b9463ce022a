using System;

namespace NetGen.Benchmarks.HandWritten;

/// <summary>Non-overlapping max pooling over (channels, height, width), the kernel as the stride, no padding; the gradient to each window's first maximum.</summary>
public sealed class MaxPoolLayer : ILayer
{
    private readonly int _channels, _height, _width, _kernelHeight, _kernelWidth, _outHeight, _outWidth;

    public MaxPoolLayer(int channels, int height, int width, int kernelHeight, int kernelWidth)
    {
        (_channels, _height, _width, _kernelHeight, _kernelWidth) = (channels, height, width, kernelHeight, kernelWidth);
        _outHeight = height / kernelHeight;
        _outWidth = width / kernelWidth;
        InputSize = channels * height * width;
        OutputSize = channels * _outHeight * _outWidth;
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize)
    {
        for (int b = 0; b < batchSize; b++)
        {
            for (int c = 0; c < _channels; c++)
            {
                for (int i = 0; i < _outHeight; i++)
                {
                    for (int j = 0; j < _outWidth; j++)
                    {
                        output[(b * OutputSize) + (((c * _outHeight) + i) * _outWidth) + j] = input[(b * InputSize) + ArgMax(input.Slice(b * InputSize, InputSize), c, i, j)];
                    }
                }
            }
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
    {
        if (inputGradient.IsEmpty) return;
        inputGradient.Slice(0, batchSize * InputSize).Clear();
        for (int b = 0; b < batchSize; b++)
        {
            for (int c = 0; c < _channels; c++)
            {
                for (int i = 0; i < _outHeight; i++)
                {
                    for (int j = 0; j < _outWidth; j++)
                    {
                        int at = ArgMax(input.Slice(b * InputSize, InputSize), c, i, j);
                        inputGradient[(b * InputSize) + at] += outputGradient[(b * OutputSize) + (((c * _outHeight) + i) * _outWidth) + j];
                    }
                }
            }
        }
    }

    public void ApplySgd(float learningRate)
    {
        // No parameters.
    }

    private int ArgMax(ReadOnlySpan<float> x, int c, int i, int j)
    {
        int best = (((c * _height) + (i * _kernelHeight)) * _width) + (j * _kernelWidth);
        for (int u = 0; u < _kernelHeight; u++)
        {
            for (int v = 0; v < _kernelWidth; v++)
            {
                int at = (((c * _height) + (i * _kernelHeight) + u) * _width) + (j * _kernelWidth) + v;
                if (x[at] > x[best]) best = at;
            }
        }
        return best;
    }
}
