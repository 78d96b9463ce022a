using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NetGen.Benchmarks.Reporting;

namespace NetGen.Benchmarks;

/// <summary>The BenchmarkDotNet configurations: the measuring one and the CI smoke one.</summary>
public static class BenchmarkConfig
{
    /// <summary>
    /// Default jobs (or those given with <c>--job</c>), allocations, and the throughput and ratio columns.
    /// One joined summary, so that the roofline row and all networks share one table and the columns can
    /// look each other up.
    /// </summary>
    public static IConfig Measuring() => WithReporting(DefaultConfig.Instance);

    /// <summary>
    /// Starts and finishes every benchmark once, in this process (no per-benchmark project build), to
    /// prove in CI that they all run; the times it prints mean nothing.
    /// </summary>
    public static IConfig Smoke()
        => WithReporting(DefaultConfig.Instance)
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"));

    /// <summary>
    /// Two jobs: this checkout's NetGen, and the baseline built with <c>-p:NetGenRoot=</c> another
    /// checkout, its library and generator in place of these (NetGen.Benchmarks.csproj). BenchmarkDotNet
    /// builds each job's project on its own and runs them in one session, so the Ratio column compares a
    /// change with the commit before it side by side.
    /// </summary>
    public static IConfig AgainstBaseline(string baselineRoot)
    {
        Job job = Job.Default.WithWarmupCount(3).WithIterationCount(15);
        return WithReporting(DefaultConfig.Instance)
            .AddJob(job.WithArguments(new[] { new MsBuildArgument("/p:NetGenRoot=" + baselineRoot.TrimEnd('/') + "/") }).WithId("Baseline").AsBaseline())
            .AddJob(job.WithId("ThisCheckout"))
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByMethod);
    }

    private static ManualConfig WithReporting(IConfig baseConfig)
        => ManualConfig.Create(baseConfig)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(
                new GflopsColumn(),
                new PeakPercentColumn(),
                new SpeedupColumn(Implementations.HandWritten, "hand-written"),
                new SpeedupColumn(Implementations.Onnx, "ONNX"))
            .HideColumns(Column.Namespace) // the joined table names it on every row; Type is enough
            .WithOptions(ConfigOptions.JoinSummary);
}
