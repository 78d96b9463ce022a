using System;
using System.Runtime.InteropServices;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The feature-major batch kernels of dense networks (samples along the vector lanes): the Linear forward and
/// input gradient (blocks of 6 rows by 4, 2 and 1 vectors of samples, then samples one by one), softmax (a vector
/// of samples at a time, then one by one) and the transpose between the two layouts (8 x 8 tiles in bands of 64
/// rows, ragged edges apart). Batches run below, at and past 4 vectors of samples in every vector configuration
/// (64 floats at 512 bits), with row counts that leave every size of last block (7 and 8 rows too); in the deterministic arithmetic
/// every result must be the bits of the sum written out in order, in the default one within a few ulps of it.
/// </summary>
public class LinearColumnsKernelTests
{
    private static readonly int[] Batches = { 1, 3, 8, 15, 16, 31, 32, 33, 48, 63, 64, 65, 67, 96, 127, 128, 130, 200 };

    private readonly struct Shape1x1 : ILinearShape { public int Inputs => 1; public int Outputs => 1; public int Offset => 0; }

    private readonly struct Shape7x4 : ILinearShape { public int Inputs => 7; public int Outputs => 4; public int Offset => 3; }

    private readonly struct Shape13x6 : ILinearShape { public int Inputs => 13; public int Outputs => 6; public int Offset => 0; }

    private readonly struct Shape33x14 : ILinearShape { public int Inputs => 33; public int Outputs => 14; public int Offset => 5; }

    private readonly struct Shape20x17 : ILinearShape { public int Inputs => 20; public int Outputs => 17; public int Offset => 0; }

    // Rows that end in a last block of 7 or 8 (taken at once where there are 32 vector registers).
    private readonly struct Shape9x7 : ILinearShape { public int Inputs => 9; public int Outputs => 7; public int Offset => 1; }

    private readonly struct Shape5x20 : ILinearShape { public int Inputs => 5; public int Outputs => 20; public int Offset => 0; }

    private readonly struct Shape11x13 : ILinearShape { public int Inputs => 11; public int Outputs => 13; public int Offset => 2; }

    [Fact]
    public void Feature_major_Linear_forward_and_input_gradient_sum_in_order()
    {
        foreach (int batch in Batches)
        {
            CheckShape<Shape1x1>(batch);
            CheckShape<Shape7x4>(batch);
            CheckShape<Shape13x6>(batch);
            CheckShape<Shape33x14>(batch);
            CheckShape<Shape20x17>(batch);
            CheckShape<Shape9x7>(batch);
            CheckShape<Shape5x20>(batch);
            CheckShape<Shape11x13>(batch);
        }
    }

    [Fact]
    public void Feature_major_softmax_gives_the_sample_major_bits_in_deterministic_mode_and_ulps_otherwise()
    {
        foreach (int width in new[] { 1, 2, 10, 33 })
        {
            foreach (int batch in Batches)
            {
                CheckSoftmax<float, FloatArithmetic>(width, batch, v => (float)v, maxUlps: 4);
                CheckSoftmax<float, DeterministicFloatArithmetic>(width, batch, v => (float)v, maxUlps: 0);
                CheckSoftmax<double, DoubleArithmetic>(width, batch, v => v, maxUlps: 4);
                CheckSoftmax<double, DeterministicDoubleArithmetic>(width, batch, v => v, maxUlps: 0);
            }
        }
    }

    [Fact]
    public void Feature_major_softmax_keeps_NaN_infinities_and_huge_values_as_the_sample_major_one()
    {
        const int width = 4, batch = 40;
        var values = new float[width * batch];
        var random = new Random(5);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 200) - 100);
        }
        // Per sample (feature-major: feature k of sample s at [k * batch + s]): a NaN first, a NaN later,
        // +infinity, -infinity everywhere, values past e^88 apart, and all equal.
        values[0] = float.NaN;
        values[(2 * batch) + 1] = float.NaN;
        values[(1 * batch) + 2] = float.PositiveInfinity;
        for (int k = 0; k < width; k++)
        {
            values[(k * batch) + 3] = float.NegativeInfinity;
            values[(k * batch) + 4] = 1e30f * (k + 1);
            values[(k * batch) + 5] = 7f;
        }
        var expected = new float[values.Length];
        var rows = Transposed(values, width, batch);
        var expectedRows = new float[rows.Length];
        FloatKernels.SoftmaxForward(rows, expectedRows, batch, width);
        expected = Transposed(expectedRows, batch, width);
        var actual = new float[values.Length];
        FloatKernels.SoftmaxForwardColumns(values, actual, batch, width);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(
                UlpDistance(expected[i], actual[i]) <= 4,
                $"[{i}] (feature {i / batch}, sample {i % batch}): expected {expected[i]:R}, actual {actual[i]:R}");
        }
    }

    [Fact]
    public void Transpose_is_exact_for_every_shape_of_tile_band_and_edge()
    {
        foreach (int rows in new[] { 1, 7, 8, 9, 63, 64, 65, 130 })
        {
            foreach (int columns in new[] { 1, 8, 10, 17, 784 })
            {
                var source = new float[rows * columns];
                for (int i = 0; i < source.Length; i++)
                {
                    source[i] = i + 0.5f;
                }
                // One value past the end that must stay untouched.
                var destination = new float[(rows * columns) + 1];
                destination[rows * columns] = -1f;
                Simd.Transpose<float>(source, destination, rows, columns);
                Assert.Equal(Transposed(source, rows, columns), destination.AsSpan(0, rows * columns).ToArray());
                Assert.Equal(-1f, destination[rows * columns]);

                var doubles = Array.ConvertAll(source, v => (double)v);
                var doubleDestination = new double[rows * columns];
                Simd.Transpose<double>(doubles, doubleDestination, rows, columns);
                Assert.Equal(Transposed(doubles, rows, columns), doubleDestination);
            }
        }
    }

    private static void CheckShape<TLayer>(int batch) where TLayer : struct, ILinearShape
    {
        CheckLinear<TLayer, float, FloatArithmetic>(batch, v => (float)v, exact: false);
        CheckLinear<TLayer, float, DeterministicFloatArithmetic>(batch, v => (float)v, exact: true);
        CheckLinear<TLayer, double, DoubleArithmetic>(batch, v => v, exact: false);
        CheckLinear<TLayer, double, DeterministicDoubleArithmetic>(batch, v => v, exact: true);
    }

    private static void CheckLinear<TLayer, T, TArithmetic>(int batch, Func<double, T> from, bool exact)
        where TLayer : struct, ILinearShape
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        TLayer layer = default;
        int inputs = layer.Inputs, outputs = layer.Outputs, offset = layer.Offset;
        TArithmetic a = default;
        var random = new Random((inputs * 7919) + (outputs * 31) + batch);
        var parameters = new T[offset + (inputs * outputs) + outputs + 2];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = from((random.NextDouble() * 2) - 1);
        }
        var x = new T[inputs * batch];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = from((random.NextDouble() * 2) - 1);
        }
        var delta = new T[outputs * batch];
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] = from((random.NextDouble() * 2) - 1);
        }
        string where = $"{typeof(TArithmetic).Name}, {inputs} -> {outputs}, batch {batch}";

        // Forward: y[o, s] = (sum over k in order of W[o, k] x[k, s]) + b[o], and the value past y untouched.
        var y = new T[(outputs * batch) + 1];
        y[outputs * batch] = from(42);
        NetworkKernels<T, TArithmetic>.LinearForwardColumns<TLayer>(parameters, x, y.AsSpan(0, outputs * batch), batch);
        for (int o = 0; o < outputs; o++)
        {
            for (int s = 0; s < batch; s++)
            {
                T sum = a.Zero;
                for (int k = 0; k < inputs; k++)
                {
                    sum = a.MultiplyAdd(parameters[offset + (o * inputs) + k], x[(k * batch) + s], sum);
                }
                T expected = a.Add(sum, parameters[offset + (inputs * outputs) + o]);
                AssertAgrees(expected, y[(o * batch) + s], exact, $"forward {where}, output {o}, sample {s}");
            }
        }
        Assert.Equal(from(42), y[outputs * batch]);

        // With the ReLU after it fused into the stores: the bits of the ReLU kernel run over those outputs, in
        // every arithmetic (the same sums, then the same comparison), about half of them negative here; a NaN
        // input makes its sample's outputs NaN, which ReLU keeps.
        T[] xWithNaN = (T[])x.Clone();
        xWithNaN[batch - 1] = from(double.NaN);
        var plain = new T[outputs * batch];
        NetworkKernels<T, TArithmetic>.LinearForwardColumns<TLayer>(parameters, xWithNaN, plain, batch);
        NetworkKernels<T, TArithmetic>.ReLUForward(plain, plain);
        var fused = new T[(outputs * batch) + 1];
        fused[outputs * batch] = from(42);
        NetworkKernels<T, TArithmetic>.LinearReLUForwardColumns<TLayer>(parameters, xWithNaN, fused.AsSpan(0, outputs * batch), batch);
        Assert.True(MemoryMarshal.AsBytes(plain.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(fused.AsSpan(0, outputs * batch))), $"fused ReLU {where}: not the bits of ReLU after the forward");
        Assert.Equal(from(42), fused[outputs * batch]);

        // Input gradient: dx[k, s] = sum over o in order of W[o, k] delta[o, s].
        var dx = new T[inputs * batch];
        NetworkKernels<T, TArithmetic>.LinearInputGradientColumns<TLayer>(parameters, delta, dx, batch);
        for (int k = 0; k < inputs; k++)
        {
            for (int s = 0; s < batch; s++)
            {
                T sum = a.Zero;
                for (int o = 0; o < outputs; o++)
                {
                    sum = a.MultiplyAdd(parameters[offset + (o * inputs) + k], delta[(o * batch) + s], sum);
                }
                AssertAgrees(sum, dx[(k * batch) + s], exact, $"input gradient {where}, input {k}, sample {s}");
            }
        }
    }

    private static void CheckSoftmax<T, TArithmetic>(int width, int batch, Func<double, T> from, int maxUlps)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        var random = new Random((width * 1000) + batch);
        var rows = new T[batch * width];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = from((random.NextDouble() * 40) - 20);
        }
        var expectedRows = new T[rows.Length];
        NetworkKernels<T, TArithmetic>.SoftmaxForward(rows, expectedRows, batch, width);
        T[] expected = Transposed(expectedRows, batch, width);

        T[] columns = Transposed(rows, batch, width);
        var actual = new T[columns.Length];
        NetworkKernels<T, TArithmetic>.SoftmaxForwardColumns(columns, actual, batch, width);
        // In place too, as the generated passes call it.
        NetworkKernels<T, TArithmetic>.SoftmaxForwardColumns(columns, columns, batch, width);
        string where = $"{typeof(TArithmetic).Name}, width {width}, batch {batch}";
        for (int i = 0; i < expected.Length; i++)
        {
            long ulps = typeof(T) == typeof(float)
                ? UlpDistance((float)(object)expected[i], (float)(object)actual[i])
                : UlpDistance((double)(object)expected[i], (double)(object)actual[i]);
            Assert.True(ulps <= maxUlps, $"softmax {where} [{i}]: expected {expected[i]}, actual {actual[i]} ({ulps} ulps)");
        }
        Assert.True(MemoryMarshal.AsBytes(actual.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(columns.AsSpan())), "in place differs: " + where);
    }

    private static void AssertAgrees<T>(T expected, T actual, bool exact, string what) where T : unmanaged
    {
        if (exact)
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, actual {actual}");
            return;
        }
        // The default arithmetic fuses its multiply-adds where the hardware can: within a few roundings of the
        // unfused sum, on values of size about 1 summed over at most 33 terms.
        double e = Convert.ToDouble(expected), a = Convert.ToDouble(actual);
        double tolerance = typeof(T) == typeof(float) ? 2e-5 : 1e-13;
        Assert.True(Math.Abs(e - a) <= tolerance, $"{what}: expected {e:R}, actual {a:R}");
    }

    /// <summary>How many representable values apart two results are (0 for two NaNs, the most for one).</summary>
    private static long UlpDistance(float a, float b)
        => float.IsNaN(a) || float.IsNaN(b) ? (float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue)
            : Math.Abs(Ordered(BitConverter.ToInt32(BitConverter.GetBytes(a), 0)) - Ordered(BitConverter.ToInt32(BitConverter.GetBytes(b), 0)));

    private static long UlpDistance(double a, double b)
        => double.IsNaN(a) || double.IsNaN(b) ? (double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue)
            : (long)Math.Abs((decimal)Ordered(BitConverter.DoubleToInt64Bits(a)) - Ordered(BitConverter.DoubleToInt64Bits(b)));

    /// <summary>Sign-magnitude bits to a number that orders the values as the reals do (both zeros 0).</summary>
    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static long Ordered(int bits) => bits < 0 ? int.MinValue - (long)bits : bits;

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
}
