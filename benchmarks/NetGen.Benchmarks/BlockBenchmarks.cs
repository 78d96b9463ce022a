// The cost of a residual block and of a LayerNorm (issue 19): a 64-wide regressor as RL value networks are
// shaped, plain, with a LayerNorm after its first layer, and with its middle layers in a residual block,
// side by side in one run. The same parameters wherever the layers are the same.

using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks;

[Network] [Linear(8, 64)] [ReLU] [Linear(64, 64)] [ReLU] [Linear(64, 64)] [ReLU] [Linear(64, 4)] [MSELoss]
public partial class BlockPlainNet { }

[Network] [Linear(8, 64)] [LayerNorm] [ReLU] [Linear(64, 64)] [ReLU] [Linear(64, 64)] [ReLU] [Linear(64, 4)] [MSELoss]
public partial class BlockLayerNormNet { }

[Network] [Linear(8, 64)] [ReLU] [Residual] [Linear(64, 64)] [ReLU] [Linear(64, 64)] [EndResidual] [ReLU] [Linear(64, 4)] [MSELoss]
public partial class BlockResidualNet { }

/// <summary>Forward and TrainStep on a batch of 64, and one sample's forward, with and without the block kinds.</summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BlockBenchmarks
{
    private const int BatchSize = NetworkBenchmarks.BatchSize;
    private readonly BlockPlainNet _plain = new();
    private readonly BlockLayerNormNet _layerNorm = new();
    private readonly BlockResidualNet _residual = new();
    private float[] _sample = null!;
    private float[] _sampleOutput = null!;
    private float[] _batch = null!;
    private float[] _outputs = null!;
    private float[] _targets = null!;

    [GlobalSetup]
    public void SetUp()
    {
        var random = new System.Random(19);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        _batch = Values(BatchSize * 8);
        _targets = Values(BatchSize * 4);
        _outputs = new float[BatchSize * 4];
        _sample = _batch[..8];
        _sampleOutput = new float[4];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward, batch of 64")]
    public void PlainForward() => _plain.Forward(_batch, _outputs, BatchSize);

    [Benchmark, BenchmarkCategory("Forward, batch of 64")]
    public void LayerNormForward() => _layerNorm.Forward(_batch, _outputs, BatchSize);

    [Benchmark, BenchmarkCategory("Forward, batch of 64")]
    public void ResidualForward() => _residual.Forward(_batch, _outputs, BatchSize);

    [Benchmark(Baseline = true), BenchmarkCategory("Forward, one sample")]
    public void PlainSample() => _plain.Forward(_sample, _sampleOutput);

    [Benchmark, BenchmarkCategory("Forward, one sample")]
    public void LayerNormSample() => _layerNorm.Forward(_sample, _sampleOutput);

    [Benchmark, BenchmarkCategory("Forward, one sample")]
    public void ResidualSample() => _residual.Forward(_sample, _sampleOutput);

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep, batch of 64")]
    public float PlainTrain() => _plain.TrainStep(_batch, _targets, 0f);

    [Benchmark, BenchmarkCategory("TrainStep, batch of 64")]
    public float LayerNormTrain() => _layerNorm.TrainStep(_batch, _targets, 0f);

    [Benchmark, BenchmarkCategory("TrainStep, batch of 64")]
    public float ResidualTrain() => _residual.TrainStep(_batch, _targets, 0f);
}
