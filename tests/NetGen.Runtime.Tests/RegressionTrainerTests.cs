using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// The trainer on a regressor: everything it does for a classifier (validation, early stopping, restoring
/// the best parameters, schedules, the non-finite policy, seeding, cancellation, no allocation per batch),
/// with real-valued targets instead of labels, and reports without accuracy.
/// </summary>
public class RegressionTrainerTests
{
    /// <summary>An IProgress that records on the calling thread, with the bytes allocated so far at each report.</summary>
    private sealed class RecordingProgress : IProgress<RegressionProgress>
    {
        public List<RegressionProgress> Reports { get; } = new();
#if NET
        // .NET Framework and Mono have no per-thread allocation counter (GC.GetAllocatedBytesForCurrentThread): the allocation tests run on modern .NET only.
        public List<long> AllocatedBytesAtReport { get; } = new();
#endif

        public void Report(RegressionProgress value)
        {
#if NET
            AllocatedBytesAtReport.Add(GC.GetAllocatedBytesForCurrentThread());
#endif
            Reports.Add(value);
        }
    }

    [Fact]
    public void Learns_a_linear_function_and_stops_early_with_the_best_parameters()
    {
        const double Noise = 0.1;
        var (features, targets) = LinearTask.Create<double>(samples: 400, seed: 1, Noise);
        var (validationFeatures, validationTargets) = LinearTask.Create<double>(samples: 100, seed: 2, Noise);
        var network = new LinearRegression<double>(2, 1);
        var progress = new RecordingProgress();
        var trainer = new RegressorTrainer<double>(network, new AdamOptimizer<double>(network, learningRate: 0.05), new TrainerOptions
        {
            Epochs = 500,
            BatchSize = 16,
            Seed = 3,
            EarlyStoppingPatience = 10,
            MinimumImprovement = 1e-5,
            RestoreBestParameters = true,
            Schedule = LearningRateSchedule.Cosine(0.05, period: 100, minimumLearningRate: 1e-4),
        });

        RegressionResult result = trainer.Fit(features, targets, validationFeatures, validationTargets, progress);

        Assert.Equal(TrainingStopReason.EarlyStopping, result.StopReason);
        Assert.True(result.EpochsRun < 500, $"{result.EpochsRun} epochs");
        Assert.Equal(progress.Reports, result.History);
        Assert.Equal(Enumerable.Range(1, result.EpochsRun), result.History.Select(p => p.Epoch));

        // y = 2 x1 - x2 + 0.5, learned to well within the noise's reach on 400 samples.
        Assert.Equal(LinearTask.W1, network.Parameters[0], 0.05);
        Assert.Equal(LinearTask.W2, network.Parameters[1], 0.05);
        Assert.Equal(LinearTask.Bias, network.Parameters[2], 0.05);

        // The restored parameters are those of the best epoch, whose validation error is the noise's.
        Assert.True(result.RestoredBestParameters);
        Assert.Equal(result.BestValidationLoss!.Value, network.Loss(validationFeatures, validationTargets), 12);
        RegressionProgress best = result.History[result.BestEpoch!.Value - 1];
        Assert.True(best.IsBestValidationLoss);
        Assert.InRange(best.ValidationRootMeanSquaredError!.Value, 0.5 * Noise, 1.5 * Noise);
        Assert.True(result.History[0].ValidationLoss > 10 * best.ValidationLoss, "the validation loss fell by an order of magnitude");
        Assert.Equal(0, result.NonFiniteBatches);
    }

    [Fact]
    public void Float_regression_learns_too_from_a_validation_fraction()
    {
        var (features, targets) = LinearTask.Create<float>(samples: 300, seed: 4, noise: 0.05);
        var network = new LinearRegression<float>(2, 1);
        RegressionResult result = new RegressorTrainer<float>(network, new SgdOptimizer<float>(network, 0.05, momentum: 0.9),
            new TrainerOptions { Epochs = 40, BatchSize = 10, ValidationFraction = 0.2, Seed = 5 }).Fit(features, targets);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.All(result.History, p => Assert.NotNull(p.ValidationLoss));
        Assert.True(result.History[^1].ValidationRootMeanSquaredError < 0.1, $"validation RMSE {result.History[^1].ValidationRootMeanSquaredError}");
        Assert.Equal(result.BestValidationLoss, result.History.Min(p => p.ValidationLoss));
    }

    [Fact]
    public void Progress_and_results_of_a_regression_carry_no_accuracy()
    {
        // Not NaN, not null: absent from the types, so no reader can take a regression's "accuracy" for a number.
        foreach (Type type in new[] { typeof(RegressionProgress), typeof(RegressionResult) })
        {
            Assert.Empty(type.GetProperties().Where(p => p.Name.Contains("Accuracy", StringComparison.Ordinal)).Select(p => p.Name));
        }

        var (features, targets) = LinearTask.Create<double>(samples: 40, seed: 1, noise: 0.1);
        var (validationFeatures, validationTargets) = LinearTask.Create<double>(samples: 10, seed: 2, noise: 0.1);
        var network = new LinearRegression<double>(2, 1);
        var trainer = new RegressorTrainer<double>(network, new SgdOptimizer<double>(network, 0.05), new TrainerOptions { Epochs = 3, BatchSize = 8 });

        RegressionResult validated = trainer.Fit(features, targets, validationFeatures, validationTargets);
        Assert.All(validated.History, p =>
        {
            // The RMSE is the loss's square root: the loss is the mean over every output of the squared error.
            Assert.Equal(Math.Sqrt(p.Loss), p.RootMeanSquaredError);
            Assert.Equal(Math.Sqrt(p.ValidationLoss!.Value), p.ValidationRootMeanSquaredError);
        });
        RegressionResult unvalidated = trainer.Fit(features, targets);
        Assert.All(unvalidated.History, p => Assert.Null(p.ValidationRootMeanSquaredError));
        Assert.Null(unvalidated.BestValidationLoss);
    }

    [Fact]
    public void One_progress_handler_of_the_common_base_serves_a_classifier_and_a_regressor()
    {
        // IProgress<in T> is contravariant: a handler of EpochProgress is an IProgress of either report.
        var seen = new List<EpochProgress>();
        IProgress<EpochProgress> log = new InlineProgress<EpochProgress>(seen.Add);

        var regressor = new LinearRegression<double>(2, 1);
        var (features, targets) = LinearTask.Create<double>(samples: 20, seed: 1, noise: 0.1);
        new RegressorTrainer<double>(regressor, new SgdOptimizer<double>(regressor, 0.05), new TrainerOptions { Epochs = 2 }).Fit(features, targets, log);

        var classifier = new SoftmaxRegression<double>(2, 3);
        var (blobs, labels) = Blobs.Create<double>(perClass: 5, seed: 1);
        new ClassifierTrainer<double>(classifier, new SgdOptimizer<double>(classifier, 0.05), new TrainerOptions { Epochs = 2 }).Fit(blobs, labels, log);

        Assert.Equal(new[] { 1, 2, 1, 2 }, seen.Select(p => p.Epoch));
        Assert.All(seen.Take(2), p => Assert.IsType<RegressionProgress>(p));
        Assert.All(seen.Skip(2), p => Assert.InRange(Assert.IsType<TrainingProgress>(p).Accuracy, 0, 1));
    }

    /// <summary>Samples whose first feature is their number and whose target is 10 * number + 1, so that a recording regressor sees which samples, with which targets, each batch held.</summary>
    private static (double[] Features, double[] Targets) NumberedSamples(int count)
    {
        var features = new double[2 * count];
        var targets = new double[count];
        for (int s = 0; s < count; s++)
        {
            features[2 * s] = s;
            targets[s] = 10 * s + 1;
        }

        return (features, targets);
    }

    [Fact]
    public void Each_epoch_visits_every_training_sample_once_with_its_own_target_in_an_order_fixed_by_the_seed()
    {
        (List<List<int>> Epochs, HashSet<int> Trained) Visits(int seed)
        {
            var (features, targets) = NumberedSamples(40);
            var network = new RecordingRegressor<double>(new LinearRegression<double>(2, 1));
            new RegressorTrainer<double>(network, new SgdOptimizer<double>(network, 0),
                new TrainerOptions { Epochs = 3, BatchSize = 7, Seed = seed, ValidationFraction = 0.25 }).Fit(features, targets);

            // Targets travel with their samples through the shuffle and the split.
            foreach (var (batch, batchTargets) in network.Batches.Zip(network.BatchTargets, (b, t) => (b, t)))
            {
                Assert.Equal(batch.Select(s => 10.0 * s + 1), batchTargets);
            }

            Assert.Equal(new[] { 7, 7, 7, 7, 2, 7, 7, 7, 7, 2, 7, 7, 7, 7, 2 }, network.Batches.Select(b => b.Count));
            var epochs = TrainerTests.Epochs(network.Batches, batchesPerEpoch: 5);
            return (epochs, epochs[0].ToHashSet());
        }

        var (epochs, trained) = Visits(seed: 4);
        Assert.Equal(30, trained.Count);
        Assert.All(epochs, epoch => Assert.Equal(trained.OrderBy(s => s), epoch.OrderBy(s => s)));
        Assert.NotEqual(epochs[0], epochs[1]);
        Assert.NotEqual(Enumerable.Range(0, 30), trained.OrderBy(s => s));   // held out at random, not the last quarter
        Assert.Equal(epochs, Visits(seed: 4).Epochs);
        Assert.False(trained.SetEquals(Visits(seed: 5).Trained));
    }

    [Fact]
    public void The_same_seed_gives_the_same_training_and_another_seed_another()
    {
        float[] Train(int seed)
        {
            var (features, targets) = LinearTask.Create<float>(samples: 60, seed: 1, noise: 0.1);
            var network = new LinearRegression<float>(2, 1);
            new RegressorTrainer<float>(network, new AdamOptimizer<float>(network, 0.05),
                new TrainerOptions { Epochs = 3, BatchSize = 8, ValidationFraction = 0.25, Seed = seed }).Fit(features, targets);
            return network.Parameters;
        }

        Assert.Equal(Train(seed: 5), Train(seed: 5));
        Assert.NotEqual(Train(seed: 5), Train(seed: 6));
    }

    [Fact]
    public void Early_stopping_restores_the_best_parameters_of_a_regression()
    {
        // Validation targets that contradict the training targets: the better the fit, the worse the
        // validation loss, so the best epoch is the first.
        var (features, targets) = LinearTask.Create<double>(samples: 60, seed: 1, noise: 0);
        double[] contradicting = targets.Select(t => -t).ToArray();
        var network = new LinearRegression<double>(2, 1);
        RegressionResult result = new RegressorTrainer<double>(network, new AdamOptimizer<double>(network, 0.05),
            new TrainerOptions { Epochs = 30, BatchSize = 10, EarlyStoppingPatience = 3, RestoreBestParameters = true })
            .Fit(features, targets, features, contradicting);

        Assert.Equal(TrainingStopReason.EarlyStopping, result.StopReason);
        Assert.Equal(4, result.EpochsRun);
        Assert.Equal(1, result.BestEpoch);
        Assert.Contains("did not improve for 3 epochs after epoch 1", result.Message);
        Assert.True(result.RestoredBestParameters);
        Assert.Equal(result.BestValidationLoss!.Value, network.Loss(features, contradicting), 12);
    }

    [Fact]
    public void A_schedule_sets_the_learning_rate_of_every_regression_epoch()
    {
        var (features, targets) = LinearTask.Create<double>(samples: 20, seed: 1, noise: 0.1);
        var network = new LinearRegression<double>(2, 1);
        var optimizer = new SgdOptimizer<double>(network, learningRate: 99);
        RegressionResult result = new RegressorTrainer<double>(network, optimizer,
            new TrainerOptions { Epochs = 4, Schedule = LearningRateSchedule.Step(0.04, stepSize: 2, gamma: 0.5) }).Fit(features, targets);
        Assert.Equal(new[] { 0.04, 0.04, 0.02, 0.02 }, result.History.Select(p => p.LearningRate));
        Assert.Equal(0.02, optimizer.LearningRate);
    }

    /// <summary>Eight samples in order, the sixth (in the second batch of four) with a NaN target.</summary>
    private static (double[] Features, double[] Targets) DataWithOneNaNTarget()
    {
        var (features, targets) = LinearTask.Create<double>(samples: 8, seed: 1, noise: 0.1);
        targets[5] = double.NaN;
        return (features, targets);
    }

    [Fact]
    public void A_NaN_target_stops_training_under_the_stop_policy_and_says_so()
    {
        var (features, targets) = DataWithOneNaNTarget();
        var network = new LinearRegression<double>(2, 1);
        var progress = new RecordingProgress();
        RegressionResult result = new RegressorTrainer<double>(network, new SgdOptimizer<double>(network, 0.1),
            new TrainerOptions { Epochs = 5, BatchSize = 4, Shuffle = false, NonFiniteLossPolicy = NonFiniteLossPolicy.Stop })
            .Fit(features, targets, progress);

        Assert.Equal(TrainingStopReason.NonFiniteLoss, result.StopReason);
        Assert.Equal(1, result.EpochsRun);
        Assert.Equal(1, result.NonFiniteBatches);
        Assert.Contains("The loss was NaN in epoch 1, batch 2", result.Message);
        // Reported, with the first batch's (applied) loss and the refused batch counted.
        RegressionProgress report = Assert.Single(progress.Reports);
        Assert.Equal(1, report.NonFiniteBatches);
        Assert.True(Portable.IsFinite(report.Loss));
        Assert.All(network.Parameters, p => Assert.True(Portable.IsFinite(p)));
    }

    [Fact]
    public void A_NaN_target_skips_its_batch_under_the_skip_policy_and_counts_it()
    {
        var (features, targets) = DataWithOneNaNTarget();
        var network = new LinearRegression<double>(2, 1);
        var progress = new RecordingProgress();
        RegressionResult result = new RegressorTrainer<double>(network, new SgdOptimizer<double>(network, 0.1),
            new TrainerOptions { Epochs = 5, BatchSize = 4, NonFiniteLossPolicy = NonFiniteLossPolicy.SkipBatch })
            .Fit(features, targets, progress);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(5, result.EpochsRun);
        Assert.Equal(5, result.NonFiniteBatches);
        Assert.Equal(5, progress.Reports.Count);
        Assert.All(progress.Reports, p => Assert.Equal(1, p.NonFiniteBatches));
        Assert.All(progress.Reports, p => Assert.True(Portable.IsFinite(p.Loss)));
        Assert.All(network.Parameters, p => Assert.True(Portable.IsFinite(p)));
    }

    [Fact]
    public void A_skipped_regression_batch_changes_nothing()
    {
        var (features, targets) = DataWithOneNaNTarget();
        var network = new LinearRegression<double>(2, 1);
        var optimizer = new AdamOptimizer<double>(network);
        double[] before = (double[])network.Parameters.Clone();
        RegressionResult result = new RegressorTrainer<double>(network, optimizer,
            new TrainerOptions { Epochs = 2, BatchSize = 8, NonFiniteLossPolicy = NonFiniteLossPolicy.SkipBatch }).Fit(features, targets);

        Assert.Equal(before, network.Parameters);
        Assert.Equal(0, optimizer.StepCount);
        Assert.All(result.History, p => Assert.True(double.IsNaN(p.Loss) && double.IsNaN(p.RootMeanSquaredError)));
    }

    [Fact]
    public void A_NaN_validation_target_never_counts_as_an_improvement()
    {
        var (features, targets) = LinearTask.Create<double>(samples: 20, seed: 1, noise: 0.1);
        var (validationFeatures, validationTargets) = LinearTask.Create<double>(samples: 5, seed: 2, noise: 0.1);
        validationTargets[2] = double.NaN;
        var network = new LinearRegression<double>(2, 1);
        RegressionResult result = new RegressorTrainer<double>(network, new SgdOptimizer<double>(network, 0.05),
            new TrainerOptions { Epochs = 10, EarlyStoppingPatience = 2, RestoreBestParameters = true })
            .Fit(features, targets, validationFeatures, validationTargets);

        Assert.Equal(TrainingStopReason.EarlyStopping, result.StopReason);
        Assert.Equal(2, result.EpochsRun);
        Assert.Null(result.BestEpoch);
        Assert.True(double.IsNaN(result.BestValidationLoss!.Value));
        Assert.False(result.RestoredBestParameters);
        Assert.All(result.History, p => Assert.True(double.IsNaN(p.ValidationLoss!.Value) && !p.IsBestValidationLoss));
        Assert.Contains("after epoch (none)", result.Message);
    }

#if NET
    // No per-thread allocation counter on .NET Framework and Mono: modern .NET only.
    [Fact]
    public void Regression_batches_allocate_nothing_in_steady_state()
    {
        // As for a classifier: the bytes allocated between two epoch reports do not grow with the number
        // of batches. 2 batches or 500 per epoch, each epoch allocates only its RegressionProgress.
        long PerEpoch(int samples)
        {
            var (features, targets) = LinearTask.Create<float>(samples, seed: 1, noise: 0.1);
            var (validationFeatures, validationTargets) = LinearTask.Create<float>(samples: 12, seed: 2, noise: 0.1);
            var network = new LinearRegression<float>(2, 1);
            var progress = new RecordingProgress();
            new RegressorTrainer<float>(network, new SgdOptimizer<float>(network, 0.01, momentum: 0.9),
                new TrainerOptions { Epochs = 4, BatchSize = 3, Schedule = LearningRateSchedule.Cosine(0.01, 4) })
                .Fit(features, targets, validationFeatures, validationTargets, progress);
            long[] at = progress.AllocatedBytesAtReport.ToArray();
            Assert.Equal(at[2] - at[1], at[3] - at[2]);
            return at[3] - at[2];
        }

        long few = PerEpoch(samples: 6);
        long many = PerEpoch(samples: 1500);
        Assert.Equal(few, many);
        Assert.True(many < 1024, $"{many} bytes per epoch");
    }
#endif

    [Fact]
    public void A_cancelled_token_stops_a_regression_before_any_update_and_says_so()
    {
        var (features, targets) = LinearTask.Create<float>(samples: 20, seed: 1, noise: 0.1);
        var network = new LinearRegression<float>(2, 1);
        float[] before = (float[])network.Parameters.Clone();
        var trainer = new RegressorTrainer<float>(network, new AdamOptimizer<float>(network));
        RegressionResult result = trainer.Fit(features, targets, cancellationToken: new CancellationToken(canceled: true));
        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(0, result.EpochsRun);
        Assert.Empty(result.History);
        Assert.Equal(before, network.Parameters);
    }

    [Fact]
    public void Cancelling_a_regression_keeps_its_epochs()
    {
        var (features, targets) = LinearTask.Create<double>(samples: 40, seed: 1, noise: 0.1);
        var network = new LinearRegression<double>(2, 1);
        using var cancellation = new CancellationTokenSource();
        RegressionResult result = new RegressorTrainer<double>(network, new SgdOptimizer<double>(network, 0.05), new TrainerOptions { Epochs = 9, BatchSize = 8 })
            .Fit(features, targets, new InlineProgress<RegressionProgress>(p => { if (p.Epoch == 2) cancellation.Cancel(); }), cancellation.Token);
        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(new[] { 1, 2 }, result.History.Select(p => p.Epoch));
    }

    [Fact]
    public void Bad_targets_and_features_are_refused_naming_the_argument()
    {
        // Two outputs per sample, so that a target span can be a partial sample.
        var network = new LinearRegression<float>(2, 2);
        float[] before = (float[])network.Parameters.Clone();
        var trainer = new RegressorTrainer<float>(network, new SgdOptimizer<float>(network, 0.1));
        float[] features = new float[8];          // four samples of two features
        float[] targets = new float[8];           // four samples of two targets

        void Refused(string parameterName, Action fit)
        {
            var refused = Assert.Throws<ArgumentException>(fit);
            Assert.Equal(parameterName, refused.ParamName);
        }

        Refused("targets", () => trainer.Fit(features, ReadOnlySpan<float>.Empty));
        Refused("targets", () => trainer.Fit(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty));
        Refused("targets", () => trainer.Fit(features, targets.AsSpan(0, 7)));
        // A feature span of whole samples that disagrees with the targets' rows: the targets are blamed, with both counts.
        Refused("targets", () => trainer.Fit(features.AsSpan(0, 6), targets));
        Refused("targets", () => trainer.Fit(new float[10], targets));
        Refused("features", () => trainer.Fit(features.AsSpan(0, 7), targets));
        Refused("validationTargets", () => trainer.Fit(features, targets, features, targets.AsSpan(0, 3)));
        Refused("validationTargets", () => trainer.Fit(features, targets, features, ReadOnlySpan<float>.Empty));
        Refused("validationTargets", () => trainer.Fit(features, targets, features.AsSpan(0, 4), targets));
        Refused("validationFeatures", () => trainer.Fit(features, targets, features.AsSpan(0, 5), targets));
        Assert.Contains("features holds 5 samples of 2 values, but targets holds 4 rows of 2",
            Assert.Throws<ArgumentException>(() => trainer.Fit(new float[10], targets)).Message);
        Refused("features", () => new RegressorTrainer<float>(network, new SgdOptimizer<float>(network), new TrainerOptions { ValidationFraction = 0.5 })
            .Fit(features.AsSpan(0, 2), targets.AsSpan(0, 2)));

        var tooShort = Assert.Throws<ArgumentException>(() => trainer.Fit(features, targets.AsSpan(0, 7)));
        Assert.Contains("multiple of OutputSize = 2", tooShort.Message);
        Assert.Equal(before, network.Parameters);
    }

    [Fact]
    public void A_regression_trainer_refuses_what_does_not_fit_a_regressor()
    {
        var network = new LinearRegression<float>(2, 1);
        var optimizer = new SgdOptimizer<float>(network);
        var (features, targets) = LinearTask.Create<float>(samples: 8, seed: 1, noise: 0.1);

        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => new RegressorTrainer<float>((IRegressor<float>)null!, optimizer)).ParamName);
        Assert.Equal("optimizer", Assert.Throws<ArgumentNullException>(() => new RegressorTrainer<float>(network, null!)).ParamName);
        var other = new LinearRegression<float>(2, 1, seed: 9);
        Assert.Equal("optimizer", Assert.Throws<ArgumentException>(() => new RegressorTrainer<float>(network, new SgdOptimizer<float>(other))).ParamName);

        // Labels belong to a classifier, targets to a regressor: a Fit of the other kind does not compile
        // (tests/NetGen.Generator.Tests/TrainerKindTests.cs), so there is nothing to refuse at run time.
        var trainer = new RegressorTrainer<float>(network, optimizer);

        Assert.Throws<InvalidOperationException>(() => new RegressorTrainer<float>(network, optimizer, new TrainerOptions { EarlyStoppingPatience = 2 }).Fit(features, targets));
        Assert.Throws<InvalidOperationException>(() => new RegressorTrainer<float>(network, optimizer, new TrainerOptions { ValidationFraction = 0.2 }).Fit(features, targets, features, targets));
        Assert.Same(network, trainer.Network);
    }

    [Fact]
    public void The_test_regressor_has_the_gradient_of_its_loss()
    {
        // The hand-written regressor is the trainer's yardstick here, so check it too: central differences
        // of Loss against BackwardFromTargets, and the backward pass from dL/dy = 2 (y - t) / (N * OutputSize).
        var network = new LinearRegression<double>(3, 2, seed: 4);
        var random = new Random(5);
        double[] inputs = Enumerable.Range(0, 4 * 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] targets = Enumerable.Range(0, 4 * 2).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double loss = network.BackwardFromTargets(inputs, targets);
        double[] gradients = (double[])network.Gradients.Clone();
        Assert.Equal(loss, network.Loss(inputs, targets), 15);

        for (int p = 0; p < network.ParameterCount; p++)
        {
            double saved = network.Parameters[p];
            network.Parameters[p] = saved + 1e-6;
            double up = network.Loss(inputs, targets);
            network.Parameters[p] = saved - 1e-6;
            double down = network.Loss(inputs, targets);
            network.Parameters[p] = saved;
            Assert.Equal((up - down) / 2e-6, gradients[p], 8);
        }

        double[] outputs = new double[8];
        network.Forward(inputs, outputs, 4);
        double[] outputGradients = outputs.Zip(targets, (y, t) => 2 * (y - t) / 8).ToArray();
        network.Backward(inputs, outputGradients);
        for (int p = 0; p < network.ParameterCount; p++) Assert.Equal(gradients[p], network.Gradients[p], 14);
    }
}
