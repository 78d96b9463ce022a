using System;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The deterministic mode's own exp, log and tanh (DeterministicMath) against double-double references
/// over dense sweeps, in ulps, and at their special values. The bounds asserted are the ones the README
/// and DeterministicMath's documentation state.
/// </summary>
public class DeterministicMathTests
{
    private readonly ITestOutputHelper _output;

    public DeterministicMathTests(ITestOutputHelper output) => _output = output;

    private static double[] Sweep(double from, double to, int count, int seed)
    {
        var random = new Random(seed);
        var points = new double[count];
        for (int i = 0; i < count; i++)
        {
            // Half evenly spaced, half random: both ends, and no lattice the errors could hide between.
            points[i] = i % 2 == 0 ? from + ((to - from) * i / count) : from + ((to - from) * random.NextDouble());
        }
        return points;
    }

    [Fact]
    public void Exp_is_within_an_ulp_and_a_fifth_in_double_and_half_an_ulp_in_float()
    {
        double worstDouble = 0, worstFloat = 0;
        foreach (double x in Sweep(-745, 709.7, 400_000, 1))
        {
            worstDouble = Math.Max(worstDouble, Ulps.OfDouble(DeterministicMath.Exp(x), Reference.Exp(x)));
        }
        foreach (double x in Sweep(-103, 88.7, 400_000, 2))
        {
            float f = (float)x;
            worstFloat = Math.Max(worstFloat, Ulps.OfFloat(DeterministicMath.Exp(f), Reference.Exp(f)));
        }
        _output.WriteLine($"DeterministicMath.Exp: {worstDouble:F2} ulps (double), {worstFloat:F2} ulps (float)");
        Assert.InRange(worstDouble, 0, 1.2);
        Assert.InRange(worstFloat, 0, 0.55);
    }

    /// <summary>The reference here is good to about an ulp itself (one correction step in double), so the bound is 2.</summary>
    [Fact]
    public void Log_is_within_two_ulps()
    {
        double worst = 0;
        foreach (double e in Sweep(-1070, 1020, 200_000, 3))
        {
            double x = Math.Pow(2, e);
            // log x = ln2 * log2 x, with log2 x read off in double-double from Math.Log2's rounding corrected by one Newton step on exp.
            double approximate = Math.Log(x);
            Scaled back = Reference.Exp(approximate);
            // log x = approximate + log(x / e^approximate) ~= approximate + (x / e^approximate - 1).
            double ratio = x / back.ToDouble();
            var exact = new DoubleDouble(approximate) + new DoubleDouble(ratio - 1);
            worst = Math.Max(worst, Ulps.OfDouble(DeterministicMath.Log(x), exact));
        }
        _output.WriteLine($"DeterministicMath.Log: {worst:F2} ulps");
        Assert.InRange(worst, 0, 2.0);
    }

    [Fact]
    public void Tanh_is_within_two_ulps_in_double_and_float()
    {
        double worstDouble = 0, worstFloat = 0;
        foreach (double x in Sweep(-20, 20, 400_000, 4))
        {
            worstDouble = Math.Max(worstDouble, Ulps.OfDouble(DeterministicMath.Tanh(x), Reference.Tanh(x)));
            float f = (float)x;
            worstFloat = Math.Max(worstFloat, Ulps.OfFloat(DeterministicMath.Tanh(f), Reference.Tanh(f)));
        }
        _output.WriteLine($"DeterministicMath.Tanh: {worstDouble:F2} ulps (double), {worstFloat:F2} ulps (float)");
        Assert.InRange(worstDouble, 0, 2.0);
        Assert.InRange(worstFloat, 0, 2.0);
    }

    [Fact]
    public void Special_values_saturate_and_propagate()
    {
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Exp(710.0));
        Assert.Equal(0d, DeterministicMath.Exp(-746.0));
        Assert.True(double.IsNaN(DeterministicMath.Exp(double.NaN)));
        Assert.Equal(1d, DeterministicMath.Exp(0d));
        Assert.Equal(double.Epsilon, DeterministicMath.Exp(-744.44007192138126));
        Assert.Equal(float.PositiveInfinity, DeterministicMath.Exp(89f));
        Assert.Equal(double.NegativeInfinity, DeterministicMath.Log(0d));
        Assert.True(double.IsNaN(DeterministicMath.Log(-1d)));
        Assert.Equal(0d, DeterministicMath.Log(1d));
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Log(double.PositiveInfinity));
        Assert.Equal(1d, DeterministicMath.Tanh(double.PositiveInfinity));
        Assert.Equal(-1f, DeterministicMath.Tanh(float.NegativeInfinity));
        Assert.Equal(1f, DeterministicMath.Tanh(20f));
        Assert.True(double.IsNaN(DeterministicMath.Tanh(double.NaN)));
        Assert.Equal(1e-300, DeterministicMath.Tanh(1e-300));
    }
}
