using System;
using System.Runtime.InteropServices;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>
/// <c>[Linear(inputs, outputs)] [MSELoss]</c> written by hand, plainly, in double whatever
/// <typeparamref name="T"/> is: the regressor the trainer's tests train while the generated MSE kernels
/// are written elsewhere. It keeps the contract of API.md for a regressor: the parameter layout,
/// <c>L = (1 / (N * OutputSize)) * sum over b, j of (y[b, j] - t[b, j])^2</c>, argument checks that name the
/// span, overwritten (never accumulated) gradients, no update from a non-finite loss or gradient, the
/// library's rule for learning rates, and no allocation.
/// </summary>
public sealed class LinearRegression<T> : IRegressor<T> where T : unmanaged
{
    public LinearRegression(int inputs, int outputs, int seed = 0)
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs));
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs));
        InputSize = inputs;
        OutputSize = outputs;
        ParameterCount = inputs * outputs + outputs;
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
        => $"{(typeof(T) == typeof(float) ? "float" : "double")}: Linear({InputSize},{OutputSize}) MSELoss";

    /// <summary>PyTorch's nn.Linear default initialisation, from the project's own generator.</summary>
    public void InitializeParameters(int seed)
    {
        ulong state = ParameterRandom.Seed(seed);
        if (typeof(T) == typeof(float)) ParameterRandom.InitializeUniformFanIn(MemoryMarshal.Cast<T, float>(Parameters.AsSpan()), InputSize, ref state);
        else ParameterRandom.InitializeUniformFanIn(MemoryMarshal.Cast<T, double>(Parameters.AsSpan()), InputSize, ref state);
    }

    private double Weight(int output, int input) => Scalar.ToDouble(Parameters[output * InputSize + input]);
    private double Bias(int output) => Scalar.ToDouble(Parameters[InputSize * OutputSize + output]);

    /// <summary>y = W x + b for one sample's output <paramref name="output"/>.</summary>
    private double Output(ReadOnlySpan<T> sample, int output)
    {
        double y = Bias(output);
        for (int i = 0; i < InputSize; i++) y += Weight(output, i) * Scalar.ToDouble(sample[i]);
        return y;
    }

    public void Forward(ReadOnlySpan<T> input, Span<T> output) => Forward(input, output, 1);

    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        CheckLength(inputs.Length, batchSize * InputSize, nameof(inputs));
        CheckLength(outputs.Length, batchSize * OutputSize, nameof(outputs));
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<T> x = inputs.Slice(b * InputSize, InputSize);
            for (int o = 0; o < OutputSize; o++) outputs[b * OutputSize + o] = Scalar.FromDouble<T>(Output(x, o));
        }
    }

    public T Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
    {
        int batch = CheckBatch(inputs, targets);
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> x = inputs.Slice(b * InputSize, InputSize);
            for (int o = 0; o < OutputSize; o++)
            {
                double error = Output(x, o) - Scalar.ToDouble(targets[b * OutputSize + o]);
                total += error * error;
            }
        }

        return Scalar.FromDouble<T>(total / (batch * OutputSize));
    }

    /// <summary>dL/dy[b, j] = 2 (y[b, j] - t[b, j]) / (N * OutputSize), then Linear's backward.</summary>
    public T BackwardFromTargets(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
    {
        int batch = CheckBatch(inputs, targets);
        Span<double> dy = stackalloc double[OutputSize];
        double total = 0;
        Array.Clear(Gradients, 0, Gradients.Length);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> x = inputs.Slice(b * InputSize, InputSize);
            for (int o = 0; o < OutputSize; o++)
            {
                double error = Output(x, o) - Scalar.ToDouble(targets[b * OutputSize + o]);
                total += error * error;
                dy[o] = 2 * error / (batch * OutputSize);
            }

            Accumulate(x, dy);
        }

        return Scalar.FromDouble<T>(total / (batch * OutputSize));
    }

    /// <summary>The Linear layer's backward from output gradients: dW = sum of delta x^T, db = sum of delta.</summary>
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients)
    {
        if (outputGradients.Length == 0 || outputGradients.Length % OutputSize != 0)
            throw new ArgumentException($"Expected a positive multiple of {OutputSize} values.", nameof(outputGradients));
        int batch = outputGradients.Length / OutputSize;
        CheckLength(inputs.Length, batch * InputSize, nameof(inputs));
        Span<double> dy = stackalloc double[OutputSize];
        Array.Clear(Gradients, 0, Gradients.Length);
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < OutputSize; o++) dy[o] = Scalar.ToDouble(outputGradients[b * OutputSize + o]);
            Accumulate(inputs.Slice(b * InputSize, InputSize), dy);
        }
    }

    /// <summary>As the two-argument Backward, and dx = W^T delta per sample into <paramref name="inputGradients"/>.</summary>
    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients)
    {
        CheckLength(inputGradients.Length, inputs.Length, nameof(inputGradients));
        Backward(inputs, outputGradients);
        int batch = outputGradients.Length / OutputSize;
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < InputSize; i++)
            {
                double sum = 0;
                for (int o = 0; o < OutputSize; o++) sum += Weight(o, i) * Scalar.ToDouble(outputGradients[b * OutputSize + o]);
                inputGradients[b * InputSize + i] = Scalar.FromDouble<T>(sum);
            }
        }
    }

    private void Accumulate(ReadOnlySpan<T> x, ReadOnlySpan<double> dy)
    {
        for (int o = 0; o < OutputSize; o++)
        {
            for (int i = 0; i < InputSize; i++)
            {
                int w = o * InputSize + i;
                Gradients[w] = Scalar.FromDouble<T>(Scalar.ToDouble(Gradients[w]) + dy[o] * Scalar.ToDouble(x[i]));
            }

            int bias = InputSize * OutputSize + o;
            Gradients[bias] = Scalar.FromDouble<T>(Scalar.ToDouble(Gradients[bias]) + dy[o]);
        }
    }

    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate)
    {
        double rate = Scalar.ToDouble(learningRate);
        if (!Portable.IsFinite(rate)) throw Runtime.ArgumentErrors.NonFiniteLearningRate(nameof(learningRate), rate);
        if (rate < 0) throw Runtime.ArgumentErrors.NegativeLearningRate(nameof(learningRate), rate);
        T loss = BackwardFromTargets(inputs, targets);
        if (!Portable.IsFinite(Scalar.ToDouble(loss))) return loss;
        foreach (T g in Gradients) if (!Portable.IsFinite(Scalar.ToDouble(g))) return loss;
        for (int p = 0; p < ParameterCount; p++)
            Parameters[p] = Scalar.FromDouble<T>(Scalar.ToDouble(Parameters[p]) - rate * Scalar.ToDouble(Gradients[p]));
        return loss;
    }

    private int CheckBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
    {
        if (targets.Length == 0) throw new ArgumentOutOfRangeException(nameof(targets), "The batch needs at least one sample.");
        if (targets.Length % OutputSize != 0)
            throw new ArgumentException($"Expected a multiple of {OutputSize} values, got {targets.Length}.", nameof(targets));
        int batch = targets.Length / OutputSize;
        CheckLength(inputs.Length, batch * InputSize, nameof(inputs));
        return batch;
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"Expected {expected} values, got {actual}.", name);
    }
}
