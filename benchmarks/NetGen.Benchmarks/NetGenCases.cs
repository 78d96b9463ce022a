// NetGen: the networks under test, their benchmark methods and their self-check. The four [Network]
// declarations are compiled by the NetGen generator (an analyzer reference in the project file); their
// parameters are overwritten with the ONNX models' weights so that all implementations agree.

using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.HandWritten;

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

/// <summary>Creates the NetGen network of each benchmarked shape.</summary>
public static class NetGenNetworks
{
    public static IClassifier<float> Create(NetworkShape shape) => shape.Name switch
    {
        "iris" => new IrisNet(),
        "digits" => new DigitsNet(),
        "mnist" => new MnistNet(),
        "wide" => new WideNet(),
        _ => throw new ArgumentException($"No NetGen network for {shape}.", nameof(shape)),
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

public sealed partial class SelfCheck
{
    partial void CheckNetGenAgainstHandWritten(NetworkShape shape)
    {
        const int batchSize = 8;
        float[] parameters = SampleData.Parameters(shape);
        float[] inputs = SampleData.Inputs(shape, batchSize);
        int[] labels = SampleData.Labels(shape, batchSize);
        var handWritten = new HandWrittenNetwork(shape, batchSize);
        handWritten.LoadParameters(parameters);
        IClassifier<float> netGen = NetGenNetworks.Create(shape);
        Expect(netGen.ParameterCount == shape.ParameterCount && netGen.InputSize == shape.InputSize && netGen.OutputSize == shape.OutputSize,
            $"NetGen {shape}: sizes match the shape ({netGen.Architecture})");
        parameters.CopyTo(netGen.Parameters, 0);

        var expected = new float[batchSize * shape.OutputSize];
        var actual = new float[batchSize * shape.OutputSize];
        handWritten.Forward(inputs, expected, batchSize);
        netGen.Forward(inputs, actual, batchSize);
        double forwardDiff = MaxAbsDifference(actual, expected);
        Expect(forwardDiff < 1e-5, $"NetGen {shape}: batch forward equals the hand-written network's (max diff {forwardDiff:g3})");

        var single = new float[shape.OutputSize];
        netGen.Forward(inputs.AsSpan(0, shape.InputSize), single);
        double singleDiff = MaxAbsDifference(single, expected.AsSpan(0, shape.OutputSize));
        Expect(singleDiff < 1e-5, $"NetGen {shape}: single-sample forward equals the hand-written network's (max diff {singleDiff:g3})");

        float expectedLoss = handWritten.Backward(inputs, labels);
        float actualLoss = netGen.Backward(inputs, labels);
        float[] expectedGradients = handWritten.GetGradients();
        double gradientDiff = MaxAbsDifference(netGen.Gradients, expectedGradients);
        double gradientScale = expectedGradients.Max(Math.Abs);
        Expect(Math.Abs(actualLoss - expectedLoss) < 1e-5 * Math.Max(1, expectedLoss) && gradientDiff < 1e-5 + 1e-4 * gradientScale,
            $"NetGen {shape}: loss and gradients equal the hand-written network's (loss {actualLoss:g6} vs {expectedLoss:g6}, " +
            $"max gradient diff {gradientDiff:g3} of largest {gradientScale:g3})");

        handWritten.TrainStep(inputs, labels, NetworkBenchmarks.LearningRate);
        netGen.TrainStep(inputs, labels, NetworkBenchmarks.LearningRate);
        double stepDiff = MaxAbsDifference(netGen.Parameters, handWritten.GetParameters());
        Expect(stepDiff < 1e-6, $"NetGen {shape}: an SGD step gives the hand-written network's parameters (max diff {stepDiff:g3})");
    }
}
