using System;
using System.Numerics;
#if NET
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif
using Xunit;
using Xunit.Abstractions;

namespace NetGen.NumericTests;

/// <summary>
/// CI runs the suite under several vector configurations (DOTNET_MaxVectorTBitWidth=512, the default,
/// DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0). This test prints what the runtime chose and fails
/// if a configuration that was asked for did not take effect, so a green run proves which one ran.
/// </summary>
public class EnvironmentTests(ITestOutputHelper output)
{
#if NET
    [Fact]
    public void Vector_width_matches_the_requested_configuration()
    {
        string? maxWidth = Environment.GetEnvironmentVariable("DOTNET_MaxVectorTBitWidth");
        string? avx2 = Environment.GetEnvironmentVariable("DOTNET_EnableAVX2");
        string? hwIntrinsic = Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic");
        output.WriteLine(
            $"DOTNET_MaxVectorTBitWidth={maxWidth ?? "(unset)"} DOTNET_EnableAVX2={avx2 ?? "(unset)"} DOTNET_EnableHWIntrinsic={hwIntrinsic ?? "(unset)"}");
        output.WriteLine(
            $"Vector<float>.Count={Vector<float>.Count} Vector<double>.Count={Vector<double>.Count} Vector.IsHardwareAccelerated={Vector.IsHardwareAccelerated} " +
            $"Vector256.IsHardwareAccelerated={Vector256.IsHardwareAccelerated} Vector512.IsHardwareAccelerated={Vector512.IsHardwareAccelerated} " +
            $"Avx2={Avx2.IsSupported} Avx512F={Avx512F.IsSupported} Arch={System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}");

        // What the generated passes decide from the width: feature-major from one vector of samples on,
        // where vectors are accelerated, and never below it (a kernel built for another width would not agree).
        Assert.Equal(Vector.IsHardwareAccelerated, NetGen.Runtime.FloatKernels.UseColumns(Vector<float>.Count));
        Assert.Equal(Vector.IsHardwareAccelerated, NetGen.Runtime.DoubleKernels.UseColumns(Vector<double>.Count));
        Assert.False(NetGen.Runtime.FloatKernels.UseColumns(Vector<float>.Count - 1));
        Assert.False(NetGen.Runtime.DoubleKernels.UseColumns(Vector<double>.Count - 1));
        bool x86 = Sse.IsSupported || hwIntrinsic == "0"; // expectations below are for x86/x64 machines, where CI runs
        if (hwIntrinsic == "0")
        {
            Assert.False(Vector.IsHardwareAccelerated, "DOTNET_EnableHWIntrinsic=0 should turn Vector<T> acceleration off");
            Assert.False(Sse.IsSupported);
            Assert.Equal(4, Vector<float>.Count);
        }
        else if (avx2 == "0" && x86)
        {
            Assert.True(Vector.IsHardwareAccelerated);
            Assert.False(Avx2.IsSupported, "DOTNET_EnableAVX2=0 should turn AVX2 off");
            Assert.Equal(4, Vector<float>.Count);
        }
        else if (maxWidth == "512" && x86)
        {
            Assert.True(Vector.IsHardwareAccelerated);
            int expected = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;
            if (Avx512F.IsSupported)
            {
                Assert.Equal(16, expected);
            }
            Assert.Equal(expected, Vector<float>.Count);
        }
        else if (maxWidth is null && avx2 is null && hwIntrinsic is null && x86)
        {
            // The default: Vector<T> is 256 bits where AVX2 is there, even on AVX-512 hardware.
            Assert.True(Vector.IsHardwareAccelerated);
            Assert.Equal(Avx2.IsSupported ? 8 : 4, Vector<float>.Count);
        }
        else
        {
            Assert.True(Vector<float>.Count >= 4, "an unexpected configuration, but Vector<float> has at least 4 lanes everywhere .NET runs");
        }
    }
#else
    /// <summary>
    /// The .NET Framework build of the suite, which CI runs on Debian's Mono: NETGEN_EXPECT_MONO=1 makes
    /// sure it really ran there (and not on a Windows .NET Framework), NETGEN_EXPECT_VECTORS that the
    /// vector path asked for is the one that ran, and the log says which Mono it was.
    /// </summary>
    [Fact]
    public void Runtime_is_the_one_CI_asked_for()
    {
        Type? mono = Type.GetType("Mono.Runtime");
        string? version = mono?.GetMethod("GetDisplayName", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)?.Invoke(null, null) as string;
        string line =
            $"Runtime={(mono is null ? ".NET Framework" : "Mono " + version)} Vector<float>.Count={Vector<float>.Count} " +
            $"Vector<double>.Count={Vector<double>.Count} Vector.IsHardwareAccelerated={Vector.IsHardwareAccelerated} Is64Bit={Environment.Is64BitProcess}";
        output.WriteLine(line);
        Console.WriteLine(line); // the .NET Framework console runner shows no test output, and CI's log should say what ran

        // What the generated passes decide from the width: feature-major from one vector of samples on,
        // where vectors are accelerated, and never below it (a kernel built for another width would not agree).
        Assert.Equal(Vector.IsHardwareAccelerated, NetGen.Runtime.FloatKernels.UseColumns(Vector<float>.Count));
        Assert.Equal(Vector.IsHardwareAccelerated, NetGen.Runtime.DoubleKernels.UseColumns(Vector<double>.Count));
        Assert.False(NetGen.Runtime.FloatKernels.UseColumns(Vector<float>.Count - 1));
        Assert.False(NetGen.Runtime.DoubleKernels.UseColumns(Vector<double>.Count - 1));
        if (Environment.GetEnvironmentVariable("NETGEN_EXPECT_MONO") == "1")
        {
            Assert.True(mono is not null, "NETGEN_EXPECT_MONO=1, but this is not Mono");
        }

        // CI runs Mono twice: with its SIMD intrinsics (the default) and without (MONO_ENV_OPTIONS=-O=-simd),
        // so that both the vector kernels and their scalar twins run there.
        string? vectors = Environment.GetEnvironmentVariable("NETGEN_EXPECT_VECTORS");
        if (vectors == "accelerated") Assert.True(Vector.IsHardwareAccelerated, "NETGEN_EXPECT_VECTORS=accelerated, but Vector<T> is not");
        if (vectors == "scalar") Assert.False(Vector.IsHardwareAccelerated, "NETGEN_EXPECT_VECTORS=scalar, but Vector<T> is accelerated");
    }
#endif
}
