using System;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The mean squared error kernels against a plain double computation of PyTorch's mse_loss (reduction
/// "mean", over all count * width values) and its gradient 2 (y - t) / (count * width), in both layouts
/// and at batch sizes on both sides of every vector width; and CheckTargets' argument errors.
/// </summary>
public class MeanSquaredErrorKernelTests
{
    public static TheoryData<int, int> Shapes
    {
        get
        {
            var shapes = new TheoryData<int, int>();
            foreach (int count in new[] { 1, 2, 3, 7, 8, 9, 16, 17, 33, 64, 100 })
            {
                foreach (int width in new[] { 1, 2, 3, 5, 10 })
                {
                    shapes.Add(count, width);
                }
            }
            return shapes;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_loss_and_gradient_match_the_definition_in_both_layouts(int count, int width) => Check<float>(count, width);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_loss_and_gradient_match_the_definition_in_both_layouts(int count, int width) => Check<double>(count, width);

    [Fact]
    public void Float_loss_is_summed_in_double()
    {
        // One squared difference of 2^24 and a million of 1: a float running sum would stay at 2^24 and
        // report a loss 6% low.
        const int Count = 1_000_001;
        var y = new float[Count];
        var t = new float[Count];
        y[0] = 4096f;
        for (int i = 1; i < Count; i++)
        {
            y[i] = 1.5f;
            t[i] = 0.5f;
        }
        double exact = (16_777_216d + (Count - 1)) / Count;
        float loss = FloatKernels.MeanSquaredError(y, t, Count, 1);
        Assert.True(Math.Abs(loss - exact) <= 1e-6 * exact, $"{loss:R} against {exact:R}");
        Assert.Equal((float)exact, FloatKernels.MeanSquaredErrorColumns(y, t, Count, 1));
        // Two outputs, the second exact: the strided path. Feature-major, y's second feature is zeros after
        // the first; the targets, sample-major, interleave theirs.
        var yT = new float[2 * Count];
        y.CopyTo(yT, 0);
        Assert.Equal((float)(exact / 2), FloatKernels.MeanSquaredErrorColumns(yT, Interleave(t), Count, 2));
    }

    /// <summary>
    /// The loss has the same bits whatever the vector width, FMA and acceleration (the deterministic mode
    /// promises that): each configuration CI runs must give exactly the documented order's sum.
    /// </summary>
    [Fact]
    public void The_loss_is_summed_in_one_order_on_every_vector_width()
    {
        var random = new Random(9);
        foreach (int length in new[] { 1, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 70, 1000, 4097 })
        {
            var y = new float[length];
            var t = new float[length];
            for (int i = 0; i < length; i++)
            {
                // Magnitudes over twelve decades, so that a different order would change the last bits.
                y[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 6)));
                t[i] = (float)(random.NextDouble() - 0.5);
            }
            double[] yd = Array.ConvertAll(y, v => (double)v);
            double[] td = Array.ConvertAll(t, v => (double)v);
            double sum = InDocumentedOrder(yd, td);
            Assert.Equal(Portable.Bits((float)(sum / length)), Portable.Bits(FloatKernels.MeanSquaredError(y, t, length, 1)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(sum / length), BitConverter.DoubleToInt64Bits(DoubleKernels.MeanSquaredError(yd, td, length, 1)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(sum / length), BitConverter.DoubleToInt64Bits(DoubleKernels.MeanSquaredErrorColumns(yd, td, length, 1)));
        }
    }

    /// <summary>Eight running sums by index modulo 8, each in index order, added ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)).</summary>
    private static double InDocumentedOrder(double[] y, double[] t)
    {
        var sums = new double[8];
        for (int i = 0; i < y.Length; i++)
        {
            double difference = y[i] - t[i];
            sums[i % 8] += difference * difference;
        }
        return ((sums[0] + sums[1]) + (sums[2] + sums[3])) + ((sums[4] + sums[5]) + (sums[6] + sums[7]));
    }

    [Fact]
    public void Float_differences_are_taken_in_double()
    {
        // y - t overflows in float, but 2 (y - t) / 4 does not.
        float[] y = { 3e38f, 0f, 0f, 0f };
        float[] t = { -3e38f, 0f, 0f, 0f };
        var dz = new float[4];
        FloatKernels.MeanSquaredErrorBackward(y, t, dz, 4, 1);
        Assert.Equal(3e38f, dz[0]);
    }

    [Fact]
    public void Non_finite_targets_give_a_non_finite_loss_and_no_exception()
    {
        float[] y = { 1f, 2f, 3f, 4f };
        float[] t = { 1f, float.NaN, 3f, 4f };
        Assert.True(float.IsNaN(FloatKernels.MeanSquaredError(y, t, 2, 2)));
        Assert.True(float.IsNaN(FloatKernels.MeanSquaredErrorColumns(y, t, 2, 2)));
        double[] yd = { 1d, 2d };
        double[] td = { double.PositiveInfinity, 2d };
        Assert.Equal(double.PositiveInfinity, DoubleKernels.MeanSquaredError(yd, td, 2, 1));
        Assert.Equal(2, DoubleKernels.CheckTargets(6, td, 3, 1));
    }

    [Fact]
    public void CheckTargets_returns_the_batch_size()
    {
        Assert.Equal(4, FloatKernels.CheckTargets(12, new float[8], 3, 2));
        Assert.Equal(1, DoubleKernels.CheckTargets(5, new double[1], 5, 1));
    }

    [Fact]
    public void CheckTargets_rejects_an_empty_batch_naming_targets()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FloatKernels.CheckTargets(0, ReadOnlySpan<float>.Empty, 3, 2));
        Assert.Equal("targets", error.ParamName);
        Assert.Contains("at least 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckTargets_rejects_a_partial_sample_naming_targets()
    {
        var error = Assert.Throws<ArgumentException>(() => DoubleKernels.CheckTargets(6, new double[5], 3, 2));
        Assert.Equal("targets", error.ParamName);
        Assert.Contains("multiple of OutputSize = 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("has 5", error.Message, StringComparison.Ordinal);
        // Fewer targets than one sample's outputs is a partial sample too, not an empty batch.
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => FloatKernels.CheckTargets(3, new float[1], 3, 2)).ParamName);
    }

    [Fact]
    public void CheckTargets_rejects_inputs_of_the_wrong_length_naming_inputs()
    {
        var error = Assert.Throws<ArgumentException>(() => FloatKernels.CheckTargets(11, new float[8], 3, 2));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("Expected a length of 12 ((targets.Length / OutputSize) * InputSize)", error.Message, StringComparison.Ordinal);
        Assert.Contains("has 11", error.Message, StringComparison.Ordinal);
    }

    private static void Check<T>(int count, int width) where T : unmanaged
    {
        var random = new Random((count * 31) + width);
        int length = count * width;
        var y = new T[length];
        var targets = new T[length];
        for (int i = 0; i < length; i++)
        {
            y[i] = Scalar.FromDouble<T>((random.NextDouble() - 0.5) * 10);
            targets[i] = Scalar.FromDouble<T>((random.NextDouble() - 0.5) * 10);
        }

        // The definition, in double: (1 / (N * width)) sum (y - t)^2 and 2 (y - t) / (N * width).
        double sum = 0;
        var gradient = new double[length];
        for (int i = 0; i < length; i++)
        {
            double difference = Scalar.ToDouble(y[i]) - Scalar.ToDouble(targets[i]);
            sum += difference * difference;
            gradient[i] = 2 * difference / length;
        }
        double loss = sum / length;
        bool isFloat = typeof(T) == typeof(float);

        // Sample-major.
        AssertClose(loss, Scalar.ToDouble(Kernels<T>.MeanSquaredError(y, targets, count, width)), isFloat, "loss");
        var dz = new T[length + 3];
        T sentinel = Scalar.FromDouble<T>(777);
        dz.AsSpan().Fill(sentinel);
        Kernels<T>.MeanSquaredErrorBackward(y, targets, dz, count, width);
        for (int i = 0; i < length; i++)
        {
            AssertClose(gradient[i], Scalar.ToDouble(dz[i]), isFloat, $"dz[{i}]");
        }
        // Slices copied through spans, not array ranges: those need RuntimeHelpers.GetSubArray, which .NET Framework lacks.
        Assert.All(dz.AsSpan(length).ToArray(), value => Assert.Equal(sentinel, value));

        // Feature-major: value k of sample s at [k * count + s]; the targets stay sample-major.
        var yT = new T[length];
        for (int s = 0; s < count; s++)
        {
            for (int k = 0; k < width; k++)
            {
                yT[(k * count) + s] = y[(s * width) + k];
            }
        }
        AssertClose(loss, Scalar.ToDouble(Kernels<T>.MeanSquaredErrorColumns(yT, targets, count, width)), isFloat, "loss, columns");
        var dzT = new T[length + 3];
        dzT.AsSpan().Fill(sentinel);
        Kernels<T>.MeanSquaredErrorBackwardColumns(yT, targets, dzT, count, width);
        for (int s = 0; s < count; s++)
        {
            for (int k = 0; k < width; k++)
            {
                AssertClose(gradient[(s * width) + k], Scalar.ToDouble(dzT[(k * count) + s]), isFloat, $"dzT[{k}, {s}]");
            }
        }
        Assert.All(dzT.AsSpan(length).ToArray(), value => Assert.Equal(sentinel, value));

        // In place, over the outputs, in both layouts: the same values.
        var inPlace = (T[])y.Clone();
        Kernels<T>.MeanSquaredErrorBackward(inPlace, targets, inPlace, count, width);
        Assert.Equal(dz.AsSpan(0, length).ToArray(), inPlace);
        var inPlaceT = (T[])yT.Clone();
        Kernels<T>.MeanSquaredErrorBackwardColumns(inPlaceT, targets, inPlaceT, count, width);
        Assert.Equal(dzT.AsSpan(0, length).ToArray(), inPlaceT);
    }

    /// <summary>Within an ulp of the element type (the kernels sum in another order, and round once).</summary>
    private static void AssertClose(double expected, double actual, bool isFloat, string what)
    {
        double ulps = isFloat ? Ulps.OfFloat(actual, new DoubleDouble(expected)) : Ulps.OfDouble(actual, new DoubleDouble(expected));
        Assert.True(ulps <= (isFloat ? 1 : 8), $"{what}: {actual:R} against {expected:R} ({ulps:F2} ulps)");
    }

    /// <summary>Each value followed by a zero: two outputs per sample, sample-major.</summary>
    private static float[] Interleave(float[] values)
    {
        var both = new float[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            both[2 * i] = values[i];
        }
        return both;
    }

    /// <summary>The float or double kernels, for test code written once for both.</summary>
    private static class Kernels<T> where T : unmanaged
    {
        public static T MeanSquaredError(T[] y, T[] t, int count, int width)
            => typeof(T) == typeof(float)
                ? (T)(object)FloatKernels.MeanSquaredError((float[])(object)y, (float[])(object)t, count, width)
                : (T)(object)DoubleKernels.MeanSquaredError((double[])(object)y, (double[])(object)t, count, width);

        public static T MeanSquaredErrorColumns(T[] yT, T[] t, int count, int width)
            => typeof(T) == typeof(float)
                ? (T)(object)FloatKernels.MeanSquaredErrorColumns((float[])(object)yT, (float[])(object)t, count, width)
                : (T)(object)DoubleKernels.MeanSquaredErrorColumns((double[])(object)yT, (double[])(object)t, count, width);

        public static void MeanSquaredErrorBackward(T[] y, T[] t, T[] dz, int count, int width)
        {
            if (typeof(T) == typeof(float))
            {
                FloatKernels.MeanSquaredErrorBackward((float[])(object)y, (float[])(object)t, (float[])(object)dz, count, width);
            }
            else
            {
                DoubleKernels.MeanSquaredErrorBackward((double[])(object)y, (double[])(object)t, (double[])(object)dz, count, width);
            }
        }

        public static void MeanSquaredErrorBackwardColumns(T[] yT, T[] t, T[] dzT, int count, int width)
        {
            if (typeof(T) == typeof(float))
            {
                FloatKernels.MeanSquaredErrorBackwardColumns((float[])(object)yT, (float[])(object)t, (float[])(object)dzT, count, width);
            }
            else
            {
                DoubleKernels.MeanSquaredErrorBackwardColumns((double[])(object)yT, (double[])(object)t, (double[])(object)dzT, count, width);
            }
        }
    }
}
