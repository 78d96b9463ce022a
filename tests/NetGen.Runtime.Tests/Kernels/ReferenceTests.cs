using System;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The double-double references that the accuracy tests measure against must themselves be right far
/// beyond a double's precision: against values computed with mpmath at 50 digits, and against the
/// platform's double maths library everywhere else.
/// </summary>
public class ReferenceTests
{
    // (function, x, the exact value's double-double: hi, lo), from python3 -c "import mpmath" at 50 digits.
    [Theory]
    [InlineData("Exp", 1, 2.718281828459045, 1.4456468917292502e-16)]
    [InlineData("Exp", -3.4375, 0.03214494732687607, 2.6873065639203513e-18)]
    [InlineData("Exp", 700.5, 1.6721859620674984e+304, 1.0957735777569338e+288)]
    [InlineData("Tanh", 0.5, 0.46211715726000974, 2.1916603238260928e-17)]
    [InlineData("Tanh", 1e-05, 9.999999999666668e-06, -4.5758701526937e-22)]
    [InlineData("Tanh", -0.625, -0.5545997223493823, -3.145617845100655e-17)]
    [InlineData("Tanh", 7.25, 0.9999989913051835, 4.825784794213681e-17)]
    [InlineData("Sigmoid", -3.4375, 0.031143830534778462, 4.73667120427322e-19)]
    [InlineData("Sigmoid", 2.5, 0.9241418199787564, 8.549720986121e-18)]
    [InlineData("SiLU", -1.25, -0.27837517353163604, -2.1973251891564276e-17)]
    public void Agrees_with_mpmath_to_thirty_digits(string function, double x, double hi, double lo)
    {
        Scaled value = function switch
        {
            "Exp" => Reference.Exp(x),
            "Tanh" => Reference.Tanh(x),
            "Sigmoid" => Reference.Sigmoid(x),
            "SiLU" => Reference.SiLU(x),
            _ => throw new ArgumentOutOfRangeException(nameof(function)),
        };
        var exact = new DoubleDouble(hi, lo);
        double relative = Math.Abs((new DoubleDouble(Portable.ScaleB(value.Mantissa.Hi, value.Exponent)) + Portable.ScaleB(value.Mantissa.Lo, value.Exponent) - exact).Hi / hi);
        Assert.True(relative < 1e-29, $"{function}({x:R}): relative error {relative:E3}");
    }

    [Fact]
    public void Exp_far_below_the_double_range_keeps_its_bits()
    {
        // e^-1000 = 1.2353836233019893... * 2^-1443 (mpmath).
        Scaled value = Reference.Exp(-1000);
        double mantissa = Portable.ScaleB(value.Mantissa.Hi, value.Exponent + 1443) + Portable.ScaleB(value.Mantissa.Lo, value.Exponent + 1443);
        Assert.Equal(1.2353836233019893, mantissa, 15);
    }

    [Fact]
    public void Agrees_with_the_platform_maths_library_to_an_ulp()
    {
        var random = new Random(8);
        for (int i = 0; i < 20_000; i++)
        {
            double x = (random.NextDouble() - 0.5) * 80;
            Assert.True(Ulps.OfDouble(Math.Exp(x), Reference.Exp(x)) <= 1, $"exp({x:R})");
            Assert.True(Ulps.OfDouble(Math.Tanh(x), Reference.Tanh(x)) <= 2, $"tanh({x:R})");
            double tiny = x * Math.Pow(10, -random.Next(1, 300));
            Assert.True(Ulps.OfDouble(Math.Tanh(tiny), Reference.Tanh(tiny)) <= 2, $"tanh({tiny:R})");
        }
    }

    [Fact]
    public void The_silu_slope_keeps_its_digits_next_to_its_root()
    {
        // The root is -1.2784645427610737951...; at the double nearest it, mpmath gives the slope
        // -2.452007938935708e-17 and the larger term 0.2178117057198001: sixteen digits cancel.
        var (slope, scale) = Reference.SiLUSlope(-1.2784645427610738);
        Assert.True(Math.Abs((slope.ToDouble() / -2.452007938935708e-17) - 1) < 1e-12, $"{slope.ToDouble():R}");
        Assert.Equal(0.2178117057198001, scale, 15);
    }

    [Fact]
    public void Ulps_are_counted_in_the_element_type()
    {
        Assert.Equal(1, Ulps.OfFloat(Portable.BitIncrement(1.5f), new DoubleDouble(1.5)));
        Assert.Equal(1, Ulps.OfDouble(Portable.BitIncrement(1.5), new DoubleDouble(1.5)));
        // Just below a power of two the ulp is half as large.
        Assert.Equal(1, Ulps.OfFloat(Portable.BitDecrement(Portable.BitDecrement(1f)), new DoubleDouble(Portable.BitDecrement(1f))));
        // Subnormals: 2^-149 is one ulp of float at 0.
        Assert.Equal(1, Ulps.OfFloat(float.Epsilon, new DoubleDouble(0d)));
        Assert.Equal(0.5, Ulps.OfFloat(0d, new DoubleDouble(float.Epsilon / 2d)));
        // Past the largest float plus half an ulp, infinity is exact.
        Assert.Equal(0, Ulps.OfFloat(float.PositiveInfinity, new DoubleDouble(3.5e38)));
        Assert.Equal(double.PositiveInfinity, Ulps.OfFloat(float.MaxValue, new DoubleDouble(3.5e38)));
        Assert.Equal(0, Ulps.OfFloat(double.NaN, new DoubleDouble(double.NaN)));
        Assert.Equal(double.PositiveInfinity, Ulps.OfFloat(1, new DoubleDouble(double.NaN)));
    }
}
