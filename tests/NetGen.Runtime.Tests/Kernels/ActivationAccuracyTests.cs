using System;
using System.Collections.Generic;
using System.Numerics;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// How far the activations built on e^x are from the exact values, in ulps of the element type, over
/// dense sweeps: for float, every float of one binade (both signs) where the function's error peaks or
/// its method changes, every 1021st finite float, random points and the special values, against
/// double-precision references (Math.Tanh, Math.Exp: their own error is a billionth of a float ulp);
/// for double, 440,000 points against the double-double references of <see cref="Reference"/>. Each test
/// prints its maximum (run with <c>--logger "console;verbosity=detailed"</c>) and holds it to a bound.
/// <para>
/// Where vectors are hardware-accelerated these measure the written-out vector maths; elsewhere the
/// scalar twins, which call the platform's maths library (CI runs both).
/// </para>
/// </summary>
public class ActivationAccuracyTests(ITestOutputHelper output)
{
    private delegate void Kernel<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> deltas, Span<T> result);

    // The bounds. Measured maxima are printed by each test and listed in the kernels' commit.
    private const double ExpBound = 1.5;
    private const double TanhBound = 2;
    private const double SigmoidBound = 3;
    private const double SiLUBound = 3.5;
    private const double BackwardBound = 3;

    // SiLU's slope takes e^x's error (up to an ulp) and four roundings, in units of the larger term.
    private const double SiLUBackwardBound = 5;

    [Fact]
    public void Float_exp_is_within_bound_over_its_whole_range()
    {
        // Directly on vectors (also where they are not accelerated: then emulated, so fewer points).
        var values = new List<float>();
        for (float x = -110f; x < 90f; x += 0.000977f)
        {
            values.Add(x);
        }
        values.AddRange(new[] { 0f, -0f, float.Epsilon, 88.72283f, 88.72284f, -87.33654f, -103.9721f, float.PositiveInfinity, float.NegativeInfinity, float.NaN });
        Report("float e^x (vector)", MeasureVectorExp<float>(values, x => new DoubleDouble(Math.Exp(x))), ExpBound);
    }

    [Fact]
    public void Double_exp_is_within_bound_over_its_whole_range()
    {
        var values = new List<double>();
        var random = new Random(1);
        for (int i = 0; i < 60_000; i++)
        {
            values.Add((random.NextDouble() * 1460) - 750);
        }
        values.AddRange(new[] { 0d, -0d, double.Epsilon, 709.782712893384, 709.7827128933841, -708.3964185322641, -745.1332191019411, -745.1332191019412, double.PositiveInfinity, double.NegativeInfinity, double.NaN });
        Report("double e^x (vector)", MeasureVectorExp<double>(values, Reference.Exp), ExpBound);
    }

    [Fact]
    public void Float_tanh_is_within_bound() => Report("float tanh",
        Measure<float>(FloatInputs(0.5f, 1f), (x, _, y) => FloatKernels.TanhForward(x, y), (x, _, y) => Ulps.OfFloat(y, new DoubleDouble(Math.Tanh(x)))), TanhBound);

    [Fact]
    public void Double_tanh_is_within_bound() => Report("double tanh",
        Measure<double>(DoubleInputs(), (x, _, y) => DoubleKernels.TanhForward(x, y), (x, _, y) => Ulps.OfDouble(y, Reference.Tanh(x))), TanhBound);

    [Fact]
    public void Float_sigmoid_is_within_bound() => Report("float sigmoid",
        Measure<float>(FloatInputs(2f, 4f), (x, _, y) => FloatKernels.SigmoidForward(x, y), (x, _, y) => Ulps.OfFloat(y, new DoubleDouble(Sigmoid(x)))), SigmoidBound);

    [Fact]
    public void Double_sigmoid_is_within_bound() => Report("double sigmoid",
        Measure<double>(DoubleInputs(), (x, _, y) => DoubleKernels.SigmoidForward(x, y), (x, _, y) => Ulps.OfDouble(y, Reference.Sigmoid(x))), SigmoidBound);

    [Fact]
    public void Float_silu_is_within_bound() => Report("float SiLU",
        Measure<float>(FloatInputs(8f, 16f), (x, _, y) => FloatKernels.SiLUForward(x, y), (x, _, y) => Ulps.OfFloat(y, new DoubleDouble(SiLU(x)))), SiLUBound);

    [Fact]
    public void Double_silu_is_within_bound() => Report("double SiLU",
        Measure<double>(DoubleInputs(), (x, _, y) => DoubleKernels.SiLUForward(x, y), (x, _, y) => Ulps.OfDouble(y, Reference.SiLU(x))), SiLUBound);

    [Fact]
    public void Float_tanh_backward_is_within_bound() => Report("float tanh backward, delta (1 - y^2)",
        Measure<float>(FloatOutputs(-1f), (y, d, dx) => FloatKernels.TanhBackward(y, d, dx), (y, d, dx) => Ulps.OfFloat(dx, new DoubleDouble(d * (1d - (y * y))))), BackwardBound);

    [Fact]
    public void Double_tanh_backward_is_within_bound() => Report("double tanh backward, delta (1 - y^2)",
        Measure<double>(DoubleOutputs(-1d), (y, d, dx) => DoubleKernels.TanhBackward(y, d, dx),
            (y, d, dx) => Ulps.OfDouble(dx, new DoubleDouble(d) * (DoubleDouble.One - (new DoubleDouble(y) * y)))), BackwardBound);

    [Fact]
    public void Float_sigmoid_backward_is_within_bound() => Report("float sigmoid backward, delta y (1 - y)",
        Measure<float>(FloatOutputs(0f), (y, d, dx) => FloatKernels.SigmoidBackward(y, d, dx), (y, d, dx) => Ulps.OfFloat(dx, new DoubleDouble(d * y * (1d - y)))), BackwardBound);

    [Fact]
    public void Double_sigmoid_backward_is_within_bound() => Report("double sigmoid backward, delta y (1 - y)",
        Measure<double>(DoubleOutputs(0d), (y, d, dx) => DoubleKernels.SigmoidBackward(y, d, dx),
            (y, d, dx) => Ulps.OfDouble(dx, new DoubleDouble(d) * y * (DoubleDouble.One - y))), BackwardBound);

    /// <summary>
    /// Measured in ulps of the larger of the result and the slope's two terms, s and x s (1 - s), times
    /// delta: at the slope's root (x = -1.278...) they cancel, and no result in the element type is closer than an
    /// ulp or so of them (see SiLUBackward's remarks).
    /// </summary>
    [Fact]
    public void Float_silu_backward_is_within_bound() => Report("float SiLU backward (ulps of the larger term)",
        Measure<float>(FloatInputs(1f, 2f), (x, d, dx) => FloatKernels.SiLUBackward(x, d, dx), (x, d, dx) =>
        {
            double s = Sigmoid(x);
            double second = double.IsInfinity(x) ? 0 : x * s * Sigmoid(-x);
            return Ulps.Relative<float>(dx, new DoubleDouble(d * (s + second)), Math.Abs(d) * Math.Max(Math.Abs(s), Math.Abs(second)));
        }), SiLUBackwardBound);

    /// <inheritdoc cref="Float_silu_backward_is_within_bound"/>
    [Fact]
    public void Double_silu_backward_is_within_bound() => Report("double SiLU backward (ulps of the larger term)",
        Measure<double>(DoubleInputs(), (x, d, dx) => DoubleKernels.SiLUBackward(x, d, dx), (x, d, dx) =>
        {
            var (slope, scale) = Reference.SiLUSlope(x);
            return Ulps.Relative<double>(dx, slope * d, Math.Abs(d) * scale);
        }), SiLUBackwardBound);

    private void Report(string what, (double Max, double At, long Count) result, double bound)
    {
        output.WriteLine($"{what}: max {result.Max:F3} ulps at {result.At:R}, over {result.Count:N0} values " +
            $"(Vector<T> accelerated: {Vector.IsHardwareAccelerated}, Vector<float>.Count = {Vector<float>.Count})");
        Assert.True(result.Max <= bound, $"{what}: {result.Max:F3} ulps at {result.At:R}, above the bound {bound}");
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> on the values in chunks of 65,536 (with random deltas in ±[0.5, 2)
    /// for the backward kernels) and returns the largest error that <paramref name="error"/> gives (value,
    /// delta, result).
    /// </summary>
    private static (double Max, double At, long Count) Measure<T>(IEnumerable<T> values, Kernel<T> kernel, Func<double, double, double, double> error)
        where T : unmanaged
    {
        const int Chunk = 1 << 16;
        var random = new Random(2);
        var inputs = new T[Chunk];
        var deltas = new T[Chunk];
        var results = new T[Chunk];
        double max = 0;
        double at = 0;
        long count = 0;
        int n = 0;
        foreach (T value in values)
        {
            inputs[n] = value;
            deltas[n] = TestNetworks.Scalar.FromDouble<T>((random.NextDouble() * 1.5 + 0.5) * (random.Next(2) == 0 ? 1 : -1));
            if (++n == Chunk)
            {
                Flush();
            }
        }
        Flush();
        return (max, at, count);

        void Flush()
        {
            kernel(inputs.AsSpan(0, n), deltas.AsSpan(0, n), results.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                double x = TestNetworks.Scalar.ToDouble(inputs[i]);
                double e = error(x, TestNetworks.Scalar.ToDouble(deltas[i]), TestNetworks.Scalar.ToDouble(results[i]));
                if (!(e <= max))
                {
                    max = e;
                    at = x;
                }
            }
            count += n;
            n = 0;
        }
    }

    /// <summary>The error of the vector e^x itself, one vector at a time.</summary>
    private static (double Max, double At, long Count) MeasureVectorExp<T>(List<T> values, Func<double, Scaled> reference) where T : unmanaged
    {
        int lanes = Vector<T>.Count;
        var padded = new T[(values.Count + lanes - 1) / lanes * lanes];
        values.CopyTo(padded);
        double max = 0;
        double at = 0;
        for (int k = 0; k < padded.Length; k += lanes)
        {
            var v = new Vector<T>(padded, k);
            Vector<T> e = typeof(T) == typeof(float)
                ? (Vector<T>)(object)default(FloatArithmetic).Exp((Vector<float>)(object)v)
                : (Vector<T>)(object)default(DoubleArithmetic).Exp((Vector<double>)(object)v);
            for (int i = 0; i < lanes && k + i < values.Count; i++)
            {
                double x = TestNetworks.Scalar.ToDouble(v[i]);
                double error = Ulps.Of<T>(TestNetworks.Scalar.ToDouble(e[i]), reference(x));
                if (!(error <= max))
                {
                    max = error;
                    at = x;
                }
            }
        }
        return (max, at, values.Count);
    }

    /// <summary>
    /// Every float in [<paramref name="from"/>, <paramref name="to"/>) and its negative; every 1021st
    /// finite float pattern of either sign (all binades, subnormals included); 200,000 random points in
    /// [-30, 30]; the special values.
    /// </summary>
    private static IEnumerable<float> FloatInputs(float from, float to)
    {
        for (int bits = Portable.Bits(from); bits < Portable.Bits(to); bits++)
        {
            float x = Portable.Single(bits);
            yield return x;
            yield return -x;
        }
        for (int bits = 0; bits < 0x7F800000; bits += 1021)
        {
            float x = Portable.Single(bits);
            yield return x;
            yield return -x;
        }
        var random = new Random(3);
        for (int i = 0; i < 200_000; i++)
        {
            yield return (float)((random.NextDouble() - 0.5) * 60);
        }
        foreach (float x in Specials)
        {
            yield return x;
        }
    }

    private static readonly float[] Specials =
    {
        0f, -0f, float.Epsilon, -float.Epsilon, 1e-8f, -1e-8f, 20f, -20f, 1000f, -1000f, float.MaxValue, -float.MaxValue,
        float.PositiveInfinity, float.NegativeInfinity, float.NaN,
    };

    /// <summary>
    /// Outputs of tanh (from -1) or sigmoid (from 0) for the backward kernels: every float in [0.5, 1) and,
    /// for tanh, its negative (where 1 - y^2 is small); every 1021st float pattern below 1; the ends.
    /// </summary>
    private static IEnumerable<float> FloatOutputs(float lowest)
    {
        for (int bits = Portable.Bits(0.5f); bits < Portable.Bits(1f); bits++)
        {
            float y = Portable.Single(bits);
            yield return y;
            if (lowest < 0)
            {
                yield return -y;
            }
        }
        for (int bits = 0; bits < Portable.Bits(1f); bits += 1021)
        {
            float y = Portable.Single(bits);
            yield return y;
            if (lowest < 0)
            {
                yield return -y;
            }
        }
        yield return 1f;
        yield return lowest;
        yield return 0f;
    }

    /// <summary>
    /// 440,000 doubles: 100,000 uniform in [-40, 40]; 100,000 of random sign and magnitude 2^u, u uniform
    /// in [-1074, 10]; 20,000 consecutive doubles on each side of ±0.625, where tanh changes method;
    /// 100,000 bit patterns evenly spaced over all finite doubles, both signs; the special values.
    /// </summary>
    private static IEnumerable<double> DoubleInputs()
    {
        var random = new Random(4);
        for (int i = 0; i < 100_000; i++)
        {
            yield return (random.NextDouble() - 0.5) * 80;
        }
        for (int i = 0; i < 100_000; i++)
        {
            yield return Math.Pow(2, (random.NextDouble() * 1084) - 1074) * (random.Next(2) == 0 ? 1 : -1);
        }
        long switchBits = BitConverter.DoubleToInt64Bits(0.625);
        for (long bits = switchBits - 10_000; bits < switchBits + 10_000; bits++)
        {
            yield return BitConverter.Int64BitsToDouble(bits);
            yield return -BitConverter.Int64BitsToDouble(bits);
        }
        const long Step = 0x7FF0000000000000L / 50_000;
        for (long bits = 0; bits < 0x7FF0000000000000L; bits += Step)
        {
            yield return BitConverter.Int64BitsToDouble(bits);
            yield return -BitConverter.Int64BitsToDouble(bits);
        }
        foreach (float x in Specials)
        {
            yield return x;
        }
        yield return double.MaxValue;
        yield return -double.MaxValue;
        yield return double.Epsilon;
    }

    /// <summary>Outputs for the double backward kernels: 200,000 uniform in [lowest, 1], 100,000 just below 1 and the ends.</summary>
    private static IEnumerable<double> DoubleOutputs(double lowest)
    {
        var random = new Random(5);
        for (int i = 0; i < 200_000; i++)
        {
            yield return lowest + (random.NextDouble() * (1 - lowest));
        }
        for (int i = 0; i < 100_000; i++)
        {
            double y = 1 - Math.Pow(2, -1 - (random.NextDouble() * 52));
            yield return lowest < 0 && random.Next(2) == 0 ? -y : y;
        }
        yield return 1d;
        yield return lowest;
        yield return 0d;
    }

    /// <summary>The sigmoid in double: 1 / (1 + e^-x) for x &gt;= 0, e^x / (1 + e^x) below.</summary>
    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static double SiLU(double x) => double.IsInfinity(x) ? (x > 0 ? x : -0d) : x * Sigmoid(x);
}
