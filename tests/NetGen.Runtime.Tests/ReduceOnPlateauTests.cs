using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class ReduceOnPlateauTests
{
    /// <summary>PyTorch's ReduceLROnPlateau on fixed losses (tests/fixtures/pytorch/reduce_on_plateau.py).</summary>
    public static IEnumerable<object[]> PyTorchCases()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "pytorch", "reduce_on_plateau.json")));
        double[] losses = json.RootElement.GetProperty("losses").EnumerateArray()
            .Select(x => x.ValueKind == JsonValueKind.String ? double.NaN : x.GetDouble()).ToArray();
        int index = 0;
        foreach (JsonElement c in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            yield return new object[]
            {
                index++, losses, c.GetProperty("initial").GetDouble(), c.GetProperty("factor").GetDouble(), c.GetProperty("patience").GetInt32(),
                c.GetProperty("minimum").GetDouble(), c.GetProperty("threshold").GetDouble(), c.GetProperty("cooldown").GetInt32(),
                c.GetProperty("rates").EnumerateArray().Select(x => x.GetDouble()).ToArray(),
            };
        }
    }

    [Theory]
    [MemberData(nameof(PyTorchCases))]
    public void Gives_PyTorch_rates_for_the_same_validation_losses(int index, double[] losses, double initial, double factor, int patience,
        double minimum, double threshold, int cooldown, double[] rates)
    {
        var schedule = LearningRateSchedule.ReduceOnPlateau(initial, factor, patience, minimum, threshold, cooldown);
        Assert.True(schedule.NeedsValidationLoss);
        for (int epoch = 0; epoch < rates.Length; epoch++)
        {
            // Epoch e sees the losses of epochs 0 .. e-1, as PyTorch's lr after e calls of step(loss).
            double rate = schedule.LearningRateAt(epoch, losses.Take(epoch).ToList());
            Assert.True(Math.Abs(rates[epoch] - rate) <= 1e-15 * rates[epoch], $"case {index}, epoch {epoch}: PyTorch {rates[epoch]}, NetGen {rate}");
        }
    }

    [Fact]
    public void Epoch_based_schedules_ignore_the_losses_and_old_overrides_keep_working()
    {
        var losses = new List<double> { 1, 2, 3 };
        Assert.Equal(LearningRateSchedule.Step(0.1, 1, 0.5).LearningRateAt(2), LearningRateSchedule.Step(0.1, 1, 0.5).LearningRateAt(2, losses));
        Assert.False(LearningRateSchedule.Cosine(0.1, 5).NeedsValidationLoss);
        Assert.Equal(0.25, new HalvingSchedule().LearningRateAt(2, losses));
    }

    /// <summary>A schedule written before validation losses were passed: it overrides only LearningRateAt(int).</summary>
    private sealed class HalvingSchedule : LearningRateSchedule
    {
        public override double LearningRateAt(int epoch) => Math.Pow(0.5, epoch);
    }

    [Fact]
    public void The_trainer_gives_the_schedule_each_epoch_s_validation_loss()
    {
        // Validation labels that contradict the training labels: the validation loss rises from the first
        // epoch, so with patience 1 the rate halves every second epoch from epoch 2 on.
        var (features, labels) = Blobs.Create<float>(perClass: 30, seed: 2);
        int[] contradicting = labels.Select(l => (l + 1) % 3).ToArray();
        var network = new SoftmaxRegression<float>(2, 3);
        var schedule = LearningRateSchedule.ReduceOnPlateau(0.05, factor: 0.5, patience: 1);
        TrainingResult result = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network),
            new TrainerOptions { Epochs = 8, BatchSize = 10, Schedule = schedule }).Fit(features, labels, features, contradicting);

        double[] validationLosses = result.History.Select(p => p.ValidationLoss!.Value).ToArray();
        for (int epoch = 0; epoch < 8; epoch++)
        {
            Assert.Equal(schedule.LearningRateAt(epoch, validationLosses.Take(epoch).ToList()), result.History[epoch].LearningRate);
        }

        Assert.Equal(new[] { 0.05, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.00625 }, result.History.Select(p => p.LearningRate));
    }

    [Fact]
    public void Without_validation_data_the_trainer_refuses_a_schedule_that_watches_it()
    {
        var (features, labels) = Blobs.Create<float>(perClass: 5, seed: 2);
        var network = new SoftmaxRegression<float>(2, 3);
        var trainer = new ClassifierTrainer<float>(network, new SgdOptimizer<float>(network),
            new TrainerOptions { Schedule = LearningRateSchedule.ReduceOnPlateau(0.1) });
        var refused = Assert.Throws<InvalidOperationException>(() => trainer.Fit(features, labels));
        Assert.Contains("watches the validation loss", refused.Message);
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_them()
    {
        Assert.Equal("initialLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ReduceOnPlateau(-1)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ReduceOnPlateau(0.1, factor: 1)).ParamName);
        Assert.Equal("patience", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ReduceOnPlateau(0.1, patience: -1)).ParamName);
        Assert.Equal("minimumLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ReduceOnPlateau(0.1, minimumLearningRate: double.NaN)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ReduceOnPlateau(0.1, threshold: 1)).ParamName);
        Assert.Equal("cooldown", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ReduceOnPlateau(0.1, cooldown: -1)).ParamName);
    }
}
