using System;
using NetGen.Benchmarks.Onnx;

namespace NetGen.Benchmarks;

/// <summary>
/// Deterministic parameters, inputs and labels, so that every implementation starts from the same
/// numbers and every run times the same work.
/// </summary>
public static class SampleData
{
    /// <summary>
    /// The parameters every implementation computes with: the ONNX model's own (random, PyTorch-initialised)
    /// weights, in NetGen's layout (per Linear layer: weights row-major [outputs, inputs], then bias).
    /// Taking them from the model puts ONNX Runtime on exactly the same numbers as the others, so the
    /// self-check can compare all outputs.
    /// </summary>
    public static float[] Parameters(NetworkShape shape) => OnnxLinearWeights.Read(shape.OnnxModelPath, shape);

    /// <summary>A sample-major batch of features uniform in [0, 1), like normalised pixels.</summary>
    public static float[] Inputs(NetworkShape shape, int batchSize, int seed = 7)
    {
        var random = new Random(seed);
        var inputs = new float[batchSize * shape.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        return inputs;
    }

    /// <summary>One class label per sample, uniform over the outputs.</summary>
    public static int[] Labels(NetworkShape shape, int batchSize, int seed = 11)
    {
        var random = new Random(seed);
        var labels = new int[batchSize];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(shape.OutputSize);
        }

        return labels;
    }
}
