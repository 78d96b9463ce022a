using System;

namespace NetGen;

/// <summary>The checks of the data given to <c>Fit</c>, each naming the argument that is wrong.</summary>
internal static class TrainingData
{
    /// <summary>
    /// The number of samples in <paramref name="features"/>, after checking that it is a whole, non-empty number of
    /// samples of <paramref name="inputSize"/> values.
    /// </summary>
    public static int CountSamples<T>(ReadOnlySpan<T> features, int inputSize, string featuresName) where T : unmanaged
    {
        if (features.Length % inputSize != 0)
        {
            throw new ArgumentException(
                $"Expected a multiple of InputSize = {inputSize} values (the features of one sample after another), but there are {features.Length}.", featuresName);
        }

        return features.Length / inputSize;
    }

    /// <summary>The number of labelled samples, after checking that there is one label per sample and each is a class.</summary>
    public static int CheckLabels<T>(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, int inputSize, int classes, string featuresName, string labelsName)
        where T : unmanaged
    {
        if (labels.Length == 0) throw new ArgumentException("There are no samples: the labels are empty.", labelsName);
        int samples = CountSamples(features, inputSize, featuresName);
        if (samples != labels.Length)
        {
            // The features are a whole number of samples: it is the count of labels that disagrees with them.
            throw new ArgumentException(
                $"There must be one label per sample: {featuresName} holds {samples} samples of {inputSize} values, but {labelsName} holds {labels.Length} labels.", labelsName);
        }

        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(labelsName, label, $"Labels must be in [0, {classes}).");
            }
        }

        return samples;
    }

    /// <summary>
    /// The number of samples with targets, after checking that the targets are a whole, non-empty number of rows of
    /// <paramref name="outputSize"/> values, one row per sample. Non-finite targets pass: the policy for non-finite
    /// losses deals with them, batch by batch, as with non-finite features.
    /// </summary>
    public static int CheckTargets<T>(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int inputSize, int outputSize, string featuresName, string targetsName)
        where T : unmanaged
    {
        if (targets.Length == 0) throw new ArgumentException("There are no samples: the targets are empty.", targetsName);
        if (targets.Length % outputSize != 0)
        {
            throw new ArgumentException(
                $"Expected a multiple of OutputSize = {outputSize} values (one row of targets per sample), but there are {targets.Length}.", targetsName);
        }

        int samples = CountSamples(features, inputSize, featuresName);
        int rows = targets.Length / outputSize;
        if (samples != rows)
        {
            throw new ArgumentException(
                $"There must be one row of targets per sample: {featuresName} holds {samples} samples of {inputSize} values, but {targetsName} holds {rows} rows of {outputSize}.", targetsName);
        }

        return samples;
    }
}
