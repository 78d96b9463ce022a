// ─── NetGen: the networks under test and their benchmark methods ─────────────────────────────────────
// The four [Network] declarations below are compiled by the NetGen generator (referenced as an analyzer
// in the project file). Until the generator has landed on main, the members they would get do not
// exist, so the code that calls them is behind NETGEN_GENERATOR_LANDED, which the project file's
// NetGenGeneratorLanded switch defines; once `git merge main` brings the generator in, turn the switch
// on, delete the #if and its #endif, and the NetGen figures join the tables and the self-check.

using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks;

[Network]
[Linear(4, 16)]
[ReLU]
[Linear(16, 3)]
[Softmax]
[CrossEntropyLoss]
public partial class IrisNet { }

[Network]
[Linear(64, 128)]
[ReLU]
[Linear(128, 64)]
[ReLU]
[Linear(64, 10)]
[Softmax]
[CrossEntropyLoss]
public partial class DigitsNet { }

[Network]
[Linear(784, 128)]
[ReLU]
[Linear(128, 10)]
[Softmax]
[CrossEntropyLoss]
public partial class MnistNet { }

[Network]
[Linear(784, 512)]
[ReLU]
[Linear(512, 512)]
[ReLU]
[Linear(512, 10)]
[Softmax]
[CrossEntropyLoss]
public partial class WideNet { }

#if NETGEN_GENERATOR_LANDED
/// <summary>Creates the NetGen network of each benchmarked shape.</summary>
public static class NetGenNetworks
{
    public static IClassifier<float> Create(NetworkShape shape) => shape.Name switch
    {
        "iris" => new IrisNet(),
        "digits" => new DigitsNet(),
        "mnist" => new MnistNet(),
        "wide" => new WideNet(),
        _ => throw new System.ArgumentException($"No NetGen network for {shape}.", nameof(shape)),
    };
}

public partial class NetworkBenchmarks
{
    private IClassifier<float> _netGen = null!;

    partial void SetUpNetGen()
    {
        _netGen = NetGenNetworks.Create(Shape);
        InitialParameters.CopyTo(_netGen.Parameters, 0);
    }

    [Benchmark, BenchmarkCategory(Workloads.Forward1)]
    public void NetGenForward1() => _netGen.Forward(_sample, _sampleOutput);

    [Benchmark, BenchmarkCategory(Workloads.Forward64)]
    public void NetGenForward64() => _netGen.Forward(_batch, _batchOutput, BatchSize);

    [Benchmark, BenchmarkCategory(Workloads.TrainStep64)]
    public float NetGenTrainStep64() => _netGen.TrainStep(_batch, _labels, LearningRate);
}
#endif
