using System;

namespace NetGen.Benchmarks.HandWritten;

/// <summary>y = W x + b with W row-major [outputs, inputs]: straightforward scalar loops.</summary>
public sealed class DenseLayer : IParameterLayer
{
    public DenseLayer(int inputs, int outputs)
    {
        InputSize = inputs;
        OutputSize = outputs;
        Weights = new float[outputs * inputs];
        Bias = new float[outputs];
        WeightGradients = new float[outputs * inputs];
        BiasGradients = new float[outputs];
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public float[] Weights { get; }

    public float[] Bias { get; }

    public float[] WeightGradients { get; }

    public float[] BiasGradients { get; }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize)
    {
        int inputs = InputSize;
        int outputs = OutputSize;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * inputs, inputs);
            Span<float> y = output.Slice(b * outputs, outputs);
            for (int o = 0; o < outputs; o++)
            {
                ReadOnlySpan<float> row = Weights.AsSpan(o * inputs, inputs);
                float sum = Bias[o];
                for (int i = 0; i < inputs; i++)
                {
                    sum += row[i] * x[i];
                }

                y[o] = sum;
            }
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
    {
        int inputs = InputSize;
        int outputs = OutputSize;
        bool wantInputGradient = !inputGradient.IsEmpty;
        Array.Clear(WeightGradients);
        Array.Clear(BiasGradients);
        if (wantInputGradient)
        {
            inputGradient.Slice(0, batchSize * inputs).Clear();
        }

        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * inputs, inputs);
            ReadOnlySpan<float> delta = outputGradient.Slice(b * outputs, outputs);
            for (int o = 0; o < outputs; o++)
            {
                float d = delta[o];
                BiasGradients[o] += d;
                Span<float> gradientRow = WeightGradients.AsSpan(o * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                {
                    gradientRow[i] += d * x[i];
                }
            }

            if (wantInputGradient)
            {
                // dx = W^T delta, accumulated row by row so that W is read in memory order.
                Span<float> dx = inputGradient.Slice(b * inputs, inputs);
                for (int o = 0; o < outputs; o++)
                {
                    float d = delta[o];
                    ReadOnlySpan<float> row = Weights.AsSpan(o * inputs, inputs);
                    for (int i = 0; i < inputs; i++)
                    {
                        dx[i] += row[i] * d;
                    }
                }
            }
        }
    }

    public void ApplySgd(float learningRate)
    {
        for (int i = 0; i < Weights.Length; i++)
        {
            Weights[i] -= learningRate * WeightGradients[i];
        }

        for (int o = 0; o < Bias.Length; o++)
        {
            Bias[o] -= learningRate * BiasGradients[o];
        }
    }
}
