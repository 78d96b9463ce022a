using System;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks;
using NetGen.Benchmarks.Reporting;

// Modes (benchmarks/README.md has the details):
//   --selfcheck   check that every implementation computes the right thing; no timing
//   --smoke       run every benchmark once, in-process, for CI (about a minute)
//   --baseline <checkout>  time this checkout's NetGen against another's, side by side (benchmarks/README.md)
//   anything else BenchmarkDotNet's command line, e.g. --filter '*' --job short
if (args.Contains("--selfcheck"))
{
    return new SelfCheck(Console.Out).Run() ? 0 : 1;
}

// --baseline <checkout>: every benchmark twice in one run, built against this checkout's NetGen and
// against the other checkout's (a git worktree of an earlier commit), with that one as the baseline.
int baselineAt = Array.IndexOf(args, "--baseline");
string? baselineRoot = baselineAt >= 0 && baselineAt + 1 < args.Length ? args[baselineAt + 1] : null;
if (baselineAt >= 0)
{
    if (baselineRoot is null || !System.IO.File.Exists(System.IO.Path.Combine(baselineRoot, "src", "NetGen", "NetGen.csproj")))
    {
        Console.Error.WriteLine("--baseline needs the path of another NetGen checkout (one with src/NetGen/NetGen.csproj).");
        return 2;
    }
    args = args.Where((_, i) => i != baselineAt && i != baselineAt + 1).ToArray();
}

Summary[] summaries = args.Contains("--smoke")
    ? BenchmarkRunner.Run(typeof(NetworkBenchmarks).Assembly, BenchmarkConfig.Smoke(), args.Where(a => a != "--smoke").ToArray())
    : BenchmarkSwitcher.FromAssembly(typeof(NetworkBenchmarks).Assembly)
        .Run(args, baselineRoot is null ? BenchmarkConfig.Measuring() : BenchmarkConfig.AgainstBaseline(System.IO.Path.GetFullPath(baselineRoot))).ToArray();

foreach (Summary summary in summaries.Where(s => s.BenchmarksCases.Length > 0))
{
    (double gflops, string source) = RooflineReference.For(summary);
    Console.WriteLine($"Peak for the percentages: {gflops:0.0} GFLOP/s, from {source}.");
}

// Non-zero when anything failed to build or run, so that CI notices.
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
return failed ? 1 : 0;
