using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using NetGen;

namespace NetGen.Interop.Tests.Networks;

/// <summary>
/// A network of any architecture text, computed plainly in double: it stands in for generated networks
/// of layer kinds the generator does not have yet (Tanh, Sigmoid, LeakyReLU, SiLU), so that the weight
/// loaders and the ONNX exporter can be checked on them. Inference only: Backward is not needed here.
/// </summary>
public sealed class ReferenceMlp<T> : INetwork<T> where T : unmanaged
{
    private readonly NetworkArchitecture _architecture;

    public ReferenceMlp(string architecture, int seed = 0)
    {
        _architecture = NetworkArchitecture.Parse(architecture);
        string expected = typeof(T) == typeof(float) ? "float" : "double";
        if (_architecture.ElementType != expected) throw new ArgumentException($"{architecture} is not {expected}.", nameof(architecture));
        Architecture = architecture;
        Parameters = new T[_architecture.ParameterCount];
        Gradients = new T[_architecture.ParameterCount];
        var random = new Random(seed);
        foreach (NetworkLayer layer in _architecture.LinearLayers)
        {
            double bound = 1 / Math.Sqrt(layer.Inputs);
            for (int i = 0; i < layer.ParameterCount; i++) Parameters[layer.ParameterOffset + i] = FromDouble((2 * random.NextDouble() - 1) * bound);
        }
    }

    public int InputSize => _architecture.InputSize;

    public int OutputSize => _architecture.OutputSize;

    public int ParameterCount => _architecture.ParameterCount;

    public T[] Parameters { get; }

    public T[] Buffers { get; } = Array.Empty<T>();

    public T[] Gradients { get; }

    public void Prepare() { }   // written by hand: no kernels to compile ahead
    public string Architecture { get; }

    public void Forward(ReadOnlySpan<T> input, Span<T> output) => Forward(input, output, 1);

    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize) => Run(inputs, outputs, batchSize, _architecture.Layers.Count);

    /// <summary>The values after the first <paramref name="layerCount"/> layers (a classifier's logits: all but its Softmax and loss).</summary>
    public double[] Run(ReadOnlySpan<T> inputs, int batchSize, int layerCount)
    {
        int width = WidthAfter(layerCount);
        var result = new T[batchSize * width];
        Run(inputs, result, batchSize, layerCount);
        return Array.ConvertAll(result, ToDouble);
    }

    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients) => throw new NotSupportedException("ReferenceMlp computes inference only.");

    public void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients) => throw new NotSupportedException("ReferenceMlp computes inference only.");

    private int WidthAfter(int layerCount) => layerCount == 0 ? InputSize : _architecture.Layers[layerCount - 1].Outputs;

    private void Run(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize, int layerCount)
    {
        if (inputs.Length != batchSize * InputSize) throw new ArgumentException("wrong input length", nameof(inputs));
        int width = WidthAfter(layerCount);
        if (outputs.Length != batchSize * width) throw new ArgumentException("wrong output length", nameof(outputs));
        for (int b = 0; b < batchSize; b++)
        {
            double[] x = new double[InputSize];
            for (int i = 0; i < InputSize; i++) x[i] = ToDouble(inputs[b * InputSize + i]);
            for (int l = 0; l < layerCount; l++) x = Apply(_architecture.Layers[l], x);
            for (int j = 0; j < width; j++) outputs[b * width + j] = FromDouble(x[j]);
        }
    }

    private double[] Apply(NetworkLayer layer, double[] x)
    {
        switch (layer.Kind)
        {
            case "Linear":
                var y = new double[layer.Outputs];
                for (int o = 0; o < layer.Outputs; o++)
                {
                    double sum = ToDouble(Parameters[layer.BiasOffset + o]);
                    for (int i = 0; i < layer.Inputs; i++) sum += ToDouble(Parameters[layer.ParameterOffset + o * layer.Inputs + i]) * x[i];
                    y[o] = sum;
                }

                return y;
            case "ReLU": return Array.ConvertAll(x, v => Math.Max(v, 0));
            case "Tanh": return Array.ConvertAll(x, Math.Tanh);
            case "Sigmoid": return Array.ConvertAll(x, Sigmoid);
            case "SiLU": return Array.ConvertAll(x, v => v * Sigmoid(v));
            case "LeakyReLU":
                double slope = layer.Arguments.Count == 0 ? 0.01 : double.Parse(layer.Arguments[0], CultureInfo.InvariantCulture);
                return Array.ConvertAll(x, v => v >= 0 ? v : slope * v);
            case "Softmax":
                double max = double.NegativeInfinity;
                foreach (double v in x) max = Math.Max(max, v);
                var e = Array.ConvertAll(x, v => Math.Exp(v - max));
                double total = 0;
                foreach (double v in e) total += v;
                return Array.ConvertAll(e, v => v / total);
            default:
                if (layer.IsLoss) return x;
                throw new NotSupportedException(layer.Kind);
        }
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    // Through Unsafe.As rather than MemoryMarshal.CreateSpan, which .NET Framework (the Runtime tests'
    // net472 build, run on Mono) lacks: the same reinterpretation of one value.
    private static double ToDouble(T value)
        => typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : Unsafe.As<T, double>(ref value);

    private static T FromDouble(double value)
    {
        if (typeof(T) == typeof(float))
        {
            float single = (float)value;
            return Unsafe.As<float, T>(ref single);
        }
        return Unsafe.As<double, T>(ref value);
    }
}
