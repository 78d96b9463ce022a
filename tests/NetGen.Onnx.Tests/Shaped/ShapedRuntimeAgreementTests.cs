using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Interop.Tests;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests.Shaped;

/// <summary>
/// Every exported model of the shape and block kinds, run by ONNX Runtime, computes what NetGen's Forward
/// computes: at opsets 9, 13, 17 (LayerNormalization as one operator) and 21, for batches of 1, 3 and 17
/// samples, in float and double, with random parameters and non-trivial BatchNorm running statistics.
/// </summary>
public class ShapedRuntimeAgreementTests(ITestOutputHelper output)
{
    private static readonly int[] Batches = { 1, 3, 17 };

    private static readonly Dictionary<string, Func<object>> Networks = new()
    {
        ["DOnnxCnn2D"] = () => new DOnnxCnn2D(),
        ["FOnnxCnn2D"] = () => new FOnnxCnn2D(),
        ["DOnnxCnn1D"] = () => new DOnnxCnn1D(),
        ["FOnnxCnn1D"] = () => new FOnnxCnn1D(),
        ["DOnnxGrouped2D"] = () => new DOnnxGrouped2D(),
        ["FOnnxGrouped2D"] = () => new FOnnxGrouped2D(),
        ["DOnnxShapedOutput"] = () => new DOnnxShapedOutput(),
        ["FOnnxShapedOutput"] = () => new FOnnxShapedOutput(),
        ["DOnnxBlocks"] = () => new DOnnxBlocks(),
        ["FOnnxBlocks"] = () => new FOnnxBlocks(),
        ["DOnnxDropoutLast"] = () => new DOnnxDropoutLast(),
        ["FOnnxDropoutLast"] = () => new FOnnxDropoutLast(),
        ["DOnnxBlocksWide"] = () => new DOnnxBlocksWide(),
        ["FOnnxBlocksWide"] = () => new FOnnxBlocksWide(),
        ["DOnnxBatchNorm2D"] = () => new DOnnxBatchNorm2D(),
        ["FOnnxBatchNorm2D"] = () => new FOnnxBatchNorm2D(),
        ["DOnnxBatchNorm1D"] = () => new DOnnxBatchNorm1D(),
        ["FOnnxBatchNorm1D"] = () => new FOnnxBatchNorm1D(),
    };

    public static IEnumerable<object[]> Names() => Networks.Keys.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Names))]
    public void ONNX_Runtime_gives_NetGens_outputs(string name)
    {
        object network = Networks[name]();
        TestData.Randomize(network, seed: name.Length);
        RandomizeRunningStatistics(network, seed: name.Length + 1);
        NetworkArchitecture architecture = NetworkArchitecture.Parse(AnyNetwork.Architecture(network));
        int[] sample = SampleDimensions(architecture);
        var worst = new Difference(0, 0);
        bool cast = false;
        foreach (int opset in new[] { 9, 13, 17, 21 })
        {
            byte[] model = TestData.Export(network, new OnnxExportOptions { Opset = opset });

            // ONNX Runtime's CPU provider has no double Conv, AveragePool or GlobalAveragePool; a double model
            // with those is run cast to float, which checks its graph and values at float tolerance.
            bool castToFloat = TestData.IsDouble(network) && HasFloatOnlyOperator(model);
            if (castToFloat) model = DoubleModelAsFloat(model);
            foreach (int batch in Batches)
            {
                double[] inputs = TestData.Inputs(batch * TestData.InputSize(network), seed: batch);
                Dictionary<string, double[]> results = OnnxRuntimeRunner.Run(model, inputs, new[] { batch }.Concat(sample).ToArray(), TestData.IsDouble(network) && !castToFloat);
                Assert.Equal(architecture.IsClassifier ? new[] { "logits", "output" } : new[] { "output" }, results.Keys.OrderBy(k => k, StringComparer.Ordinal));
                double[] expected = AnyNetwork.Forward(network, inputs, batch);
                worst = Worse(worst, AssertClose(expected, results["output"], TestData.IsDouble(network) && !castToFloat, $"{name} opset {opset} batch {batch}"));
            }

            if (castToFloat) cast = true;
        }

        output.WriteLine($"{name} ({architecture.Text}): ONNX Runtime against NetGen{(cast ? " (run cast to float)" : "")}, {worst}");
    }

    [Fact]
    public void Dropout_writes_no_node_and_BatchNorm_reads_the_running_statistics()
    {
        var network = new FOnnxBatchNorm1D();
        RandomizeRunningStatistics(network, seed: 3);
        var model = NetGen.Onnx.Protobuf.ModelProto.Parser.ParseFrom(TestData.Export(network));
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Dropout");
        var mean = model.Graph.Initializer.Single(t => t.Name == "1.running_mean");
        var variance = model.Graph.Initializer.Single(t => t.Name == "1.running_var");
        float[] stored = mean.RawData.ToByteArray().Concat(variance.RawData.ToByteArray()).Chunk(4).Select(b => BitConverter.ToSingle(b, 0)).ToArray();
        Assert.Equal(network.Buffers, stored);
    }

    /// <summary>Running means in [-1, 1) and variances in [0.25, 2.25), so that inference normalisation is far from the identity.</summary>
    internal static void RandomizeRunningStatistics(object network, int seed)
    {
        var random = new Random(seed);
        NetworkArchitecture architecture = NetworkArchitecture.Parse(AnyNetwork.Architecture(network));
        var values = new List<double>();
        foreach (NetworkLayer layer in architecture.Layers.Where(l => l.Kind.StartsWith("BatchNorm", StringComparison.Ordinal)))
        {
            int features = int.Parse(layer.Arguments[0], System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < features; i++) values.Add(2 * random.NextDouble() - 1);
            for (int i = 0; i < features; i++) values.Add(0.25 + 2 * random.NextDouble());
        }

        if (network is INetwork<float> f)
        {
            Assert.Equal(values.Count, f.Buffers.Length);
            for (int i = 0; i < values.Count; i++) f.Buffers[i] = (float)values[i];
        }
        else
        {
            var d = (INetwork<double>)network;
            Assert.Equal(values.Count, d.Buffers.Length);
            values.CopyTo(d.Buffers);
        }
    }

    /// <summary>One sample's dimensions as PyTorch lays it out: the Input's sizes, or the network's input width.</summary>
    internal static int[] SampleDimensions(NetworkArchitecture architecture)
    {
        string layers = architecture.Text.Substring(architecture.Text.IndexOf(':') + 1).Trim();
        if (!layers.StartsWith("Input(", StringComparison.Ordinal)) return new[] { architecture.InputSize };
        return layers.Substring(6, layers.IndexOf(')') - 6).Split(',').Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    private static readonly string[] FloatOnlyOperators = { "Conv", "AveragePool", "GlobalAveragePool" };

    private static bool HasFloatOnlyOperator(byte[] model)
        => NetGen.Onnx.Protobuf.ModelProto.Parser.ParseFrom(model).Graph.Node.Any(n => FloatOnlyOperators.Contains(n.OpType));

    /// <summary>The model with every double value (initializers, inputs, outputs) rounded to float, the graph unchanged.</summary>
    private static byte[] DoubleModelAsFloat(byte[] bytes)
    {
        var model = NetGen.Onnx.Protobuf.ModelProto.Parser.ParseFrom(bytes);
        const int Float = (int)NetGen.Onnx.Protobuf.TensorProto.Types.DataType.Float, Double = (int)NetGen.Onnx.Protobuf.TensorProto.Types.DataType.Double;
        foreach (var tensor in model.Graph.Initializer)
        {
            Assert.Equal(Double, tensor.DataType);
            tensor.DataType = Float;
            if (tensor.HasRawData)
            {
                float[] values = tensor.RawData.ToByteArray().Chunk(8).Select(b => (float)BitConverter.ToDouble(b, 0)).ToArray();
                tensor.RawData = Google.Protobuf.ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
            }

            tensor.FloatData.AddRange(tensor.DoubleData.Select(v => (float)v));
            tensor.DoubleData.Clear();
        }

        foreach (var value in model.Graph.Input.Concat(model.Graph.Output))
        {
            Assert.Equal(Double, value.Type.TensorType.ElemType);
            value.Type.TensorType.ElemType = Float;
        }

        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }

    private static Difference AssertClose(double[] expected, double[] actual, bool isDouble, string what)
    {
        // As for the dense networks: the two sum in different orders, so a value can be off by a few
        // roundings of the largest terms; measured against the largest output (at least 1).
        double tolerance = isDouble ? 1e-12 : 1e-5;
        double scale = Math.Max(1, expected.Max(Math.Abs));
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what}, value {i}: NetGen {expected[i]:R}, ONNX Runtime {actual[i]:R}");
        }

        return Difference.Between(expected, actual);
    }

    private static Difference Worse(Difference a, Difference b) => new(Math.Max(a.MaxAbsolute, b.MaxAbsolute), Math.Max(a.MaxRelative, b.MaxRelative));
}
