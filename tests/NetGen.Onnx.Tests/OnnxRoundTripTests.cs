using System.Collections.Generic;
using System.IO;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>A model NetGen exports loads back into the same architecture bit for bit, at either opset, from a stream or a path.</summary>
public class OnnxRoundTripTests
{
    public static IEnumerable<object[]> Suite() => TestData.SuiteNames();

    [Theory]
    [MemberData(nameof(Suite))]
    public void Export_then_load_restores_every_bit(string name)
    {
        object saved = SuiteNetworks.ByName[name]();
        TestData.Randomize(saved, seed: 3);
        foreach (int opset in new[] { 13, 9 })
        {
            object loaded = SuiteNetworks.ByName[name]();
            TestData.Load(loaded, TestData.Export(saved, new OnnxExportOptions { Opset = opset }));
            Assert.Equal(AnyNetwork.ParameterBits(saved), AnyNetwork.ParameterBits(loaded));
        }
    }

    [Fact]
    public void Every_activation_kind_round_trips_through_its_table_entry()
    {
        var saved = new ReferenceMlp<float>("float: Tanh Linear(3,4) LeakyReLU(0.25) Linear(4,4) SiLU Linear(4,4) Sigmoid Linear(4,2) Softmax CrossEntropyLoss", seed: 1);
        var loaded = new ReferenceMlp<float>(saved.Architecture, seed: 2);
        TestData.Load(loaded, TestData.Export(saved, new OnnxExportOptions { Opset = 9 }));
        Assert.Equal(saved.Parameters, loaded.Parameters);
    }

    [Fact]
    public void Loads_from_a_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"netgen-onnx-{System.Guid.NewGuid():N}.onnx");
        try
        {
            var saved = new DDeeper();
            TestData.Randomize(saved, seed: 4);
            saved.ExportOnnx(path);
            var loaded = new DDeeper();
            loaded.LoadOnnxWeights(path);
            Assert.Equal(saved.Parameters, loaded.Parameters);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
