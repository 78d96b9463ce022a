using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using NetGen.Onnx.Protobuf;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Models that are not the declaration's, each one change away from a valid export: the loader says where
/// the graph differs (node index and operator) or what is wrong, throws only InvalidDataException, and
/// leaves the parameters as they were.
/// </summary>
public class OnnxMismatchTests
{
    private const string Iris = "float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss";

    private static ModelProto IrisModel(int opset = 13) => ModelProto.Parser.ParseFrom(TestData.Export(new IrisNet(), new OnnxExportOptions { Opset = opset }));

    /// <summary>Loads <paramref name="model"/> into an IrisNet that must refuse it; returns the message.</summary>
    private static string Refused(ModelProto model, object? network = null, WeightLoadOptions? options = null) => Refused(model.ToByteArray(), network, options);

    private static string Refused(byte[] model, object? network = null, WeightLoadOptions? options = null)
    {
        network ??= new IrisNet();
        long[] before = AnyNetwork.ParameterBits(network);
        var error = Assert.Throws<InvalidDataException>(() => TestData.Load(network, model, options));
        Assert.Equal(before, AnyNetwork.ParameterBits(network));
        Assert.StartsWith("Cannot load ONNX weights: ", error.Message);
        return error.Message;
    }

    [Fact]
    public void An_operator_that_differs_is_named_with_its_node_and_the_layer_expected_there()
    {
        ModelProto model = IrisModel();
        model.Graph.Node[1].OpType = "Tanh";
        Assert.Contains(
            $"the graph differs from the declaration at node 1 (Tanh \"/1/Relu\"): it is a Tanh node. Layer 2 of \"{Iris}\", ReLU, is a Relu node in ONNX.",
            Refused(model));

        ModelProto gemm = IrisModel();
        gemm.Graph.Node[2].OpType = "Conv";
        Assert.Contains("at node 2 (Conv \"/2/Gemm\"): it is a Conv node. Layer 3 of", Refused(gemm));
    }

    [Fact]
    public void An_architecture_of_other_widths_is_refused_at_the_graph_input_or_at_the_weight()
    {
        byte[] refDeep = TestData.Export(new RefDeep());
        Assert.Contains("the graph input \"input\" has 10 features per sample, but \"" + Iris + "\" takes 4", Refused(refDeep));

        // Same input width, another hidden width: the first Gemm's weight tells.
        byte[] irisLike = TestData.Export(new RefIrisLike());
        Assert.Contains("at node 0 (Gemm \"/0/Gemm\"): its weight \"0.weight\" has shape [8, 4], not [16, 4] ([outputs, inputs], as transB=1 reads it)", Refused(irisLike));
    }

    [Fact]
    public void Missing_and_extra_nodes_are_refused()
    {
        ModelProto shorter = IrisModel();
        shorter.Graph.Node.RemoveAt(3);
        shorter.Graph.Node.RemoveAt(2);
        shorter.Graph.Output.Clear();
        shorter.Graph.Output.Add(new ValueInfoProto { Name = "/1/ReLU_output" });
        Assert.Contains("the graph ends after its 2 nodes, but layer 3 of \"" + Iris + "\", Linear(16,3), comes next", Refused(shorter));

        ModelProto longer = IrisModel();
        longer.Graph.Node.Add(new NodeProto { OpType = "Relu", Name = "extra", Input = { "output" }, Output = { "after" } });
        Assert.Contains("the graph goes on after the last layer of the declaration: node 4 (Relu \"extra\") follows it", Refused(longer));

        ModelProto notOutput = IrisModel();
        notOutput.Graph.Output.RemoveAt(0);
        Assert.Contains("the last layer's value \"output\" is not an output of the graph (its outputs are \"logits\")", Refused(notOutput));
    }

    [Fact]
    public void Attributes_that_change_the_computation_are_refused()
    {
        ModelProto axis = IrisModel();
        axis.Graph.Node[3].Attribute[0].I = 0;
        Assert.Contains("at node 3 (Softmax \"/3/Softmax\"): its axis is 0, which for a value of rank 2 is not the last axis", Refused(axis));

        // Before opset 13 a Softmax with no axis uses 1, which is the last axis of [batch, features].
        ModelProto defaultAxis = IrisModel(opset: 9);
        defaultAxis.Graph.Node[3].Attribute.Clear();
        TestData.Load(new IrisNet(), defaultAxis.ToByteArray());

        ModelProto transA = IrisModel();
        transA.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "transA", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        Assert.Contains("at node 0 (Gemm \"/0/Gemm\"): it transposes its input (transA=1)", Refused(transA));

        ModelProto alpha = IrisModel();
        alpha.Graph.Node[2].Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 2 });
        Assert.Contains("at node 2 (Gemm \"/2/Gemm\"): its alpha is 2, not 1", Refused(alpha));

        ModelProto unknown = IrisModel();
        unknown.Graph.Node[1].Attribute.Add(new AttributeProto { Name = "clip", Type = AttributeProto.Types.AttributeType.Float, F = 6 });
        Assert.Contains("at node 1 (Relu \"/1/Relu\"): it has an attribute \"clip\" that NetGen does not know", Refused(unknown));

        var leaky = new ReferenceMlp<float>("float: Linear(3,4) LeakyReLU(0.1) Linear(4,2)");
        ModelProto slope = ModelProto.Parser.ParseFrom(TestData.Export(leaky));
        slope.Graph.Node[1].Attribute[0].F = 0.2f;
        Assert.Contains("at node 1 (LeakyRelu \"/1/LeakyRelu\"): its alpha is 0.2, not 0.1", Refused(slope, new ReferenceMlp<float>(leaky.Architecture)));
        // LeakyRelu's default alpha is PyTorch's default slope.
        var defaultSlope = new ReferenceMlp<float>("float: Linear(3,4) LeakyReLU Linear(4,2)");
        ModelProto noAlpha = ModelProto.Parser.ParseFrom(TestData.Export(defaultSlope));
        noAlpha.Graph.Node[1].Attribute.Clear();
        TestData.Load(new ReferenceMlp<float>(defaultSlope.Architecture), noAlpha.ToByteArray());
    }

    [Fact]
    public void The_chain_must_run_from_the_input_through_every_node()
    {
        ModelProto skipped = IrisModel();
        skipped.Graph.Node[2].Input[0] = "input";
        Assert.Contains("at node 2 (Gemm \"/2/Gemm\"): it reads \"input\", not \"/1/ReLU_output\", the value of the layer before", Refused(skipped));

        ModelProto twoInputs = IrisModel();
        twoInputs.Graph.Input.Add(new ValueInfoProto { Name = "mask" });
        Assert.Contains("the graph has 2 inputs that are not initializers (\"input\", \"mask\"); a NetGen network has one", Refused(twoInputs));

        ModelProto noShape = IrisModel();
        noShape.Graph.Input[0].Type.TensorType.Shape = null;
        Assert.Contains("the graph input \"input\" has no shape", Refused(noShape));

        ModelProto silu = ModelProto.Parser.ParseFrom(TestData.Export(new ReferenceMlp<float>("float: Linear(3,4) SiLU Linear(4,2)")));
        silu.Graph.Node[2].Input[0] = silu.Graph.Node[1].Output[0];   // sigmoid(x) * sigmoid(x)
        Assert.Contains("at node 2 (Mul \"/1/Mul\"): it is not a Mul of \"/0/Linear_output\" and \"/1/Sigmoid_output\"", Refused(silu, new ReferenceMlp<float>("float: Linear(3,4) SiLU Linear(4,2)")));

        ModelProto domain = IrisModel();
        domain.Graph.Node[1].Domain = "com.microsoft";
        Assert.Contains("at node 1 (Relu \"/1/Relu\"): it is an operator of the domain \"com.microsoft\", not of ONNX", Refused(domain));
    }

    [Fact]
    public void Weights_must_be_constants_of_a_readable_type()
    {
        ModelProto computed = IrisModel();
        computed.Graph.Node[0].Input[1] = "input";
        Assert.Contains("at node 0 (Gemm \"/0/Gemm\"): its weight \"input\" is neither an initializer nor a Constant", Refused(computed));

        ModelProto integers = IrisModel();
        integers.Graph.Initializer[0].DataType = (int)TensorProto.Types.DataType.Int32;
        Assert.Contains("initializer \"0.weight\" (the weight of node 0 (Gemm \"/0/Gemm\")) holds int32 values; NetGen reads float, double, float16 and bfloat16 weights", Refused(integers));

        ModelProto external = IrisModel();
        external.Graph.Initializer[2].ClearRawData();
        external.Graph.Initializer[2].DataLocation = TensorProto.Types.DataLocation.External;
        external.Graph.Initializer[2].ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        Assert.Contains("initializer \"2.weight\" (the weight of node 2 (Gemm \"/2/Gemm\")) keeps its data in an external file (\"weights.bin\")", Refused(external));

        ModelProto shortData = IrisModel();
        shortData.Graph.Initializer[1].RawData = ByteString.CopyFrom(new byte[60]);
        Assert.Contains("initializer \"0.bias\" (the bias of node 0 (Gemm \"/0/Gemm\")) has shape [16], 16 elements of 4 bytes, but its raw_data holds 60 bytes", Refused(shortData));

        ModelProto both = IrisModel();
        both.Graph.Initializer[1].FloatData.Add(1f);
        Assert.Contains("has both raw_data and typed data", Refused(both));

        ModelProto duplicate = IrisModel();
        duplicate.Graph.Initializer.Add(duplicate.Graph.Initializer[0].Clone());
        Assert.Contains("the graph has two initializers named \"0.weight\"", Refused(duplicate));

        ModelProto bias = IrisModel();
        bias.Graph.Initializer[3].Dims[0] = 4;
        Assert.Contains("at node 2 (Gemm \"/2/Gemm\"): its bias \"2.bias\" has shape [4], not [3]", Refused(bias));
    }

    [Fact]
    public void Non_finite_weights_are_refused_unless_allowed()
    {
        var network = new IrisNet();
        network.Parameters[80 + 17] = float.PositiveInfinity;   // layer 2's weight [1, 1]
        byte[] model = TestData.Export(network);
        Assert.Contains("initializer \"2.weight\" (the weight of node 2 (Gemm \"/2/Gemm\")) element [1, 1] is +Infinity; non-finite weights are refused unless WeightLoadOptions.AllowNonFiniteValues is set", Refused(model));
        var allowed = new IrisNet();
        TestData.Load(allowed, model, new WeightLoadOptions { AllowNonFiniteValues = true });
        Assert.Equal(float.PositiveInfinity, allowed.Parameters[97]);
    }

    [Fact]
    public void Files_that_are_not_ONNX_models_are_refused()
    {
        Assert.Contains("the data is empty (0 bytes)", Refused(Array.Empty<byte>()));
        Assert.Contains("the data is not an ONNX model (protobuf:", Refused(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0x0F }));
        Assert.Contains("the model has no graph", Refused(new ModelProto { IrVersion = 7 }));
        ModelProto noOpset = IrisModel();
        noOpset.OpsetImport.Clear();
        Assert.Contains("the model imports no version of the default ONNX operator set", Refused(noOpset));
        Assert.Contains("not an ONNX model", Refused(System.Text.Encoding.UTF8.GetBytes("{\"format\": \"safetensors?\"}")));
    }

    [Fact]
    public void Arguments_are_checked_before_anything_is_read()
    {
        var network = new IrisNet();
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => ((INetwork<float>)null!).LoadOnnxWeights(new MemoryStream())).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => network.LoadOnnxWeights((string)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => network.LoadOnnxWeights(" ")).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => network.LoadOnnxWeights("x.onnx", null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => network.LoadOnnxWeights((Stream)null!)).ParamName);
        Assert.Throws<FileNotFoundException>(() => network.LoadOnnxWeights(Path.Combine(Path.GetTempPath(), "netgen-no-such-model.onnx")));
        var unknown = new ReferenceMlp<float>("float: Linear(3,4) GELU Linear(4,2)");
        Assert.Throws<NotSupportedException>(() => unknown.LoadOnnxWeights(new MemoryStream(TestData.Export(new ReferenceMlp<float>("float: Linear(3,4) ReLU Linear(4,2)")))));
    }

    [Fact]
    public void A_Linear_without_a_bias_loads_with_a_zero_bias()
    {
        ModelProto model = IrisModel();
        model.Graph.Node[2].Input.RemoveAt(2);
        var network = new IrisNet();
        TestData.Load(network, model.ToByteArray());
        Assert.All(network.Parameters.Skip(80 + 48), b => Assert.Equal(0f, b));
        Assert.Equal(new IrisNet().Parameters.Take(80 + 48), network.Parameters.Take(80 + 48));
    }
}
