// Times the first Forward of a fresh 8-64-64-4 policy network in this process (what a game's first
// frame pays while the JIT compiles the kernels), then a second one, and, with --prepare, Prepare()
// before them (what a loading screen pays instead). Prints milliseconds; run once per process.

using System;
using System.Diagnostics;
using NetGen;

bool prepare = Array.IndexOf(args, "--prepare") >= 0;
var network = new PolicyNet();
var input = new float[PolicyNet.InputSize];
var output = new float[PolicyNet.OutputSize];
for (int i = 0; i < input.Length; i++)
{
    input[i] = 0.1f * i;
}

double prepareMs = 0;
if (prepare)
{
    var preparing = Stopwatch.StartNew();
    network.Prepare();
    prepareMs = preparing.Elapsed.TotalMilliseconds;
}

var first = Stopwatch.StartNew();
network.Forward(input, output);
double firstMs = first.Elapsed.TotalMilliseconds;

var second = Stopwatch.StartNew();
network.Forward(input, output);
double secondMs = second.Elapsed.TotalMilliseconds;

// The steady state, for scale: the median of many calls.
var calls = new double[1001];
for (int k = 0; k < calls.Length; k++)
{
    long start = Stopwatch.GetTimestamp();
    network.Forward(input, output);
    calls[k] = (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency;
}
Array.Sort(calls);

Console.WriteLine(FormattableString.Invariant(
    $"prepare {prepareMs:F2} ms, first Forward {firstMs:F2} ms, second Forward {secondMs * 1000:F1} us, steady state {calls[calls.Length / 2]:F2} us (output[0] = {output[0]:F4})"));

/// <summary>A small control policy: 8 observations, two hidden layers of 64, 4 actions.</summary>
[Network]
[Linear(8, 64)]
[ReLU]
[Linear(64, 64)]
[ReLU]
[Linear(64, 4)]
public partial class PolicyNet { }
