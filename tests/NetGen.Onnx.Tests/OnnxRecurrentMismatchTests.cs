using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Interop.Tests;
using NetGen.Onnx.Protobuf;
using NetGen.Onnx.Tests.Recurrent;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>
/// NetGen's own export of a sequence network, changed in one place so that it computes another model (an
/// activation's operator, a GRU/LSTM attribute, a missing or extra node, a non-zero initial state, a swap of
/// axes): LoadOnnxWeights refuses each with InvalidDataException naming the node and what the declaration
/// has there, and leaves the parameters bit for bit as they were. The unchanged exports load back exactly at
/// every opset, and so do changes that compute the same (default activations stated, a zero initial state).
/// </summary>
public class OnnxRecurrentMismatchTests(ITestOutputHelper output)
{
    private const string Mixed = "float: Linear(5,6) Tanh GRU(6,9) ReLU LSTM(9,5) Linear(5,3) Softmax CrossEntropyLoss";

    /// <summary>The export of <see cref="OnnxMixedFloat"/>: Linear, Tanh, GRU, ReLU, LSTM, Linear, Softmax, with logits.</summary>
    private static ModelProto MixedModel(int opset = 13)
    {
        var network = new OnnxMixedFloat();
        TestData.Randomize(network, seed: 5);
        return ModelProto.Parser.ParseFrom(TestData.Export(network, new OnnxExportOptions { Opset = opset }));
    }

    private static NodeProto Node(ModelProto model, string opType) => model.Graph.Node.Single(n => n.OpType == opType);

    private static int IndexOf(ModelProto model, string name) => model.Graph.Node.IndexOf(model.Graph.Node.Single(n => n.Name == name));

    private static AttributeProto IntAttribute(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>Loads <paramref name="model"/> into a randomised OnnxMixedFloat that must refuse it; returns the message.</summary>
    private string Refused(ModelProto model)
    {
        var network = new OnnxMixedFloat();
        TestData.Randomize(network, seed: 11);
        long[] before = AnyNetwork.ParameterBits(network);
        var error = Assert.Throws<InvalidDataException>(() => TestData.Load(network, model.ToByteArray()));
        Assert.Equal(before, AnyNetwork.ParameterBits(network));
        Assert.StartsWith("Cannot load ONNX weights: ", error.Message);
        output.WriteLine(error.Message);
        return error.Message;
    }

    /// <summary>Loads <paramref name="model"/> and checks that it gives the exported network's parameters.</summary>
    private static void Loads(ModelProto model)
    {
        var expected = new OnnxMixedFloat();
        TestData.Randomize(expected, seed: 5);
        var network = new OnnxMixedFloat();
        TestData.Load(network, model.ToByteArray());
        Assert.Equal(AnyNetwork.ParameterBits(expected), AnyNetwork.ParameterBits(network));
    }

    public static TheoryData<string, int> ExportsAtEveryOpset()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in OnnxRecurrentExportTests.Networks().Append(nameof(OnnxEndsInGruFloat)).Append(nameof(OnnxLeakyLstmDouble)))
        {
            foreach (int opset in new[] { OnnxOpsets.Lowest, 12, OnnxOpsets.Default, OnnxOpsets.Highest }) data.Add(name, opset);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExportsAtEveryOpset))]
    public void NetGens_export_of_every_sequence_network_loads_back_exactly(string name, int opset)
    {
        Type type = typeof(OnnxRecurrentMismatchTests).Assembly.GetTypes().Single(t => t.Name == name && t.Namespace is "NetGen.Onnx.Tests" or "NetGen.Onnx.Tests.Recurrent");
        object network = Activator.CreateInstance(type)!, loaded = Activator.CreateInstance(type)!;
        TestData.Randomize(network, seed: opset + name.Length);
        TestData.Load(loaded, TestData.Export(network, new OnnxExportOptions { Opset = opset }));
        Assert.Equal(AnyNetwork.ParameterBits(network), AnyNetwork.ParameterBits(loaded));
    }

    [Fact]
    public void A_weight_refused_after_the_graph_has_matched_changes_nothing_either()
    {
        // The graph is right; the GRU's R holds a NaN, found while the values are read, after every other layer's.
        ModelProto model = MixedModel();
        TensorProto r = model.Graph.Initializer.Single(t => t.Name == Node(model, "GRU").Input[2]);
        byte[] raw = r.RawData.ToByteArray();
        BitConverter.GetBytes(float.NaN).CopyTo(raw, 4 * 10);
        r.RawData = ByteString.CopyFrom(raw);
        Assert.Contains("initializer \"2.R\" (R of node 5 (GRU \"/2/GRU\")) element [0, 1, 1] is NaN; non-finite weights are refused unless WeightLoadOptions.AllowNonFiniteValues is set", Refused(model));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(13)]
    public void An_activation_of_another_operator_is_refused(int opset)
    {
        ModelProto model = MixedModel(opset);
        Node(model, "Relu").OpType = "Tanh";
        int index = IndexOf(model, "/3/Relu");
        Assert.Contains($"the graph differs from the declaration at node {index} (Tanh \"/3/Relu\"): it is a Tanh node. Layer 4 of \"{Mixed}\", ReLU, is a Relu node in ONNX.", Refused(model));

        ModelProto first = MixedModel(opset);
        first.Graph.Node.Single(n => n.Name == "/1/Tanh").OpType = "Sigmoid";
        Assert.Contains("(Sigmoid \"/1/Tanh\"): it is a Sigmoid node. Layer 2 of", Refused(first));

        ModelProto softmax = MixedModel(opset);
        Node(softmax, "Softmax").Attribute.Single(a => a.Name == "axis").I = 1;
        Assert.Contains("(Softmax \"/6/Softmax\"): its axis is 1, which for a value of rank 3 is not the last axis", Refused(softmax));
    }

    [Fact]
    public void A_missing_or_an_extra_activation_is_refused()
    {
        // The ReLU between the GRU and the LSTM left out: the LSTM reads the GRU's steps directly.
        ModelProto missing = MixedModel();
        NodeProto relu = Node(missing, "Relu");
        Node(missing, "LSTM").Input[0] = relu.Input[0];
        missing.Graph.Node.Remove(relu);
        Assert.Contains($"(LSTM \"/4/LSTM\"): it is an LSTM node. Layer 4 of \"{Mixed}\", ReLU, is a Relu node in ONNX.", Refused(missing));

        // A Sigmoid after the ReLU.
        ModelProto extra = MixedModel();
        NodeProto afterRelu = Node(extra, "Relu");
        string reluOutput = afterRelu.Output[0];
        Node(extra, "LSTM").Input[0] = "extra";
        extra.Graph.Node.Insert(extra.Graph.Node.IndexOf(afterRelu) + 1, new NodeProto { OpType = "Sigmoid", Name = "extra", Input = { reluOutput }, Output = { "extra" } });
        Assert.Contains("(Sigmoid \"extra\"): it is a Sigmoid node. Layer 5 of", Refused(extra));

        // One more layer at the end of the chain, before the output.
        ModelProto longer = MixedModel();
        NodeProto outputTranspose = longer.Graph.Node.Single(n => n.Name == "/output/Transpose");
        string softmaxOutput = outputTranspose.Input[0];
        outputTranspose.Input[0] = "after";
        longer.Graph.Node.Insert(longer.Graph.Node.IndexOf(outputTranspose), new NodeProto { OpType = "Relu", Name = "after", Input = { softmaxOutput }, Output = { "after" } });
        Assert.Contains("the graph goes on after the last layer of the declaration: node", Refused(longer));
    }

    [Fact]
    public void GRU_attributes_that_change_the_computation_are_refused()
    {
        ModelProto reset = MixedModel();
        Node(reset, "GRU").Attribute.Single(a => a.Name == "linear_before_reset").I = 0;
        Assert.Contains("(GRU \"/2/GRU\"): its linear_before_reset is 0: it applies the reset gate before the hidden weights, but PyTorch's GRU (and NetGen's) applies it after them, linear_before_reset = 1. Layer 3 of", Refused(reset));

        ModelProto noReset = MixedModel();
        NodeProto gru = Node(noReset, "GRU");
        gru.Attribute.Remove(gru.Attribute.Single(a => a.Name == "linear_before_reset"));
        Assert.Contains("(GRU \"/2/GRU\"): it has no linear_before_reset (so 0)", Refused(noReset));

        foreach (string direction in new[] { "reverse", "bidirectional" })
        {
            ModelProto model = MixedModel();
            Node(model, "GRU").Attribute.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(direction) });
            Assert.Contains($"(GRU \"/2/GRU\"): its direction is {direction}; NetGen's GRU runs forward only", Refused(model));
        }

        ModelProto clip = MixedModel();
        Node(clip, "GRU").Attribute.Add(new AttributeProto { Name = "clip", Type = AttributeProto.Types.AttributeType.Float, F = 5 });
        Assert.Contains("(GRU \"/2/GRU\"): it clips the gates' inputs to ±5, which PyTorch's GRU (and NetGen's) does not", Refused(clip));

        ModelProto layout = MixedModel(opset: 14);
        Node(layout, "GRU").Attribute.Add(IntAttribute("layout", 1));
        Assert.Contains("(GRU \"/2/GRU\"): its layout is 1; only layout 0 ([steps, batch, features]) is read", Refused(layout));

        ModelProto hidden = MixedModel();
        Node(hidden, "GRU").Attribute.Single(a => a.Name == "hidden_size").I = 8;
        Assert.Contains("(GRU \"/2/GRU\"): its hidden_size is 8, not 9", Refused(hidden));

        ModelProto unknown = MixedModel();
        Node(unknown, "GRU").Attribute.Add(IntAttribute("peepholes", 1));
        Assert.Contains("(GRU \"/2/GRU\"): it has an attribute \"peepholes\" that NetGen does not know", Refused(unknown));

        ModelProto alpha = MixedModel();
        var alphas = new AttributeProto { Name = "activation_alpha", Type = AttributeProto.Types.AttributeType.Floats };
        alphas.Floats.Add(0.5f);
        Node(alpha, "GRU").Attribute.Add(alphas);
        Assert.Contains("(GRU \"/2/GRU\"): it has activation_alpha, a parameter of activations other than PyTorch's", Refused(alpha));
    }

    [Fact]
    public void LSTM_attributes_and_inputs_that_change_the_computation_are_refused()
    {
        ModelProto activations = MixedModel();
        var other = new AttributeProto { Name = "activations", Type = AttributeProto.Types.AttributeType.Strings };
        other.Strings.Add(new[] { "Sigmoid", "Relu", "Tanh" }.Select(ByteString.CopyFromUtf8));
        Node(activations, "LSTM").Attribute.Add(other);
        Assert.Contains("(LSTM \"/4/LSTM\"): its activations are [Sigmoid, Relu, Tanh], not [Sigmoid, Tanh, Tanh] as in PyTorch's LSTM (and NetGen's). Layer 5 of", Refused(activations));

        ModelProto forget = MixedModel();
        Node(forget, "LSTM").Attribute.Add(IntAttribute("input_forget", 1));
        Assert.Contains("(LSTM \"/4/LSTM\"): its input_forget couples the input and forget gates", Refused(forget));

        ModelProto lengths = MixedModel();
        Node(lengths, "LSTM").Input.Add("lengths");
        Assert.Contains("(LSTM \"/4/LSTM\"): it has sequence_lens \"lengths\"; NetGen runs every sequence over all its steps", Refused(lengths));

        ModelProto peepholes = MixedModel();
        peepholes.Graph.Initializer.Add(new TensorProto { Name = "P", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1, 15 }, FloatData = { new float[15] } });
        Node(peepholes, "LSTM").Input.Add(new[] { "", "", "", "P" });
        Assert.Contains("(LSTM \"/4/LSTM\"): it has peephole weights P", Refused(peepholes));

        // The defaults stated explicitly compute the same.
        ModelProto stated = MixedModel();
        var defaults = new AttributeProto { Name = "activations", Type = AttributeProto.Types.AttributeType.Strings };
        defaults.Strings.Add(new[] { "Sigmoid", "Tanh", "Tanh" }.Select(ByteString.CopyFromUtf8));
        Node(stated, "LSTM").Attribute.Add(defaults);
        Node(stated, "LSTM").Attribute.Add(IntAttribute("input_forget", 0));
        Node(stated, "GRU").Attribute.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("forward") });
        Loads(stated);
    }

    [Fact]
    public void Only_a_zero_initial_state_loads()
    {
        ModelProto ones = MixedModel();
        ones.Graph.Initializer.Add(new TensorProto { Name = "h0", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1, 1, 9 }, FloatData = { Enumerable.Repeat(1f, 9) } });
        Node(ones, "GRU").Input.Add(new[] { "", "h0" });
        Assert.Contains("(GRU \"/2/GRU\"): its initial_h \"h0\" is not known to be zero (a learned or given initial state); NetGen's sequences start from a zero state", Refused(ones));

        ModelProto cell = MixedModel();
        cell.Graph.Initializer.Add(new TensorProto { Name = "c0", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1, 1, 5 }, RawData = ByteString.CopyFrom(BitConverter.GetBytes(0f).Concat(BitConverter.GetBytes(0.5f)).Concat(new byte[12]).ToArray()) });
        Node(cell, "LSTM").Input.Add(new[] { "", "", "c0" });
        Assert.Contains("(LSTM \"/4/LSTM\"): its initial_c \"c0\" is not known to be zero", Refused(cell));

        ModelProto zeros = MixedModel();
        zeros.Graph.Initializer.Add(new TensorProto { Name = "h0", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1, 1, 9 }, FloatData = { new float[9] } });
        Node(zeros, "GRU").Input.Add(new[] { "", "h0" });
        Loads(zeros);
    }

    [Fact]
    public void The_axes_must_be_swapped_and_squeezed_as_the_layers_read_them()
    {
        ModelProto perm = MixedModel();
        AttributeProto inputPerm = perm.Graph.Node.Single(n => n.Name == "/input/Transpose").Attribute.Single();
        inputPerm.Ints.Clear();
        inputPerm.Ints.Add(new long[] { 0, 2, 1 });
        ModelProto noPerm = MixedModel();
        noPerm.Graph.Node.Single(n => n.Name == "/input/Transpose").Attribute.Clear();
        Assert.Contains("(Transpose \"/input/Transpose\"): it transposes without perm (so it reverses every axis);", Refused(noPerm));

        Assert.Contains("(Transpose \"/input/Transpose\"): it transposes with perm [0, 2, 1]; between layers only the swap of batch and steps, perm [1, 0, 2], keeps each step's features together. Layer 1 of", Refused(perm));

        // Without the swap at the input the GRU would read [batch, steps, features] as [steps, batch, features]...
        // unless the whole graph is steps first, which leaving out the output's swap too would make it.
        ModelProto noInputSwap = MixedModel();
        NodeProto inputTranspose = noInputSwap.Graph.Node.Single(n => n.Name == "/input/Transpose");
        noInputSwap.Graph.Node.Single(n => n.Input.Contains(inputTranspose.Output[0])).Input[0] = inputTranspose.Input[0];
        noInputSwap.Graph.Node.Remove(inputTranspose);
        Assert.Contains("the graph's output \"output\" is [batch, steps, features] while its input is [steps, batch, features]", Refused(noInputSwap));

        ModelProto noOutputSwap = MixedModel(opset: 9);
        NodeProto outputTranspose = noOutputSwap.Graph.Node.Single(n => n.Name == "/output/Transpose");
        noOutputSwap.Graph.Node.Single(n => n.Name == "/6/Softmax").Output[0] = "output";
        noOutputSwap.Graph.Node.Remove(outputTranspose);
        Assert.Contains("the graph's output \"output\" is [steps, batch, features] while its input is [batch, steps, features]", Refused(noOutputSwap));

        // A swap between the GRU and the LSTM: the LSTM would read batch first.
        ModelProto between = MixedModel();
        NodeProto lstm = Node(between, "LSTM");
        string read = lstm.Input[0];
        lstm.Input[0] = "swapped";
        var swap = new NodeProto { OpType = "Transpose", Name = "swap", Input = { read }, Output = { "swapped" } };
        swap.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 0, 2 } });
        between.Graph.Node.Insert(between.Graph.Node.IndexOf(lstm), swap);
        Assert.Contains("(LSTM \"/4/LSTM\"): the value it reads, \"swapped\", is [batch, steps, features], but ONNX's LSTM reads [steps, batch, features]", Refused(between));

        foreach (int opset in new[] { 9, 13 })
        {
            ModelProto squeeze = MixedModel(opset);
            NodeProto node = squeeze.Graph.Node.First(n => n.OpType == "Squeeze");
            if (opset >= 13) squeeze.Graph.Initializer.Single(t => t.Name == node.Input[1]).Int64Data[0] = 0;
            else node.Attribute.Single().Ints[0] = 0;
            Assert.Contains($"(Squeeze \"/2/Squeeze\"): it squeezes \"/2/GRU_Y\", a GRU/LSTM's Y [steps, 1, batch, hidden], along the axes [0]; only its direction axis, 1, may go. Layer 3 of \"{Mixed}\", GRU(6,9), is a GRU node", Refused(squeeze));
        }

        // No Squeeze at all: the ReLU reads [steps, 1, batch, hidden] and the LSTM after it then has the direction axis.
        ModelProto unsqueezed = MixedModel();
        NodeProto first = unsqueezed.Graph.Node.First(n => n.OpType == "Squeeze");
        Node(unsqueezed, "Relu").Input[0] = first.Input[0];
        unsqueezed.Graph.Node.Remove(first);
        Assert.Contains("(LSTM \"/4/LSTM\"): it reads \"/3/ReLU_output\", a GRU/LSTM's Y [steps, 1, batch, hidden], before the Squeeze of its direction axis", Refused(unsqueezed));
    }

    [Fact]
    public void Nodes_beside_the_chain_must_be_those_of_a_zero_state()
    {
        // A node that reads only constants but is none of the zero state's: its meaning is not known.
        ModelProto beside = MixedModel();
        beside.Graph.Node.Insert(3, new NodeProto { OpType = "Add", Name = "aside", Input = { "0.bias", "0.bias" }, Output = { "aside" } });
        Assert.Contains($"the graph differs from the declaration at node 3 (Add \"aside\"): it is neither a node of \"{Mixed}\" nor one of those torch.onnx.export writes for the zero initial states", Refused(beside));

        // A head on the LSTM's last state Y_h instead of every step's Y.
        ModelProto lastState = MixedModel();
        NodeProto lstm = Node(lastState, "LSTM");
        int squeeze = lastState.Graph.Node.IndexOf(lstm) + 1;
        Assert.Equal("Squeeze", lastState.Graph.Node[squeeze].OpType);
        lstm.Output.Add("Y_h");
        lastState.Graph.Node[squeeze].Input[0] = "Y_h";
        Assert.Contains($"(Squeeze \"/4/Squeeze\"): it is a Squeeze node. Layer 6 of \"{Mixed}\", Linear(5,3)", Refused(lastState));

        ModelProto gemm = MixedModel();
        NodeProto matMul = gemm.Graph.Node.Last(n => n.OpType == "MatMul");
        matMul.OpType = "Gemm";
        Assert.Contains("(Gemm \"/5/MatMul\"): it is a Gemm node, which multiplies matrices, but the value it reads has rank 3", Refused(gemm));
    }
}

// A network whose last layer is recurrent (its Squeeze and the output's swap follow the GRU), and one with LeakyReLU and SiLU.
[Network] [Linear(3, 4)] [GRU(4, 6)] [MSELoss]
public partial class OnnxEndsInGruFloat { }

[Network(typeof(double))] [LSTM(2, 5)] [LeakyReLU(0.2)] [Linear(5, 4)] [SiLU] [Linear(4, 3)] [MSELoss]
public partial class OnnxLeakyLstmDouble { }
