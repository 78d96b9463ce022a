// The written-out forward and its tanh exist only in the library's net8.0 build (Vector512), so the
// .NET Framework build of this suite, run on Mono, has nothing here to test.
#if NET8_0_OR_GREATER
using System;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The written-out forward's tanh (<see cref="FloatKernels.LaneTanh(Vector512{float})"/>, a rational
/// without exp) against Math.Tanh, in float ulps at the exact value: every 101st float of [0, 10]
/// and every float of [4, 8), where its error peaks, both signs, and the special values. It only
/// runs where the written-out forward runs (AVX-512); elsewhere it says so and checks nothing else.
/// </summary>
public class LaneTanhTests(ITestOutputHelper output)
{
    /// <summary>The bound stated in LaneTanh's documentation; the measured maximum is printed.</summary>
    private const double Bound = 6;

    [Fact]
    public void Lane_tanh_is_within_six_ulps_of_tanh_over_every_float_sampled()
    {
        if (!FloatKernels.LanesAccelerated)
        {
            output.WriteLine("512-bit vectors are not accelerated here: the written-out forward (and its tanh) does not run.");
            return;
        }
        double worst = 0;
        float worstAt = 0;
        var block = new float[16];
        int filled = 0;
        void Flush()
        {
            Vector512<float> y512 = FloatKernels.LaneTanh(Vector512.Create(block));
            Vector256<float> y256 = FloatKernels.LaneTanh(Vector256.Create(block.AsSpan(0, 8)));
            for (int k = 0; k < filled; k++)
            {
                var exact = new DoubleDouble(Math.Tanh(block[k]));
                double error = Ulps.OfFloat(y512.GetElement(k), exact);
                if (k < 8)
                {
                    // The 256-bit twin computes the same operations, so the same bits.
                    Assert.Equal(y512.GetElement(k), y256.GetElement(k));
                }
                if (error > worst)
                {
                    worst = error;
                    worstAt = block[k];
                }
            }
            filled = 0;
        }
        void Add(float x)
        {
            block[filled++] = x;
            if (filled == 16)
            {
                Flush();
            }
        }
        for (int bits = 0; BitConverter.Int32BitsToSingle(bits) <= 10f; bits += 101)
        {
            float x = BitConverter.Int32BitsToSingle(bits);
            Add(x);
            Add(-x);
        }
        // Every float of the binade where the roundings of P, Q and their quotient weigh most against tanh's ulp below 1.
        for (int bits = BitConverter.SingleToInt32Bits(4f); bits < BitConverter.SingleToInt32Bits(8f); bits++)
        {
            Add(BitConverter.Int32BitsToSingle(bits));
        }
        foreach (float x in new[] { 9f, 9.5f, 20f, float.MaxValue, float.PositiveInfinity, float.Epsilon, 1e-30f })
        {
            Add(x);
            Add(-x);
        }
        Flush();
        output.WriteLine($"LaneTanh: at most {worst:0.000} ulps (at x = {worstAt:R}).");
        Assert.True(worst <= Bound, $"LaneTanh is {worst} ulps off at x = {worstAt:R}; the documented bound is {Bound}.");
    }

    [Fact]
    public void Lane_tanh_keeps_nan_signed_zero_and_the_limits()
    {
        if (!FloatKernels.LanesAccelerated)
        {
            output.WriteLine("512-bit vectors are not accelerated here: the written-out forward does not run.");
            return;
        }
        Vector512<float> y = FloatKernels.LaneTanh(Vector512.Create(float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, 9f, -9f, 30f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f));
        Assert.True(float.IsNaN(y.GetElement(0)));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(y.GetElement(1)));
        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(y.GetElement(2)));
        Assert.Equal(1f, y.GetElement(3));
        Assert.Equal(-1f, y.GetElement(4));
        Assert.Equal(1f, y.GetElement(5));
        Assert.Equal(-1f, y.GetElement(6));
        Assert.True(FloatKernels.LaneTanh(Vector512.Create(8.99f)).GetElement(0) <= 1f);
        // The clamp: from 8.9 on (where the rational rounds to exactly 1) every input gives exactly ±1, on both widths.
        Assert.Equal(1f, FloatKernels.LaneTanh(Vector512.Create(8.9f)).GetElement(0));
        Assert.Equal(-1f, FloatKernels.LaneTanh(Vector512.Create(-8.9f)).GetElement(0));
        Assert.Equal(1f, FloatKernels.LaneTanh(Vector256.Create(8.9f)).GetElement(0));
        Assert.Equal(-1f, FloatKernels.LaneTanh(Vector256.Create(-8.9f)).GetElement(0));
        Assert.Equal(1f, y.GetElement(7));
        Vector512<float> relu = FloatKernels.LaneReLU(Vector512.Create(float.NaN, -0f, -1f, 2f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f));
        Assert.True(float.IsNaN(relu.GetElement(0)));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(relu.GetElement(1)));
        Assert.Equal(0f, relu.GetElement(2));
        Assert.Equal(2f, relu.GetElement(3));
    }
}
#endif
