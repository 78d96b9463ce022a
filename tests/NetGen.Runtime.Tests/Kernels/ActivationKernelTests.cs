using System;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The elementwise activation kernels: every length from 0 to 70 (so that every whole-vector count and
/// every tail length runs, for 4, 8 and 16 lanes), in place and out of place, with nothing written past
/// the end; a value's result does not depend on where it sits; the special values (±0, ±infinity, NaN,
/// the largest and the subnormal values) give exactly what the kernels' documentation says.
/// </summary>
public class ActivationKernelTests
{
    private const double Slope = 0.01;

    /// <summary>A kernel as (values, deltas, result); forward kernels ignore the deltas.</summary>
    private delegate void Kernel<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> deltas, Span<T> result);

    public static TheoryData<string> Names => new()
    {
        "TanhForward", "TanhBackward", "SigmoidForward", "SigmoidBackward", "SiLUForward", "SiLUBackward", "LeakyReLUForward", "LeakyReLUBackward",
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Float_every_length_matches_element_by_element_in_place_and_not(string name) => EveryLength<float>(name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Double_every_length_matches_element_by_element_in_place_and_not(string name) => EveryLength<double>(name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Float_special_values(string name) => SpecialValues<float>(name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Double_special_values(string name) => SpecialValues<double>(name);

    [Fact]
    public void Tanh_is_odd_to_the_bit()
    {
        var random = new Random(6);
        var x = new float[1000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() - 0.5) * 12);
        }
        float[] negated = Array.ConvertAll(x, v => -v);
        var y = new float[x.Length];
        var z = new float[x.Length];
        FloatKernels.TanhForward(x, y);
        FloatKernels.TanhForward(negated, z);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(Portable.Bits(-y[i]), Portable.Bits(z[i]));
        }
    }

    [Fact]
    public void Tiny_tanh_keeps_full_relative_precision()
    {
        float[] x = { 1e-8f, -3e-7f, 1e-20f, 1.17549435e-38f, 1e-40f };
        var y = new float[x.Length];
        FloatKernels.TanhForward(x, y);
        Assert.Equal(x, y);
        double[] xd = { 1e-8, -3e-9, 1e-200, 2.2250738585072014e-308, 5e-320 };
        var yd = new double[xd.Length];
        DoubleKernels.TanhForward(xd, yd);
        Assert.Equal(xd, yd);
    }

    [Fact]
    public void Subnormal_silu_is_rounded_once()
    {
        // SiLU(-100) = -100 e^-100 / (1 + e^-100) = -3.7200759760208361e-42, a float subnormal: the kernel
        // must not round e^-100 to a few bits and then multiply by 100 (that would be 50 ulps off).
        float[] x = { -100f };
        var y = new float[1];
        FloatKernels.SiLUForward(x, y);
        double exact = -100 * Math.Exp(-100) / (1 + Math.Exp(-100));
        Assert.True(Ulps.OfFloat(y[0], new DoubleDouble(exact)) <= 1, $"{y[0]:R} against {exact:R}");
    }

    private static void EveryLength<T>(string name) where T : unmanaged
    {
        Kernel<T> kernel = Find<T>(name);
        var random = new Random(7);
        T sentinel = Scalar.FromDouble<T>(12345);
        for (int n = 0; n <= 70; n++)
        {
            var values = new T[n];
            var deltas = new T[n];
            for (int i = 0; i < n; i++)
            {
                values[i] = Scalar.FromDouble<T>(InputFor(name, random));
                deltas[i] = Scalar.FromDouble<T>((random.NextDouble() - 0.5) * 4);
            }

            // Element by element, each value alone (the tail path).
            var expected = new T[n];
            for (int i = 0; i < n; i++)
            {
                var one = new T[1];
                kernel(values.AsSpan(i, 1), deltas.AsSpan(i, 1), one);
                expected[i] = one[0];
                Assert.True(Close(Formula(name, Scalar.ToDouble(values[i]), Scalar.ToDouble(deltas[i])), Scalar.ToDouble(one[0]), typeof(T) == typeof(float)),
                    $"{name}({Scalar.ToDouble(values[i]):R}) = {Scalar.ToDouble(one[0]):R}, expected about {Formula(name, Scalar.ToDouble(values[i]), Scalar.ToDouble(deltas[i])):R}");
            }

            // Out of place, into a longer span whose end must stay untouched.
            var result = new T[n + 5];
            result.AsSpan().Fill(sentinel);
            kernel(values, deltas, result);
            AssertSame(expected, result.AsSpan(0, n), name, n, "out of place");
            for (int i = n; i < result.Length; i++)
            {
                Assert.Equal(sentinel, result[i]);
            }

            // In place: y over x for the forward kernels, dx over delta for the backward ones.
            if (name.EndsWith("Forward", StringComparison.Ordinal))
            {
                var buffer = (T[])values.Clone();
                kernel(buffer, deltas, buffer);
                AssertSame(expected, buffer, name, n, "in place");
            }
            else
            {
                var buffer = (T[])deltas.Clone();
                kernel(values, buffer, buffer);
                AssertSame(expected, buffer, name, n, "in place");
            }
        }
    }

    private static void SpecialValues<T>(string name) where T : unmanaged
    {
        Kernel<T> kernel = Find<T>(name);
        bool isFloat = typeof(T) == typeof(float);
        double max = isFloat ? float.MaxValue : double.MaxValue;
        double tiny = isFloat ? float.Epsilon : double.Epsilon;
        double smallestNormal = isFloat ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
        double inf = double.PositiveInfinity;
        double nan = double.NaN;
        double slope = Scalar.ToDouble(Scalar.FromDouble<T>(Slope));
        // (value, delta, expected); Zero stands for a zero of either sign, where the sign is not promised.
        (double Value, double Delta, double Expected)[] cases = name switch
        {
            "TanhForward" => new[]
            {
                (0d, 0d, 0d), (-0d, 0d, -0d), (inf, 0d, 1d), (-inf, 0d, -1d), (nan, 0d, nan), (20d, 0d, 1d), (-20d, 0d, -1d),
                (max, 0d, 1d), (-max, 0d, -1d), (tiny, 0d, tiny), (-tiny, 0d, -tiny), (smallestNormal, 0d, smallestNormal),
            },
            "SigmoidForward" => new[]
            {
                (0d, 0d, 0.5), (-0d, 0d, 0.5), (inf, 0d, 1d), (-inf, 0d, 0d), (nan, 0d, nan), (1000d, 0d, 1d), (-1000d, 0d, 0d),
                (max, 0d, 1d), (-max, 0d, 0d), (tiny, 0d, 0.5),
            },
            "SiLUForward" => new[]
            {
                (0d, 0d, 0d), (-0d, 0d, -0d), (inf, 0d, inf), (-inf, 0d, Zero), (nan, 0d, nan), (1000d, 0d, 1000d), (-1000d, 0d, Zero),
                (max, 0d, max), (-max, 0d, Zero),
            },
            "LeakyReLUForward" => new[]
            {
                (0d, 0d, 0d), (-0d, 0d, -0d), (inf, 0d, inf), (-inf, 0d, -inf), (nan, 0d, nan), (3d, 0d, 3d), (-2d, 0d, Scalar.ToDouble(Multiply<T>(-2, slope))),
                (-max, 0d, Scalar.ToDouble(Multiply<T>(-max, slope))), (-tiny, 0d, Scalar.ToDouble(Multiply<T>(-tiny, slope))),
            },
            "TanhBackward" => new[]
            {
                (1d, 2d, 0d), (-1d, 2d, 0d), (0d, 2d, 2d), (nan, 2d, nan), (0.5, nan, nan), (0.5, inf, inf),
            },
            "SigmoidBackward" => new[]
            {
                (0d, 2d, 0d), (1d, 2d, 0d), (0.5, 2d, 0.5), (nan, 2d, nan), (0.5, nan, nan),
            },
            "SiLUBackward" => new[]
            {
                (0d, 2d, 1d), (inf, 2d, 2d), (-inf, 2d, Zero), (nan, 2d, nan), (1000d, 2d, 2d), (-1000d, 2d, Zero), (max, 2d, 2d), (-max, 2d, Zero),
                (0.5, nan, nan),
            },
            "LeakyReLUBackward" => new[]
            {
                (0d, 2d, 2d), (-0d, 2d, 2d), (inf, 2d, 2d), (-inf, 2d, Scalar.ToDouble(Multiply<T>(2, slope))), (-1d, 2d, Scalar.ToDouble(Multiply<T>(2, slope))),
                // A NaN input takes the negative side (documented on LeakyReLUBackward).
                (nan, 2d, Scalar.ToDouble(Multiply<T>(2, slope))), (1d, nan, nan),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        // All cases in one span (vector lanes and tail alike), then each alone.
        var values = Array.ConvertAll(cases, c => Scalar.FromDouble<T>(c.Value));
        var deltas = Array.ConvertAll(cases, c => Scalar.FromDouble<T>(c.Delta));
        var together = new T[cases.Length];
        kernel(values, deltas, together);
        for (int i = 0; i < cases.Length; i++)
        {
            var alone = new T[1];
            kernel(values.AsSpan(i, 1), deltas.AsSpan(i, 1), alone);
            foreach (T actual in new[] { together[i], alone[0] })
            {
                double got = Scalar.ToDouble(actual);
                double want = cases[i].Expected;
                string what = $"{name}({cases[i].Value:R}, delta {cases[i].Delta:R}) = {got:R}, expected {want:R}";
                if (BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(Zero))
                {
                    Assert.True(got == 0, what);
                }
                else if (double.IsNaN(want))
                {
                    Assert.True(double.IsNaN(got), what);
                }
                else
                {
                    // Exact, the sign of zero included.
                    Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got), what);
                }
            }
        }
    }

    /// <summary>Marks an expected zero whose sign is not promised (a NaN payload no kernel produces).</summary>
    private static readonly double Zero = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_2A2AL);

    private static T Multiply<T>(double a, double b) where T : unmanaged
        => Scalar.FromDouble<T>(Scalar.ToDouble(Scalar.FromDouble<T>(a)) * Scalar.ToDouble(Scalar.FromDouble<T>(b)));

    private static Kernel<T> Find<T>(string name) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Kernel<float> kernel = name switch
            {
                "TanhForward" => (x, _, y) => FloatKernels.TanhForward(x, y),
                "TanhBackward" => FloatKernels.TanhBackward,
                "SigmoidForward" => (x, _, y) => FloatKernels.SigmoidForward(x, y),
                "SigmoidBackward" => FloatKernels.SigmoidBackward,
                "SiLUForward" => (x, _, y) => FloatKernels.SiLUForward(x, y),
                "SiLUBackward" => FloatKernels.SiLUBackward,
                "LeakyReLUForward" => (x, _, y) => FloatKernels.LeakyReLUForward(x, y, (float)Slope),
                "LeakyReLUBackward" => (x, d, dx) => FloatKernels.LeakyReLUBackward(x, d, dx, (float)Slope),
                _ => throw new ArgumentOutOfRangeException(nameof(name)),
            };
            return (Kernel<T>)(object)kernel;
        }
        Kernel<double> doubles = name switch
        {
            "TanhForward" => (x, _, y) => DoubleKernels.TanhForward(x, y),
            "TanhBackward" => DoubleKernels.TanhBackward,
            "SigmoidForward" => (x, _, y) => DoubleKernels.SigmoidForward(x, y),
            "SigmoidBackward" => DoubleKernels.SigmoidBackward,
            "SiLUForward" => (x, _, y) => DoubleKernels.SiLUForward(x, y),
            "SiLUBackward" => DoubleKernels.SiLUBackward,
            "LeakyReLUForward" => (x, _, y) => DoubleKernels.LeakyReLUForward(x, y, Slope),
            "LeakyReLUBackward" => (x, d, dx) => DoubleKernels.LeakyReLUBackward(x, d, dx, Slope),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        return (Kernel<T>)(object)doubles;
    }

    /// <summary>Inputs that reach every path: tanh and sigmoid outputs for their backward kernels, and for the others both tanh methods, both signs, e^x near 0 and a subnormal SiLU.</summary>
    private static double InputFor(string name, Random random) => name switch
    {
        "TanhBackward" => (random.NextDouble() * 2) - 1,
        "SigmoidBackward" => random.NextDouble(),
        _ => random.Next(10) switch
        {
            0 => (random.NextDouble() - 0.5) * 1.2,
            1 => -90 - (random.NextDouble() * 10),
            _ => (random.NextDouble() - 0.5) * 16,
        },
    };

    /// <summary>The kernel's formula in double, plainly.</summary>
    private static double Formula(string name, double v, double d)
    {
        double s = 1 / (1 + Math.Exp(-v));
        return name switch
        {
            "TanhForward" => Math.Tanh(v),
            "TanhBackward" => d * (1 - (v * v)),
            "SigmoidForward" => s,
            "SigmoidBackward" => d * v * (1 - v),
            "SiLUForward" => v * s,
            "SiLUBackward" => d * (s + (v * s * (1 - s))),
            "LeakyReLUForward" => v >= 0 ? v : Slope * v,
            "LeakyReLUBackward" => d * (v >= 0 ? 1 : Slope),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static bool Close(double expected, double actual, bool isFloat)
        => Math.Abs(expected - actual) <= (isFloat ? 1e-6 : 1e-14) * (1 + Math.Abs(expected));

    private static void AssertSame<T>(T[] expected, Span<T> actual, string name, int n, string how) where T : unmanaged
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double want = Scalar.ToDouble(expected[i]);
            double got = Scalar.ToDouble(actual[i]);
            Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got),
                $"{name}, length {n}, {how}: [{i}] = {got:R}, but alone it gives {want:R}");
        }
    }
}
