// The cost of the smooth activations: the digits shape (64-128-64-10) with ReLU, Tanh and SiLU hidden
// layers side by side in one run, so that their ratio to ReLU is read off the same machine state.

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks;

[Network] [Linear(64, 128)] [ReLU] [Linear(128, 64)] [ReLU] [Linear(64, 10)] [Softmax] [CrossEntropyLoss]
public partial class DigitsReLUNet { }

[Network] [Linear(64, 128)] [Tanh] [Linear(128, 64)] [Tanh] [Linear(64, 10)] [Softmax] [CrossEntropyLoss]
public partial class DigitsTanhNet { }

[Network] [Linear(64, 128)] [SiLU] [Linear(128, 64)] [SiLU] [Linear(64, 10)] [Softmax] [CrossEntropyLoss]
public partial class DigitsSiLUNet { }

/// <summary>The digits network with ReLU, in the deterministic mode: bit-identical everywhere, at this cost.</summary>
[Network(Deterministic = true)] [Linear(64, 128)] [ReLU] [Linear(128, 64)] [ReLU] [Linear(64, 10)] [Softmax] [CrossEntropyLoss]
public partial class DigitsDeterministicNet { }

/// <summary>The digits network with Tanh, in the deterministic mode (its own exp, no vectorised transcendentals).</summary>
[Network(Deterministic = true)] [Linear(64, 128)] [Tanh] [Linear(128, 64)] [Tanh] [Linear(64, 10)] [Softmax] [CrossEntropyLoss]
public partial class DigitsDeterministicTanhNet { }

/// <summary>Forward and TrainStep on a batch of 64, and one sample's forward, per hidden activation and mode.</summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ActivationBenchmarks
{
    private const int BatchSize = NetworkBenchmarks.BatchSize;
    private readonly DigitsReLUNet _relu = new();
    private readonly DigitsTanhNet _tanh = new();
    private readonly DigitsSiLUNet _silu = new();
    private readonly DigitsDeterministicNet _deterministic = new();
    private readonly DigitsDeterministicTanhNet _deterministicTanh = new();
    private float[] _sample = null!;
    private float[] _sampleOutput = null!;
    private float[] _batch = null!;
    private float[] _outputs = null!;
    private int[] _labels = null!;

    [GlobalSetup]
    public void SetUp()
    {
        NetworkShape shape = NetworkShape.Named("digits");
        _batch = SampleData.Inputs(shape, BatchSize);
        _labels = SampleData.Labels(shape, BatchSize);
        _outputs = new float[BatchSize * shape.OutputSize];
        _sample = _batch[..shape.InputSize];
        _sampleOutput = new float[shape.OutputSize];
        // The same parameters in all three, so that only the activation differs.
        float[] parameters = SampleData.Parameters(shape);
        parameters.CopyTo(_relu.Parameters, 0);
        parameters.CopyTo(_tanh.Parameters, 0);
        parameters.CopyTo(_silu.Parameters, 0);
        parameters.CopyTo(_deterministic.Parameters, 0);
        parameters.CopyTo(_deterministicTanh.Parameters, 0);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Activations: forward, batch 64")]
    public void ReLUForward64() => _relu.Forward(_batch, _outputs, BatchSize);

    [Benchmark, BenchmarkCategory("Activations: forward, batch 64")]
    public void TanhForward64() => _tanh.Forward(_batch, _outputs, BatchSize);

    [Benchmark, BenchmarkCategory("Activations: forward, batch 64")]
    public void SiLUForward64() => _silu.Forward(_batch, _outputs, BatchSize);

    [Benchmark(Baseline = true), BenchmarkCategory("Activations: TrainStep, batch 64")]
    public float ReLUTrainStep64() => _relu.TrainStep(_batch, _labels, NetworkBenchmarks.LearningRate);

    [Benchmark, BenchmarkCategory("Activations: TrainStep, batch 64")]
    public float TanhTrainStep64() => _tanh.TrainStep(_batch, _labels, NetworkBenchmarks.LearningRate);

    [Benchmark, BenchmarkCategory("Activations: TrainStep, batch 64")]
    public float SiLUTrainStep64() => _silu.TrainStep(_batch, _labels, NetworkBenchmarks.LearningRate);

    [Benchmark, BenchmarkCategory("Activations: forward, batch 64")]
    public void DeterministicReLUForward64() => _deterministic.Forward(_batch, _outputs, BatchSize);

    [Benchmark, BenchmarkCategory("Activations: forward, batch 64")]
    public void DeterministicTanhForward64() => _deterministicTanh.Forward(_batch, _outputs, BatchSize);

    [Benchmark, BenchmarkCategory("Activations: TrainStep, batch 64")]
    public float DeterministicReLUTrainStep64() => _deterministic.TrainStep(_batch, _labels, NetworkBenchmarks.LearningRate);

    [Benchmark, BenchmarkCategory("Activations: TrainStep, batch 64")]
    public float DeterministicTanhTrainStep64() => _deterministicTanh.TrainStep(_batch, _labels, NetworkBenchmarks.LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory("Activations: forward, 1 sample")]
    public void ReLUForward1() => _relu.Forward(_sample, _sampleOutput);

    [Benchmark, BenchmarkCategory("Activations: forward, 1 sample")]
    public void TanhForward1() => _tanh.Forward(_sample, _sampleOutput);

    [Benchmark, BenchmarkCategory("Activations: forward, 1 sample")]
    public void SiLUForward1() => _silu.Forward(_sample, _sampleOutput);

    [Benchmark, BenchmarkCategory("Activations: forward, 1 sample")]
    public void DeterministicReLUForward1() => _deterministic.Forward(_sample, _sampleOutput);
}
