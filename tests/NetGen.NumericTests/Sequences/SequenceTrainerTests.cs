using System;
using System.Linq;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.Sequences;

/// <summary>The trainer's loop on sequence networks: a sample is a whole sequence, trained through time.</summary>
public class SequenceTrainerTests
{
    [Fact]
    public void The_trainer_learns_a_task_that_needs_memory()
    {
        // Output at each step: the input two steps before (a delay line), which a memoryless network cannot do.
        const int Sequences = 96, Steps = 6;
        var random = new Random(11);
        float[] features = Numbers.To<float>(Numbers.Uniform(random, Sequences * Steps * 3));
        var targets = new float[Sequences * Steps * 2];
        for (int s = 0; s < Sequences; s++)
        {
            for (int t = 2; t < Steps; t++)
            {
                targets[((s * Steps) + t) * 2] = features[((s * Steps) + t - 2) * 3];
                targets[(((s * Steps) + t) * 2) + 1] = 0.5f * features[(((s * Steps) + t - 1) * 3) + 1];
            }
        }
        var net = new SeqGruMseFloat();
        net.InitializeParameters(seed: 3);
        float before = net.Loss(features, targets, Steps);
        var adam = new AdamOptimizer<float>(net, learningRate: 0.02);
        var trainer = new SequenceRegressorTrainer<float>(net, adam, Steps,
            new TrainerOptions { Epochs = 200, BatchSize = 16, ValidationFraction = 0.25, Seed = 2, MaxGradientNorm = 1 });
        RegressionResult result = trainer.Fit(features, targets);
        float after = net.Loss(features, targets, Steps);
        Assert.Equal(200, result.History.Count);
        Assert.True(after < before / 5, $"loss {before} before, {after} after");
        Assert.NotNull(result.History[^1].ValidationLoss);
        Assert.True(result.History[^1].ValidationLoss < result.History[0].ValidationLoss / 3);
    }

    [Fact]
    public void Bad_arguments_throw_naming_them()
    {
        var net = new SeqGruMseDouble();
        var sgd = new SgdOptimizer<double>(net);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceRegressorTrainer<double>(net, sgd, 0)).ParamName);
        var trainer = new SequenceRegressorTrainer<double>(net, sgd, 4, new TrainerOptions { Epochs = 1 });
        double[] before = (double[])net.Parameters.Clone();
        // 2 sequences of 4 steps of 3 inputs, but targets for 3 sequences.
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => trainer.Fit(new double[2 * 4 * 3], new double[3 * 4 * 2])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => trainer.Fit(new double[(2 * 4 * 3) + 1], new double[2 * 4 * 2])).ParamName);
        Assert.Equal(before, net.Parameters);
    }
}
