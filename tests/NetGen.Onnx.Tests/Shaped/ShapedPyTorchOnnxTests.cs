using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Interop.Tests;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests.Shaped;

/// <summary>
/// LoadOnnxWeights reads the convolutional kinds, residual blocks, LayerNorm, BatchNorm and Dropout: PyTorch's
/// torch.onnx.export files (made by tests/fixtures/pytorch/make_onnx_shaped_fixtures.py, opsets 9, 13 and
/// 17, LayerNorm decomposed before 17) load into the generated networks, which then give PyTorch's outputs;
/// NetGen's own exports load back bit for bit, BatchNorm's running statistics into Buffers; a Conv into
/// which torch has folded a BatchNorm2d is refused, and a failed load changes nothing.
/// </summary>
public class ShapedPyTorchOnnxTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, Func<object>> FixtureNetworks = new()
    {
        ["onnx_cnn1d"] = () => new FOnnxCnn1D(),
        ["onnx_cnn2d"] = () => new FOnnxCnn2D(),
        ["onnx_blocks"] = () => new FOnnxResidualLayerNorm(),
        ["onnx_conv_layernorm"] = () => new FOnnxConvLayerNorm(),
        ["onnx_blocks_batchnorm"] = () => new FOnnxBlocksBatchNorm(),
    };

    public static IEnumerable<object[]> Files()
        => FixtureNetworks.Keys.SelectMany(name => new[] { 9, 13, 17 }.Select(opset => new object[] { name, opset }));

    [Theory]
    [MemberData(nameof(Files))]
    public void A_torch_onnx_export_loads_and_gives_PyTorchs_outputs(string name, int opset)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureCase.Directory, "onnx_shaped.json")));
        JsonElement fixture = document.RootElement.GetProperty(name);
        object network = FixtureNetworks[name]();
        Assert.Equal(fixture.GetProperty("architecture").GetString(), AnyNetwork.Architecture(network));

        TestData.Load(network, File.ReadAllBytes(Path.Combine(FixtureCase.Directory, $"{name}.opset{opset}.onnx")));
        int batch = fixture.GetProperty("batch").GetInt32();
        double[] inputs = fixture.GetProperty("inputs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] expected = fixture.GetProperty("outputs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] actual = AnyNetwork.Forward(network, inputs, batch);

        // float32 on both sides, summed in different orders: a few roundings of the largest values.
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[i])), $"{name} opset {opset}, output {i}: PyTorch {expected[i]:R}, NetGen {actual[i]:R}");
        }

        output.WriteLine($"{name}.opset{opset}.onnx into {network.GetType().Name}: NetGen against PyTorch {Difference.Between(expected, actual)}");
    }

    public static IEnumerable<object[]> ChainNetworks() => new[]
    {
        "DOnnxCnn2D", "FOnnxCnn2D", "DOnnxCnn1D", "FOnnxCnn1D", "DOnnxGrouped2D", "FOnnxGrouped2D", "DOnnxShapedOutput", "FOnnxShapedOutput",
        "DOnnxDropoutLast", "FOnnxDropoutLast", "DOnnxResidualLayerNorm", "FOnnxResidualLayerNorm", "FOnnxConvLayerNorm",
    }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(ChainNetworks))]
    public void NetGens_export_loads_back_bit_for_bit(string name)
    {
        foreach (int opset in new[] { 9, 13, 17, 21 })
        {
            object network = Create(name);
            TestData.Randomize(network, seed: opset);
            byte[] model = TestData.Export(network, new OnnxExportOptions { Opset = opset });
            object loaded = Create(name);
            TestData.Load(loaded, model);
            Assert.Equal(AnyNetwork.ParameterBits(network), AnyNetwork.ParameterBits(loaded));
        }
    }

    [Theory]
    [InlineData("DOnnxBlocks")]
    [InlineData("FOnnxBlocks")]
    [InlineData("DOnnxBatchNorm2D")]
    [InlineData("FOnnxBatchNorm2D")]
    [InlineData("DOnnxBatchNorm1D")]
    [InlineData("FOnnxBatchNorm1D")]
    [InlineData("DOnnxBlocksWide")]
    public void BatchNorm_loads_back_its_running_statistics_into_Buffers(string name)
    {
        foreach (int opset in new[] { 9, 13, 17 })
        {
            object network = Create(name);
            TestData.Randomize(network, seed: opset);
            ShapedRuntimeAgreementTests.RandomizeRunningStatistics(network, seed: opset + 1);
            byte[] model = TestData.Export(network, new OnnxExportOptions { Opset = opset });
            object loaded = Create(name);
            TestData.Load(loaded, model);
            Assert.Equal(AnyNetwork.ParameterBits(network), AnyNetwork.ParameterBits(loaded));
            Assert.Equal(BufferBits(network), BufferBits(loaded));
        }
    }

    [Fact]
    public void A_Conv_with_a_BatchNorm2d_folded_in_by_torch_is_refused_saying_why()
    {
        var network = new FOnnxCnn2DBatchNorm();
        float[] parameters = (float[])network.Parameters.Clone(), buffers = (float[])network.Buffers.Clone();
        byte[] model = File.ReadAllBytes(Path.Combine(FixtureCase.Directory, "onnx_cnn2d_batchnorm.folded.opset13.onnx"));
        var error = Assert.Throws<InvalidDataException>(() => TestData.Load(network, model));
        Assert.Contains("BatchNormalization", error.Message, StringComparison.Ordinal);
        Assert.Contains("folds", error.Message, StringComparison.Ordinal);
        Assert.Equal(parameters, network.Parameters);
        Assert.Equal(buffers, network.Buffers);
    }

    [Fact]
    public void A_failed_BatchNorm_load_changes_neither_Parameters_nor_Buffers()
    {
        var source = new FOnnxBlocksBatchNorm();
        TestData.Randomize(source, seed: 4);
        ShapedRuntimeAgreementTests.RandomizeRunningStatistics(source, seed: 5);
        var altered = NetGen.Onnx.Protobuf.ModelProto.Parser.ParseFrom(TestData.Export(source));
        // The last Linear's weight, read after the BatchNorm's statistics, becomes NaN.
        var weight = altered.Graph.Initializer.Last(t => t.Name.EndsWith(".weight", StringComparison.Ordinal));
        byte[] raw = weight.RawData.ToByteArray();
        BitConverter.GetBytes(float.NaN).CopyTo(raw, 0);
        weight.RawData = Google.Protobuf.ByteString.CopyFrom(raw);

        var target = new FOnnxBlocksBatchNorm();
        ShapedRuntimeAgreementTests.RandomizeRunningStatistics(target, seed: 6);
        float[] parameters = (float[])target.Parameters.Clone(), buffers = (float[])target.Buffers.Clone();
        Assert.Throws<InvalidDataException>(() => TestData.Load(target, Google.Protobuf.MessageExtensions.ToByteArray(altered)));
        Assert.Equal(parameters, target.Parameters);
        Assert.Equal(buffers, target.Buffers);
    }

    private static long[] BufferBits(object network) => network is INetwork<float> f
        ? Array.ConvertAll(f.Buffers, v => (long)BitConverter.SingleToInt32Bits(v))
        : Array.ConvertAll(((INetwork<double>)network).Buffers, BitConverter.DoubleToInt64Bits);

    [Fact]
    public void A_CNN_file_with_another_stride_is_refused_naming_the_node()
    {
        var network = new FOnnxCnn1D();
        byte[] model = File.ReadAllBytes(Path.Combine(FixtureCase.Directory, "onnx_cnn1d.opset13.onnx"));
        var altered = NetGen.Onnx.Protobuf.ModelProto.Parser.ParseFrom(model);
        var strides = altered.Graph.Node.First(n => n.OpType == "Conv").Attribute.Single(a => a.Name == "strides");
        strides.Ints[0] = 1;
        float[] before = (float[])network.Parameters.Clone();
        var error = Assert.Throws<InvalidDataException>(() => TestData.Load(network, Google.Protobuf.MessageExtensions.ToByteArray(altered)));
        Assert.Contains("strides", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters);
    }

    private static object Create(string name)
        => Activator.CreateInstance(typeof(ShapedPyTorchOnnxTests).Assembly.GetType("NetGen.Onnx.Tests.Shaped." + name, throwOnError: true)!)!;
}
