using System;
using System.Runtime.InteropServices;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// LayerNorm's feature-major forward and backward (the samples along the vector lanes, up to 256 samples; one
/// sample at a time past that) against the sample-major kernels, bit for bit (the default arithmetic's
/// sample-major forward, which sums in vectors, within a few ulps): outputs and the kept statistics,
/// parameter and input gradients (with and without each, dx over delta too), for widths
/// below, at and past a vector, batches below, at and past a vector of samples (so that the scalar tails run),
/// both element types and both arithmetics, in place too. The sample-major kernel is checked against PyTorch
/// through the block networks (BlockReferenceTests), so the feature-major one inherits that check.
/// </summary>
public class LayerNormColumnsKernelTests
{
    private static readonly int[] Widths = { 1, 3, 8, 37, 64 };
    private static readonly int[] Batches = { 1, 2, 7, 8, 16, 21, 64, 67, 300 };

    [Fact]
    public void Feature_major_LayerNorm_gives_the_sample_major_bits()
    {
        foreach (int width in Widths)
        {
            foreach (int batch in Batches)
            {
                Check<float, FloatArithmetic>(width, batch, v => (float)v);
                Check<float, DeterministicFloatArithmetic>(width, batch, v => (float)v);
                Check<double, DoubleArithmetic>(width, batch, v => v);
                Check<double, DeterministicDoubleArithmetic>(width, batch, v => v);
            }
        }
    }

    private static void Check<T, TArithmetic>(int width, int batch, Func<double, T> from)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        var random = new Random((width * 1000) + batch);
        // Values with a large common offset per sample, so that the centred sum of squares is where rounding shows.
        var rows = new T[batch * width];
        for (int s = 0; s < batch; s++)
        {
            double offset = (random.NextDouble() - 0.5) * 100;
            for (int k = 0; k < width; k++)
            {
                rows[(s * width) + k] = from(offset + ((random.NextDouble() * 2) - 1));
            }
        }
        var parameters = new T[3 + (2 * width)];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = from((random.NextDouble() * 2) - 1);
        }

        var expected = new T[batch * width];
        var expectedStatistics = new T[2 * batch];
        NetworkKernels<T, TArithmetic>.LayerNormForward(parameters, 3, rows, expected, expectedStatistics, batch, width);

        var columns = Transposed(rows, batch, width);
        var actual = new T[batch * width];
        var statistics = new T[2 * batch];
        NetworkKernels<T, TArithmetic>.LayerNormForwardColumns(parameters, 3, columns, actual, statistics, batch, width);
        string where = $"{typeof(TArithmetic).Name}, width {width}, batch {batch}";
        if (default(TArithmetic).IsDeterministic || width < System.Numerics.Vector<T>.Count || !System.Numerics.Vector.IsHardwareAccelerated)
        {
            Assert.True(SameBits<T>(Transposed(expected, batch, width), actual), "outputs differ: " + where);
            Assert.True(SameBits<T>(expectedStatistics, statistics), "statistics differ: " + where);
        }
        else
        {
            // The default arithmetic's sample-major forward sums each sample's values in vector partial sums
            // (LayerNormSample): another order, so a few ulps apart; the feature-major one keeps the scalar order.
            AssertClose(Transposed(expected, batch, width), actual, "outputs: " + where);
            AssertClose(expectedStatistics, statistics, "statistics: " + where);
        }

        // In place, as inference runs it, and without statistics.
        var inPlace = (T[])columns.Clone();
        NetworkKernels<T, TArithmetic>.LayerNormForwardColumns(parameters, 3, inPlace, inPlace, default, batch, width);
        Assert.True(SameBits<T>(actual, inPlace), "in place differs: " + where);

        // Backward over the kept statistics: gradients into g's LayerNorm range (the rest untouched), dx.
        var delta = new T[batch * width];
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] = from((random.NextDouble() * 2) - 1);
        }
        var expectedGradients = new T[parameters.Length];
        var expectedDx = new T[batch * width];
        NetworkKernels<T, TArithmetic>.LayerNormBackward(parameters, expectedGradients, 3, rows, statistics, delta, expectedDx, batch, width);
        var gradients = new T[parameters.Length];
        var dx = new T[batch * width];
        T[] deltaColumns = Transposed(delta, batch, width);
        NetworkKernels<T, TArithmetic>.LayerNormBackwardColumns(parameters, gradients, 3, columns, statistics, deltaColumns, dx, batch, width);
        Assert.True(SameBits<T>(expectedGradients, gradients), "parameter gradients differ: " + where);
        Assert.True(SameBits<T>(Transposed(expectedDx, batch, width), dx), "input gradients differ: " + where);

        // dx over delta itself and no parameter gradients (a backward below a frozen layer), then gradients alone.
        NetworkKernels<T, TArithmetic>.LayerNormBackwardColumns(parameters, default, 3, columns, statistics, deltaColumns, deltaColumns, batch, width);
        Assert.True(SameBits<T>(dx, deltaColumns), "dx over delta differs: " + where);
        var gradientsOnly = new T[parameters.Length];
        NetworkKernels<T, TArithmetic>.LayerNormBackwardColumns(parameters, gradientsOnly, 3, columns, statistics, Transposed(delta, batch, width), default, batch, width);
        Assert.True(SameBits<T>(expectedGradients, gradientsOnly), "gradients without dx differ: " + where);
    }

    /// <summary>[a, b] row-major to [b, a] row-major.</summary>
    private static T[] Transposed<T>(T[] values, int a, int b)
    {
        var result = new T[values.Length];
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
            {
                result[(j * a) + i] = values[(i * b) + j];
            }
        }
        return result;
    }

    /// <summary>Within 4e-6 (float) or 1e-13 (double) of the expected values, relative to the larger of 1 and their size.</summary>
    private static void AssertClose<T>(T[] expected, T[] actual, string what) where T : unmanaged
    {
        double tolerance = typeof(T) == typeof(float) ? 4e-6 : 1e-13;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = Convert.ToDouble(expected[i]), a = Convert.ToDouble(actual[i]);
            Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)), $"{what}: [{i}] expected {e:R}, actual {a:R}");
        }
    }

    private static bool SameBits<T>(T[] a, T[] b) where T : unmanaged
        => MemoryMarshal.AsBytes(a.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.AsSpan()));
}
