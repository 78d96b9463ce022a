using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Roofline;

/// <summary>
/// The ceiling the network figures are compared against: GFLOP/s of pure register FMAs on one thread.
/// <see cref="VectorT"/> is the ceiling of code written with Vector&lt;T&gt;, as NetGen's is;
/// <see cref="Vector512"/> is what AVX-512 silicon can do beyond it. The "% peak" column takes the
/// faster of the two (see Reporting/RooflineReference.cs).
/// </summary>
[BenchmarkCategory(Category)]
public class RooflineBenchmarks
{
    public const string Category = "Roofline";

    /// <summary>
    /// Floats per dependency chain per call, a multiple of every vector width: about 0.1-1 ms per call
    /// on current cores, long enough to dwarf call overhead.
    /// </summary>
    public const int FloatsPerChain = 1_600_000;

    /// <summary>FLOPs of one invocation of the benchmark method <paramref name="method"/>.</summary>
    public static long? FlopsOf(string method) => method switch
    {
        nameof(VectorT) => FmaPeakKernel.Flops(FloatsPerChain),
        nameof(Vector512) => System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? FmaPeakKernel.Flops(FloatsPerChain) : null,
        _ => null,
    };

    [Benchmark(Description = "Roofline Vector<float> FMA")]
    public float VectorT() => FmaPeakKernel.VectorT(FloatsPerChain);

    [Benchmark(Description = "Roofline Vector512 FMA")]
    public float Vector512() => FmaPeakKernel.Vector512Kernel(FloatsPerChain);
}
