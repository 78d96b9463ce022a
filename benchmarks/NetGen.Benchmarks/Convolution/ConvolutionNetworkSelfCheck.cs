using System;
using System.Linq;
using NetGen.Benchmarks.Convolution;
using NetGen.Benchmarks.HandWritten;
using NetGen.Benchmarks.Onnx;

namespace NetGen.Benchmarks;

public sealed partial class SelfCheck
{
    /// <summary>The convolutional networks: ONNX Runtime, NetGen and the hand-written network agree on outputs, and NetGen and the hand-written one on gradients and a step.</summary>
    private void CheckConvolutionNetworks()
    {
        const int batchSize = 8;
        foreach (ConvolutionNetwork network in ConvolutionNetwork.All)
        {
            float[] parameters = OnnxLinearWeights.ReadInNodeOrder(network.OnnxModelPath);
            IClassifier<float> netGen = network.NetGen();
            Expect(parameters.Length == netGen.ParameterCount, $"{network}: the model holds NetGen's {netGen.ParameterCount} parameters ({parameters.Length})");
            parameters.CopyTo(netGen.Parameters, 0);
            var handWritten = new HandWrittenNetwork(network.HandWritten(), batchSize);
            handWritten.LoadParameters(parameters);
            var random = new Random(5);
            float[] inputs = Enumerable.Range(0, batchSize * network.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
            int[] labels = Enumerable.Range(0, batchSize).Select(i => (i * 3) % 10).ToArray();

            var expected = new float[batchSize * 10];
            var actual = new float[batchSize * 10];
            handWritten.Forward(inputs, expected, batchSize);
            netGen.Forward(inputs, actual, batchSize);
            Expect(MaxAbsDifference(actual, expected) < 1e-5, $"{network}: NetGen's batch forward equals the hand-written network's (max diff {MaxAbsDifference(actual, expected):g3})");
            using (var onnx = new OnnxModelRunner(network.OnnxModelPath, network.SampleShape, 10, batchSize))
            {
                inputs.CopyTo(onnx.Input, 0);
                onnx.Run();
                Expect(MaxAbsDifference(onnx.Output, expected) < 1e-5, $"{network}: ONNX Runtime's probabilities equal the hand-written network's (max diff {MaxAbsDifference(onnx.Output, expected):g3})");
            }

            float expectedLoss = handWritten.Backward(inputs, labels);
            float actualLoss = netGen.Backward(inputs, labels);
            float[] expectedGradients = handWritten.GetGradients();
            double gradientDiff = MaxAbsDifference(netGen.Gradients, expectedGradients);
            double gradientScale = expectedGradients.Max(Math.Abs);
            Expect(Math.Abs(actualLoss - expectedLoss) < 1e-5 * Math.Max(1, expectedLoss) && gradientDiff < 1e-5 + 1e-4 * gradientScale,
                $"{network}: NetGen's loss and gradients equal the hand-written network's (loss {actualLoss:g6} vs {expectedLoss:g6}, max gradient diff {gradientDiff:g3} of largest {gradientScale:g3})");
        }
    }
}
