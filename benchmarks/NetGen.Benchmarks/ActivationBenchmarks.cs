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

/// <summary>Forward and TrainStep on a batch of 64, and one sample's forward, per hidden activation.</summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ActivationBenchmarks
{
    private const int BatchSize = NetworkBenchmarks.BatchSize;
    private readonly DigitsReLUNet _relu = new();
    private readonly DigitsTanhNet _tanh = new();
    private readonly DigitsSiLUNet _silu = new();
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
        // The same parameters in all three, so that only the activation differs.
        float[] parameters = SampleData.Parameters(shape);
        parameters.CopyTo(_relu.Parameters, 0);
        parameters.CopyTo(_tanh.Parameters, 0);
        parameters.CopyTo(_silu.Parameters, 0);
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
}
