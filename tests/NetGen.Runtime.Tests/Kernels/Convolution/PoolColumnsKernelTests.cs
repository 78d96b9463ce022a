using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels.Convolution;

/// <summary>
/// The feature-major pools (samples along the vector lanes) against the sample-major ones, bit for bit, on
/// every pool fixture's shape: batches below, at and past a vector of samples, both element types and both
/// arithmetics, on inputs with ties (a max pool's gradient goes to the first maximum), signed zeros and
/// NaNs (a NaN is the maximum, and the gradient goes to the window's last NaN). The sample-major kernels are
/// checked against PyTorch in <see cref="PoolKernelTests"/>, so these inherit that check.
/// </summary>
public class PoolColumnsKernelTests
{
    public static IEnumerable<object[]> Cases() => ConvolutionFixtures.Pools.Select(c => new object[] { c.Name });

    public static readonly int[] Batches = { 1, 3, 8, 16, 21, 37, 64, 67 };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Feature_major_pools_give_the_sample_major_bits(string name)
    {
        PoolCase c = ConvolutionFixtures.Pool(name);
        foreach (int batch in Batches)
        {
            foreach (Values values in Enum.GetValues(typeof(Values)))
            {
                Check<float, FloatArithmetic>(c, batch, values, v => (float)v, v => Portable.Bits(v));
                Check<float, DeterministicFloatArithmetic>(c, batch, values, v => (float)v, v => Portable.Bits(v));
                Check<double, DoubleArithmetic>(c, batch, values, v => v, BitConverter.DoubleToInt64Bits);
                Check<double, DeterministicDoubleArithmetic>(c, batch, values, v => v, BitConverter.DoubleToInt64Bits);
            }
        }
    }

    [Fact]
    public void A_NaN_is_the_maximum_and_takes_the_gradient_at_the_last_NaN()
    {
        // One channel of 4, a window of 4: NaN at 1 and 2, so the maximum is NaN and position 2 takes the gradient.
        IPoolRunner<float> runner = Runners.Pool<float, FloatArithmetic>(rank: 1, channels: 1, height: 1, width: 4, kernel: 4, stride: 4, padding: 0);
        const int Batch = 16;
        float[] sample = { 1f, float.NaN, float.NaN, 3f };
        var x = new float[4 * Batch];
        for (int k = 0; k < 4; k++)
        {
            for (int s = 0; s < Batch; s++)
            {
                x[(k * Batch) + s] = s % 2 == 0 ? sample[k] : k; // odd samples: 0, 1, 2, 3, maximum at 3
            }
        }
        var y = new float[Batch];
        runner.MaxForwardColumns(x, y, Batch);
        var delta = Enumerable.Repeat(2f, Batch).ToArray();
        var dx = new float[4 * Batch];
        runner.MaxBackwardColumns(x, delta, dx, Batch);
        for (int s = 0; s < Batch; s++)
        {
            bool withNaN = s % 2 == 0;
            Assert.Equal(withNaN ? float.NaN : 3f, y[s]);
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal((withNaN ? k == 2 : k == 3) ? 2f : 0f, dx[(k * Batch) + s]);
            }
        }
    }

    public enum Values
    {
        /// <summary>Uniform in [-1, 1).</summary>
        Random,

        /// <summary>A few distinct values, so that windows hold equal maxima.</summary>
        Ties,

        /// <summary>Ties with signed zeros and NaNs among them.</summary>
        ZerosAndNaNs,
    }

    private static void Check<T, TArithmetic>(PoolCase c, int batch, Values values, Func<double, T> from, Func<T, long> bits)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        IPoolRunner<T> runner = Runners.Pool<T, TArithmetic>(c);
        int inputSize = c.Channels * c.InputHeight * c.InputWidth;
        int outputSize = c.Kind == "globalavgpool" ? c.Channels : c.Channels * runner.OutputHeight * runner.OutputWidth;
        // A seed from the case itself (string.GetHashCode and HashCode differ per process), so a failure reruns the same.
        var random = new Random((c.Name.Aggregate(17, (h, ch) => (h * 31) + ch) * 97) + (batch * 7) + (int)values);
        T[] x = Enumerable.Range(0, batch * inputSize).Select(_ => from(Draw(random, values))).ToArray();
        T[] delta = Enumerable.Range(0, batch * outputSize).Select(_ => from(Math.Round((random.NextDouble() * 4) - 2, 3))).ToArray();

        var y = new T[batch * outputSize];
        var dx = new T[batch * inputSize];
        var yColumns = new T[y.Length];
        var dxColumns = new T[dx.Length];
        T[] xColumns = Transpose(x, batch, inputSize), deltaColumns = Transpose(delta, batch, outputSize);
        int positions = c.InputHeight * c.InputWidth;
        switch (c.Kind)
        {
            case "maxpool":
                runner.MaxForward(x, y, batch);
                runner.MaxBackward(x, delta, dx, batch);
                runner.MaxForwardColumns(xColumns, yColumns, batch);
                runner.MaxBackwardColumns(xColumns, deltaColumns, dxColumns, batch);
                break;
            case "avgpool":
                runner.AvgForward(x, y, batch);
                runner.AvgBackward(delta, dx, batch);
                runner.AvgForwardColumns(xColumns, yColumns, batch);
                runner.AvgBackwardColumns(deltaColumns, dxColumns, batch);
                break;
            case "globalavgpool":
                runner.GlobalForward(x, y, c.Channels, positions, batch);
                runner.GlobalBackward(delta, dx, c.Channels, positions, batch);
                runner.GlobalForwardColumns(xColumns, yColumns, c.Channels, positions, batch);
                runner.GlobalBackwardColumns(deltaColumns, dxColumns, c.Channels, positions, batch);
                break;
            default:
                throw new InvalidOperationException($"No pool kind \"{c.Kind}\" in {c.Name}.");
        }
        string what = $"{c.Name}, {typeof(T).Name} {typeof(TArithmetic).Name}, batch {batch}, {values}";
        ConvolutionKernelTests.AssertBits(what + " y", y, Transpose(yColumns, outputSize, batch), bits);
        ConvolutionKernelTests.AssertBits(what + " dx", dx, Transpose(dxColumns, inputSize, batch), bits);
    }

    private static double Draw(Random random, Values values)
    {
        switch (values)
        {
            case Values.Random:
                return (random.NextDouble() * 2) - 1;
            case Values.Ties:
                return random.Next(-2, 3) * 0.5;
            case Values.ZerosAndNaNs:
                int pick = random.Next(8);
                return pick == 0 ? double.NaN : pick == 1 ? -0.0 : pick == 2 ? 0.0 : random.Next(-2, 3) * 0.5;
            default:
                throw new ArgumentOutOfRangeException(nameof(values), values, "No such kind of values.");
        }
    }

    /// <summary>A rows x columns matrix, transposed.</summary>
    private static T[] Transpose<T>(T[] source, int rows, int columns)
    {
        var result = new T[source.Length];
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
