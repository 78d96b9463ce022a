using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Every exported model, run by ONNX Runtime, computes what NetGen's Forward computes: for every network
/// of the numeric suite, at opsets 13 and 9, for batches of 1, 3 and 17 samples (both of NetGen's kernel
/// layouts), and a classifier's logits output holds the values its final Softmax takes.
/// </summary>
public class OnnxRuntimeAgreementTests(ITestOutputHelper output)
{
    private static readonly int[] Batches = { 1, 3, 17 };

    public static IEnumerable<object[]> Suite() => TestData.SuiteNames();

    [Theory]
    [MemberData(nameof(Suite))]
    public void ONNX_Runtime_gives_NetGens_outputs_for_every_suite_network(string name)
    {
        object network = SuiteNetworks.ByName[name]();
        TestData.Randomize(network, seed: name.Length);
        bool classifier = NetworkArchitecture.Parse(AnyNetwork.Architecture(network)).IsClassifier;
        var worst = new Difference(0, 0);
        foreach (int opset in new[] { 13, 9 })
        {
            byte[] model = TestData.Export(network, new OnnxExportOptions { Opset = opset });
            foreach (int batch in Batches)
            {
                double[] inputs = TestData.Inputs(batch * TestData.InputSize(network), seed: batch);
                Dictionary<string, double[]> results = OnnxRuntimeRunner.Run(model, inputs, new[] { batch, TestData.InputSize(network) }, TestData.IsDouble(network));
                Assert.Equal(classifier ? new[] { "logits", "output" } : new[] { "output" }, results.Keys.OrderBy(k => k, StringComparer.Ordinal));

                double[] expected = AnyNetwork.Forward(network, inputs, batch);
                worst = Worse(worst, AssertClose(expected, results["output"], network, $"{name} opset {opset} batch {batch} output"));
                if (classifier) AssertClose(TestData.Logits(network, inputs, batch), results["logits"], network, $"{name} opset {opset} batch {batch} logits");
            }
        }

        output.WriteLine($"{name} ({AnyNetwork.Architecture(network)}): ONNX Runtime against NetGen, {worst}");
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(21)]
    public void Every_opset_written_loads_in_ONNX_Runtime_and_agrees(int opset)
    {
        foreach (object network in new object[] { new DSoftmaxMiddle(), new DSoftmaxFirst(), new IrisNet() })
        {
            TestData.Randomize(network, seed: opset);
            byte[] model = TestData.Export(network, new OnnxExportOptions { Opset = opset });
            double[] inputs = TestData.Inputs(4 * TestData.InputSize(network), seed: opset);
            double[] actual = OnnxRuntimeRunner.Run(model, inputs, new[] { 4, TestData.InputSize(network) }, TestData.IsDouble(network))["output"];
            AssertClose(AnyNetwork.Forward(network, inputs, 4), actual, network, $"{network.GetType().Name} at opset {opset}");
        }
    }

    /// <summary>
    /// The activation kinds the generator does not have yet, on a reference network of the same contract:
    /// the exporter's table entries for Tanh, Sigmoid, LeakyReLU(slope), SiLU and Softmax compute what
    /// their definitions in API.md say.
    /// </summary>
    [Theory]
    [InlineData("float: Linear(4,6) Tanh Linear(6,5) Sigmoid Linear(5,5) LeakyReLU(0.1) Linear(5,4) SiLU Linear(4,3) Softmax CrossEntropyLoss", 13)]
    [InlineData("float: Linear(4,6) Tanh Linear(6,5) Sigmoid Linear(5,5) LeakyReLU(0.1) Linear(5,4) SiLU Linear(4,3) Softmax CrossEntropyLoss", 9)]
    [InlineData("float: LeakyReLU Linear(3,4) SiLU Linear(4,2) MSELoss", 13)]
    [InlineData("double: Linear(4,6) Tanh Linear(6,5) Sigmoid Linear(5,4) SiLU Linear(4,3) Softmax CrossEntropyLoss", 13)]
    [InlineData("double: Sigmoid Linear(3,4) Tanh Linear(4,2) MSELoss", 9)]
    public void Every_activation_kind_in_the_table_computes_its_definition(string architecture, int opset)
    {
        object network = architecture.StartsWith("double", StringComparison.Ordinal) ? new ReferenceMlp<double>(architecture, seed: 5) : new ReferenceMlp<float>(architecture, seed: 5);
        TestData.Randomize(network, seed: 6);
        byte[] model = TestData.Export(network, new OnnxExportOptions { Opset = opset });
        double[] inputs = TestData.Inputs(9 * TestData.InputSize(network), seed: 7);
        Dictionary<string, double[]> results = OnnxRuntimeRunner.Run(model, inputs, new[] { 9, TestData.InputSize(network) }, TestData.IsDouble(network));
        Difference difference = AssertClose(AnyNetwork.Forward(network, inputs, 9), results["output"], network, architecture);
        output.WriteLine($"{architecture} at opset {opset}: {difference}");
    }

    /// <summary>
    /// ONNX Runtime's CPU provider has LeakyRelu for float only, so a double network with LeakyReLU exports
    /// a valid model that ONNX Runtime declines to run. This pins that limit, so that the day it lifts the
    /// README's note can go.
    /// </summary>
    [Fact]
    public void ONNX_Runtime_has_no_double_LeakyRelu()
    {
        var network = new ReferenceMlp<double>("double: Linear(3,4) LeakyReLU(0.2) Linear(4,2)");
        byte[] model = TestData.Export(network);
        var error = Assert.ThrowsAny<Exception>(() => OnnxRuntimeRunner.Run(model, TestData.Inputs(3, 1), new[] { 1, 3 }, isDouble: true));
        Assert.Contains("LeakyRelu", error.Message);
    }

    private static Difference AssertClose(double[] expected, double[] actual, object network, string what)
    {
        // float: ONNX Runtime and NetGen sum in different orders and fuse differently, so a value can be
        // off by a few roundings of the largest terms in its sum, which the largest output measures (a
        // small logit of a wide layer is a difference of large terms); double: the same, 2^29 times finer.
        double tolerance = TestData.IsDouble(network) ? 1e-12 : 1e-5;
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
