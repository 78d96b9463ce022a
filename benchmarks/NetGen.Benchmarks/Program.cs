using System;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks;
using NetGen.Benchmarks.Reporting;

// Modes (benchmarks/README.md has the details):
//   --selfcheck   check that every implementation computes the right thing; no timing
//   --smoke       run every benchmark once, in-process, for CI (about a minute)
//   anything else BenchmarkDotNet's command line, e.g. --filter '*' --job short
if (args.Contains("--selfcheck"))
{
    return new SelfCheck(Console.Out).Run() ? 0 : 1;
}

Summary[] summaries = args.Contains("--smoke")
    ? BenchmarkRunner.Run(typeof(NetworkBenchmarks).Assembly, BenchmarkConfig.Smoke(), args.Where(a => a != "--smoke").ToArray())
    : BenchmarkSwitcher.FromAssembly(typeof(NetworkBenchmarks).Assembly).Run(args, BenchmarkConfig.Measuring()).ToArray();

foreach (Summary summary in summaries.Where(s => s.BenchmarksCases.Length > 0))
{
    (double gflops, string source) = RooflineReference.For(summary);
    Console.WriteLine($"Peak for the percentages: {gflops:0.0} GFLOP/s, from {source}.");
}

// Non-zero when anything failed to build or run, so that CI notices.
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
return failed ? 1 : 0;
