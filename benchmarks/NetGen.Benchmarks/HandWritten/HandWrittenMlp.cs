using System;
using System.Collections.Generic;

namespace NetGen.Benchmarks.HandWritten;

/// <summary>
/// The baseline: the MLP a C# developer writes by hand without NetGen. A runtime list of layer objects
/// called through an interface, scalar loops, and activation and gradient buffers allocated once for
/// the largest batch, so that the comparison is about code generation, not about allocation.
/// Softmax and cross-entropy form the head, fused in the backward pass as every framework does.
/// Not thread-safe: the buffers are shared by all calls.
/// </summary>
public sealed class HandWrittenMlp
{
    private readonly List<ILayer> _layers = [];

    // _activations[k] is the input of layer k; the last one is the logits (the softmax's input).
    private readonly float[][] _activations;

    // _gradients[k] is d(loss)/d(_activations[k]); [0] (the input's gradient) is never computed.
    private readonly float[][] _gradients;

    public HandWrittenMlp(NetworkShape shape, int maxBatchSize)
    {
        Shape = shape;
        MaxBatchSize = maxBatchSize;
        for (int l = 0; l < shape.LinearLayerCount; l++)
        {
            if (l > 0)
            {
                _layers.Add(new ReLULayer(shape.Widths[l]));
            }

            _layers.Add(new DenseLayer(shape.Widths[l], shape.Widths[l + 1]));
        }

        _activations = new float[_layers.Count + 1][];
        _gradients = new float[_layers.Count + 1][];
        for (int k = 0; k <= _layers.Count; k++)
        {
            int width = k < _layers.Count ? _layers[k].InputSize : shape.OutputSize;
            _activations[k] = new float[maxBatchSize * width];
            _gradients[k] = k == 0 ? [] : new float[maxBatchSize * width];
        }
    }

    public NetworkShape Shape { get; }

    public int MaxBatchSize { get; }

    public IReadOnlyList<ILayer> Layers => _layers;

    /// <summary>Copies parameters in NetGen's layout (per Linear layer: weights, then bias) into the layers.</summary>
    public void LoadParameters(ReadOnlySpan<float> parameters)
    {
        int offset = 0;
        foreach (DenseLayer dense in DenseLayers())
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
            Softmax(logits.AsSpan(b * Shape.OutputSize, Shape.OutputSize), outputs.Slice(b * Shape.OutputSize, Shape.OutputSize));
        }
    }

    /// <summary>The mean cross-entropy over the batch (batch size = labels.Length).</summary>
    public float Loss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        float[] logits = RunLayers(inputs, labels.Length);
        double total = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            ReadOnlySpan<float> z = logits.AsSpan(b * Shape.OutputSize, Shape.OutputSize);
            total += LogSumExp(z) - z[labels[b]];
        }

        return (float)(total / labels.Length);
    }

    /// <summary>Sets every layer's gradients to d(mean loss)/d(parameters); returns the loss.</summary>
    public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int batchSize = labels.Length;
        int outputs = Shape.OutputSize;
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

    private IEnumerable<DenseLayer> DenseLayers()
    {
        foreach (ILayer layer in _layers)
        {
            if (layer is DenseLayer dense)
            {
                yield return dense;
            }
        }
    }

    private float[] Flatten(Func<DenseLayer, float[]> weights, Func<DenseLayer, float[]> bias)
    {
        var flat = new float[Shape.ParameterCount];
        int offset = 0;
        foreach (DenseLayer dense in DenseLayers())
        {
            weights(dense).CopyTo(flat, offset);
            offset += dense.Weights.Length;
            bias(dense).CopyTo(flat, offset);
            offset += dense.Bias.Length;
        }

        return flat;
    }
}
