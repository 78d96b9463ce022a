using System;
using System.Linq;
using System.Numerics;
using System.Text.RegularExpressions;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// API.md's bad-input rules: a span of the wrong length throws ArgumentException naming the parameter
/// and the expected length; a label outside [0, OutputSize) or a batch size below 1 throws
/// ArgumentOutOfRangeException; never IndexOutOfRangeException; a rejected call changes nothing.
/// TrainStep with a non-finite loss leaves Parameters as they were and returns that loss.
/// The wide networks have input width 33 and output width 7, so that expected lengths are distinctive numbers.
/// </summary>
public class BadInputTests
{
    private const int Batch = 3;

    [Fact] public void Float_forward_rejects_wrong_lengths() => ForwardRejectsWrongLengths(Catalog.Create<float>("FloatWide"));

    [Fact] public void Double_forward_rejects_wrong_lengths() => ForwardRejectsWrongLengths(Catalog.Create<double>("DWide"));

    [Fact] public void Float_training_rejects_wrong_lengths_and_labels() => TrainingRejectsBadInput(Catalog.Create<float>("FloatWide"));

    [Fact] public void Double_training_rejects_wrong_lengths_and_labels() => TrainingRejectsBadInput(Catalog.Create<double>("DWide"));

    [Fact] public void Float_backward_with_output_gradients_rejects_bad_input() => OutputGradientBackwardRejectsBadInput(Catalog.Create<float>("FloatWide"));

    [Fact] public void Double_backward_with_output_gradients_rejects_bad_input() => OutputGradientBackwardRejectsBadInput(Catalog.Create<double>("DNarrowOut"));

    [Theory]
    [InlineData("IrisNet")]
    [InlineData("DWide")]
    [InlineData("DNarrowOut")]
    [InlineData("DSoftmaxFirst")]
    public void Exactly_the_consistent_lengths_are_accepted(string name)
    {
        switch (Catalog.Get(name).Create())
        {
            case Subject<float> f: ExactlyConsistentLengthsAccepted(f); break;
            case Subject<double> d: ExactlyConsistentLengthsAccepted(d); break;
            default: throw new System.InvalidOperationException($"{name} is neither a float nor a double network.");
        }
    }

    [Fact] public void Float_TrainStep_with_NaN_input_changes_nothing() => NonFiniteInputChangesNothing(Catalog.Create<float>("IrisNet"), float.NaN);

    [Fact] public void Double_TrainStep_with_infinite_input_changes_nothing() => NonFiniteInputChangesNothing(Catalog.Create<double>("DWide"), double.PositiveInfinity);

    [Fact] public void Double_TrainStep_with_NaN_input_changes_nothing() => NonFiniteInputChangesNothing(Catalog.Create<double>("DDeep"), double.NaN);

    [Fact] public void Float_TrainStep_with_a_NaN_parameter_changes_nothing() => NaNParameterChangesNothing(Catalog.Create<float>("FloatWide"));

    [Fact] public void Double_TrainStep_with_a_NaN_parameter_changes_nothing() => NaNParameterChangesNothing(Catalog.Create<double>("DWide"));

    [Fact] public void Float_TrainStep_with_a_huge_learning_rate_never_half_applies() => HugeLearningRate(Catalog.Create<float>("IrisNet"), float.MaxValue);

    [Fact] public void Double_TrainStep_with_a_huge_learning_rate_never_half_applies() => HugeLearningRate(Catalog.Create<double>("DDeep"), double.MaxValue);

    // ------------------------------------------------------------------------------------------------

    private static void ForwardRejectsWrongLengths<T>(Subject<T> s) where T : unmanaged
    {
        var net = s.Net;
        int inSize = net.InputSize, outSize = net.OutputSize;
        var guard = new StateGuard<T>(s);

        foreach (int length in WrongLengths(inSize))
        {
            var input = new T[length];
            guard.Rejects<ArgumentException>("input", inSize, () => net.Forward(input, guard.Output(outSize)));
            if (s.Predict is { } predict)
            {
                guard.Rejects<ArgumentException>("input", inSize, () => predict(input));
            }
        }
        foreach (int length in WrongLengths(outSize))
        {
            guard.Rejects<ArgumentException>("output", outSize, () => net.Forward(new T[inSize], guard.Output(length)));
        }
        foreach (int length in WrongLengths(Batch * inSize))
        {
            var inputs = new T[length];
            guard.Rejects<ArgumentException>("inputs", Batch * inSize, () => net.Forward(inputs, guard.Output(Batch * outSize), Batch));
        }
        foreach (int length in WrongLengths(Batch * outSize))
        {
            guard.Rejects<ArgumentException>("outputs", Batch * outSize, () => net.Forward(new T[Batch * inSize], guard.Output(length), Batch));
        }
        foreach (int batch in new[] { 0, -1, int.MinValue })
        {
            guard.Rejects<ArgumentOutOfRangeException>("batchSize", null, () => net.Forward(Array.Empty<T>(), guard.Output(0), batch));
        }
    }

    private static void TrainingRejectsBadInput<T>(Subject<T> s) where T : unmanaged
    {
        var net = s.Classifier!;
        int inSize = net.InputSize, outSize = net.OutputSize;
        var guard = new StateGuard<T>(s);
        var inputs = new T[Batch * inSize];
        int[] labels = [0, 1, outSize - 1];
        T lr = Numbers.From<T>(0.1);

        foreach (int length in WrongLengths(Batch * inSize))
        {
            var wrong = new T[length];
            guard.Rejects<ArgumentException>("inputs", Batch * inSize, () => net.Loss(wrong, labels));
            guard.Rejects<ArgumentException>("inputs", Batch * inSize, () => net.Backward(wrong, labels));
            guard.Rejects<ArgumentException>("inputs", Batch * inSize, () => net.TrainStep(wrong, labels, lr));
        }
        // A bad label in the last sample: validation must come before any work.
        foreach (int bad in new[] { -1, outSize, outSize + 100, int.MaxValue, int.MinValue })
        {
            int[] badLabels = [0, 1, bad];
            guard.Rejects<ArgumentOutOfRangeException>("labels", null, () => net.Loss(inputs, badLabels));
            guard.Rejects<ArgumentOutOfRangeException>("labels", null, () => net.Backward(inputs, badLabels));
            guard.Rejects<ArgumentOutOfRangeException>("labels", null, () => net.TrainStep(inputs, badLabels, lr));
        }
        // No labels: a batch of 0 samples.
        guard.Rejects<ArgumentOutOfRangeException>("labels", null, () => net.Loss(Array.Empty<T>(), Array.Empty<int>()));
        guard.Rejects<ArgumentOutOfRangeException>("labels", null, () => net.Backward(Array.Empty<T>(), Array.Empty<int>()));
        guard.Rejects<ArgumentOutOfRangeException>("labels", null, () => net.TrainStep(Array.Empty<T>(), Array.Empty<int>(), lr));
    }

    private static void OutputGradientBackwardRejectsBadInput<T>(Subject<T> s) where T : unmanaged
    {
        var net = s.Net;
        int inSize = net.InputSize, outSize = net.OutputSize;
        var guard = new StateGuard<T>(s);
        var outputGradients = new T[Batch * outSize];

        foreach (int length in WrongLengths(Batch * inSize))
        {
            var wrong = new T[length];
            guard.Rejects<ArgumentException>("inputs", Batch * inSize, () => net.Backward(wrong, outputGradients));
        }
        if (outSize > 1)
        {
            // Not a whole number of samples.
            guard.Rejects<ArgumentException>("outputGradients", null, () => net.Backward(new T[Batch * inSize], new T[Batch * outSize + 1]));
        }
        guard.Rejects<ArgumentOutOfRangeException>("outputGradients", null, () => net.Backward(Array.Empty<T>(), Array.Empty<T>()));
    }

    /// <summary>Over a grid of lengths and batch sizes, a call succeeds exactly when the lengths agree, else throws an ArgumentException.</summary>
    private static void ExactlyConsistentLengthsAccepted<T>(Subject<T> s) where T : unmanaged
    {
        var net = s.Net;
        int inSize = net.InputSize, outSize = net.OutputSize;
        int[] inLengths = [0, 1, inSize - 1, inSize, inSize + 1, 2 * inSize, 2 * inSize + 1, 3 * inSize - 1, 3 * inSize];
        int[] outLengths = [0, 1, outSize - 1, outSize, outSize + 1, 2 * outSize, 2 * outSize + 1, 3 * outSize - 1, 3 * outSize];
        inLengths = inLengths.Where(l => l >= 0).Distinct().ToArray();
        outLengths = outLengths.Where(l => l >= 0).Distinct().ToArray();
        var random = new Random(5);

        void Expect(bool valid, string call, Action action)
        {
            try
            {
                action();
                Assert.True(valid, $"{s.Spec}: {call} was accepted but the lengths disagree");
            }
            catch (ArgumentException e)
            {
                Assert.False(valid, $"{s.Spec}: {call} was rejected though consistent: {e.Message}");
            }
            // Anything else (IndexOutOfRangeException above all) propagates and fails the test.
        }

        foreach (int inLength in inLengths)
        {
            var inputs = Numbers.To<T>(Numbers.Uniform(random, inLength));
            foreach (int outLength in outLengths)
            {
                var outputs = new T[outLength];
                Expect(inLength == inSize && outLength == outSize, $"Forward({inLength}, {outLength})", () => net.Forward(inputs, outputs));
                foreach (int batch in new[] { -1, 0, 1, 2, 3 })
                {
                    Expect(batch >= 1 && inLength == batch * inSize && outLength == batch * outSize,
                        $"Forward({inLength}, {outLength}, {batch})", () => net.Forward(inputs, outputs, batch));
                }
                var outputGradients = Numbers.To<T>(Numbers.Uniform(random, outLength));
                Expect(outLength > 0 && outLength % outSize == 0 && inLength == outLength / outSize * inSize,
                    $"Backward({inLength}, outputGradients {outLength})", () => net.Backward(inputs, outputGradients));
            }
            if (s.Predict is { } predict)
            {
                Expect(inLength == inSize, $"Predict({inLength})", () => predict(inputs));
            }
            if (s.Classifier is { } classifier)
            {
                foreach (int batch in new[] { 0, 1, 2, 3 })
                {
                    var labels = Numbers.Labels(random, batch, outSize);
                    bool valid = batch >= 1 && inLength == batch * inSize;
                    Expect(valid, $"Loss({inLength}, labels {batch})", () => classifier.Loss(inputs, labels));
                    Expect(valid, $"Backward({inLength}, labels {batch})", () => classifier.Backward(inputs, labels));
                    Expect(valid, $"TrainStep({inLength}, labels {batch})", () => classifier.TrainStep(inputs, labels, Numbers.From<T>(1e-3)));
                }
            }
        }
    }

    private static void NonFiniteInputChangesNothing<T>(Subject<T> s, T poison) where T : unmanaged
    {
        var net = s.Classifier!;
        var random = new Random(11);
        var inputs = Numbers.To<T>(Numbers.Uniform(random, 2 * net.InputSize));
        int[] labels = [0, net.OutputSize - 1];
        inputs[net.InputSize] = poison; // the second sample's first feature (DDeep has one input)

        T[] before = net.Parameters.ToArray();
        T loss = net.TrainStep(inputs, labels, Numbers.From<T>(0.1));
        Assert.False(Numbers.IsFinite(loss), $"{s.Spec}: TrainStep returned the finite loss {loss} for an input holding {poison}");
        Numbers.AssertBitwiseEqual<T>("Parameters after a non-finite TrainStep", before, net.Parameters);
    }

    private static void NaNParameterChangesNothing<T>(Subject<T> s) where T : unmanaged
    {
        var net = s.Classifier!;
        var random = new Random(12);
        var inputs = Numbers.To<T>(Numbers.Uniform(random, 2 * net.InputSize));
        int[] labels = [1, 0];
        // A weight of the last Linear, so that every sample's loss turns NaN.
        net.Parameters[s.Spec.Linears[^1].Offset + 1] = Numbers.NaN<T>();

        T[] before = net.Parameters.ToArray();
        T loss = net.TrainStep(inputs, labels, Numbers.From<T>(0.1));
        Assert.True(Numbers.IsNaN(loss), $"{s.Spec}: TrainStep returned {loss} with a NaN weight");
        Numbers.AssertBitwiseEqual<T>("Parameters after a NaN TrainStep", before, net.Parameters);
    }

    /// <summary>
    /// A learning rate of MaxValue blows the parameters up; within a few steps the loss turns non-finite,
    /// and that step must leave the parameters exactly as they were.
    /// </summary>
    private static void HugeLearningRate<T>(Subject<T> s, T learningRate) where T : unmanaged
    {
        var net = s.Classifier!;
        var random = new Random(13);
        var inputs = Numbers.To<T>(Numbers.Uniform(random, 4 * net.InputSize));
        int[] labels = Numbers.Labels(random, 4, net.OutputSize);
        for (int step = 0; step < 5; step++)
        {
            T[] before = net.Parameters.ToArray();
            T loss = net.TrainStep(inputs, labels, learningRate);
            if (!Numbers.IsFinite(loss))
            {
                Numbers.AssertBitwiseEqual<T>($"Parameters after the non-finite step {step}", before, net.Parameters);
                return;
            }
            if (net.Gradients.Any(g => !Numbers.IsFinite(g)))
            {
                // A finite loss with a non-finite gradient: no update either.
                Numbers.AssertBitwiseEqual<T>($"Parameters after step {step} with non-finite gradients", before, net.Parameters);
                return;
            }
        }
        Assert.Fail($"{s.Spec}: five TrainSteps with learning rate {learningRate} all returned finite losses.");
    }

    /// <summary>Lengths near <paramref name="expected"/> but not it, including none at all.</summary>
    private static int[] WrongLengths(int expected) =>
        new[] { 0, expected - 1, expected + 1, 2 * expected }.Where(l => l >= 0 && l != expected).Distinct().ToArray();

    /// <summary>
    /// Snapshots Parameters and Gradients (made non-trivial by one valid Backward) and checks that a
    /// rejected call throws as API.md says and changes neither, nor the output span it was given.
    /// </summary>
    private sealed class StateGuard<T> where T : unmanaged
    {
        private static readonly T Sentinel = Numbers.From<T>(-7777.0);
        private readonly Subject<T> _subject;
        private T[] _output = [];

        public StateGuard(Subject<T> subject)
        {
            _subject = subject;
            var random = new Random(1);
            var net = subject.Net;
            net.Backward(Numbers.To<T>(Numbers.Uniform(random, 2 * net.InputSize)), Numbers.To<T>(Numbers.Uniform(random, 2 * net.OutputSize)));
        }

        /// <summary>An output buffer of <paramref name="length"/> sentinels, checked after the call.</summary>
        public T[] Output(int length)
        {
            _output = new T[length];
            _output.AsSpan().Fill(Sentinel);
            return _output;
        }

        public void Rejects<TException>(string parameter, int? expectedLength, Action call) where TException : ArgumentException
        {
            var net = _subject.Net;
            T[] parameters = net.Parameters.ToArray(), gradients = net.Gradients.ToArray();
            _output = [];
            var exception = typeof(TException) == typeof(ArgumentException)
                ? Assert.ThrowsAny<ArgumentException>(call)
                : Assert.Throws<TException>(call);
            Assert.Equal(parameter, exception.ParamName);
            if (expectedLength is int expected)
            {
                Assert.Matches(new Regex($@"(?<!\d){expected}(?!\d)"), exception.Message);
            }
            Numbers.AssertBitwiseEqual<T>($"Parameters after a rejected call on '{parameter}'", parameters, net.Parameters);
            Numbers.AssertBitwiseEqual<T>($"Gradients after a rejected call on '{parameter}'", gradients, net.Gradients);
            Assert.All(_output, v => Assert.Equal(Sentinel, v));
        }
    }
}
