using System;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The mean cross-entropy from float logits in both layouts. The feature-major loss takes its samples four at a
/// time through a vector e^x in doubles on .NET 8 and later (the sample-major one keeps the libm exp per logit):
/// both are held to a double log-sum-exp computed here, and to each other bit for bit, with logits whose
/// differences from their sample's largest run past where e^x underflows; and a NaN or an infinity among the
/// logits gives what the scalar loop gives (NaN).
/// </summary>
public class CrossEntropyKernelTests
{
    public static TheoryData<int, int, double> Shapes
    {
        get
        {
            var shapes = new TheoryData<int, int, double>();
            foreach (int count in new[] { 1, 3, 4, 5, 8, 17, 64, 67 })
            {
                foreach (int width in new[] { 1, 2, 3, 10, 37 })
                {
                    foreach (double spread in new[] { 1d, 30d, 2000d })
                    {
                        shapes.Add(count, width, spread);
                    }
                }
            }
            return shapes;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Both_layouts_give_the_log_sum_exp_loss(int count, int width, double spread)
    {
        var random = new Random((count * 7919) + (width * 31) + (int)spread);
        float[] logits = Enumerable.Range(0, count * width).Select(_ => (float)((random.NextDouble() - 0.5) * spread)).ToArray();
        int[] labels = Enumerable.Range(0, count).Select(_ => random.Next(width)).ToArray();
        float sampleMajor = FloatKernels.CrossEntropy(logits, labels, width);
        float featureMajor = FloatKernels.CrossEntropyColumns(Transpose(logits, count, width), labels, width);

        double expected = 0;
        for (int s = 0; s < count; s++)
        {
            double max = Enumerable.Range(0, width).Max(k => (double)logits[(s * width) + k]);
            double sum = Enumerable.Range(0, width).Sum(k => Math.Exp(logits[(s * width) + k] - max));
            expected += Math.Log(sum) - (logits[(s * width) + labels[s]] - max);
        }
        expected /= count;
        Assert.True(Math.Abs(featureMajor - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"feature-major loss {featureMajor}, log-sum-exp {expected}");
        Assert.Equal(Portable.Bits(sampleMajor), Portable.Bits(featureMajor));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_logit_gives_the_scalar_loops_loss(float odd)
    {
        const int count = 9, width = 4;
        var random = new Random(5);
        float[] logits = Enumerable.Range(0, count * width).Select(_ => (float)(random.NextDouble() * 4)).ToArray();
        int[] labels = Enumerable.Range(0, count).Select(s => s % width).ToArray();
        foreach (int at in new[] { 0, 6, (count * width) - 1 })
        {
            float[] copy = (float[])logits.Clone();
            copy[at] = odd;
            float sampleMajor = FloatKernels.CrossEntropy(copy, labels, width);
            float featureMajor = FloatKernels.CrossEntropyColumns(Transpose(copy, count, width), labels, width);
            Assert.Equal(float.IsNaN(sampleMajor), float.IsNaN(featureMajor));
            if (!float.IsNaN(sampleMajor))
            {
                Assert.Equal(sampleMajor, featureMajor);
            }
        }
    }

    private static float[] Transpose(float[] source, int rows, int columns)
    {
        var result = new float[source.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < columns; k++)
            {
                result[(k * rows) + r] = source[(r * columns) + k];
            }
        }
        return result;
    }
}
