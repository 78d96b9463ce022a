// Issue 17's network benchmarks: NetGen, ONNX Runtime (one thread) and the hand-written baseline on the
// 8x8 digits CNN of samples/DigitsCnn and a keyword-spotting-sized 1-D network, one sample and a batch of
// 64 forward, and a training step at batch 64 (ONNX Runtime does not train). All three compute with the
// same weights, read from the PyTorch-exported models (models/make_conv_models.py).

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.HandWritten;
using NetGen.Benchmarks.Onnx;

namespace NetGen.Benchmarks.Convolution;

[Network]
[Input(1, 8, 8)]
[Conv2D(1, 8, 3, Padding = 1)] [ReLU] [MaxPool2D(2)]
[Conv2D(8, 16, 3, Padding = 1)] [ReLU] [MaxPool2D(2)]
[Flatten] [Linear(64, 10)] [Softmax] [CrossEntropyLoss]
public partial class DigitsCnnNet { }

[Network]
[Input(1, 128)]
[Conv1D(1, 16, 5)] [ReLU] [MaxPool1D(2)]
[Conv1D(16, 32, 5)] [ReLU] [GlobalAvgPool]
[Linear(32, 10)] [Softmax] [CrossEntropyLoss]
public partial class KeywordSpottingNet { }

/// <summary>One benchmarked convolutional network: its three implementations' factories, its sample shape and its FLOPs.</summary>
public sealed record ConvolutionNetwork(string Name, long[] SampleShape, Func<IClassifier<float>> NetGen, Func<IEnumerable<ILayer>> HandWritten, long ForwardFlopsPerSample)
{
    public static readonly ConvolutionNetwork[] All =
    [
        // Multiply-adds (2 FLOPs each) of the convolutions and the Linear: 8*9*64 + 16*72*16 + 64*10.
        new("digits-cnn", [1, 8, 8], () => new DigitsCnnNet(),
            () => [new ConvolutionLayer(1, 8, 8, 8, 3, 3, 1, 1), new ReLULayer(512), new MaxPoolLayer(8, 8, 8, 2, 2),
                   new ConvolutionLayer(8, 16, 4, 4, 3, 3, 1, 1), new ReLULayer(256), new MaxPoolLayer(16, 4, 4, 2, 2),
                   new DenseLayer(64, 10)],
            2L * ((8 * 9 * 64) + (16 * 72 * 16) + (64 * 10))),
        // 16*5*124 + 32*80*58 + 32*10.
        new("kws", [1, 128], () => new KeywordSpottingNet(),
            () => [new ConvolutionLayer(1, 16, 1, 128, 1, 5, 0, 0), new ReLULayer(16 * 124), new MaxPoolLayer(16, 1, 124, 1, 2),
                   new ConvolutionLayer(16, 32, 1, 62, 1, 5, 0, 0), new ReLULayer(32 * 58), new GlobalAvgPoolLayer(32, 58),
                   new DenseLayer(32, 10)],
            2L * ((16 * 5 * 124) + (32 * 80 * 58) + (32 * 10))),
    ];

    public static ConvolutionNetwork Named(string name) => All.SingleOrDefault(n => n.Name == name)
        ?? throw new ArgumentException($"No convolutional benchmark network \"{name}\"; there are {string.Join(", ", All.Select(n => n.Name))}.", nameof(name));

    public static bool Exists(string name) => All.Any(n => n.Name == name);

    public string OnnxModelPath => Path.Combine(AppContext.BaseDirectory, "models", Name + ".onnx");

    public int InputSize => (int)SampleShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>FLOPs of one invocation of <paramref name="workload"/>; a training step counts three forwards, as for the dense networks.</summary>
    public long? Flops(string workload) => workload switch
    {
        Workloads.Forward1 => ForwardFlopsPerSample,
        Workloads.Forward64 => NetworkBenchmarks.BatchSize * ForwardFlopsPerSample,
        Workloads.TrainStep64 => NetworkBenchmarks.BatchSize * 3 * ForwardFlopsPerSample,
        _ => null,
    };

    public override string ToString() => Name;
}

[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class ConvolutionNetworkBenchmarks
{
    private const int BatchSize = NetworkBenchmarks.BatchSize;
    private IClassifier<float> _netGen = null!;
    private HandWrittenNetwork _handWritten = null!;
    private OnnxModelRunner _onnxSingle = null!;
    private OnnxModelRunner _onnxBatch = null!;
    private float[] _sample = null!;
    private float[] _batch = null!;
    private int[] _labels = null!;
    private float[] _sampleOutput = null!;
    private float[] _batchOutput = null!;

    public static IEnumerable<string> NetworkNames => ConvolutionNetwork.All.Select(n => n.Name);

    /// <summary>Named as <see cref="NetworkBenchmarks.Network"/>, so that the reporting columns find the siblings of a case.</summary>
    [ParamsSource(nameof(NetworkNames))]
    public string Network { get; set; } = "digits-cnn";

    [GlobalSetup]
    public void SetUp()
    {
        ConvolutionNetwork network = ConvolutionNetwork.Named(Network);
        float[] parameters = OnnxLinearWeights.ReadInNodeOrder(network.OnnxModelPath);
        _netGen = network.NetGen();
        parameters.CopyTo(_netGen.Parameters, 0);
        _handWritten = new HandWrittenNetwork(network.HandWritten(), BatchSize);
        _handWritten.LoadParameters(parameters);

        var random = new Random(17);
        _batch = Enumerable.Range(0, BatchSize * network.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        _sample = _batch[..network.InputSize];
        _labels = Enumerable.Range(0, BatchSize).Select(i => i % 10).ToArray();
        _sampleOutput = new float[10];
        _batchOutput = new float[BatchSize * 10];
        _onnxSingle = new OnnxModelRunner(network.OnnxModelPath, network.SampleShape, 10, 1);
        _sample.CopyTo(_onnxSingle.Input, 0);
        _onnxBatch = new OnnxModelRunner(network.OnnxModelPath, network.SampleShape, 10, BatchSize);
        _batch.CopyTo(_onnxBatch.Input, 0);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _onnxSingle.Dispose();
        _onnxBatch.Dispose();
    }

    [Benchmark, BenchmarkCategory(Workloads.Forward1)]
    public void NetGenForward1() => _netGen.Forward(_sample, _sampleOutput);

    [Benchmark, BenchmarkCategory(Workloads.Forward1)]
    public void OnnxForward1() => _onnxSingle.Run();

    [Benchmark, BenchmarkCategory(Workloads.Forward1)]
    public void HandWrittenForward1() => _handWritten.Forward(_sample, _sampleOutput, 1);

    [Benchmark, BenchmarkCategory(Workloads.Forward64)]
    public void NetGenForward64() => _netGen.Forward(_batch, _batchOutput, BatchSize);

    [Benchmark, BenchmarkCategory(Workloads.Forward64)]
    public void OnnxForward64() => _onnxBatch.Run();

    [Benchmark, BenchmarkCategory(Workloads.Forward64)]
    public void HandWrittenForward64() => _handWritten.Forward(_batch, _batchOutput, BatchSize);

    [Benchmark, BenchmarkCategory(Workloads.TrainStep64)]
    public float NetGenTrainStep64() => _netGen.TrainStep(_batch, _labels, NetworkBenchmarks.LearningRate);

    [Benchmark, BenchmarkCategory(Workloads.TrainStep64)]
    public float HandWrittenTrainStep64() => _handWritten.TrainStep(_batch, _labels, NetworkBenchmarks.LearningRate);
}
