using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels.Convolution;

/// <summary>
/// Max, average and global average pools (1-D and 2-D) against PyTorch's numbers in float and double,
/// against finite differences in double, and bit for bit against the written-out reference in both
/// arithmetics: a max pool's tie goes to the first maximum in the window, as PyTorch's does (the "ties"
/// fixtures are full of equal values), and average pools count padding as zeros.
/// </summary>
public class PoolKernelTests
{
    private readonly ITestOutputHelper output;

    public PoolKernelTests(ITestOutputHelper output) => this.output = output;

    public static IEnumerable<object[]> Cases() => ConvolutionFixtures.Pools.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_matches_PyTorch(string name)
        => Run<double, DoubleArithmetic>(ConvolutionFixtures.Pool(name), v => v, v => v).AssertWithin(1e-15, output);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_matches_PyTorch(string name)
        => Run<float, FloatArithmetic>(ConvolutionFixtures.Pool(name), v => (float)v, v => v).AssertWithin(5e-7, output);

    [Fact]
    public void Largest_differences_from_PyTorch()
    {
        foreach (string kind in new[] { "maxpool", "avgpool", "globalavgpool" })
        {
            var inFloat = new Differences(kind + " float");
            var inDouble = new Differences(kind + " double");
            foreach (PoolCase c in ConvolutionFixtures.Pools.Where(c => c.Kind == kind))
            {
                inFloat.Take(Run<float, FloatArithmetic>(c, v => (float)v, v => v));
                inDouble.Take(Run<double, DoubleArithmetic>(c, v => v, v => v));
            }
            inFloat.AssertWithin(5e-7, output);
            inDouble.AssertWithin(1e-15, output);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_arithmetic_gives_the_reference_s_bits(string name)
    {
        PoolCase c = ConvolutionFixtures.Pool(name);
        CheckBits<float, FloatArithmetic, PlainFloat>(c, v => (float)v, v => Portable.Bits(v));
        CheckBits<float, DeterministicFloatArithmetic, PlainFloat>(c, v => (float)v, v => Portable.Bits(v));
        CheckBits<double, DoubleArithmetic, PlainDouble>(c, v => v, BitConverter.DoubleToInt64Bits);
        CheckBits<double, DeterministicDoubleArithmetic, PlainDouble>(c, v => v, BitConverter.DoubleToInt64Bits);
    }

    /// <summary>Input gradients against central differences of sum(dy * y), in double; the tie cases are left out (a max is not differentiable at a tie).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Input_gradients_match_finite_differences(string name)
    {
        PoolCase c = ConvolutionFixtures.Pool(name);
        if (name.Contains("ties"))
        {
            return;
        }
        double[] x = (double[])c.X.Clone();
        double[] dx = Compute<double, DoubleArithmetic>(c, x, c.Dy).Dx;
        const double H = 1e-6;
        for (int i = 0; i < x.Length; i++)
        {
            double keep = x[i];
            x[i] = keep + H;
            double up = Loss(c, x);
            x[i] = keep - H;
            double down = Loss(c, x);
            x[i] = keep;
            double central = (up - down) / (2 * H);
            Assert.True(Math.Abs(central - dx[i]) <= 1e-7 * (1 + Math.Abs(dx[i])), $"{name}: dx[{i}] {dx[i]:R} against {central:R}");
        }
    }

    [Fact]
    public void A_NaN_in_a_window_is_its_maximum_and_takes_the_gradient_as_in_PyTorch()
    {
        // One channel of 6 in windows of 3: [1, NaN, 3] and [-inf, -inf, -inf].
        IPoolRunner<float> runner = Runners.Pool<float, FloatArithmetic>(rank: 1, channels: 1, height: 1, width: 6, kernel: 3, stride: 3, padding: 0);
        float[] x = { 1f, float.NaN, 3f, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity };
        var y = new float[2];
        runner.MaxForward(x, y, 1);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(float.NegativeInfinity, y[1]);
        var dx = new float[6];
        runner.MaxBackward(x, new[] { 10f, 20f }, dx, 1);
        Assert.Equal(new[] { 0f, 10f, 0f, 20f, 0f, 0f }, dx);
    }

    [Fact]
    public void The_fixtures_cover_every_option()
    {
        foreach (string kind in new[] { "maxpool", "avgpool" })
        {
            foreach (int rank in new[] { 1, 2 })
            {
                PoolCase[] cases = ConvolutionFixtures.Pools.Where(c => c.Kind == kind && c.Rank == rank).ToArray();
                Assert.Contains(cases, c => c.Stride < c.Kernel);
                Assert.Contains(cases, c => c.Padding > 0);
                Assert.Contains(cases, c => c.InputWidth % 2 == 1);
                Assert.Contains(cases, c => c.Stride == c.Kernel);
            }
        }
        Assert.Contains(ConvolutionFixtures.Pools, c => c.Kind == "maxpool" && c.Name.Contains("ties") && c.Rank == 1);
        Assert.Contains(ConvolutionFixtures.Pools, c => c.Kind == "maxpool" && c.Name.Contains("ties") && c.Rank == 2);
        Assert.Contains(ConvolutionFixtures.Pools, c => c.Kind == "globalavgpool" && c.Rank == 1);
        Assert.Contains(ConvolutionFixtures.Pools, c => c.Kind == "globalavgpool" && c.Rank == 2);
    }

    private static double Loss(PoolCase c, double[] x)
    {
        double[] y = Compute<double, DoubleArithmetic>(c, x, c.Dy).Y;
        return y.Select((v, i) => v * c.Dy[i]).Sum();
    }

    private static T[] Filled<T>(int length, T value)
    {
        var array = new T[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = value;
        }
        return array;
    }

    /// <summary>The case's kernel forward and backward, from output spans full of NaN (every value must be written).</summary>
    private static (T[] Y, T[] Dx) Compute<T, TArithmetic>(PoolCase c, T[] x, IReadOnlyList<double> dyValues)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        T nan = (T)(object)(typeof(T) == typeof(float) ? (object)float.NaN : double.NaN);
        T[] dy = dyValues.Select(v => (T)(object)(typeof(T) == typeof(float) ? (object)(float)v : v)).ToArray();
        T[] y = Filled(dy.Length, nan);
        T[] dx = Filled(x.Length, nan);
        int positions = c.InputHeight * c.InputWidth;
        if (c.Kind == "globalavgpool")
        {
            IPoolRunner<T> any = Runners.Pool<T, TArithmetic>(rank: 1, channels: 1, height: 1, width: 1, kernel: 1, stride: 1, padding: 0);
            any.GlobalForward(x, y, c.Channels, positions, c.Batch);
            any.GlobalBackward(dy, dx, c.Channels, positions, c.Batch);
            return (y, dx);
        }
        IPoolRunner<T> runner = Runners.Pool<T, TArithmetic>(c);
        Assert.Equal(dy.Length, c.Batch * c.Channels * runner.OutputHeight * runner.OutputWidth);
        if (c.Kind == "maxpool")
        {
            runner.MaxForward(x, y, c.Batch);
            runner.MaxBackward(x, dy, dx, c.Batch);
        }
        else
        {
            runner.AvgForward(x, y, c.Batch);
            runner.AvgBackward(dy, dx, c.Batch);
        }
        return (y, dx);
    }

    private static Differences Run<T, TArithmetic>(PoolCase c, Func<double, T> from, Func<T, double> to)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        (T[] y, T[] dx) = Compute<T, TArithmetic>(c, Array.ConvertAll(c.X, v => from(v)), c.Dy);
        var d = new Differences(c.Name);
        d.Compare("y", Array.ConvertAll(y, v => to(v)), c.Y);
        d.Compare("dx", Array.ConvertAll(dx, v => to(v)), c.Dx);
        return d;
    }

    private static void CheckBits<T, TArithmetic, TOps>(PoolCase c, Func<double, T> from, Func<T, long> bits)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
        where TOps : struct, IPlainArithmetic<T>
    {
        T[] x = Array.ConvertAll(c.X, v => from(v));
        T[] dy = Array.ConvertAll(c.Dy, v => from(v));
        (T[] y, T[] dx) = Compute<T, TArithmetic>(c, x, c.Dy);
        (T[] Y, T[] Dx) expected;
        if (c.Kind == "globalavgpool")
        {
            expected = Reference<T, TOps>.GlobalAvgPool(c, x, dy);
        }
        else
        {
            IPoolRunner<T> runner = Runners.Pool<T, TArithmetic>(c);
            expected = c.Kind == "maxpool"
                ? Reference<T, TOps>.MaxPool(c, runner.OutputHeight, runner.OutputWidth, x, dy)
                : Reference<T, TOps>.AvgPool(c, runner.OutputHeight, runner.OutputWidth, x, dy);
        }
        ConvolutionKernelTests.AssertBits(c.Name + " y", expected.Y, y, bits);
        ConvolutionKernelTests.AssertBits(c.Name + " dx", expected.Dx, dx, bits);
    }
}
