using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.HandWritten;
using NetGen.Benchmarks.Onnx;

namespace NetGen.Benchmarks;

/// <summary>
/// Every implementation of every network in one class, grouped by workload, so that one run gives the
/// side-by-side ratios (the columns in Reporting/ compute them). Method names start with the
/// implementation (<see cref="Implementations"/>); the category names the workload
/// (<see cref="Workloads"/>). The NetGen methods live in NetGenCases.cs.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public partial class NetworkBenchmarks
{
    public const int BatchSize = 64;

    /// <summary>Small enough that thousands of steps on the same batch stay finite.</summary>
    public const float LearningRate = 0.01f;

    private HandWrittenNetwork _handWritten = null!;
    private OnnxModelRunner _onnxSingle = null!;
    private OnnxModelRunner _onnxBatch = null!;
    private float[] _sample = null!;
    private float[] _batch = null!;
    private int[] _labels = null!;
    private float[] _sampleOutput = null!;
    private float[] _batchOutput = null!;

    public static IEnumerable<string> NetworkNames => NetworkShape.All.Select(s => s.Name);

    [ParamsSource(nameof(NetworkNames))]
    public string Network { get; set; } = "iris";

    private NetworkShape Shape { get; set; } = null!;

    private float[] InitialParameters { get; set; } = null!;

    [GlobalSetup]
    public void SetUp()
    {
        Shape = NetworkShape.Named(Network);
        InitialParameters = SampleData.Parameters(Shape);
        _batch = SampleData.Inputs(Shape, BatchSize);
        _sample = _batch[..Shape.InputSize];
        _labels = SampleData.Labels(Shape, BatchSize);
        _sampleOutput = new float[Shape.OutputSize];
        _batchOutput = new float[BatchSize * Shape.OutputSize];

        _handWritten = new HandWrittenNetwork(Shape, BatchSize);
        _handWritten.LoadParameters(InitialParameters);

        // ONNX Runtime computes with the model's weights, which InitialParameters were read from.
        _onnxSingle = new OnnxModelRunner(Shape.OnnxModelPath, Shape.InputSize, Shape.OutputSize, 1);
        _sample.CopyTo(_onnxSingle.Input, 0);
        _onnxBatch = new OnnxModelRunner(Shape.OnnxModelPath, Shape.InputSize, Shape.OutputSize, BatchSize);
        _batch.CopyTo(_onnxBatch.Input, 0);

        SetUpNetGen();
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _onnxSingle.Dispose();
        _onnxBatch.Dispose();
    }

    /// <summary>Creates the NetGen network for <see cref="Shape"/> from <see cref="InitialParameters"/>.</summary>
    partial void SetUpNetGen();

    [Benchmark, BenchmarkCategory(Workloads.Forward1)]
    public void HandWrittenForward1() => _handWritten.Forward(_sample, _sampleOutput, 1);

    [Benchmark, BenchmarkCategory(Workloads.Forward1)]
    public void OnnxForward1() => _onnxSingle.Run();

    [Benchmark, BenchmarkCategory(Workloads.Forward64)]
    public void HandWrittenForward64() => _handWritten.Forward(_batch, _batchOutput, BatchSize);

    [Benchmark, BenchmarkCategory(Workloads.Forward64)]
    public void OnnxForward64() => _onnxBatch.Run();

    [Benchmark, BenchmarkCategory(Workloads.TrainStep64)]
    public float HandWrittenTrainStep64() => _handWritten.TrainStep(_batch, _labels, LearningRate);
}
