using System;
using System.Linq;
using NetGen.NumericTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.NumericTests.Sequences;

/// <summary>
/// Sequence networks (GRU, LSTM, stacked, with layers acting on each step around them) against PyTorch's
/// float64 numbers (tests/fixtures/pytorch/make_sequence_reference.py), in float and in double: the
/// outputs of every step from the zero state, Backward's parameter and input gradients through time for
/// an upstream gradient, the loss over sequences, its gradients, and one SGD step.
/// </summary>
public class SequenceReferenceTests
{
    private readonly ITestOutputHelper _output;

    public SequenceReferenceTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Cases => new(SequenceCatalog.Names);

    [Theory, MemberData(nameof(Cases))]
    public void Architecture_is_the_pytorch_model(string name)
    {
        var reference = SequenceReference.Load(name);
        Assert.Equal("float: " + string.Join(" ", reference.Architecture), SequenceCatalog.Float(name).Net.Architecture);
        Assert.Equal("double: " + string.Join(" ", reference.Architecture), SequenceCatalog.Double(name).Net.Architecture);
        Assert.Equal(reference.Parameters.Length, SequenceCatalog.Float(name).Net.ParameterCount);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Float_matches_pytorch(string name)
    {
        using var logged = DifferenceLog.Case(name);
        _output.WriteLine($"{name} float: " + Check(SequenceCatalog.Float(name), SequenceReference.Load(name)));
    }

    [Theory, MemberData(nameof(Cases))]
    public void Double_matches_pytorch(string name)
    {
        using var logged = DifferenceLog.Case(name);
        _output.WriteLine($"{name} double: " + Check(SequenceCatalog.Double(name), SequenceReference.Load(name)));
    }

    /// <summary>Checks every quantity and returns the largest absolute difference from PyTorch of each, for the log.</summary>
    private static string Check<T>(SequenceSubject<T> subject, SequenceReference reference) where T : unmanaged
    {
        var worst = new System.Collections.Generic.List<string>();
        void Note(string what, double[] expected, T[] actual)
            => worst.Add($"{what} {expected.Select((e, i) => Math.Abs(e - Numbers.Widen(actual[i]))).Max():E1}");
        ISequenceNetwork<T> net = subject.Net;
        int batch = reference.Batch, steps = reference.Steps;
        T[] inputs = Numbers.To<T>(reference.Inputs);
        Numbers.To<T>(reference.Parameters).CopyTo(net.Parameters, 0);

        var outputs = new T[batch * steps * net.OutputSize];
        net.Forward(inputs, outputs, batch, steps);
        Numbers.AssertClose("outputs of every step", reference.Outputs, outputs);
        Note("outputs", reference.Outputs, outputs);

        var inputGradients = new T[inputs.Length];
        net.Backward(inputs, Numbers.To<T>(reference.Upstream), inputGradients, batch, steps);
        Numbers.AssertClose("parameter gradients through time", reference.UpstreamParameterGradients, net.Gradients);
        Numbers.AssertClose("input gradients through time", reference.UpstreamInputGradients, inputGradients);
        Note("parameter gradients", reference.UpstreamParameterGradients, net.Gradients);
        Note("input gradients", reference.UpstreamInputGradients, inputGradients);

        // Without input gradients: the same parameter gradients.
        Array.Clear(net.Gradients, 0, net.Gradients.Length);
        net.Backward(inputs, Numbers.To<T>(reference.Upstream), default, batch, steps);
        Numbers.AssertClose("parameter gradients without input gradients", reference.UpstreamParameterGradients, net.Gradients);

        T[]? targets = reference.Targets is null ? null : Numbers.To<T>(reference.Targets);
        Numbers.AssertClose("loss", reference.Loss, Numbers.Widen(subject.Loss(inputs, targets, reference.Labels, steps)), Tolerance.For<T>(reference.Loss));
        T trained = subject.TrainStep(inputs, targets, reference.Labels, steps, Numbers.From<T>(reference.LearningRate));
        Numbers.AssertClose("TrainStep's loss", reference.Loss, Numbers.Widen(trained), Tolerance.For<T>(reference.Loss));
        Numbers.AssertClose("loss gradients through time", reference.LossParameterGradients, net.Gradients);
        Numbers.AssertClose("parameters after one SGD step", reference.ParametersAfterSgd, net.Parameters);
        Note("loss gradients", reference.LossParameterGradients, net.Gradients);
        Note("parameters after SGD", reference.ParametersAfterSgd, net.Parameters);
        worst.Add($"loss {Math.Abs(reference.Loss - Numbers.Widen(trained)):E1}");
        return "largest differences from PyTorch: " + string.Join(", ", worst);
    }
}
