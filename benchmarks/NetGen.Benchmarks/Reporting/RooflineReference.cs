using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Reports;
using NetGen.Benchmarks.Roofline;

namespace NetGen.Benchmarks.Reporting;

/// <summary>
/// The roofline the percentages refer to: the Vector&lt;float&gt; FMA benchmark of the same run where
/// it ran, otherwise a short measurement in this process (a run filtered to one network still gets its
/// percentages).
/// </summary>
public static class RooflineReference
{
    private static readonly Lazy<double> InProcessGflops = new(MeasureInProcess);

    /// <summary>The roofline in GFLOP/s, and where it comes from.</summary>
    public static (double Gflops, string Source) For(Summary summary)
    {
        MeasuredCase? fromRun = summary.BenchmarksCases
            .Select(c => MeasuredCase.Of(summary, c))
            .FirstOrDefault(c => c.Workload == RooflineBenchmarks.Category
                                 && c.Case.Descriptor.WorkloadMethod.Name == nameof(RooflineBenchmarks.VectorT)
                                 && c.GflopsPerSecond is not null);
        return fromRun?.GflopsPerSecond is double gflops
            ? (gflops, "the RooflineBenchmarks.VectorT benchmark of this run")
            : (InProcessGflops.Value, "a short in-process measurement (RooflineBenchmarks did not run)");
    }

    /// <summary>Best of several timed runs of the kernel after a warm-up: a peak, so the fastest counts.</summary>
    public static double MeasureInProcess()
    {
        const int iterations = RooflineBenchmarks.Iterations;
        FmaPeakKernel.VectorT(iterations); // JIT to full optimisation before timing
        double bestSeconds = double.MaxValue;
        for (int run = 0; run < 20; run++)
        {
            long start = Stopwatch.GetTimestamp();
            FmaPeakKernel.VectorT(iterations);
            bestSeconds = Math.Min(bestSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return FmaPeakKernel.VectorTFlops(iterations) / bestSeconds / 1e9;
    }
}
