using System;
using System.Collections.Generic;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// One rule for every learning rate in the library: finite and at least 0. Every place a rate enters
/// (an optimizer's constructor and setter, a schedule, a schedule's rate at an epoch in the trainer, a
/// generated TrainStep) refuses the same values with the same exception type, and names the parameter.
/// </summary>
public class LearningRateRuleTests
{
    public static IEnumerable<object[]> BadRates()
    {
        yield return new object[] { double.NaN };
        yield return new object[] { double.PositiveInfinity };
        yield return new object[] { double.NegativeInfinity };
        yield return new object[] { -1.0 };
        yield return new object[] { -1e-30 };  // tiny, yet negative in float too
    }

    /// <summary>
    /// Every entry point that takes a rate directly, with the parameter name it must report, and a use
    /// that returns the rate the entry point then holds (null for TrainStep, which holds none).
    /// </summary>
    private static IEnumerable<(string Where, string ParameterName, Func<double, double?> Use)> EntryPoints()
    {
        var network = new SoftmaxRegression<float>(2, 3);
        var sgd = new SgdOptimizer<float>(network);
        var adam = new AdamOptimizer<float>(network);
        var generated = new GeneratedSoftmaxRegression();
        var generatedDouble = new GeneratedSoftmaxRegressionDouble();
        var (features, labels) = Blobs.Create<float>(perClass: 2, seed: 1);
        var (featuresDouble, labelsDouble) = Blobs.Create<double>(perClass: 2, seed: 1);

        yield return ("SgdOptimizer constructor", "learningRate", rate => new SgdOptimizer<float>(network, rate).LearningRate);
        yield return ("AdamOptimizer constructor", "learningRate", rate => new AdamOptimizer<float>(network, rate).LearningRate);
        yield return ("SgdOptimizer.LearningRate", "value", rate => sgd.LearningRate = rate);
        yield return ("AdamOptimizer.LearningRate", "value", rate => adam.LearningRate = rate);
        yield return ("LearningRateSchedule.Constant", "learningRate", rate => LearningRateSchedule.Constant(rate).LearningRateAt(7));
        yield return ("LearningRateSchedule.Step", "initialLearningRate", rate => LearningRateSchedule.Step(rate, stepSize: 2).LearningRateAt(1));
        yield return ("LearningRateSchedule.Cosine initial", "initialLearningRate", rate => LearningRateSchedule.Cosine(rate, period: 3, rate).LearningRateAt(0));
        yield return ("LearningRateSchedule.Cosine minimum", "minimumLearningRate", rate => LearningRateSchedule.Cosine(0.1, period: 3, rate).LearningRateAt(3));
        yield return ("generated float TrainStep", "learningRate", rate => Finite(generated.TrainStep(features, labels, (float)rate)));
        yield return ("generated double TrainStep", "learningRate", rate => Finite(generatedDouble.TrainStep(featuresDouble, labelsDouble, rate)));
    }

    /// <summary>Checks that a TrainStep ran to a finite loss; such a step holds no rate to report.</summary>
    private static double? Finite(double loss)
    {
        Assert.True(Portable.IsFinite(loss), $"loss {loss}");
        return null;
    }

    [Theory]
    [MemberData(nameof(BadRates))]
    public void Every_entry_point_refuses_the_same_rates_with_the_same_exception_and_words(double rate)
    {
        foreach (var (where, parameterName, use) in EntryPoints())
        {
            // Assert.Throws checks the exact type: a subclass or another ArgumentException would fail.
            var refused = Assert.Throws<ArgumentOutOfRangeException>(() => use(rate));
            Assert.True(parameterName == refused.ParamName, $"{where}: ParamName {refused.ParamName}");

            // The generated kernels and the runtime build the exception with the same helpers, so the
            // whole message (the rule, the parameter, the value) is the same wherever the rate entered.
            // A rate that rounds to another float (-double.Epsilon is -0f) is compared as it arrived.
            double arrived = where.StartsWith("generated float", StringComparison.Ordinal) ? (float)rate : rate;
            ArgumentOutOfRangeException expected = Expected(parameterName, arrived);
            Assert.True(expected.Message == refused.Message, $"{where}: \"{refused.Message}\"");
        }
    }

    private static ArgumentOutOfRangeException Expected(string parameterName, double rate)
        => Portable.IsFinite(rate)
            ? Runtime.ArgumentErrors.NegativeLearningRate(parameterName, rate)
            : Runtime.ArgumentErrors.NonFiniteLearningRate(parameterName, rate);

    [Fact]
    public void Every_entry_point_accepts_a_finite_rate_of_at_least_zero()
    {
        // -0.0 is not below 0 (the rule is "at least 0", and -0.0 == 0.0); xUnit would take it for a
        // duplicate of 0.0 as InlineData, hence one test over a list.
        foreach (double rate in new[] { 0.0, -0.0, 1e-300, 10.0 })
        {
            foreach (var (where, _, use) in EntryPoints())
            {
                double? held = use(rate);
                Assert.True(held is null || held == rate, $"{where} holds {held}, not {rate}");
            }
        }
    }

    [Fact]
    public void A_refused_setter_keeps_the_rate_it_had()
    {
        var network = new SoftmaxRegression<double>(2, 3);
        IOptimizer<double>[] optimizers = { new SgdOptimizer<double>(network, 0.25), new AdamOptimizer<double>(network, 0.25) };
        foreach (IOptimizer<double> optimizer in optimizers)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -0.5);
            Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = double.NaN);
            Assert.Equal(0.25, optimizer.LearningRate);
        }
    }

    /// <summary>A schedule of the user's own, which no factory method checked: the rate it gives for each epoch.</summary>
    private sealed class ListedSchedule(params double[] rates) : LearningRateSchedule
    {
        public override double LearningRateAt(int epoch) => rates[Math.Min(epoch, rates.Length - 1)];

        public override string ToString() => "Listed";
    }

    [Theory]
    [MemberData(nameof(BadRates))]
    public void The_trainer_refuses_a_schedule_that_is_wrong_from_the_first_epoch_when_it_is_given(double rate)
    {
        var network = new SoftmaxRegression<float>(2, 3);
        var optimizer = new SgdOptimizer<float>(network, 0.1);
        var refused = Assert.Throws<ArgumentOutOfRangeException>(
            () => new ClassifierTrainer<float>(network, optimizer, new TrainerOptions { Schedule = new ListedSchedule(rate) }));
        Assert.Equal("options", refused.ParamName);
        Assert.Contains("TrainerOptions.Schedule (Listed)", refused.Message);
        Assert.Contains("epoch 0", refused.Message);
        Assert.Contains("must be finite and at least 0", refused.Message);
        Assert.Equal(0.1, optimizer.LearningRate);
    }

    [Fact]
    public void The_trainer_refuses_a_schedule_rate_before_the_first_batch_of_the_epoch_it_belongs_to()
    {
        // A step schedule whose gamma overflows: 1e200, then 1e200 * 1e200 = infinity from the third epoch.
        var (features, labels) = Blobs.Create<double>(perClass: 4, seed: 1);
        var network = new RecordingClassifier<double>(new SoftmaxRegression<double>(2, 3));
        var optimizer = new SgdOptimizer<double>(network, 0);
        var progress = new List<TrainingProgress>();
        var trainer = new ClassifierTrainer<double>(network, optimizer,
            new TrainerOptions { Epochs = 5, BatchSize = 4, Schedule = LearningRateSchedule.Step(1, stepSize: 1, gamma: 1e200) });

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(features, labels, new InlineProgress<TrainingProgress>(progress.Add)));

        Assert.Equal("options", refused.ParamName);
        Assert.Contains("for epoch 2 (counting from 0)", refused.Message);
        Assert.Equal(double.PositiveInfinity, refused.ActualValue);
        // Two whole epochs ran (three batches each), the third none, and the optimizer kept its last valid rate.
        Assert.Equal(2, progress.Count);
        Assert.Equal(6, network.Batches.Count);
        Assert.Equal(1e200, optimizer.LearningRate);
    }
}
