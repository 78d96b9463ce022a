using System;

namespace NetGen.NumericTests.Infrastructure;

/// <summary>
/// A plain, loop-by-loop double-precision forward pass straight from API.md's maths table: the tests'
/// own answer for any architecture, to hold generated outputs against.
/// </summary>
public static class Oracle
{
    /// <summary>Outputs of <paramref name="spec"/> for a sample-major batch.</summary>
    public static double[] Forward(Spec spec, ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, int batch)
    {
        var outputs = new double[batch * spec.OutputSize];
        for (int b = 0; b < batch; b++)
        {
            double[] x = inputs.Slice(b * spec.InputSize, spec.InputSize).ToArray();
            int linear = 0;
            foreach (var layer in spec.Layers)
            {
                switch (layer.Kind)
                {
                    case "Linear":
                        var slot = spec.Linears[linear++];
                        var y = new double[slot.Outputs];
                        for (int o = 0; o < slot.Outputs; o++)
                        {
                            double sum = parameters[slot.BiasOffset + o];
                            for (int i = 0; i < slot.Inputs; i++)
                            {
                                sum += parameters[slot.Weight(o, i)] * x[i];
                            }
                            y[o] = sum;
                        }
                        x = y;
                        break;
                    case "ReLU":
                        for (int i = 0; i < x.Length; i++)
                        {
                            x[i] = Math.Max(x[i], 0.0);
                        }
                        break;
                    case "Softmax":
                        double max = double.NegativeInfinity;
                        foreach (double v in x)
                        {
                            max = Math.Max(max, v);
                        }
                        double total = 0;
                        for (int i = 0; i < x.Length; i++)
                        {
                            x[i] = Math.Exp(x[i] - max);
                            total += x[i];
                        }
                        for (int i = 0; i < x.Length; i++)
                        {
                            x[i] /= total;
                        }
                        break;
                    case "Tanh":
                        for (int i = 0; i < x.Length; i++)
                        {
                            x[i] = Math.Tanh(x[i]);
                        }
                        break;
                    case "Sigmoid":
                        for (int i = 0; i < x.Length; i++)
                        {
                            x[i] = 1.0 / (1.0 + Math.Exp(-x[i]));
                        }
                        break;
                    case "LeakyReLU":
                        for (int i = 0; i < x.Length; i++)
                        {
                            x[i] = x[i] >= 0 ? x[i] : layer.Slope * x[i];
                        }
                        break;
                    case "SiLU":
                        for (int i = 0; i < x.Length; i++)
                        {
                            x[i] = x[i] / (1.0 + Math.Exp(-x[i]));
                        }
                        break;
                    case "CrossEntropyLoss":
                    case "MSELoss":
                        break;
                    default:
                        throw new InvalidOperationException($"The oracle has no layer '{layer.Kind}'.");
                }
            }
            x.CopyTo(outputs, b * spec.OutputSize);
        }
        return outputs;
    }

    /// <summary>Mean cross-entropy <c>-(1/N) sum_b log y_b[t_b]</c> of softmax outputs.</summary>
    public static double MeanCrossEntropy(ReadOnlySpan<double> outputs, ReadOnlySpan<int> labels, int outputSize)
    {
        double sum = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            sum -= Math.Log(outputs[b * outputSize + labels[b]]);
        }
        return sum / labels.Length;
    }

    /// <summary>PyTorch's mse_loss, reduction "mean": the mean of (y - t)^2 over every value of the batch.</summary>
    public static double MeanSquaredError(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets)
    {
        double sum = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            double d = outputs[i] - targets[i];
            sum += d * d;
        }
        return sum / outputs.Length;
    }

    /// <summary><c>sum over b, j of outputGradients[b, j] * outputs[b, j]</c>.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /// <summary>The index of the largest value; the first on a tie.</summary>
    public static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
