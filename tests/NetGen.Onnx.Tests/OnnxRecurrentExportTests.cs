using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using NetGen.Onnx.Tests.Recurrent;
using Google.Protobuf;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Tests
{
    /// <summary>
    /// Exported sequence networks (GRU, LSTM, stacked, odd sizes, Linear heads, activations, a classifier),
    /// run by ONNX Runtime over [batch, steps, inputs], give what NetGen's whole-sequence Forward gives at
    /// every step, at opsets 13 and 9 (Squeeze's axes and Softmax's flattening differ there).
    /// ONNX Runtime's GRU and LSTM kernels take float only ("does not support double yet"): a double
    /// network's model is checked to hold its parameters exactly, then run by ONNX Runtime with every double
    /// narrowed to float (the same graph otherwise) and compared with the double network at float's tolerance.
    /// </summary>
    public class OnnxRecurrentExportTests(ITestOutputHelper output)
    {
        public static TheoryData<string> Networks() => new()
        {
            nameof(OnnxGru3x5Float), nameof(OnnxGru3x5Double), nameof(OnnxGruStackedCeFloat), nameof(OnnxGruStackedCeDouble),
            nameof(OnnxLstm3x5Float), nameof(OnnxLstm3x5Double), nameof(OnnxLstmStackedTanhFloat), nameof(OnnxLstmStackedTanhDouble),
            nameof(OnnxMixedFloat), nameof(OnnxMixedDouble),
        };

        private static object Create(string name) => Activator.CreateInstance(typeof(OnnxRecurrentExportTests).Assembly.GetType("NetGen.Onnx.Tests.Recurrent." + name, throwOnError: true)!)!;

        [Theory]
        [MemberData(nameof(Networks))]
        public void ONNX_Runtime_gives_NetGens_sequence_outputs_at_every_step(string name)
        {
            object network = Create(name);
            TestData.Randomize(network, seed: name.Length);
            bool isDouble = TestData.IsDouble(network);
            bool classifier = NetworkArchitecture.Parse(Architecture(network)).IsClassifier;
            int inputSize = TestData.InputSize(network);
            double worst = 0;
            foreach (int opset in new[] { 13, 9 })
            {
                byte[] model = TestData.Export(network, new OnnxExportOptions { Opset = opset });
                if (isDouble) model = NarrowedToFloat(model, ((INetwork<double>)network).Parameters);
                foreach ((int batch, int steps) in new[] { (1, 1), (3, 7), (5, 2) })
                {
                    double[] inputs = TestData.Inputs(batch * steps * inputSize, seed: batch * 31 + steps);
                    Dictionary<string, double[]> results = OnnxRuntimeRunner.Run(model, inputs, new[] { batch, steps, inputSize }, isDouble: false);
                    Assert.Equal(classifier ? new[] { "logits", "output" } : new[] { "output" }, results.Keys.OrderBy(k => k, StringComparer.Ordinal));
                    double[] expected = Forward(network, inputs, batch, steps);
                    worst = Math.Max(worst, AssertClose(expected, results["output"], $"{name} opset {opset} batch {batch} steps {steps}"));
                    if (classifier)
                    {
                        // The logits are the Softmax's inputs: their Softmax per step is the output.
                        double[] softmaxed = SoftmaxPerStep(results["logits"], TestData.OutputSize(network));
                        AssertClose(expected, softmaxed, $"{name} logits opset {opset}");
                    }
                }
            }

            output.WriteLine($"{name} ({Architecture(network)}): largest difference from NetGen {worst:G3}");
        }

        [Fact]
        public void The_graph_is_batch_first_with_symbolic_batch_and_steps()
        {
            byte[] model = TestData.Export(new Recurrent.OnnxGruStackedCeFloat());
            var (inputs, outputs) = OnnxRuntimeRunner.Signature(model);
            Assert.Equal(new[] { -1, -1, 4 }, inputs["input"]);
            Assert.Equal(new[] { -1, -1, 3 }, outputs["output"]);
            Assert.Equal(new[] { -1, -1, 3 }, outputs["logits"]);
        }

        private static string Architecture(object network) => network is INetwork<float> f ? f.Architecture : ((INetwork<double>)network).Architecture;

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

        /// <summary>
        /// The double model with its values and types narrowed to float, after checking that its
        /// initializers hold every one of the network's parameters exactly (each once, gates reordered).
        /// </summary>
        private static byte[] NarrowedToFloat(byte[] model, double[] parameters)
        {
            ModelProto proto = ModelProto.Parser.ParseFrom(model);
            var stored = new List<double>();
            foreach (TensorProto tensor in proto.Graph.Initializer)
            {
                if (tensor.DataType != (int)TensorProto.Types.DataType.Double) continue;
                byte[] raw = tensor.RawData.ToByteArray();
                var values = new double[raw.Length / 8];
                Buffer.BlockCopy(raw, 0, values, 0, raw.Length);
                stored.AddRange(values);
                var narrowed = new byte[values.Length * 4];
                Buffer.BlockCopy(Array.ConvertAll(values, v => (float)v), 0, narrowed, 0, narrowed.Length);
                tensor.RawData = ByteString.CopyFrom(narrowed);
                tensor.DataType = (int)TensorProto.Types.DataType.Float;
            }

            Assert.Equal(parameters.OrderBy(v => v), stored.OrderBy(v => v));
            foreach (ValueInfoProto value in proto.Graph.Input.Concat(proto.Graph.Output)) value.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Float;
            return proto.ToByteArray();
        }

        private static double[] SoftmaxPerStep(double[] logits, int width)
        {
            var result = new double[logits.Length];
            for (int row = 0; row < logits.Length; row += width)
            {
                double max = logits.Skip(row).Take(width).Max(), sum = 0;
                for (int i = 0; i < width; i++) sum += result[row + i] = Math.Exp(logits[row + i] - max);
                for (int i = 0; i < width; i++) result[row + i] /= sum;
            }

            return result;
        }

        /// <summary>
        /// Tolerance: 1e-5 of max(1, |expected|) (ONNX Runtime runs float: see the class); its kernels sum in
        /// another order and use their own sigmoid and tanh, so bitwise equality is not expected.
        /// </summary>
        private static double AssertClose(double[] expected, double[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            double tolerance = 1e-5, worst = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double difference = Math.Abs(expected[i] - actual[i]);
                worst = Math.Max(worst, difference);
                Assert.True(difference <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}: value {i} is {actual[i]:R} in ONNX Runtime and {expected[i]:R} in NetGen");
            }

            return worst;
        }
    }
}

namespace NetGen.Onnx.Tests.Recurrent
{
    [Network] [GRU(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class OnnxGru3x5Float { }

    [Network(typeof(double))] [GRU(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class OnnxGru3x5Double { }

    [Network] [GRU(4, 7)] [GRU(7, 9)] [Linear(9, 3)] [Softmax] [CrossEntropyLoss]
    public partial class OnnxGruStackedCeFloat { }

    [Network(typeof(double))] [GRU(4, 7)] [GRU(7, 9)] [Linear(9, 3)] [Softmax] [CrossEntropyLoss]
    public partial class OnnxGruStackedCeDouble { }

    [Network] [LSTM(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class OnnxLstm3x5Float { }

    [Network(typeof(double))] [LSTM(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class OnnxLstm3x5Double { }

    [Network] [LSTM(3, 7)] [LSTM(7, 11)] [Tanh] [Linear(11, 4)] [MSELoss]
    public partial class OnnxLstmStackedTanhFloat { }

    [Network(typeof(double))] [LSTM(3, 7)] [LSTM(7, 11)] [Tanh] [Linear(11, 4)] [MSELoss]
    public partial class OnnxLstmStackedTanhDouble { }

    [Network] [Linear(5, 6)] [Tanh] [GRU(6, 9)] [ReLU] [LSTM(9, 5)] [Linear(5, 3)] [Softmax] [CrossEntropyLoss]
    public partial class OnnxMixedFloat { }

    [Network(typeof(double))] [Linear(5, 6)] [Tanh] [GRU(6, 9)] [ReLU] [LSTM(9, 5)] [Linear(5, 3)] [Softmax] [CrossEntropyLoss]
    public partial class OnnxMixedDouble { }
}
