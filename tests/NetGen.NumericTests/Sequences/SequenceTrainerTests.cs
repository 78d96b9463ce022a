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
    public void The_classifier_trainer_learns_labels_that_need_memory()
    {
        // The label at each step: which of the first three inputs was largest one step before (at step 0, now).
        // A network without memory sees only the current step, so it can do little better than a third.
        const int Sequences = 120, Steps = 6;
        var random = new Random(13);
        float[] features = Numbers.To<float>(Numbers.Uniform(random, Sequences * Steps * 4));
        var labels = new int[Sequences * Steps];
        for (int s = 0; s < Sequences; s++)
        {
            for (int t = 0; t < Steps; t++)
            {
                int from = ((s * Steps) + Math.Max(0, t - 1)) * 4;
                labels[(s * Steps) + t] = features[from] > features[from + 1]
                    ? (features[from] > features[from + 2] ? 0 : 2)
                    : (features[from + 1] > features[from + 2] ? 1 : 2);
            }
        }
        var net = new SeqGruStackedCeFloat();
        net.InitializeParameters(seed: 5);
        float before = net.Loss(features, labels, Steps);
        var adam = new AdamOptimizer<float>(net, learningRate: 0.02);
        var trainer = new SequenceClassifierTrainer<float>(net, adam, Steps,
            new TrainerOptions { Epochs = 150, BatchSize = 16, ValidationFraction = 0.2, Seed = 4, MaxGradientNorm = 1 });
        TrainingResult result = trainer.Fit(features, labels);
        float after = net.Loss(features, labels, Steps);
        TrainingProgress last = result.History[^1];
        Assert.Equal(150, result.History.Count);
        Assert.True(after < before / 3, $"loss {before} before, {after} after");
        // Accuracies count steps: between 0 and 1, and well above a third once trained.
        Assert.InRange(last.Accuracy, 0.85, 1.0);
        Assert.NotNull(last.ValidationAccuracy);
        Assert.InRange(last.ValidationAccuracy!.Value, 0.7, 1.0);
        Assert.True(result.History[0].Accuracy < 0.6, $"first epoch's accuracy {result.History[0].Accuracy}");

        // The reported training accuracy is what the network's outputs say, step by step.
        var outputs = new float[Sequences * Steps * 3];
        net.Forward(features, outputs, Sequences, Steps);
        int right = Enumerable.Range(0, Sequences * Steps).Count(r => ArgMax(outputs.AsSpan(r * 3, 3)) == labels[r]);
        Assert.InRange((double)right / (Sequences * Steps), 0.8, 1.0);
    }

    [Fact]
    public void The_classifier_trainer_refuses_bad_arguments_naming_them()
    {
        var net = new SeqGruStackedCeDouble();
        var sgd = new SgdOptimizer<double>(net);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceClassifierTrainer<double>(net, sgd, 0)).ParamName);
        var trainer = new SequenceClassifierTrainer<double>(net, sgd, 3, new TrainerOptions { Epochs = 1 });
        double[] before = (double[])net.Parameters.Clone();
        // 2 sequences of 3 steps of 4 inputs: 6 labels.
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => trainer.Fit(new double[2 * 3 * 4], new int[5])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => trainer.Fit(new double[2 * 3 * 4], Array.Empty<int>())).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => trainer.Fit(new double[(2 * 3 * 4) + 1], new int[6])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(new double[2 * 3 * 4], new[] { 0, 1, 2, 3, 0, 1 })).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(new double[2 * 3 * 4], new[] { 0, 1, 2, -1, 0, 1 })).ParamName);
        Assert.Equal(before, net.Parameters);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int k = 1; k < row.Length; k++)
        {
            best = row[k] > row[best] ? k : best;
        }
        return best;
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
