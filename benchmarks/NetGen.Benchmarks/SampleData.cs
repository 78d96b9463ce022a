using System;

namespace NetGen.Benchmarks;

/// <summary>
/// Deterministic parameters, inputs and labels, so that every implementation starts from the same
/// numbers and every run times the same work.
/// </summary>
public static class SampleData
{
    /// <summary>The seed of the benchmarks' parameters.</summary>
    public const int ParameterSeed = 42;

    /// <summary>
    /// Parameters in NetGen's layout (per Linear layer: weights row-major [outputs, inputs], then bias),
    /// initialised as PyTorch's nn.Linear does, with NetGen's own random source. Every implementation
    /// copies these in explicitly rather than trusting that two initialisers agree.
    /// </summary>
    public static float[] Parameters(NetworkShape shape, int seed = ParameterSeed)
    {
        var parameters = new float[shape.ParameterCount];
        ulong state = ParameterRandom.Seed(seed);
        int offset = 0;
        for (int layer = 0; layer < shape.LinearLayerCount; layer++)
        {
            int inputs = shape.Widths[layer];
            int outputs = shape.Widths[layer + 1];
            int length = outputs * inputs + outputs;
            ParameterRandom.InitializeLinear(parameters.AsSpan(offset, length), inputs, ref state);
            offset += length;
        }

        return parameters;
    }

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
