// One sample through the small policies that games and control loops call every frame (issue 21): the
// Control sample's actor (SiLU, a tanh output) and critic (LeakyReLU), whose inputs (2 and 3 values) are no
// multiple of a vector. Each is timed through Forward(input, output), which takes the written-out forward
// on .NET 8+ with AVX-512, and through Forward(inputs, outputs, 1), a batch of one, which runs the shared
// kernels' sample-major pass: the two paths side by side in one run, on the same parameters and input.

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks;

[Network] [Linear(2, 32)] [SiLU] [Linear(32, 32)] [SiLU] [Linear(32, 1)] [Tanh]
public partial class PolicyActorNet { }

[Network] [Linear(3, 64)] [LeakyReLU] [Linear(64, 64)] [LeakyReLU] [Linear(64, 1)] [MSELoss]
public partial class PolicyCriticNet { }

/// <summary>The Control sample's actor and critic, one sample, written out against the shared kernels.</summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PolicyBenchmarks
{
    private readonly PolicyActorNet _actor = new();
    private readonly PolicyCriticNet _critic = new();
    private readonly float[] _actorInput = { 0.3f, -0.7f };
    private readonly float[] _criticInput = { 0.3f, -0.7f, 0.25f };
    private readonly float[] _output = new float[1];

    [GlobalSetup]
    public void SetUp()
    {
        _actor.InitializeParameters(1);
        _critic.InitializeParameters(2);
        // Both paths must compute the same network before their times mean anything.
        var batched = new float[1];
        foreach ((System.Action single, System.Action batch) in new (System.Action, System.Action)[]
        {
            (() => _actor.Forward(_actorInput, _output), () => _actor.Forward(_actorInput, batched, 1)),
            (() => _critic.Forward(_criticInput, _output), () => _critic.Forward(_criticInput, batched, 1)),
        })
        {
            single();
            batch();
            if (System.Math.Abs(_output[0] - batched[0]) > 1e-5f * (1 + System.Math.Abs(batched[0])))
            {
                throw new System.InvalidOperationException($"The written-out forward gives {_output[0]:R}, the shared kernels {batched[0]:R}.");
            }
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Actor 2-32-32-1 SiLU, tanh out")]
    public void ActorSharedKernels() => _actor.Forward(_actorInput, _output, 1);

    [Benchmark, BenchmarkCategory("Actor 2-32-32-1 SiLU, tanh out")]
    public void ActorWrittenOut() => _actor.Forward(_actorInput, _output);

    [Benchmark(Baseline = true), BenchmarkCategory("Critic 3-64-64-1 LeakyReLU")]
    public void CriticSharedKernels() => _critic.Forward(_criticInput, _output, 1);

    [Benchmark, BenchmarkCategory("Critic 3-64-64-1 LeakyReLU")]
    public void CriticWrittenOut() => _critic.Forward(_criticInput, _output);
}
