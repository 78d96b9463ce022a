using System;

namespace NetGen.Benchmarks.HandWritten;

/// <summary>
/// A 2-D convolution as a C# developer writes it without a library (a 1-D one is a height of 1): stride 1,
/// zero padding, weight [out, in, kh, kw] and bias as PyTorch's, direct scalar loops over each output's
/// window, with the bounds checked per tap.
/// </summary>
public sealed class ConvolutionLayer : IParameterLayer
{
    private readonly int _in, _out, _height, _width, _kernelHeight, _kernelWidth, _paddingHeight, _paddingWidth, _outHeight, _outWidth;

    public ConvolutionLayer(int inChannels, int outChannels, int height, int width, int kernelHeight, int kernelWidth, int paddingHeight, int paddingWidth)
    {
        (_in, _out, _height, _width) = (inChannels, outChannels, height, width);
        (_kernelHeight, _kernelWidth, _paddingHeight, _paddingWidth) = (kernelHeight, kernelWidth, paddingHeight, paddingWidth);
        _outHeight = height + (2 * paddingHeight) - kernelHeight + 1;
        _outWidth = width + (2 * paddingWidth) - kernelWidth + 1;
        InputSize = inChannels * height * width;
        OutputSize = outChannels * _outHeight * _outWidth;
        Weights = new float[outChannels * inChannels * kernelHeight * kernelWidth];
        Bias = new float[outChannels];
        WeightGradients = new float[Weights.Length];
        BiasGradients = new float[outChannels];
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public float[] Weights { get; }

    public float[] Bias { get; }

    public float[] WeightGradients { get; }

    public float[] BiasGradients { get; }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize)
    {
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * InputSize, InputSize);
            Span<float> y = output.Slice(b * OutputSize, OutputSize);
            for (int o = 0; o < _out; o++)
            {
                for (int i = 0; i < _outHeight; i++)
                {
                    for (int j = 0; j < _outWidth; j++)
                    {
                        float sum = Bias[o];
                        for (int c = 0; c < _in; c++)
                        {
                            for (int u = 0; u < _kernelHeight; u++)
                            {
                                int row = i - _paddingHeight + u;
                                if (row < 0 || row >= _height) continue;
                                for (int v = 0; v < _kernelWidth; v++)
                                {
                                    int column = j - _paddingWidth + v;
                                    if (column < 0 || column >= _width) continue;
                                    sum += Weights[(((o * _in) + c) * _kernelHeight + u) * _kernelWidth + v] * x[(((c * _height) + row) * _width) + column];
                                }
                            }
                        }
                        y[(((o * _outHeight) + i) * _outWidth) + j] = sum;
                    }
                }
            }
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
    {
        Array.Clear(WeightGradients);
        Array.Clear(BiasGradients);
        if (!inputGradient.IsEmpty)
        {
            inputGradient.Slice(0, batchSize * InputSize).Clear();
        }
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * InputSize, InputSize);
            ReadOnlySpan<float> dy = outputGradient.Slice(b * OutputSize, OutputSize);
            Span<float> dx = inputGradient.IsEmpty ? Span<float>.Empty : inputGradient.Slice(b * InputSize, InputSize);
            for (int o = 0; o < _out; o++)
            {
                for (int i = 0; i < _outHeight; i++)
                {
                    for (int j = 0; j < _outWidth; j++)
                    {
                        float delta = dy[(((o * _outHeight) + i) * _outWidth) + j];
                        BiasGradients[o] += delta;
                        for (int c = 0; c < _in; c++)
                        {
                            for (int u = 0; u < _kernelHeight; u++)
                            {
                                int row = i - _paddingHeight + u;
                                if (row < 0 || row >= _height) continue;
                                for (int v = 0; v < _kernelWidth; v++)
                                {
                                    int column = j - _paddingWidth + v;
                                    if (column < 0 || column >= _width) continue;
                                    int w = (((o * _in) + c) * _kernelHeight + u) * _kernelWidth + v;
                                    int at = (((c * _height) + row) * _width) + column;
                                    WeightGradients[w] += delta * x[at];
                                    if (!dx.IsEmpty) dx[at] += delta * Weights[w];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public void ApplySgd(float learningRate)
    {
        for (int i = 0; i < Weights.Length; i++) Weights[i] -= learningRate * WeightGradients[i];
        for (int i = 0; i < Bias.Length; i++) Bias[i] -= learningRate * BiasGradients[i];
    }
}
