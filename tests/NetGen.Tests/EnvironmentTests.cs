using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests;

/// <summary>
/// CI runs the suite under several vector configurations (DOTNET_MaxVectorTBitWidth=512, the default,
/// DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0). This test prints what the runtime chose and fails
/// if a configuration that was asked for did not take effect, so a green run proves which one ran.
/// </summary>
public class EnvironmentTests(ITestOutputHelper output)
{
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

        Assert.Equal(2 * Vector<double>.Count, Vector<float>.Count);
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
}
