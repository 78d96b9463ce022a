// One sample through the small policies that games and control loops call every frame (issue 21): the
// Control sample's actor (SiLU, a tanh output) and critic (LeakyReLU), whose inputs (2 and 3 values) are no
// multiple of a vector. Each is timed through Forward(input, output), which takes the written-out forward
// on .NET 8+ with AVX-512, and through Forward(inputs, outputs, 1), a batch of one, which runs the shared
// kernels' sample-major pass: the two paths side by side in one run, on the same parameters and input.

using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks;

[Network] [Linear(2, 32)] [SiLU] [Linear(32, 32)] [SiLU] [Linear(32, 1)] [Tanh]
public partial class PolicyActorNet { }

[Network] [Linear(3, 64)] [LeakyReLU] [Linear(64, 64)] [LeakyReLU] [Linear(64, 1)] [MSELoss]
public partial class PolicyCriticNet { }

[Network] [Linear(6, 16)] [ReLU] [Linear(16, 5)] [Softmax] [CrossEntropyLoss]
public partial class PolicyForagerNet { }

[Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
public partial class PolicyIrisNet { }

/// <summary>The Control sample's actor and critic, one sample, written out against the shared kernels.</summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PolicyBenchmarks
{
    private readonly PolicyActorNet _actor = new();
    private readonly PolicyCriticNet _critic = new();
    private readonly PolicyForagerNet _forager = new();
    private readonly PolicyIrisNet _iris = new();
    private readonly float[] _foragerInput = { 0.3f, -0.7f, 0.25f, 1f, 0f, -0.5f };
    private readonly float[] _irisInput = { 5.1f, 3.5f, 1.4f, 0.2f };
    private readonly float[] _classes = new float[5];
    private readonly float[] _actorInput = { 0.3f, -0.7f };
    private readonly float[] _criticInput = { 0.3f, -0.7f, 0.25f };
    private readonly float[] _output = new float[1];

    [GlobalSetup]
    public void SetUp()
    {
        _actor.InitializeParameters(1);
        _critic.InitializeParameters(2);
        _forager.InitializeParameters(3);
        _iris.InitializeParameters(4);
        // Both paths must compute the same network before their times mean anything.
        Check(_actor, _actorInput);
        Check(_critic, _criticInput);
        Check(_forager, _foragerInput);
        Check(_iris, _irisInput);
    }

    private static void Check(INetwork<float> network, float[] input)
    {
        var single = new float[network.OutputSize];
        var batched = new float[network.OutputSize];
        network.Forward(input, single);
        network.Forward(input, batched, 1);
        for (int k = 0; k < single.Length; k++)
        {
            if (System.Math.Abs(single[k] - batched[k]) > 1e-5f * (1 + System.Math.Abs(batched[k])))
            {
                throw new System.InvalidOperationException($"{network.GetType().Name}: the written-out forward gives {single[k]:R}, the shared kernels {batched[k]:R}.");
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

    [Benchmark(Baseline = true), BenchmarkCategory("Forager 6-16-5 ReLU, softmax")]
    public void ForagerSharedKernels() => _forager.Forward(_foragerInput, _classes, 1);

    [Benchmark, BenchmarkCategory("Forager 6-16-5 ReLU, softmax")]
    public void ForagerWrittenOut() => _forager.Forward(_foragerInput, _classes);

    [Benchmark(Baseline = true), BenchmarkCategory("Iris 4-16-3 ReLU, softmax")]
    public void IrisSharedKernels() => _iris.Forward(_irisInput, _classes.AsSpan(0, 3), 1);

    [Benchmark, BenchmarkCategory("Iris 4-16-3 ReLU, softmax")]
    public void IrisWrittenOut() => _iris.Forward(_irisInput, _classes.AsSpan(0, 3));
}
