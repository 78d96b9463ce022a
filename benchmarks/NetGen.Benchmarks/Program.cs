using System;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks;
using NetGen.Benchmarks.Reporting;

// Modes (benchmarks/README.md has the details):
//   --selfcheck   check that every implementation computes the right thing; no timing
//   --smoke       run every benchmark once, in-process, for CI (about a minute)
//   --rtneural-write-file | --rtneural-outputs [--frozen] | --rtneural-time NAME [CALLS] [--frozen]   the RTNeural comparison (RTNeuralShapes.cs;
//                 --frozen: through the network's Freeze() snapshot)
//   --rtneural-step-export NAME | --rtneural-step-outputs NAME [--frozen] | --rtneural-step-time NAME [STEPS] [--frozen]   per step (RTNeuralSteps.cs)
//   --baseline <checkout>  time this checkout's NetGen against another's, side by side (benchmarks/README.md)
//   anything else BenchmarkDotNet's command line, e.g. --filter '*' --job short
// The RTNeural comparison's NetGen side (RTNeuralShapes.cs): the shared file, outputs to compare, ns per call.
if (args.Length >= 1 && args[0] == "--rtneural-write-file")
{
    NetGen.Benchmarks.RTNeuralShape.Write(Console.Out);
    return 0;
}
if (args.Length >= 1 && args[0] == "--rtneural-outputs")
{
    NetGen.Benchmarks.RTNeuralShape.WriteOutputs(Console.Out, frozen: args.Contains("--frozen"));
    return 0;
}
if (args.Length >= 2 && args[0] == "--rtneural-time")
{
    int calls = args.Length >= 3 && args[2] != "--frozen" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
    double ns = NetGen.Benchmarks.RTNeuralShape.TimePerCall(args[1], calls, repeats: 7, frozen: args.Contains("--frozen"));
    Console.WriteLine(System.FormattableString.Invariant($"{args[1]} {ns:0.00} ns/call"));
    return 0;
}
// Issue 18's per-step comparison's NetGen side (RTNeuralSteps.cs): the harness's input, outputs to compare, ns per step.
if (args.Length >= 2 && args[0] == "--rtneural-step-export")
{
    NetGen.Benchmarks.RTNeuralSteps.Export(args[1], Console.Out);
    return 0;
}
if (args.Length >= 2 && args[0] == "--rtneural-step-outputs")
{
    NetGen.Benchmarks.RTNeuralSteps.WriteOutputs(args[1], Console.Out, frozen: args.Contains("--frozen"));
    return 0;
}
if (args.Length >= 2 && args[0] == "--rtneural-step-time")
{
    int steps = args.Length >= 3 && args[2] != "--frozen" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
    double ns = NetGen.Benchmarks.RTNeuralSteps.TimePerStep(args[1], steps, repeats: 7, frozen: args.Contains("--frozen"));
    Console.WriteLine(System.FormattableString.Invariant($"{args[1]} {ns:0.00} ns/step"));
    return 0;
}
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
