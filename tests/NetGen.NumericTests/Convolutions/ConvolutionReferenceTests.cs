using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.Convolutions;

/// <summary>
/// Whole convolutional networks against PyTorch (tests/fixtures/pytorch/conv_networks.json, written by
/// make_conv_network_reference.py from the same layers): the architecture text, outputs (batch and one
/// sample at a time), the loss and its parameter gradients, one SGD step, and the parameter and input
/// gradients of sum(dy * outputs), in double and float. The batch of 17 runs feature-major wherever vectors
/// are accelerated, the lone sample sample-major, so both layouts meet the same numbers.
/// </summary>
public class ConvolutionReferenceTests
{
    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (string network in new[] { "cnn_2d", "cnn_1d" })
        {
            foreach (string type in new[] { "double", "float" })
            {
                data.Add(network, type, 0);
                data.Add(network, type, 1);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AgreesWithPyTorch(string network, string type, int caseIndex)
    {
        using var logged = DifferenceLog.Case($"{network} {type} case {caseIndex}");
        JsonElement fixture = Fixture(network);
        JsonElement c = fixture.GetProperty("cases")[caseIndex];
        switch (network, type)
        {
            case ("cnn_2d", "double"): CheckClassifier(new DCnn2D(), fixture, c); break;
            case ("cnn_2d", "float"): CheckClassifier(new FCnn2D(), fixture, c); break;
            case ("cnn_1d", "double"): CheckRegressor(new DCnn1D(), fixture, c); break;
            case ("cnn_1d", "float"): CheckRegressor(new FCnn1D(), fixture, c); break;
            default: throw new ArgumentOutOfRangeException(nameof(network), (network, type), "No such case.");
        }
    }

    private static void CheckClassifier<T>(IClassifier<T> net, JsonElement fixture, JsonElement c) where T : unmanaged
    {
        CheckCommon(net, fixture, c);
        T[] inputs = Numbers.To<T>(Doubles(c, "inputs"));
        int[] labels = c.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        double loss = c.GetProperty("loss").GetDouble();
        Numbers.AssertClose("Loss", loss, Numbers.Widen(net.Loss(inputs, labels)), Tolerance.For<T>(loss));
        net.Gradients.AsSpan().Fill(Numbers.NaN<T>());
        Numbers.AssertClose("Backward's loss", loss, Numbers.Widen(net.Backward(inputs, labels)), Tolerance.For<T>(loss));
        Numbers.AssertClose<T>("d(loss)/d(Parameters)", Doubles(c, "loss_gradients"), net.Gradients);
        net.TrainStep(inputs, labels, Numbers.From<T>(fixture.GetProperty("learning_rate").GetDouble()));
        Numbers.AssertClose<T>("Parameters after one SGD step", Doubles(c, "parameters_after_step"), net.Parameters);
    }

    private static void CheckRegressor<T>(IRegressor<T> net, JsonElement fixture, JsonElement c) where T : unmanaged
    {
        CheckCommon(net, fixture, c);
        T[] inputs = Numbers.To<T>(Doubles(c, "inputs"));
        T[] targets = Numbers.To<T>(Doubles(c, "targets"));
        double loss = c.GetProperty("loss").GetDouble();
        Numbers.AssertClose("Loss", loss, Numbers.Widen(net.Loss(inputs, targets)), Tolerance.For<T>(loss));
        net.Gradients.AsSpan().Fill(Numbers.NaN<T>());
        Numbers.AssertClose("BackwardFromTargets' loss", loss, Numbers.Widen(net.BackwardFromTargets(inputs, targets)), Tolerance.For<T>(loss));
        Numbers.AssertClose<T>("d(loss)/d(Parameters)", Doubles(c, "loss_gradients"), net.Gradients);
        net.TrainStep(inputs, targets, Numbers.From<T>(fixture.GetProperty("learning_rate").GetDouble()));
        Numbers.AssertClose<T>("Parameters after one SGD step", Doubles(c, "parameters_after_step"), net.Parameters);
    }

    /// <summary>The architecture text, the outputs (batched and one sample at a time), and the gradients of sum(dy * outputs).</summary>
    private static void CheckCommon<T>(INetwork<T> net, JsonElement fixture, JsonElement c) where T : unmanaged
    {
        string element = typeof(T) == typeof(float) ? "float" : "double";
        Assert.Equal(element + ": " + fixture.GetProperty("architecture").GetString(), net.Architecture);
        Numbers.To<T>(Doubles(fixture, "parameters")).CopyTo(net.Parameters, 0);

        int batch = c.GetProperty("batch").GetInt32();
        T[] inputs = Numbers.To<T>(Doubles(c, "inputs"));
        double[] expected = Doubles(c, "outputs");
        var outputs = new T[batch * net.OutputSize];
        net.Forward(inputs, outputs, batch);
        Numbers.AssertClose<T>("Forward (batch)", expected, outputs);
        for (int s = 0; s < batch; s++)
        {
            var one = new T[net.OutputSize];
            net.Forward(inputs.AsSpan(s * net.InputSize, net.InputSize), one);
            Numbers.AssertClose<T>($"Forward (sample {s})", expected.AsSpan(s * net.OutputSize, net.OutputSize), one);
        }

        T[] dy = Numbers.To<T>(Doubles(c, "output_gradients"));
        var inputGradients = new T[inputs.Length];
        inputGradients.AsSpan().Fill(Numbers.NaN<T>());
        net.Gradients.AsSpan().Fill(Numbers.NaN<T>());
        net.Backward(inputs, dy, inputGradients);
        Numbers.AssertClose<T>("d(sum dy*y)/d(Parameters)", Doubles(c, "dy_parameter_gradients"), net.Gradients);
        Numbers.AssertClose<T>("d(sum dy*y)/d(inputs)", Doubles(c, "input_gradients"), inputGradients);
        net.Gradients.AsSpan().Fill(Numbers.NaN<T>());
        net.Backward(inputs, dy);
        Numbers.AssertClose<T>("d(sum dy*y)/d(Parameters), without input gradients", Doubles(c, "dy_parameter_gradients"), net.Gradients);
    }

    private static double[] Doubles(JsonElement element, string name)
        => element.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static readonly Dictionary<string, JsonElement> Fixtures = Load();

    private static Dictionary<string, JsonElement> Load()
    {
        string path = Path.Combine(Path.GetDirectoryName(typeof(ConvolutionReferenceTests).Assembly.Location)!, "fixtures", "conv_networks.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("networks").EnumerateArray()
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => n.Clone());
    }

    private static JsonElement Fixture(string name) => Fixtures[name];
}
