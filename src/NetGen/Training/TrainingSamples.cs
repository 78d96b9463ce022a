using System;

namespace NetGen;

/// <summary>
/// Samples picked from sample-major data by index: a training or validation set without copying the data.
/// Each sample has <c>InputSize</c> features and <c>TargetWidth</c> target values (one label, or a row of targets).
/// </summary>
internal readonly ref struct TrainingSamples<T, TTarget> where T : unmanaged where TTarget : unmanaged
{
    public TrainingSamples(ReadOnlySpan<T> features, ReadOnlySpan<TTarget> targets, int[] indices)
    {
        Features = features;
        Targets = targets;
        Indices = indices;
    }

    public ReadOnlySpan<T> Features { get; }
    public ReadOnlySpan<TTarget> Targets { get; }
    public int[] Indices { get; }
    public int Count => Indices.Length;
}

/// <summary>The seeded orders of samples: the validation split, and each epoch's shuffle.</summary>
internal static class SampleOrder
{
    /// <summary>
    /// The training and validation indices of <paramref name="samples"/> samples, split by
    /// <paramref name="validationFraction"/> from <paramref name="seed"/>, and the random state that goes on to shuffle.
    /// </summary>
    /// <exception cref="ArgumentException">No sample would be left for training; names <paramref name="featuresName"/>.</exception>
    public static (int[] Training, int[] Validation, ulong Random) Split(int samples, double validationFraction, int seed, string featuresName)
    {
        int validationCount = validationFraction == 0 ? 0 : Math.Max(1, (int)Math.Round(samples * validationFraction));
        if (validationCount >= samples)
        {
            throw new ArgumentException($"Holding out {validationCount} of {samples} samples for validation leaves none for training.", featuresName);
        }

        ulong random = ParameterRandom.Seed(seed);
        int[] order = Identity(samples);
        if (validationCount == 0) return (order, Array.Empty<int>(), random);

        Shuffle(order, ref random);
        return (order.AsSpan(validationCount).ToArray(), order.AsSpan(0, validationCount).ToArray(), random);
    }

    /// <summary>Fisher-Yates from the project's SplitMix64, so that an order depends on the seed alone, not on the runtime.</summary>
    public static void Shuffle(int[] values, ref ulong state)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            // The modulo's bias is below (i + 1) / 2^64: far beneath anything a test could see.
            int j = (int)(ParameterRandom.NextBits(ref state) % (ulong)(i + 1));
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    public static int[] Identity(int count)
    {
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = i;
        return indices;
    }
}
