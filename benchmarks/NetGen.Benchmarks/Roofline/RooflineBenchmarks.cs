using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Roofline;

/// <summary>
/// The ceiling the network figures are compared against: GFLOP/s of pure register FMAs on one thread.
/// The reporting columns take <see cref="VectorT"/> as the roofline, because Vector&lt;T&gt; is what
/// NetGen's code computes with; <see cref="Vector512"/> shows what the silicon could do beyond it.
/// </summary>
[BenchmarkCategory(Category)]
public class RooflineBenchmarks
{
    public const string Category = "Roofline";

    /// <summary>About 0.1-1 ms per call on current cores: long enough to dwarf call overhead.</summary>
    public const int Iterations = 100_000;

    /// <summary>FLOPs of one invocation of the benchmark method <paramref name="method"/>.</summary>
    public static long? FlopsOf(string method) => method switch
    {
        nameof(VectorT) => FmaPeakKernel.VectorTFlops(Iterations),
        nameof(Vector512) => System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? FmaPeakKernel.Vector512Flops(Iterations) : null,
        _ => null,
    };

    [Benchmark(Description = "Roofline Vector<float> FMA")]
    public float VectorT() => FmaPeakKernel.VectorT(Iterations);

    [Benchmark(Description = "Roofline Vector512 FMA")]
    public float Vector512() => FmaPeakKernel.Vector512Kernel(Iterations);
}
