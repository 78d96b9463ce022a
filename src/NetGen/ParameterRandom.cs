using System;

namespace NetGen;

/// <summary>
/// The project's own random source for parameter initialisation: SplitMix64, computed in integers and
/// doubles only, so that a seed gives the same parameters on every runtime, operating system and
/// vector width. Generated <c>InitializeParameters</c> methods call it.
/// </summary>
public static class ParameterRandom
{
    /// <summary>The generator state for <paramref name="seed"/>.</summary>
    public static ulong Seed(int seed) => unchecked((ulong)(long)seed ^ 0x5DEECE66DUL);

    /// <summary>
    /// The state of a network's dropout generator for <paramref name="seed"/>: a stream of its own, apart
    /// from the parameters' (the same seed's parameter state with its bits flipped by a fixed constant).
    /// </summary>
    public static ulong DropoutSeed(int seed) => Seed(seed) ^ 0xD1B54A32D192ED03UL;

    /// <summary>The next 64 random bits (SplitMix64).</summary>
    public static ulong NextBits(ref ulong state)
    {
        unchecked
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A double uniform in the open interval (0, 1): 53 random bits, centred in their bucket.</summary>
    public static double NextOpenUnit(ref ulong state) => ((NextBits(ref state) >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Fills <paramref name="destination"/> uniformly from the open interval (-bound, bound).</summary>
    public static void FillUniform(Span<float> destination, double bound, ref ulong state)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)((2.0 * NextOpenUnit(ref state) - 1.0) * bound);
        }
    }

    /// <summary>Fills <paramref name="destination"/> uniformly from the open interval (-bound, bound).</summary>
    public static void FillUniform(Span<double> destination, double bound, ref ulong state)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (2.0 * NextOpenUnit(ref state) - 1.0) * bound;
        }
    }

    /// <summary>
    /// Initialises one Linear layer as PyTorch's <c>nn.Linear</c> does by default: weights, then bias,
    /// uniform in (-1/sqrt(inputs), 1/sqrt(inputs)).
    /// </summary>
    public static void InitializeLinear(Span<float> weightsThenBias, int inputs, ref ulong state)
        => FillUniform(weightsThenBias, 1.0 / Math.Sqrt(inputs), ref state);

    /// <inheritdoc cref="InitializeLinear(Span{float}, int, ref ulong)"/>
    public static void InitializeLinear(Span<double> weightsThenBias, int inputs, ref ulong state)
        => FillUniform(weightsThenBias, 1.0 / Math.Sqrt(inputs), ref state);
}
