// The written-out forward and its activations exist only in the library's net8.0 build (Vector512), so the
// .NET Framework build of this suite, run on Mono, has nothing here to test.
#if NET8_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The written-out forward's LeakyReLU, sigmoid and SiLU (<see cref="FloatKernels.LaneSiLU(Vector512{float})"/>
/// and the rest) promise the shared kernels' bits on whole vectors: checked on floats spread over the whole
/// range of both signs (every 4099th bit pattern), around 0 and the clamps, and the special values, in
/// 512- and 256-bit vectors. They run only where the written-out forward runs (AVX-512); elsewhere the test
/// says so and checks nothing else.
/// </summary>
public class LaneActivationTests(ITestOutputHelper output)
{
    private static float[] Samples()
    {
        var values = new List<float>();
        for (long bits = 0; bits <= 0x7F800000L; bits += 4099)
        {
            float x = BitConverter.Int32BitsToSingle((int)bits);
            values.Add(x);
            values.Add(-x);
        }
        for (float x = -20f; x <= 20f; x += 0.001953125f)
        {
            values.Add(x);
        }
        values.AddRange(new[]
        {
            0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue,
            87.5f, 88.7f, 89f, 89.5f, -87.5f, -103.9f, -104f, -149f, -150f, -151f, -999f, -1000f, -1001f, 1000f, 1e-30f, -1e-30f,
        });
        while (values.Count % 16 != 0)
        {
            values.Add(1f);
        }
        return values.ToArray();
    }

    public static TheoryData<string> Activations => new() { "SiLU", "Sigmoid", "LeakyReLU 0.2", "LeakyReLU -1.5" };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Lane_activation_gives_the_shared_kernels_bits(string activation)
    {
        if (!FloatKernels.LanesAccelerated)
        {
            output.WriteLine("512-bit vectors are not accelerated here: the written-out forward (and its activations) does not run.");
            return;
        }
        float[] x = Samples();
        var shared = new float[x.Length];
        float slope = activation switch { "LeakyReLU 0.2" => 0.2f, "LeakyReLU -1.5" => -1.5f, _ => 0f };
        Func<Vector512<float>, Vector512<float>> lane512;
        Func<Vector256<float>, Vector256<float>> lane256;
        switch (activation)
        {
            case "SiLU":
                FloatKernels.SiLUForward(x, shared);
                lane512 = FloatKernels.LaneSiLU;
                lane256 = FloatKernels.LaneSiLU;
                break;
            case "Sigmoid":
                FloatKernels.SigmoidForward(x, shared);
                lane512 = FloatKernels.LaneSigmoid;
                lane256 = FloatKernels.LaneSigmoid;
                break;
            default:
                FloatKernels.LeakyReLUForward(x, shared, slope);
                lane512 = v => FloatKernels.LaneLeakyReLU(v, slope);
                lane256 = v => FloatKernels.LaneLeakyReLU(v, slope);
                break;
        }
        int compared = 0;
        for (int start = 0; start < x.Length; start += 16)
        {
            Vector512<float> y512 = lane512(Vector512.Create(x.AsSpan(start, 16)));
            Vector256<float> low = lane256(Vector256.Create(x.AsSpan(start, 8)));
            Vector256<float> high = lane256(Vector256.Create(x.AsSpan(start + 8, 8)));
            for (int k = 0; k < 16; k++)
            {
                float expected = shared[start + k];
                AssertSameBits(expected, y512.GetElement(k), activation, x[start + k], "512-bit");
                AssertSameBits(expected, (k < 8 ? low : high).GetElement(k % 8), activation, x[start + k], "256-bit");
                compared++;
            }
        }
        output.WriteLine($"{activation}: {compared} values, the shared kernels' bits in 512- and 256-bit vectors.");
    }

    private static void AssertSameBits(float expected, float actual, string activation, float x, string width)
    {
        if (float.IsNaN(expected))
        {
            Assert.True(float.IsNaN(actual), $"{activation} ({width}) of {x:R}: {actual:R}, the shared kernels give NaN.");
            return;
        }
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"{activation} ({width}) of {x:R}: {actual:R}, the shared kernels give {expected:R}.");
    }
}
#endif
