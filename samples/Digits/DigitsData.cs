using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Digits;

/// <summary>
/// Handwritten digits, sample-major as NetGen's batch methods want them: sample <c>s</c>'s pixels are
/// <c>Features[s * Pixels .. (s + 1) * Pixels)</c>, its digit is <c>Labels[s]</c>.
/// </summary>
internal sealed class DigitsData
{
    public const int Pixels = 64;
    public const int Classes = 10;

    // The CSV holds grey levels 0..16 (the UCI optical digits, as scikit-learn ships them).
    private const float MaximumGreyLevel = 16;

    private DigitsData(float[] features, int[] labels)
    {
        Features = features;
        Labels = labels;
    }

    public float[] Features { get; }

    public int[] Labels { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<float> Sample(int index) => Features.AsSpan(index * Pixels, Pixels);

    /// <summary>Reads lines of 64 grey levels then the digit, with no header; scales the pixels to [0, 1].</summary>
    public static DigitsData Load(string path)
    {
        var features = new List<float>();
        var labels = new List<int>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != Pixels + 1)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: expected {Pixels + 1} values, found {fields.Length}.");
            }

            for (int p = 0; p < Pixels; p++)
            {
                features.Add(float.Parse(fields[p], CultureInfo.InvariantCulture) / MaximumGreyLevel);
            }

            int label = int.Parse(fields[Pixels], CultureInfo.InvariantCulture);
            if (label is < 0 or >= Classes)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: the digit {label} is not in 0..9.");
            }

            labels.Add(label);
        }

        return new DigitsData(features.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// Holds out <paramref name="testFraction"/> of each digit, chosen from <paramref name="seed"/>, so
    /// that the test set has the classes in the same proportions as the whole.
    /// </summary>
    public (DigitsData Train, DigitsData Test) StratifiedSplit(double testFraction, int seed)
    {
        var random = new Random(seed);
        var test = new HashSet<int>();
        for (int digit = 0; digit < Classes; digit++)
        {
            int[] indices = Enumerable.Range(0, Count).Where(i => Labels[i] == digit).ToArray();
            random.Shuffle(indices);
            test.UnionWith(indices.Take((int)Math.Round(indices.Length * testFraction)));
        }

        return (Subset(i => !test.Contains(i)), Subset(test.Contains));
    }

    private DigitsData Subset(Func<int, bool> include)
    {
        int[] indices = Enumerable.Range(0, Count).Where(include).ToArray();
        float[] features = indices.SelectMany(i => Sample(i).ToArray()).ToArray();
        return new DigitsData(features, indices.Select(i => Labels[i]).ToArray());
    }
}
