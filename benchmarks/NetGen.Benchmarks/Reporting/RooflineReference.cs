using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Reports;
using NetGen.Benchmarks.Roofline;

namespace NetGen.Benchmarks.Reporting;

/// <summary>
/// The peak the percentages refer to: the machine's single-thread FMA throughput, the faster of the
/// Vector&lt;float&gt; and Vector512 roofline kernels. Both count because they differ: .NET keeps
/// Vector&lt;T&gt; at 256 bits even on AVX-512 hardware (unless DOTNET_MaxVectorTBitWidth=512), while
/// native libraries such as ONNX Runtime use all 512 bits; against the Vector&lt;T&gt; ceiling alone ONNX
/// would score above 100%. Taken from the roofline rows of the same run where they ran, otherwise from a
/// short measurement in this process (so that a run filtered to one network still gets percentages).
/// </summary>
public static class RooflineReference
{
    private static readonly Lazy<double> InProcessPeak = new(() => Math.Max(MeasureInProcess(vector512: false), MeasureInProcess(vector512: true)));

    /// <summary>The peak in GFLOP/s, and where it comes from.</summary>
    public static (double Gflops, string Source) For(Summary summary)
    {
        double? fromRun = summary.BenchmarksCases
            .Select(c => MeasuredCase.Of(summary, c))
            .Where(c => c.Workload == RooflineBenchmarks.Category)
            .Max(c => c.GflopsPerSecond);
        return fromRun is double gflops
            ? (gflops, "the fastest RooflineBenchmarks row of this run")
            : (InProcessPeak.Value, "a short in-process measurement (RooflineBenchmarks did not run)");
    }

    /// <summary>
    /// Best of several timed runs of one kernel after a warm-up: a peak, so the fastest run counts.
    /// NaN for the 512-bit kernel where AVX-512 is missing.
    /// </summary>
    public static double MeasureInProcess(bool vector512)
    {
        const int floatsPerChain = RooflineBenchmarks.FloatsPerChain;
        if (vector512 && RooflineBenchmarks.FlopsOf(nameof(RooflineBenchmarks.Vector512)) is null)
        {
            return double.NaN;
        }

        Func<int, float> kernel = vector512 ? FmaPeakKernel.Vector512Kernel : FmaPeakKernel.VectorT;
        kernel(floatsPerChain); // JIT to full optimisation before timing
        double bestSeconds = double.MaxValue;
        for (int run = 0; run < 20; run++)
        {
            long start = Stopwatch.GetTimestamp();
            kernel(floatsPerChain);
            bestSeconds = Math.Min(bestSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return FmaPeakKernel.Flops(floatsPerChain) / bestSeconds / 1e9;
    }
}
