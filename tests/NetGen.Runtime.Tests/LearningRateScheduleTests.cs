using System;
using Xunit;

namespace NetGen.Runtime.Tests;

public class LearningRateScheduleTests
{
    [Fact]
    public void Constant_gives_the_same_rate_every_epoch()
    {
        var schedule = LearningRateSchedule.Constant(0.01);
        for (int epoch = 0; epoch < 5; epoch++) Assert.Equal(0.01, schedule.LearningRateAt(epoch));
    }

    [Fact]
    public void Step_multiplies_by_gamma_every_step_size_epochs()
    {
        var schedule = LearningRateSchedule.Step(0.1, stepSize: 2, gamma: 0.5);
        double[] expected = { 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125 };
        for (int epoch = 0; epoch < expected.Length; epoch++) Assert.Equal(expected[epoch], schedule.LearningRateAt(epoch), 15);
    }

    [Fact]
    public void Cosine_follows_half_a_cosine_to_the_minimum_and_stays_there()
    {
        var schedule = LearningRateSchedule.Cosine(0.1, period: 4, minimumLearningRate: 0.01);
        // min + (max - min) * (1 + cos(pi * t / 4)) / 2, with cos(pi/4) = sqrt(2)/2:
        double half = 0.09 * Math.Sqrt(2) / 4;
        double[] expected = { 0.1, 0.055 + half, 0.055, 0.055 - half, 0.01, 0.01, 0.01 };
        for (int epoch = 0; epoch < expected.Length; epoch++) Assert.Equal(expected[epoch], schedule.LearningRateAt(epoch), 15);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_parameter_named()
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(-1)).ParamName);
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0.1, 0)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0.1, 1, double.NaN)).ParamName);
        Assert.Equal("period", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(0.1, 0)).ParamName);
        Assert.Equal("minimumLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(0.1, 3, -0.1)).ParamName);
    }
}
