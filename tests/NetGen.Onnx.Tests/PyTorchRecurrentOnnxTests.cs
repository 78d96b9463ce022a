using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Interop.Tests;
using NetGen.Onnx.Tests.Recurrent;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests
{
    /// <summary>
    /// What torch.onnx.export writes for nn.GRU / nn.LSTM (batch_first, num_layers 1 and 2) and nn.Linear
    /// (tests/fixtures/pytorch/make_recurrent_onnx.py) loads into NetGen's networks of both element types:
    /// the parameters come back in PyTorch's gate order exactly as PyTorch's state_dict holds them, and
    /// NetGen's outputs at every step match PyTorch's within 1e-5 of max(1, |value|) (PyTorch computed in
    /// float32), with activations between and after the layers, at opsets 9 and 17, with batch_first=False and
    /// without biases too.
    /// A file whose graph computes something else is refused naming the node, and leaves the network as it was;
    /// NetGen's own export loads back exactly.
    /// </summary>
    public class PyTorchRecurrentOnnxTests(ITestOutputHelper output)
    {
        public static TheoryData<string, string> Cases() => new()
        {
            { "gru", nameof(TorchGruFloat) }, { "gru", nameof(TorchGruDouble) },
            { "gru_stacked", nameof(TorchGruStackedFloat) }, { "gru_stacked", nameof(TorchGruStackedDouble) },
            { "lstm", nameof(TorchLstmFloat) }, { "lstm", nameof(TorchLstmDouble) },
            { "lstm_stacked", nameof(TorchLstmStackedFloat) }, { "lstm_stacked", nameof(TorchLstmStackedDouble) },
            { "gru_activations", nameof(TorchGruActivationsFloat) }, { "gru_activations", nameof(TorchGruActivationsDouble) },
            { "lstm_leaky_softmax_opset9", nameof(TorchLstmLeakySoftmaxFloat) }, { "lstm_leaky_softmax_opset9", nameof(TorchLstmLeakySoftmaxDouble) },
            { "gru_time_first_silu", nameof(TorchGruTimeFirstSiluFloat) }, { "gru_time_first_silu", nameof(TorchGruTimeFirstSiluDouble) },
            { "lstm_static_opset17", nameof(TorchLstmStaticFloat) }, { "lstm_static_opset17", nameof(TorchLstmStaticDouble) },
        };

        private static object Create(string name) => Activator.CreateInstance(typeof(PyTorchRecurrentOnnxTests).Assembly.GetType("NetGen.Onnx.Tests.Recurrent." + name, throwOnError: true)!)!;

        [Theory]
        [MemberData(nameof(Cases))]
        public void LoadOnnxWeights_reads_torch_onnx_export_and_gives_PyTorchs_outputs(string fixture, string networkName)
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureCase.Directory, $"recurrent_onnx_{fixture}.json")));
            JsonElement root = json.RootElement;
            object network = Create(networkName);
            Assert.EndsWith(root.GetProperty("architecture").GetString()!, AnyNetwork.Architecture(network), StringComparison.Ordinal);
            int batch = root.GetProperty("batch").GetInt32(), steps = root.GetProperty("steps").GetInt32();
            double[] parameters = Doubles(root, "parameters"), inputs = Doubles(root, "inputs"), expected = Doubles(root, "outputs");

            TestData.Load(network, File.ReadAllBytes(Path.Combine(FixtureCase.Directory, $"recurrent_onnx_{fixture}.onnx")));

            // The json's values are float32 values written exactly, so both element types hold them exactly.
            Assert.Equal(parameters, Parameters(network));
            double[] actual = Forward(network, inputs, batch, steps);
            Assert.Equal(expected.Length, actual.Length);
            double worst = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double difference = Math.Abs(expected[i] - actual[i]);
                worst = Math.Max(worst, difference);
                Assert.True(difference <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"value {i}: NetGen {actual[i]:R}, PyTorch {expected[i]:R}");
            }

            output.WriteLine($"{networkName} from recurrent_onnx_{fixture}.onnx: largest difference from PyTorch {worst:G3}");
        }

        /// <summary>
        /// A file whose graph computes something else than the declaration: another kind, size, activation,
        /// a missing or extra layer, or what no declaration computes (a bidirectional GRU, a learned initial
        /// state, a head on the last hidden state). Each is refused naming the node and what was expected.
        /// </summary>
        [Theory]
        [InlineData("gru", nameof(TorchLstmFloat), "at node 10 (GRU \"/rnn/GRU\"): it is a GRU node. Layer 1 of \"float: LSTM(3,5) Linear(5,2) MSELoss\", LSTM(3,5), is an LSTM node (hidden_size 5")]
        [InlineData("lstm", nameof(TorchGruFloat), "(LSTM \"/rnn/LSTM\"): it is an LSTM node. Layer 1 of")]
        [InlineData("gru", nameof(TorchGruTwiceFloat), "at node 14 (MatMul \"/head/MatMul\"): it is a MatMul node. Layer 2 of \"float: GRU(3,5) GRU(5,5) Linear(5,2) MSELoss\", GRU(5,5), is a GRU node")]
        [InlineData("gru_stacked", nameof(TorchGruWrongSizeFloat), "(GRU \"/rnn/GRU\"): its hidden_size is 7, not 5. Layer 1 of")]
        [InlineData("gru", nameof(TorchGruWrongInputsFloat), "the graph input \"input\" has 3 features per step, but \"float: GRU(5,5) Linear(5,2) MSELoss\" takes 5")]
        [InlineData("gru_activations", nameof(TorchGruTanhForReluFloat), "(Relu \"/1/Relu\"): it is a Relu node. Layer 2 of \"float: GRU(3,5) Tanh Linear(5,4) Tanh MSELoss\", Tanh, is a Tanh node in ONNX.")]
        [InlineData("gru_activations", nameof(TorchGruNoReluFloat), "(Relu \"/1/Relu\"): it is a Relu node. Layer 2 of \"float: GRU(3,5) Linear(5,4) Tanh MSELoss\", Linear(5,4), is a MatMul by its weight then an Add of its bias, applied per step in ONNX.")]
        [InlineData("gru_activations", nameof(TorchGruNoFinalTanhFloat), "the graph goes on after the last layer of the declaration: node 17 (Tanh \"/3/Tanh\") follows it")]
        [InlineData("gru_activations", nameof(TorchGruExtraSigmoidFloat), "but layer 5 of \"float: GRU(3,5) ReLU Linear(5,4) Tanh Sigmoid MSELoss\", Sigmoid, comes next; it would be a Sigmoid node")]
        [InlineData("gru", nameof(TorchGruReluHeadFloat), "(MatMul \"/head/MatMul\"): it is a MatMul node. Layer 2 of \"float: GRU(3,5) ReLU Linear(5,2) MSELoss\", ReLU, is a Relu node in ONNX.")]
        [InlineData("lstm_leaky_softmax_opset9", nameof(TorchLstmOtherSlopeFloat), "(LeakyRelu \"/1/LeakyRelu\"): its alpha is 0.1, not 0.2.")]
        [InlineData("gru_time_first_silu", nameof(TorchGruTimeFirstNoSiluFloat), "(Sigmoid \"/1/Sigmoid\"): it is a Sigmoid node. Layer 3 of")]
        [InlineData("gru_bidirectional", nameof(TorchGruFloat), "(GRU \"/rnn/GRU\"): its direction is bidirectional; NetGen's GRU runs forward only.")]
        [InlineData("gru_learned_h0", nameof(TorchGruFloat), "(GRU \"/rnn/GRU\"): its initial_h \"/Expand_output_0\" is not known to be zero (a learned or given initial state); NetGen's sequences start from a zero state.")]
        [InlineData("gru_last_state", nameof(TorchGruFloat), "(Gather \"/Gather\"): it is a Gather node. Layer 2 of \"float: GRU(3,5) Linear(5,2) MSELoss\", Linear(5,2)")]
        public void A_mismatched_file_is_refused_and_changes_nothing(string fixture, string networkName, string message)
        {
            object network = Create(networkName);
            TestData.Randomize(network, seed: 3);
            double[] before = Parameters(network);
            byte[] model = File.ReadAllBytes(Path.Combine(FixtureCase.Directory, $"recurrent_onnx_{fixture}.onnx"));
            var error = Assert.Throws<InvalidDataException>(() => TestData.Load(network, model));
            output.WriteLine(error.Message);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
            Assert.Equal(before, Parameters(network));
        }

        [Theory]
        [InlineData(nameof(OnnxMixedFloat), 13)]
        [InlineData(nameof(OnnxMixedDouble), 9)]
        [InlineData(nameof(OnnxGruStackedCeDouble), 13)]
        [InlineData(nameof(OnnxLstmStackedTanhFloat), 9)]
        public void NetGens_export_loads_back_exactly(string networkName, int opset)
        {
            object network = Create(networkName), loaded = Create(networkName);
            TestData.Randomize(network, seed: opset);
            TestData.Load(loaded, TestData.Export(network, new OnnxExportOptions { Opset = opset }));
            Assert.Equal(Parameters(network), Parameters(loaded));
        }

        private static double[] Doubles(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

        private static double[] Parameters(object network)
            => network is INetwork<float> f ? Array.ConvertAll(f.Parameters, v => (double)v) : (double[])((INetwork<double>)network).Parameters.Clone();

        private static double[] Forward(object network, double[] inputs, int batch, int steps)
        {
            if (network is ISequenceNetwork<float> f)
            {
                var outputs = new float[batch * steps * f.OutputSize];
                f.Forward(Array.ConvertAll(inputs, v => (float)v), outputs, batch, steps);
                return Array.ConvertAll(outputs, v => (double)v);
            }

            var d = (ISequenceNetwork<double>)network;
            var result = new double[batch * steps * d.OutputSize];
            d.Forward(inputs, result, batch, steps);
            return result;
        }
    }
}

namespace NetGen.Onnx.Tests.Recurrent
{
    // The networks of make_recurrent_onnx.py's cases; a num_layers=2 module is two consecutive attributes.
    [Network] [GRU(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class TorchGruFloat { }

    [Network(typeof(double))] [GRU(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class TorchGruDouble { }

    [Network] [GRU(4, 7)] [GRU(7, 7)] [Linear(7, 3)] [MSELoss]
    public partial class TorchGruStackedFloat { }

    [Network(typeof(double))] [GRU(4, 7)] [GRU(7, 7)] [Linear(7, 3)] [MSELoss]
    public partial class TorchGruStackedDouble { }

    [Network] [GRU(4, 5)] [GRU(5, 7)] [Linear(7, 3)] [MSELoss]
    public partial class TorchGruWrongSizeFloat { }

    [Network] [GRU(5, 5)] [Linear(5, 2)] [MSELoss]
    public partial class TorchGruWrongInputsFloat { }

    [Network] [LSTM(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class TorchLstmFloat { }

    [Network(typeof(double))] [LSTM(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class TorchLstmDouble { }

    [Network] [LSTM(3, 7)] [LSTM(7, 7)] [Linear(7, 4)] [MSELoss]
    public partial class TorchLstmStackedFloat { }

    [Network(typeof(double))] [LSTM(3, 7)] [LSTM(7, 7)] [Linear(7, 4)] [MSELoss]
    public partial class TorchLstmStackedDouble { }

    // make_recurrent_onnx.py's WIDER_CASES: activations between and after the layers, opset 9, batch_first=False.
    [Network] [GRU(3, 5)] [ReLU] [Linear(5, 4)] [Tanh] [MSELoss]
    public partial class TorchGruActivationsFloat { }

    [Network(typeof(double))] [GRU(3, 5)] [ReLU] [Linear(5, 4)] [Tanh] [MSELoss]
    public partial class TorchGruActivationsDouble { }

    [Network] [LSTM(3, 5)] [LeakyReLU(0.1)] [Linear(5, 3)] [Softmax] [CrossEntropyLoss]
    public partial class TorchLstmLeakySoftmaxFloat { }

    [Network(typeof(double))] [LSTM(3, 5)] [LeakyReLU(0.1)] [Linear(5, 3)] [Softmax] [CrossEntropyLoss]
    public partial class TorchLstmLeakySoftmaxDouble { }

    [Network] [GRU(4, 7)] [GRU(7, 7)] [SiLU] [Linear(7, 3)] [Sigmoid] [MSELoss]
    public partial class TorchGruTimeFirstSiluFloat { }

    [Network(typeof(double))] [GRU(4, 7)] [GRU(7, 7)] [SiLU] [Linear(7, 3)] [Sigmoid] [MSELoss]
    public partial class TorchGruTimeFirstSiluDouble { }

    [Network] [LSTM(3, 5)] [LSTM(5, 5)] [Linear(5, 2)] [MSELoss]
    public partial class TorchLstmStaticFloat { }

    [Network(typeof(double))] [LSTM(3, 5)] [LSTM(5, 5)] [Linear(5, 2)] [MSELoss]
    public partial class TorchLstmStaticDouble { }

    // Declarations that differ from those files by one layer.
    [Network] [GRU(3, 5)] [GRU(5, 5)] [Linear(5, 2)] [MSELoss]
    public partial class TorchGruTwiceFloat { }

    [Network] [GRU(3, 5)] [Tanh] [Linear(5, 4)] [Tanh] [MSELoss]
    public partial class TorchGruTanhForReluFloat { }

    [Network] [GRU(3, 5)] [Linear(5, 4)] [Tanh] [MSELoss]
    public partial class TorchGruNoReluFloat { }

    [Network] [GRU(3, 5)] [ReLU] [Linear(5, 4)] [MSELoss]
    public partial class TorchGruNoFinalTanhFloat { }

    [Network] [GRU(3, 5)] [ReLU] [Linear(5, 4)] [Tanh] [Sigmoid] [MSELoss]
    public partial class TorchGruExtraSigmoidFloat { }

    [Network] [GRU(3, 5)] [ReLU] [Linear(5, 2)] [MSELoss]
    public partial class TorchGruReluHeadFloat { }

    [Network] [LSTM(3, 5)] [LeakyReLU(0.2)] [Linear(5, 3)] [Softmax] [CrossEntropyLoss]
    public partial class TorchLstmOtherSlopeFloat { }

    [Network] [GRU(4, 7)] [GRU(7, 7)] [Linear(7, 3)] [Sigmoid] [MSELoss]
    public partial class TorchGruTimeFirstNoSiluFloat { }
}
