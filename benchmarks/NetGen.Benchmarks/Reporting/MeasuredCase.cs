using System.Linq;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Reports;
using NetGen.Benchmarks.Convolution;
using NetGen.Benchmarks.Roofline;

namespace NetGen.Benchmarks.Reporting;

/// <summary>
/// What the reporting columns need to know about one benchmark case: its workload, network and
/// implementation (from the category, the Network parameter and the method name), the FLOPs of one
/// invocation and the measured mean time.
/// </summary>
public sealed record MeasuredCase(BenchmarkCase Case, string Workload, string? Network, string? Implementation, long? Flops, double? MeanNanoseconds)
{
    public double? GflopsPerSecond => Flops is long flops && MeanNanoseconds is double ns && ns > 0 ? flops / ns : null;

    public static MeasuredCase Of(Summary summary, BenchmarkCase benchmarkCase)
    {
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        string workload = benchmarkCase.Descriptor.Categories.FirstOrDefault() ?? "";
        string? network = benchmarkCase.HasParameters && benchmarkCase.Parameters.Items.Any(p => p.Name == nameof(NetworkBenchmarks.Network))
            ? benchmarkCase.Parameters[nameof(NetworkBenchmarks.Network)] as string
            : null;
        string? implementation = Implementations.All.FirstOrDefault(method.StartsWith);
        long? flops = workload switch
        {
            RooflineBenchmarks.Category => RooflineBenchmarks.FlopsOf(method),
            ConvolutionBenchmarks.Category => ConvolutionBenchmarks.FlopsOf(method, LayerOf(benchmarkCase)),
            _ when network is null => null,
            _ when ConvolutionNetwork.Exists(network) => ConvolutionNetwork.Named(network).Flops(workload),
            _ => Workloads.Flops(workload, NetworkShape.Named(network)),
        };
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return new MeasuredCase(benchmarkCase, workload, network, implementation, flops, mean);
    }

    /// <summary>The Layer parameter of a kernel benchmark, if it has one.</summary>
    private static string? LayerOf(BenchmarkCase benchmarkCase)
        => benchmarkCase.HasParameters && benchmarkCase.Parameters.Items.Any(p => p.Name == nameof(ConvolutionBenchmarks.Layer))
            ? benchmarkCase.Parameters[nameof(ConvolutionBenchmarks.Layer)] as string
            : null;

    /// <summary>
    /// The case of <paramref name="implementation"/> with the same workload, parameters (the network, and any
    /// other, such as a recurrent benchmark's kind and hidden size) and job, if it ran.
    /// </summary>
    public MeasuredCase? Sibling(Summary summary, string implementation)
    {
        foreach (BenchmarkCase other in summary.BenchmarksCases)
        {
            MeasuredCase candidate = Of(summary, other);
            if (candidate.Implementation == implementation
                && candidate.Workload == Workload
                && candidate.Network == Network
                && other.Parameters.DisplayInfo == Case.Parameters.DisplayInfo
                && other.Job.DisplayInfo == Case.Job.DisplayInfo)
            {
                return candidate;
            }
        }

        return null;
    }
}
