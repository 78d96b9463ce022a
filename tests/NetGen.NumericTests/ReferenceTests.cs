using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// Each generated network against PyTorch's float64 numbers in reference/*.json: outputs, Predict,
/// Loss, both Backward overloads and TrainStep. Float networks are held to float rounding relative to
/// the magnitudes involved, double ones to ~1e-10.
/// </summary>
public class ReferenceTests
{
    public static IEnumerable<object[]> Cases => ReferenceCase.Names;

    public static IEnumerable<object[]> ClassifierCases =>
        ReferenceCase.Names.Where(n => ReferenceCase.Load((string)n[0]).Labels is not null);

    public static IEnumerable<object[]> RegressorCases =>
        ReferenceCase.Names.Where(n => ReferenceCase.Load((string)n[0]).Targets is not null);

    public static IEnumerable<object[]> InputGradientCases =>
        ReferenceCase.Names.Where(n => ReferenceCase.Load((string)n[0]).InputGradients is not null);

    [Theory, MemberData(nameof(Cases))]
    public void Declared_network_matches_the_json(string name)
    {
        var reference = ReferenceCase.Load(name);
        var subject = Catalog.Get(name).Create();
        // The declaration in Networks.cs is what the JSON describes...
        Assert.Equal(reference.Spec.Canonical, subject.Spec.Canonical);
        // ...and the generator read it so.
        Assert.Equal(reference.Spec.Canonical, subject switch
        {
            Subject<float> f => f.Net.Architecture,
            Subject<double> d => d.Net.Architecture,
            _ => throw new InvalidOperationException(),
        });
    }

    [Theory, MemberData(nameof(Cases))]
    public void The_tests_own_oracle_reproduces_pytorch(string name)
    {
        // Guards the test infrastructure (parameter layout, softmax) rather than the generator.
        var reference = ReferenceCase.Load(name);
        var outputs = Oracle.Forward(reference.Spec, reference.Parameters, reference.Inputs, reference.Batch);
        Numbers.AssertClose("oracle outputs", reference.Outputs, outputs, Tolerance.Double(1));
        if (reference.Labels is not null)
        {
            Numbers.AssertClose("oracle loss", reference.Loss!.Value,
                Oracle.MeanCrossEntropy(outputs, reference.Labels, reference.Spec.OutputSize), Tolerance.Double(1));
        }
        if (reference.Targets is not null)
        {
            Numbers.AssertClose("oracle loss", reference.Loss!.Value, Oracle.MeanSquaredError(outputs, reference.Targets), Tolerance.Double(1));
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void Batched_forward_matches_pytorch(string name) => Run(name, BatchedForward<float>, BatchedForward<double>);

    [Theory, MemberData(nameof(Cases))]
    public void Single_sample_forward_matches_pytorch(string name) => Run(name, SingleForward<float>, SingleForward<double>);

    [Theory, MemberData(nameof(ClassifierCases))]
    public void Predict_is_the_argmax_of_the_outputs(string name) => Run(name, Predict<float>, Predict<double>);

    [Theory, MemberData(nameof(ClassifierCases))]
    public void Loss_matches_pytorch(string name) => Run(name, Loss<float>, Loss<double>);

    [Theory, MemberData(nameof(ClassifierCases))]
    public void Backward_with_labels_matches_pytorch(string name) => Run(name, BackwardWithLabels<float>, BackwardWithLabels<double>);

    [Theory, MemberData(nameof(Cases))]
    public void Backward_with_output_gradients_matches_pytorch(string name) =>
        Run(name, BackwardWithOutputGradients<float>, BackwardWithOutputGradients<double>);

    [Theory, MemberData(nameof(ClassifierCases))]
    public void TrainStep_subtracts_learning_rate_times_gradients(string name) => Run(name, TrainStep<float>, TrainStep<double>);

    [Theory, MemberData(nameof(RegressorCases))]
    public void Mean_squared_error_and_its_gradients_match_pytorch(string name) => Run(name, Regression<float>, Regression<double>);

    [Theory, MemberData(nameof(InputGradientCases))]
    public void Input_gradients_match_pytorch(string name) => Run(name, InputGradients<float>, InputGradients<double>);

    private static void Run(string name, Action<Subject<float>, ReferenceCase> ifFloat, Action<Subject<double>, ReferenceCase> ifDouble)
    {
        using var logged = DifferenceLog.Case(name);
        var reference = ReferenceCase.Load(name);
        switch (Catalog.Get(name).Create())
        {
            case Subject<float> f:
                Load(f, reference);
                ifFloat(f, reference);
                break;
            case Subject<double> d:
                Load(d, reference);
                ifDouble(d, reference);
                break;
            default:
                throw new InvalidOperationException($"{name}: unexpected element type.");
        }
    }

    private static void Load<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        Assert.Equal(reference.Parameters.Length, subject.Net.Parameters.Length);
        Numbers.To<T>(reference.Parameters).CopyTo(subject.Net.Parameters, 0);
    }

    private static void BatchedForward<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        int count = reference.Outputs.Length;
        // Pad the output span with sentinels on both sides: nothing may be written outside it.
        var buffer = new T[count + 2];
        buffer.AsSpan().Fill(Numbers.From<T>(12345.0));
        subject.Net.Forward(Numbers.To<T>(reference.Inputs), buffer.AsSpan(1, count), reference.Batch);
        Numbers.AssertClose("batched Forward outputs", reference.Outputs, buffer.AsSpan(1, count));
        Assert.Equal(Numbers.From<T>(12345.0), buffer[0]);
        Assert.Equal(Numbers.From<T>(12345.0), buffer[^1]);
    }

    private static void SingleForward<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        int inputSize = reference.Spec.InputSize, outputSize = reference.Spec.OutputSize;
        T[] inputs = Numbers.To<T>(reference.Inputs);
        for (int b = 0; b < reference.Batch; b++)
        {
            var output = new T[outputSize];
            subject.Net.Forward(inputs.AsSpan(b * inputSize, inputSize), output);
            Numbers.AssertClose($"Forward of sample {b}", reference.Outputs.AsSpan(b * outputSize, outputSize), output);
        }
    }

    private static void Predict<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        int inputSize = reference.Spec.InputSize, outputSize = reference.Spec.OutputSize;
        T[] inputs = Numbers.To<T>(reference.Inputs);
        for (int b = 0; b < reference.Batch; b++)
        {
            var input = inputs.AsSpan(b * inputSize, inputSize);
            int predicted = subject.Predict!(input);

            // Predict agrees exactly with the network's own Forward...
            var output = new T[outputSize];
            subject.Net.Forward(input, output);
            Assert.Equal(Oracle.ArgMax(Numbers.ToDouble<T>(output)), predicted);

            // ...and with PyTorch, unless the two largest outputs are within rounding of each other.
            var expected = reference.Outputs.AsSpan(b * outputSize, outputSize).ToArray();
            int best = Oracle.ArgMax(expected);
            double runnerUp = expected.Where((_, i) => i != best).DefaultIfEmpty(double.NegativeInfinity).Max();
            if (expected[best] - runnerUp > Tolerance.For<T>(1).Abs * 10)
            {
                Assert.Equal(best, predicted);
            }
        }
    }

    private static void Loss<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        T loss = subject.Classifier!.Loss(Numbers.To<T>(reference.Inputs), reference.Labels!);
        Numbers.AssertClose("Loss", reference.Loss!.Value, Numbers.Widen(loss), Tolerance.For<T>(reference.Loss.Value));
    }

    private static void BackwardWithLabels<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        subject.Net.Gradients.AsSpan().Fill(Numbers.NaN<T>()); // Backward overwrites; it never accumulates.
        T loss = subject.Classifier!.Backward(Numbers.To<T>(reference.Inputs), reference.Labels!);
        Numbers.AssertClose("Backward's returned loss", reference.Loss!.Value, Numbers.Widen(loss), Tolerance.For<T>(reference.Loss.Value));
        Numbers.AssertClose("Gradients after Backward(inputs, labels)", reference.Gradients!, subject.Net.Gradients);
    }

    private static void BackwardWithOutputGradients<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        subject.Net.Gradients.AsSpan().Fill(Numbers.NaN<T>());
        subject.Net.Backward(Numbers.To<T>(reference.Inputs), Numbers.To<T>(reference.OutputGradients));
        Numbers.AssertClose("Gradients after Backward(inputs, outputGradients)", reference.GradientsFromOutputGradients, subject.Net.Gradients);
    }

    private static void TrainStep<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        const double learningRate = 0.1;
        double[] before = Numbers.ToDouble<T>(subject.Net.Parameters);
        T loss = subject.Classifier!.TrainStep(Numbers.To<T>(reference.Inputs), reference.Labels!, Numbers.From<T>(learningRate));

        Numbers.AssertClose("TrainStep's returned loss", reference.Loss!.Value, Numbers.Widen(loss), Tolerance.For<T>(reference.Loss.Value));
        Numbers.AssertClose("Gradients after TrainStep", reference.Gradients!, subject.Net.Gradients);
        double[] expected = before.Select((p, i) => p - learningRate * reference.Gradients![i]).ToArray();
        Numbers.AssertClose("Parameters after TrainStep", expected, subject.Net.Parameters);
    }

    private static void Regression<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        IRegressor<T> regressor = subject.Regressor!;
        T[] inputs = Numbers.To<T>(reference.Inputs), targets = Numbers.To<T>(reference.Targets!);
        Numbers.AssertClose("Loss", reference.Loss!.Value, Numbers.Widen(regressor.Loss(inputs, targets)), Tolerance.For<T>(reference.Loss.Value));

        subject.Net.Gradients.AsSpan().Fill(Numbers.NaN<T>());
        T loss = regressor.BackwardFromTargets(inputs, targets);
        Numbers.AssertClose("BackwardFromTargets' returned loss", reference.Loss.Value, Numbers.Widen(loss), Tolerance.For<T>(reference.Loss.Value));
        Numbers.AssertClose("Gradients after BackwardFromTargets", reference.Gradients!, subject.Net.Gradients);

        const double learningRate = 0.1;
        double[] before = Numbers.ToDouble<T>(subject.Net.Parameters);
        loss = regressor.TrainStep(inputs, targets, Numbers.From<T>(learningRate));
        Numbers.AssertClose("TrainStep's returned loss", reference.Loss.Value, Numbers.Widen(loss), Tolerance.For<T>(reference.Loss.Value));
        double[] expected = before.Select((p, i) => p - learningRate * reference.Gradients![i]).ToArray();
        Numbers.AssertClose("Parameters after TrainStep", expected, subject.Net.Parameters);
    }

    private static void InputGradients<T>(Subject<T> subject, ReferenceCase reference) where T : unmanaged
    {
        var inputGradients = new T[reference.Inputs.Length];
        inputGradients.AsSpan().Fill(Numbers.NaN<T>());
        subject.Net.Backward(Numbers.To<T>(reference.Inputs), Numbers.To<T>(reference.OutputGradients), inputGradients);
        Numbers.AssertClose("inputGradients", reference.InputGradients!, inputGradients);
        Numbers.AssertClose("Gradients after Backward with input gradients", reference.GradientsFromOutputGradients, subject.Net.Gradients);
    }
}
