using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class TrainerTests
{
    /// <summary>An IProgress that records on the calling thread (Progress&lt;T&gt; would post elsewhere).</summary>
    private sealed class RecordingProgress : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = new();
#if NET
        // .NET Framework and Mono have no per-thread allocation counter (GC.GetAllocatedBytesForCurrentThread): the allocation tests run on modern .NET only.
        public List<long> AllocatedBytesAtReport { get; } = new();
#endif

        public void Report(TrainingProgress value)
        {
#if NET
            AllocatedBytesAtReport.Add(GC.GetAllocatedBytesForCurrentThread());
#endif
            Reports.Add(value);
        }
    }

    [Fact]
    public void Learns_a_separable_problem_and_reports_every_epoch()
    {
        var (features, labels) = Blobs.Create<float>(perClass: 60, seed: 1);
        var network = new SoftmaxRegression<float>(2, 3);
        var progress = new RecordingProgress();
        var trainer = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network, learningRate: 0.05),
            new TrainerOptions { Epochs = 30, BatchSize = 16, ValidationFraction = 0.2, Seed = 3 });

        TrainingResult result = trainer.Fit(features, labels, progress);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.False(result.StoppedEarly);
        Assert.Equal(30, result.EpochsRun);
        Assert.Equal(Enumerable.Range(1, 30), progress.Reports.Select(p => p.Epoch));
        Assert.Equal(progress.Reports, result.History);
        TrainingProgress last = progress.Reports[^1];
        Assert.True(last.Accuracy > 0.95, $"training accuracy {last.Accuracy}");
        Assert.True(last.ValidationAccuracy > 0.95, $"validation accuracy {last.ValidationAccuracy}");
        Assert.True(last.Loss < progress.Reports[0].Loss, "the training loss fell");
        Assert.True(last.ValidationLoss < progress.Reports[0].ValidationLoss, "the validation loss fell");
        Assert.All(progress.Reports, p => Assert.True(p.SamplesPerSecond > 0 && p.Elapsed > TimeSpan.Zero && p.Epochs == 30));
        Assert.Equal(result.BestValidationLoss, progress.Reports.Min(p => p.ValidationLoss));
        Assert.Equal(0, result.NonFiniteBatches);
    }

    [Fact]
    public void The_same_seed_gives_the_same_training_and_another_seed_another()
    {
        float[] Train(int seed)
        {
            var (features, labels) = Blobs.Create<float>(perClass: 20, seed: 1);
            var network = new SoftmaxRegression<float>(2, 3);
            new ClassifierTrainer<float>(network, new SgdOptimizer<float>(network, 0.1, momentum: 0.9),
                new TrainerOptions { Epochs = 3, BatchSize = 8, ValidationFraction = 0.25, Seed = seed }).Fit(features, labels);
            return network.Parameters;
        }

        Assert.Equal(Train(seed: 5), Train(seed: 5));
        Assert.NotEqual(Train(seed: 5), Train(seed: 6));
    }

    /// <summary>Features whose first value is the sample's number, so that a recording network sees which samples each batch held.</summary>
    private static (double[] Features, int[] Labels) NumberedSamples(int count)
    {
        var features = new double[2 * count];
        var labels = new int[count];
        for (int s = 0; s < count; s++)
        {
            features[2 * s] = s;
            labels[s] = s % 3;
        }

        return (features, labels);
    }

    /// <summary>The samples of each epoch, in the order trained: the batches joined in runs of <paramref name="batchesPerEpoch"/>
    /// (grouped by index, as Chunk would, which .NET Framework lacks).</summary>
    internal static List<List<int>> Epochs(List<List<int>> batches, int batchesPerEpoch)
        => batches.Select((batch, i) => (batch, i)).GroupBy(b => b.i / batchesPerEpoch, b => b.batch)
            .Select(epoch => epoch.SelectMany(b => b).ToList()).ToList();

    [Fact]
    public void Each_epoch_visits_every_training_sample_once_in_an_order_fixed_by_the_seed()
    {
        List<List<int>> Visits(int seed, bool shuffle)
        {
            var (features, labels) = NumberedSamples(20);
            var network = new RecordingClassifier<double>(new SoftmaxRegression<double>(2, 3));
            new ClassifierTrainer<double>(network, new SgdOptimizer<double>(network, 0),
                new TrainerOptions { Epochs = 3, BatchSize = 6, Seed = seed, Shuffle = shuffle }).Fit(features, labels);
            Assert.Equal(new[] { 6, 6, 6, 2, 6, 6, 6, 2, 6, 6, 6, 2 }, network.Batches.Select(b => b.Count));
            return Epochs(network.Batches, batchesPerEpoch: 4);
        }

        List<List<int>> visits = Visits(seed: 11, shuffle: true);
        Assert.Equal(3, visits.Count);
        Assert.All(visits, epoch => Assert.Equal(Enumerable.Range(0, 20), epoch.OrderBy(s => s)));
        Assert.NotEqual(visits[0], visits[1]);
        Assert.NotEqual(Enumerable.Range(0, 20), visits[0]);
        Assert.Equal(visits, Visits(seed: 11, shuffle: true));
        Assert.NotEqual(visits, Visits(seed: 12, shuffle: true));
        Assert.All(Visits(seed: 11, shuffle: false), epoch => Assert.Equal(Enumerable.Range(0, 20), epoch));
    }

    [Fact]
    public void The_validation_split_is_held_out_from_training_and_fixed_by_the_seed()
    {
        HashSet<int> Trained(int seed)
        {
            var (features, labels) = NumberedSamples(40);
            var network = new RecordingClassifier<double>(new SoftmaxRegression<double>(2, 3));
            new ClassifierTrainer<double>(network, new SgdOptimizer<double>(network, 0),
                new TrainerOptions { Epochs = 2, BatchSize = 7, Seed = seed, ValidationFraction = 0.25 }).Fit(features, labels);
            return network.Batches.SelectMany(b => b).ToHashSet();
        }

        HashSet<int> trained = Trained(seed: 4);
        Assert.Equal(30, trained.Count);
        Assert.True(trained.SetEquals(Trained(seed: 4)));
        Assert.False(trained.SetEquals(Trained(seed: 5)));
        // Random, not the last quarter (the samples here are ordered by number, as real data often is by class).
        Assert.NotEqual(Enumerable.Range(0, 30), trained.OrderBy(s => s));
    }

    /// <summary>
    /// Validation data whose labels contradict the training labels: the better the network learns the
    /// training data, the worse its validation loss, so the best epoch is the first.
    /// </summary>
    private static (TrainingResult Result, SoftmaxRegression<float> Network, float[] ValidationFeatures, int[] ValidationLabels) TrainOnContradiction(int? patience, bool restore)
    {
        var (features, labels) = Blobs.Create<float>(perClass: 30, seed: 2);
        int[] contradicting = labels.Select(l => (l + 1) % 3).ToArray();
        var network = new SoftmaxRegression<float>(2, 3);
        var trainer = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network, learningRate: 0.05),
            new TrainerOptions { Epochs = 20, BatchSize = 10, EarlyStoppingPatience = patience, RestoreBestParameters = restore });
        return (trainer.Fit(features, labels, features, contradicting), network, features, contradicting);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_improvement()
    {
        var (result, network, _, _) = TrainOnContradiction(patience: 3, restore: false);
        Assert.Equal(TrainingStopReason.EarlyStopping, result.StopReason);
        Assert.True(result.StoppedEarly);
        Assert.Equal(4, result.EpochsRun);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(result.History[0].ValidationLoss, result.BestValidationLoss);
        Assert.True(result.History[0].IsBestValidationLoss);
        Assert.All(result.History.Skip(1), p => Assert.False(p.IsBestValidationLoss));
        Assert.Contains("did not improve for 3 epochs after epoch 1", result.Message);
        Assert.False(result.RestoredBestParameters);
    }

    [Fact]
    public void Early_stopping_can_restore_the_best_parameters()
    {
        var (result, network, validationFeatures, validationLabels) = TrainOnContradiction(patience: 2, restore: true);
        Assert.Equal(3, result.EpochsRun);
        Assert.True(result.RestoredBestParameters);
        Assert.Equal(result.BestValidationLoss!.Value, network.Loss(validationFeatures, validationLabels), 5);
    }

    [Fact]
    public void Without_patience_training_runs_every_epoch()
    {
        var (result, _, _, _) = TrainOnContradiction(patience: null, restore: false);
        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(20, result.EpochsRun);
        Assert.Equal(1, result.BestEpoch);
    }

    [Fact]
    public void Epochs_may_be_as_many_as_int_allows_when_early_stopping_ends_the_run()
    {
        // "Train until the validation loss stops improving": the history must not reserve room for
        // int.MaxValue reports up front (that alone threw OutOfMemoryException).
        var (features, labels) = Blobs.Create<float>(perClass: 30, seed: 2);
        int[] contradicting = labels.Select(l => (l + 1) % 3).ToArray();
        var network = new SoftmaxRegression<float>(2, 3);
        TrainingResult result = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network, learningRate: 0.05),
            new TrainerOptions { Epochs = int.MaxValue, BatchSize = 10, EarlyStoppingPatience = 3 }).Fit(features, labels, features, contradicting);
        Assert.Equal(TrainingStopReason.EarlyStopping, result.StopReason);
        Assert.Equal(4, result.EpochsRun);
        Assert.All(result.History, p => Assert.Equal(int.MaxValue, p.Epochs));
    }

    [Fact]
    public void A_schedule_sets_the_optimizer_learning_rate_every_epoch()
    {
        var (features, labels) = Blobs.Create<double>(perClass: 10, seed: 1);
        var network = new SoftmaxRegression<double>(2, 3);
        var optimizer = new SgdOptimizer<double>(network, learningRate: 99);
        var schedule = LearningRateSchedule.Step(0.2, stepSize: 2, gamma: 0.5);
        TrainingResult result = new ClassifierTrainer<double>(network, optimizer, new TrainerOptions { Epochs = 5, Schedule = schedule }).Fit(features, labels);
        Assert.Equal(new[] { 0.2, 0.2, 0.1, 0.1, 0.05 }, result.History.Select(p => p.LearningRate));
        Assert.Equal(0.05, optimizer.LearningRate);
    }

    [Fact]
    public void Without_a_schedule_the_optimizer_keeps_its_rate()
    {
        var (features, labels) = Blobs.Create<double>(perClass: 10, seed: 1);
        var network = new SoftmaxRegression<double>(2, 3);
        var optimizer = new SgdOptimizer<double>(network, learningRate: 0.03);
        TrainingResult result = new ClassifierTrainer<double>(network, optimizer, new TrainerOptions { Epochs = 2 }).Fit(features, labels);
        Assert.All(result.History, p => Assert.Equal(0.03, p.LearningRate));
    }

    /// <summary>Eight samples, one of them with a NaN feature, so exactly one batch per epoch has a NaN loss.</summary>
    private static (double[] Features, int[] Labels) DataWithOneNaNSample()
    {
        var (features, labels) = Blobs.Create<double>(perClass: 3, seed: 1);
        features = features.Take(16).ToArray();
        labels = labels.Take(8).ToArray();
        features[7] = double.NaN;
        return (features, labels);
    }

    [Fact]
    public void A_non_finite_loss_stops_training_under_the_stop_policy_and_says_so()
    {
        var (features, labels) = DataWithOneNaNSample();
        var network = new SoftmaxRegression<double>(2, 3);
        var progress = new RecordingProgress();
        TrainingResult result = new ClassifierTrainer<double>(network, new SgdOptimizer<double>(network, 0.1),
            new TrainerOptions { Epochs = 5, BatchSize = 4, NonFiniteLossPolicy = NonFiniteLossPolicy.Stop }).Fit(features, labels, progress);

        Assert.Equal(TrainingStopReason.NonFiniteLoss, result.StopReason);
        Assert.True(result.StoppedEarly);
        Assert.Equal(1, result.EpochsRun);
        Assert.Equal(1, result.NonFiniteBatches);
        Assert.Contains("NaN", result.Message);
        Assert.Equal(1, Assert.Single(progress.Reports).NonFiniteBatches);
        Assert.All(network.Parameters, p => Assert.True(Portable.IsFinite(p)));
    }

    [Fact]
    public void A_non_finite_loss_skips_the_batch_under_the_skip_policy_and_counts_it()
    {
        var (features, labels) = DataWithOneNaNSample();
        var network = new SoftmaxRegression<double>(2, 3);
        TrainingResult result = new ClassifierTrainer<double>(network, new SgdOptimizer<double>(network, 0.1),
            new TrainerOptions { Epochs = 5, BatchSize = 4, NonFiniteLossPolicy = NonFiniteLossPolicy.SkipBatch }).Fit(features, labels);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(5, result.EpochsRun);
        Assert.Equal(5, result.NonFiniteBatches);
        Assert.All(result.History, p => Assert.Equal(1, p.NonFiniteBatches));
        Assert.All(result.History, p => Assert.True(Portable.IsFinite(p.Loss)));
        Assert.All(network.Parameters, p => Assert.True(Portable.IsFinite(p)));
    }

    [Fact]
    public void A_skipped_batch_changes_nothing()
    {
        var (features, labels) = DataWithOneNaNSample();
        var network = new SoftmaxRegression<double>(2, 3);
        double[] before = (double[])network.Parameters.Clone();
        TrainingResult result = new ClassifierTrainer<double>(network, new AdamOptimizer<double>(network),
            new TrainerOptions { Epochs = 2, BatchSize = 8, NonFiniteLossPolicy = NonFiniteLossPolicy.SkipBatch }).Fit(features, labels);
        Assert.Equal(before, network.Parameters);
        Assert.All(result.History, p => Assert.True(double.IsNaN(p.Loss)));
    }

#if NET
    // No per-thread allocation counter on .NET Framework and Mono: modern .NET only.
    [Fact]
    public void Batches_allocate_nothing_in_steady_state()
    {
        // The bytes allocated between two epoch reports must not grow with the number of batches:
        // 2 batches or 500 per epoch, each epoch allocates only its TrainingProgress. The fewest bytes of
        // the later epochs: a per-batch allocation shows in every epoch, while a fresh-clone CI run once saw
        // about 8 KB in a single epoch, once, from the runtime rather than the trainer (not reproduced).
        long PerEpoch(int samplesPerClass)
        {
            var (features, labels) = Blobs.Create<float>(samplesPerClass, seed: 1);
            var (validationFeatures, validationLabels) = Blobs.Create<float>(perClass: 4, seed: 2);
            var network = new SoftmaxRegression<float>(2, 3);
            var progress = new RecordingProgress();
            new ClassifierTrainer<float>(network, new SgdOptimizer<float>(network, 0.01, momentum: 0.9),
                new TrainerOptions { Epochs = 6, BatchSize = 3, Schedule = LearningRateSchedule.Cosine(0.01, 6) })
                .Fit(features, labels, validationFeatures, validationLabels, progress);
            long[] at = progress.AllocatedBytesAtReport.ToArray();
            return at.Skip(1).Zip(at.Skip(2), (a, b) => b - a).Min();
        }

        long few = PerEpoch(samplesPerClass: 2);
        long many = PerEpoch(samplesPerClass: 500);
        Assert.Equal(few, many);
        Assert.True(many < 1024, $"{many} bytes per epoch");
    }
#endif

    [Fact]
    public void A_cancelled_token_stops_before_any_update_and_returns_an_empty_history()
    {
        var (features, labels) = Blobs.Create<float>(perClass: 10, seed: 1);
        var network = new SoftmaxRegression<float>(2, 3);
        float[] before = (float[])network.Parameters.Clone();
        var trainer = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network));
        TrainingResult result = trainer.Fit(features, labels, cancellationToken: new CancellationToken(canceled: true));
        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.True(result.StoppedEarly);
        Assert.Equal(0, result.EpochsRun);
        Assert.Empty(result.History);
        Assert.Equal("Cancelled after 0 epochs.", result.Message);
        Assert.Equal(before, network.Parameters);
    }

    [Fact]
    public void Cancelling_between_epochs_keeps_the_epochs_run_and_their_reports()
    {
        // Cancelled from the third epoch's report: the fourth never starts, and the three are returned, not thrown away.
        var (features, labels) = Blobs.Create<float>(perClass: 20, seed: 1);
        var network = new SoftmaxRegression<float>(2, 3);
        using var cancellation = new CancellationTokenSource();
        var seen = new List<TrainingProgress>();
        TrainingResult result = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network, 0.05),
                new TrainerOptions { Epochs = 10, BatchSize = 8, ValidationFraction = 0.25, RestoreBestParameters = true })
            .Fit(features, labels, new InlineProgress<TrainingProgress>(p =>
            {
                seen.Add(p);
                if (p.Epoch == 3) cancellation.Cancel();
            }), cancellation.Token);

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(3, result.EpochsRun);
        Assert.Equal(seen, result.History);
        Assert.All(result.History, p => Assert.NotNull(p.ValidationLoss));
        Assert.Equal(result.History.Min(p => p.ValidationLoss), result.BestValidationLoss);
        Assert.Equal("Cancelled after 3 epochs.", result.Message);
    }

    [Fact]
    public void Cancelling_inside_an_epoch_stops_before_the_next_batch_and_reports_the_batches_run()
    {
        var (features, labels) = NumberedSamples(20);
        var network = new RecordingClassifier<double>(new SoftmaxRegression<double>(2, 3));
        using var cancellation = new CancellationTokenSource();
        network.AfterBatch = () =>
        {
            if (network.Batches.Count == 6) cancellation.Cancel();   // the second batch of epoch 2 (4 batches per epoch)
        };
        var optimizer = new SgdOptimizer<double>(network, 0.01);
        TrainingResult result = new ClassifierTrainer<double>(network, optimizer, new TrainerOptions { Epochs = 5, BatchSize = 6 })
            .Fit(features, labels, cancellationToken: cancellation.Token);

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(6, network.Batches.Count);
        Assert.Equal(6, optimizer.StepCount);   // the batch that saw the cancellation was applied whole
        Assert.Equal(2, result.EpochsRun);
        Assert.Equal(2, result.History.Count);
        Assert.Contains("Cancelled in epoch 2, before batch 3", result.Message);
        Assert.True(Portable.IsFinite(result.History[1].Loss));
    }

    [Fact]
    public void Bad_arguments_and_options_are_refused()
    {
        var network = new SoftmaxRegression<float>(2, 3);
        var optimizer = new SgdOptimizer<float>(network);
        var (features, labels) = Blobs.Create<float>(perClass: 4, seed: 1);
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => new ClassifierTrainer<float>((IClassifier<float>)null!, optimizer)).ParamName);
        Assert.Equal("optimizer", Assert.Throws<ArgumentNullException>(() => new ClassifierTrainer<float>(network, null!)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainer<float>(network, optimizer, new TrainerOptions { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainer<float>(network, optimizer, new TrainerOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainer<float>(network, optimizer, new TrainerOptions { ValidationFraction = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainer<float>(network, optimizer, new TrainerOptions { EarlyStoppingPatience = 0 }));

        var trainer = new ClassifierTrainer<float>(network, optimizer);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => trainer.Fit(features.AsSpan(1), labels)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => trainer.Fit(ReadOnlySpan<float>.Empty, ReadOnlySpan<int>.Empty)).ParamName);
        Assert.Equal("validationLabels", Assert.Throws<ArgumentException>(() => trainer.Fit(features, labels, features, labels.AsSpan(1))).ParamName);
        labels[3] = 3;
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(features, labels)).ParamName);
        labels[3] = 0;
        Assert.Throws<InvalidOperationException>(() => new ClassifierTrainer<float>(network, optimizer, new TrainerOptions { EarlyStoppingPatience = 2 }).Fit(features, labels));
        Assert.Throws<InvalidOperationException>(() => new ClassifierTrainer<float>(network, optimizer, new TrainerOptions { ValidationFraction = 0.2 }).Fit(features, labels, features, labels));
    }

    [Fact]
    public void Features_for_300_samples_with_10_labels_blame_the_labels_and_give_both_counts()
    {
        // The features are a whole number of samples, so it is the count of labels that disagrees (it blamed features).
        var network = new SoftmaxRegression<float>(2, 3);
        var trainer = new ClassifierTrainer<float>(network, new SgdOptimizer<float>(network));
        var refused = Assert.Throws<ArgumentException>(() => trainer.Fit(new float[600], new int[10]));
        Assert.Equal("labels", refused.ParamName);
        Assert.Contains("features holds 300 samples of 2 values, but labels holds 10 labels", refused.Message);
    }
}
