using System;
using System.Runtime.InteropServices;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>
/// <c>[Linear(inputs, classes)] [Softmax] [CrossEntropyLoss]</c> written by hand, plainly, in double
/// whatever <typeparamref name="T"/> is: the network the runtime tests train, save and load until the
/// generator exists, and afterwards an independent check of it. It keeps the generated networks'
/// contract (API.md): the parameter layout, argument checks, overwriting (never accumulating)
/// gradients, no half-applied TrainStep, and no allocation once it has seen its largest batch.
/// </summary>
public sealed class SoftmaxRegression<T> : IClassifier<T> where T : unmanaged
{
    public SoftmaxRegression(int inputs, int classes, int seed = 0)
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs));
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes));
        InputSize = inputs;
        OutputSize = classes;
        ParameterCount = inputs * classes + classes;
        Parameters = new T[ParameterCount];
        Gradients = new T[ParameterCount];
        InitializeParameters(seed);
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public int ParameterCount { get; }
    public T[] Parameters { get; }

    public T[] Buffers { get; } = Array.Empty<T>();
    public T[] Gradients { get; }

    public void Prepare() { }   // written by hand: no kernels to compile ahead
    public string Architecture
        => $"{(typeof(T) == typeof(float) ? "float" : "double")}: Linear({InputSize},{OutputSize}) Softmax CrossEntropyLoss";

    /// <summary>PyTorch's nn.Linear default initialisation, from the project's own generator.</summary>
    public void InitializeParameters(int seed)
    {
        ulong state = ParameterRandom.Seed(seed);
        if (typeof(T) == typeof(float)) ParameterRandom.InitializeUniformFanIn(MemoryMarshal.Cast<T, float>(Parameters.AsSpan()), InputSize, ref state);
        else ParameterRandom.InitializeUniformFanIn(MemoryMarshal.Cast<T, double>(Parameters.AsSpan()), InputSize, ref state);
    }

    private double Weight(int output, int input) => Scalar.ToDouble(Parameters[output * InputSize + input]);
    private double Bias(int output) => Scalar.ToDouble(Parameters[InputSize * OutputSize + output]);

    /// <summary>Writes sample's softmax into <paramref name="probabilities"/> and returns log(sum exp(z)) of its logits z.</summary>
    private double Softmax(ReadOnlySpan<T> sample, Span<double> probabilities)
    {
        double max = double.NegativeInfinity;
        for (int o = 0; o < OutputSize; o++)
        {
            double z = Bias(o);
            for (int i = 0; i < InputSize; i++) z += Weight(o, i) * Scalar.ToDouble(sample[i]);
            probabilities[o] = z;
            max = Math.Max(max, z);
        }

        double sum = 0;
        for (int o = 0; o < OutputSize; o++) sum += Math.Exp(probabilities[o] - max);
        double logSumExp = max + Math.Log(sum);
        for (int o = 0; o < OutputSize; o++) probabilities[o] = Math.Exp(probabilities[o] - logSumExp);
        return logSumExp;
    }

    public void Forward(ReadOnlySpan<T> input, Span<T> output) => Forward(input, output, 1);

    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        CheckLength(inputs.Length, batchSize * InputSize, nameof(inputs));
        CheckLength(outputs.Length, batchSize * OutputSize, nameof(outputs));
        Span<double> probabilities = stackalloc double[OutputSize];
        for (int b = 0; b < batchSize; b++)
        {
            Softmax(inputs.Slice(b * InputSize, InputSize), probabilities);
            for (int o = 0; o < OutputSize; o++) outputs[b * OutputSize + o] = Scalar.FromDouble<T>(probabilities[o]);
        }
    }

    public int Predict(ReadOnlySpan<T> input)
    {
        CheckLength(input.Length, InputSize, nameof(input));
        Span<double> probabilities = stackalloc double[OutputSize];
        Softmax(input, probabilities);
        int best = 0;
        for (int o = 1; o < OutputSize; o++) if (probabilities[o] > probabilities[best]) best = o;
        return best;
    }

    public T Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels)
    {
        int batch = CheckBatch(inputs, labels);
        Span<double> probabilities = stackalloc double[OutputSize];
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> x = inputs.Slice(b * InputSize, InputSize);
            double logSumExp = Softmax(x, probabilities);
            total += logSumExp - Logit(x, labels[b]);
        }

        return Scalar.FromDouble<T>(total / batch);
    }

    private double Logit(ReadOnlySpan<T> sample, int output)
    {
        double z = Bias(output);
        for (int i = 0; i < InputSize; i++) z += Weight(output, i) * Scalar.ToDouble(sample[i]);
        return z;
    }

    /// <summary>Softmax + cross-entropy fused: dL/dz = (y - onehot(t)) / N.</summary>
    public T Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels)
    {
        int batch = CheckBatch(inputs, labels);
        Span<double> delta = stackalloc double[OutputSize];
        double total = 0;
        Array.Clear(Gradients, 0, Gradients.Length);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> x = inputs.Slice(b * InputSize, InputSize);
            double logSumExp = Softmax(x, delta);
            total += logSumExp - Logit(x, labels[b]);
            delta[labels[b]] -= 1;
            for (int o = 0; o < OutputSize; o++) delta[o] /= batch;
            Accumulate(x, delta);
        }

        return Scalar.FromDouble<T>(total / batch);
    }

    /// <summary>Softmax's own backward: dz_i = y_i (delta_i - sum_k delta_k y_k).</summary>
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients)
    {
        if (outputGradients.Length == 0 || outputGradients.Length % OutputSize != 0)
            throw new ArgumentException($"Expected a positive multiple of {OutputSize} values.", nameof(outputGradients));
        int batch = outputGradients.Length / OutputSize;
        CheckLength(inputs.Length, batch * InputSize, nameof(inputs));
        Span<double> y = stackalloc double[OutputSize];
        Span<double> dz = stackalloc double[OutputSize];
        Array.Clear(Gradients, 0, Gradients.Length);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> x = inputs.Slice(b * InputSize, InputSize);
            Softmax(x, y);
            double dot = 0;
            for (int k = 0; k < OutputSize; k++) dot += Scalar.ToDouble(outputGradients[b * OutputSize + k]) * y[k];
            for (int i = 0; i < OutputSize; i++) dz[i] = y[i] * (Scalar.ToDouble(outputGradients[b * OutputSize + i]) - dot);
            Accumulate(x, dz);
        }
    }

    /// <summary>As the two-argument Backward, and dx = W^T dz per sample into <paramref name="inputGradients"/>.</summary>
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
    {
        CheckLength(inputGradients.Length, inputs.Length, nameof(inputGradients));
        Backward(inputs, outputGradients);
        int batch = outputGradients.Length / OutputSize;
        Span<double> y = stackalloc double[OutputSize];
        for (int b = 0; b < batch; b++)
        {
            Softmax(inputs.Slice(b * InputSize, InputSize), y);
            double dot = 0;
            for (int k = 0; k < OutputSize; k++) dot += Scalar.ToDouble(outputGradients[b * OutputSize + k]) * y[k];
            for (int i = 0; i < InputSize; i++)
            {
                double sum = 0;
                for (int o = 0; o < OutputSize; o++)
                {
                    double dz = y[o] * (Scalar.ToDouble(outputGradients[b * OutputSize + o]) - dot);
                    sum += Scalar.ToDouble(Parameters[o * InputSize + i]) * dz;
                }
                inputGradients[b * InputSize + i] = Scalar.FromDouble<T>(sum);
            }
        }
    }

    /// <summary>dW += dz x^T, db += dz.</summary>
    private void Accumulate(ReadOnlySpan<T> x, ReadOnlySpan<double> dz)
    {
        for (int o = 0; o < OutputSize; o++)
        {
            for (int i = 0; i < InputSize; i++)
            {
                int w = o * InputSize + i;
                Gradients[w] = Scalar.FromDouble<T>(Scalar.ToDouble(Gradients[w]) + dz[o] * Scalar.ToDouble(x[i]));
            }

            int bias = InputSize * OutputSize + o;
            Gradients[bias] = Scalar.FromDouble<T>(Scalar.ToDouble(Gradients[bias]) + dz[o]);
        }
    }

    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, T learningRate)
    {
        T loss = Backward(inputs, labels);
        if (!Portable.IsFinite(Scalar.ToDouble(loss))) return loss;
        foreach (T g in Gradients) if (!Portable.IsFinite(Scalar.ToDouble(g))) return loss;
        double rate = Scalar.ToDouble(learningRate);
        for (int p = 0; p < ParameterCount; p++)
            Parameters[p] = Scalar.FromDouble<T>(Scalar.ToDouble(Parameters[p]) - rate * Scalar.ToDouble(Gradients[p]));
        return loss;
    }

    private int CheckBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels)
    {
        if (labels.Length < 1) throw new ArgumentOutOfRangeException(nameof(labels), "The batch needs at least one sample.");
        CheckLength(inputs.Length, labels.Length * InputSize, nameof(inputs));
        foreach (int label in labels)
            if ((uint)label >= (uint)OutputSize) throw new ArgumentOutOfRangeException(nameof(labels), label, $"Labels must be in [0, {OutputSize}).");
        return labels.Length;
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"Expected {expected} values, got {actual}.", name);
    }
}
