using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// The training loop every trainer runs, whatever its kind of target: epochs, the seeded shuffle, batches,
/// the schedule, the non-finite policy, validation, early stopping, restoring the best epoch, progress
/// reports and cancellation. What a batch computes comes from the task.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>
    /// Trains on <paramref name="training"/>, validating on <paramref name="validation"/> (which may be empty)
    /// after every epoch, and returns the task's result with the run's outcome.
    /// </summary>
    public static TResult Run<T, TTarget, TProgress, TResult>(
        INetwork<T> network, IOptimizer<T> optimizer, TrainerOptions options, int smallestCall, ITrainingTask<T, TTarget, TProgress, TResult> task,
        TrainingSamples<T, TTarget> training, TrainingSamples<T, TTarget> validation, ulong random,
        IProgress<TProgress>? progress, CancellationToken cancellationToken)
        where T : unmanaged
        where TTarget : unmanaged
        where TProgress : EpochProgress
        where TResult : TrainingOutcome
    {
        if (options.EarlyStoppingPatience is not null && validation.Count == 0)
        {
            throw new InvalidOperationException("Early stopping needs validation data: set ValidationFraction or pass validation samples.");
        }

        if (options.Schedule is { NeedsValidationLoss: true } && validation.Count == 0)
        {
            throw new InvalidOperationException(
                $"The schedule {options.Schedule} watches the validation loss, and there is no validation data: set ValidationFraction or pass validation samples.");
        }

        if (training.Count < smallestCall)
        {
            throw new ArgumentException(
                $"There is {training.Count} training sample, and {network.Architecture} normalises over the batch with one value per channel in a sample (BatchNorm), which needs at least {smallestCall} samples per training call.",
                "features");
        }

        int batchSize = Math.Min(options.BatchSize, Math.Max(training.Count, validation.Count));
        // A last batch of one sample joins the batch before it where the network cannot train on one.
        int largestBatch = batchSize + smallestCall - 1;
        var batch = new Batch<T, TTarget>(largestBatch, task.FeatureWidth, task.TargetWidth);
        task.Prepare(largestBatch);
        int[] order = (int[])training.Indices.Clone();
        // Room for the epochs that will most likely run, without reserving int.MaxValue entries for a run
        // that sets Epochs that high and relies on early stopping; the lists grow past that if they must.
        int expectedEpochs = Math.Min(options.Epochs, 1024);
        var history = new List<TProgress>(expectedEpochs);
        var validationLosses = new List<double>(validation.Count > 0 ? expectedEpochs : 0);
        T[]? bestParameters = options.RestoreBestParameters && validation.Count > 0 ? new T[network.ParameterCount] : null;
        // The running statistics of a network with batch norm belong to the best epoch's model as much as its parameters.
        T[]? bestBuffers = bestParameters is not null && network.Buffers is { Length: > 0 } ? new T[network.Buffers.Length] : null;

        double bestValidationLoss = double.PositiveInfinity;
        int? bestEpoch = null;
        int epochsWithoutImprovement = 0;
        int totalNonFinite = 0;
        var stopReason = TrainingStopReason.Completed;
        string message = $"Ran all {options.Epochs} epochs.";
        var clock = Stopwatch.StartNew();
        int epoch = 0;

        while (epoch < options.Epochs && stopReason == TrainingStopReason.Completed)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Between epochs: the epochs run so far are whole, and none is cut short.
                stopReason = TrainingStopReason.Cancelled;
                message = $"Cancelled after {epoch} epochs.";
                break;
            }

            epoch++;
            if (options.Schedule is not null) optimizer.LearningRate = options.Schedule.CheckedLearningRateAt(epoch - 1, validationLosses, "options");
            if (options.Shuffle) SampleOrder.Shuffle(order, ref random);

            long epochStart = Stopwatch.GetTimestamp();
            double lossSum = 0;
            int correct = 0, applied = 0, processed = 0, nonFinite = 0;
            for (int start = 0, count = 0; start < order.Length; start += count)
            {
                if (start > 0 && cancellationToken.IsCancellationRequested)
                {
                    stopReason = TrainingStopReason.Cancelled;
                    message = $"Cancelled in epoch {epoch}, before batch {start / batchSize + 1}; that epoch's report covers the batches before it.";
                    break;
                }

                count = Math.Min(batchSize, order.Length - start);
                if (order.Length - start - count < smallestCall && order.Length - start > count)
                {
                    count = order.Length - start;
                }

                batch.Gather(training, order.AsSpan(start, count));
                processed += count;

                double loss = task.Backward(batch.Features(count), batch.Targets(count), count, out int batchCorrect);
                if (options.MaxGradientNorm is double maxNorm && IsFinite(loss)) GradientClipping.ClipByGlobalNorm<T>(network.Gradients, maxNorm);
                if (!(IsFinite(loss) && optimizer.Step()))
                {
                    nonFinite++;
                    if (options.NonFiniteLossPolicy == NonFiniteLossPolicy.Stop)
                    {
                        stopReason = TrainingStopReason.NonFiniteLoss;
                        message = IsFinite(loss)
                            ? $"A gradient was not finite in epoch {epoch}, batch {start / batchSize + 1}; that update was not applied."
                            : $"The loss was {loss} in epoch {epoch}, batch {start / batchSize + 1}; that update was not applied.";
                        break;
                    }

                    continue;
                }

                lossSum += loss * count;
                correct += batchCorrect;
                applied += count;
            }

            double epochSeconds = (Stopwatch.GetTimestamp() - epochStart) / (double)Stopwatch.Frequency;
            totalNonFinite += nonFinite;

            double? validationLoss = null, validationCorrect = null;
            bool isBest = false;
            if (validation.Count > 0 && stopReason == TrainingStopReason.Completed)
            {
                (double vLoss, double vCorrect) = Evaluate(task, validation, batch, batchSize);
                validationLoss = vLoss;
                validationCorrect = vCorrect;
                validationLosses.Add(vLoss);
                // NaN compares false, so a non-finite validation loss never counts as an improvement.
                isBest = vLoss < bestValidationLoss - options.MinimumImprovement;
                if (isBest)
                {
                    bestValidationLoss = vLoss;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    if (bestParameters is not null) Array.Copy(network.Parameters, bestParameters, bestParameters.Length);
                    if (bestBuffers is not null) Array.Copy(network.Buffers, bestBuffers, bestBuffers.Length);
                }
                else if (++epochsWithoutImprovement >= (options.EarlyStoppingPatience ?? int.MaxValue))
                {
                    stopReason = TrainingStopReason.EarlyStopping;
                    message = $"Validation loss did not improve for {epochsWithoutImprovement} epochs after epoch {bestEpoch?.ToString() ?? "(none)"}.";
                }
            }

            TProgress epochReport = task.Report(new EpochMeasures
            {
                Epoch = epoch,
                Epochs = options.Epochs,
                Loss = applied == 0 ? double.NaN : lossSum / applied,
                Correct = correct,
                Applied = applied,
                ValidationLoss = validationLoss,
                ValidationCorrectFraction = validationCorrect,
                IsBestValidationLoss = isBest,
                LearningRate = optimizer.LearningRate,
                NonFiniteBatches = nonFinite,
                Elapsed = clock.Elapsed,
                SamplesPerSecond = epochSeconds > 0 ? processed / epochSeconds : 0,
            });
            history.Add(epochReport);
            progress?.Report(epochReport);
        }

        bool restored = bestParameters is not null && bestEpoch is not null && bestEpoch != epoch;
        if (bestParameters is not null && bestEpoch is not null)
        {
            Array.Copy(bestParameters, network.Parameters, bestParameters.Length);
            if (bestBuffers is not null) Array.Copy(bestBuffers, network.Buffers, bestBuffers.Length);
        }

        // A with-expression on the base record copies the result of the task's kind whole, History
        // included, and sets the outcome every kind shares, so those properties are written once, here.
        return (TResult)(task.Result(history) with
        {
            EpochsRun = epoch,
            StopReason = stopReason,
            Message = message,
            BestValidationLoss = validation.Count > 0 ? bestEpoch is null ? double.NaN : bestValidationLoss : null,
            BestEpoch = bestEpoch,
            RestoredBestParameters = restored,
            NonFiniteBatches = totalNonFinite,
            Elapsed = clock.Elapsed,
        });
    }

    /// <summary>The mean loss over <paramref name="samples"/>, in batches, and the fraction of them counted right.</summary>
    private static (double Loss, double Correct) Evaluate<T, TTarget, TProgress, TResult>(
        ITrainingTask<T, TTarget, TProgress, TResult> task, TrainingSamples<T, TTarget> samples, Batch<T, TTarget> batch, int batchSize)
        where T : unmanaged
        where TTarget : unmanaged
        where TProgress : EpochProgress
        where TResult : TrainingOutcome
    {
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < samples.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, samples.Count - start);
            batch.Gather(samples, samples.Indices.AsSpan(start, count));
            lossSum += task.Loss(batch.Features(count), batch.Targets(count), count, out int batchCorrect) * count;
            correct += batchCorrect;
        }

        return (lossSum / samples.Count, (double)correct / samples.Count);
    }

    private static bool IsFinite(double value) => value - value == 0;
}

/// <summary>The buffers one batch is gathered into, made once per run so that batches allocate nothing.</summary>
internal sealed class Batch<T, TTarget> where T : unmanaged where TTarget : unmanaged
{
    private readonly T[] _features;
    private readonly TTarget[] _targets;
    private readonly int _inputSize;
    private readonly int _targetWidth;

    public Batch(int batchSize, int inputSize, int targetWidth)
    {
        _inputSize = inputSize;
        _targetWidth = targetWidth;
        _features = new T[batchSize * inputSize];
        _targets = new TTarget[batchSize * targetWidth];
    }

    public ReadOnlySpan<T> Features(int count) => _features.AsSpan(0, count * _inputSize);

    public ReadOnlySpan<TTarget> Targets(int count) => _targets.AsSpan(0, count * _targetWidth);

    /// <summary>Copies the samples at <paramref name="indices"/> into the buffers: their features and their targets.</summary>
    public void Gather(TrainingSamples<T, TTarget> samples, ReadOnlySpan<int> indices)
    {
        for (int b = 0; b < indices.Length; b++)
        {
            int s = indices[b];
            samples.Features.Slice(s * _inputSize, _inputSize).CopyTo(_features.AsSpan(b * _inputSize, _inputSize));
            samples.Targets.Slice(s * _targetWidth, _targetWidth).CopyTo(_targets.AsSpan(b * _targetWidth, _targetWidth));
        }
    }
}
