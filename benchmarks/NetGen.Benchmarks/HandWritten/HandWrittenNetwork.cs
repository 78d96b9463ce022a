using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Benchmarks.HandWritten;

/// <summary>
/// The baseline: the network a C# developer writes by hand without NetGen. A runtime list of layer
/// objects called through an interface, scalar loops, and activation and gradient buffers allocated once
/// for the largest batch, so that the comparison is about code generation, not about allocation.
/// Softmax and cross-entropy form the head, fused in the backward pass as every framework does.
/// Not thread-safe: the buffers are shared by all calls.
/// </summary>
public sealed class HandWrittenNetwork
{
    private readonly List<ILayer> _layers = [];

    // _activations[k] is the input of layer k; the last one is the logits (the softmax's input).
    private readonly float[][] _activations;

    // _gradients[k] is d(loss)/d(_activations[k]); [0] (the input's gradient) is never computed.
    private readonly float[][] _gradients;

    /// <summary>The MLP of a benchmark shape: its Linear layers with ReLU between them.</summary>
    public HandWrittenNetwork(NetworkShape shape, int maxBatchSize)
        : this(MlpLayers(shape), maxBatchSize)
    {
    }

    /// <summary>The given layers in order (the last gives the logits), then the softmax and cross-entropy head.</summary>
    public HandWrittenNetwork(IEnumerable<ILayer> layers, int maxBatchSize)
    {
        _layers.AddRange(layers);
        MaxBatchSize = maxBatchSize;
        OutputSize = _layers[^1].OutputSize;
        ParameterCount = ParameterLayers().Sum(l => l.Weights.Length + l.Bias.Length);
        _activations = new float[_layers.Count + 1][];
        _gradients = new float[_layers.Count + 1][];
        for (int k = 0; k <= _layers.Count; k++)
        {
            int width = k < _layers.Count ? _layers[k].InputSize : OutputSize;
            _activations[k] = new float[maxBatchSize * width];
            _gradients[k] = k == 0 ? [] : new float[maxBatchSize * width];
        }
    }

    /// <summary>Values per output sample (the logits' and the probabilities' width).</summary>
    public int OutputSize { get; }

    /// <summary>Every layer's weights and bias, as NetGen counts them.</summary>
    public int ParameterCount { get; }

    public int MaxBatchSize { get; }

    public IReadOnlyList<ILayer> Layers => _layers;

    /// <summary>Copies parameters in NetGen's layout (per layer with parameters: weights, then bias) into the layers.</summary>
    public void LoadParameters(ReadOnlySpan<float> parameters)
    {
        int offset = 0;
        foreach (IParameterLayer dense in ParameterLayers())
        {
            parameters.Slice(offset, dense.Weights.Length).CopyTo(dense.Weights);
            offset += dense.Weights.Length;
            parameters.Slice(offset, dense.Bias.Length).CopyTo(dense.Bias);
            offset += dense.Bias.Length;
        }
    }

    /// <summary>The parameters in NetGen's layout.</summary>
    public float[] GetParameters() => Flatten(d => d.Weights, d => d.Bias);

    /// <summary>The gradients of the last <see cref="Backward"/>, in NetGen's layout.</summary>
    public float[] GetGradients() => Flatten(d => d.WeightGradients, d => d.BiasGradients);

    /// <summary>Softmax probabilities for a sample-major batch.</summary>
    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize)
    {
        float[] logits = RunLayers(inputs, batchSize);
        for (int b = 0; b < batchSize; b++)
        {
            Softmax(logits.AsSpan(b * OutputSize, OutputSize), outputs.Slice(b * OutputSize, OutputSize));
        }
    }

    /// <summary>The mean cross-entropy over the batch (batch size = labels.Length).</summary>
    public float Loss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        float[] logits = RunLayers(inputs, labels.Length);
        double total = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            ReadOnlySpan<float> z = logits.AsSpan(b * OutputSize, OutputSize);
            total += LogSumExp(z) - z[labels[b]];
        }

        return (float)(total / labels.Length);
    }

    /// <summary>Sets every layer's gradients to d(mean loss)/d(parameters); returns the loss.</summary>
    public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int batchSize = labels.Length;
        int outputs = OutputSize;
        float[] logits = RunLayers(inputs, batchSize);

        // Softmax followed by cross-entropy: d(loss)/d(logits) = (softmax - onehot) / N.
        float[] logitGradient = _gradients[_layers.Count];
        float inverseBatch = 1f / batchSize;
        double total = 0;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> z = logits.AsSpan(b * outputs, outputs);
            Span<float> delta = logitGradient.AsSpan(b * outputs, outputs);
            total += LogSumExp(z) - z[labels[b]];
            Softmax(z, delta);
            delta[labels[b]] -= 1f;
            for (int o = 0; o < outputs; o++)
            {
                delta[o] *= inverseBatch;
            }
        }

        for (int k = _layers.Count - 1; k >= 0; k--)
        {
            ReadOnlySpan<float> layerInput = k == 0 ? inputs : _activations[k];
            _layers[k].Backward(layerInput, _gradients[k + 1], _gradients[k], batchSize);
        }

        return (float)(total / batchSize);
    }

    /// <summary>One SGD step on the batch; returns the loss before the step.</summary>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, float learningRate)
    {
        float loss = Backward(inputs, labels);
        foreach (ILayer layer in _layers)
        {
            layer.ApplySgd(learningRate);
        }

        return loss;
    }

    private float[] RunLayers(ReadOnlySpan<float> inputs, int batchSize)
    {
        if (batchSize < 1 || batchSize > MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Between 1 and {MaxBatchSize}.");
        }

        for (int k = 0; k < _layers.Count; k++)
        {
            ReadOnlySpan<float> layerInput = k == 0 ? inputs : _activations[k];
            _layers[k].Forward(layerInput, _activations[k + 1], batchSize);
        }

        return _activations[_layers.Count];
    }

    private static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        // Subtracting the maximum keeps exp() from overflowing; the result is unchanged.
        float max = float.NegativeInfinity;
        foreach (float z in logits)
        {
            max = MathF.Max(max, z);
        }

        float sum = 0f;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = MathF.Exp(logits[i] - max);
            sum += probabilities[i];
        }

        float inverseSum = 1f / sum;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] *= inverseSum;
        }
    }

    private static float LogSumExp(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float z in logits)
        {
            max = MathF.Max(max, z);
        }

        float sum = 0f;
        foreach (float z in logits)
        {
            sum += MathF.Exp(z - max);
        }

        return max + MathF.Log(sum);
    }

    private static IEnumerable<ILayer> MlpLayers(NetworkShape shape)
    {
        for (int l = 0; l < shape.LinearLayerCount; l++)
        {
            if (l > 0)
            {
                yield return new ReLULayer(shape.Widths[l]);
            }

            yield return new DenseLayer(shape.Widths[l], shape.Widths[l + 1]);
        }
    }

    private IEnumerable<IParameterLayer> ParameterLayers() => _layers.OfType<IParameterLayer>();

    private float[] Flatten(Func<IParameterLayer, float[]> weights, Func<IParameterLayer, float[]> bias)
    {
        var flat = new float[ParameterCount];
        int offset = 0;
        foreach (IParameterLayer dense in ParameterLayers())
        {
            weights(dense).CopyTo(flat, offset);
            offset += dense.Weights.Length;
            bias(dense).CopyTo(flat, offset);
            offset += dense.Bias.Length;
        }

        return flat;
    }
}
