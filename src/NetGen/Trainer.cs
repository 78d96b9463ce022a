using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Trains a classifier with an optimizer: mini-batches in a seeded random order, epochs, a validation
/// split, early stopping, learning-rate schedules, and a report after every epoch. Each batch runs the
/// network's <c>Backward(inputs, labels)</c>, then <see cref="IOptimizer{T}.Step"/>.
/// </summary>
/// <remarks>
/// Batches allocate nothing: the batch buffers are made once per <c>Fit</c>, and the only allocation
/// per epoch is its <see cref="TrainingProgress"/>. Not thread-safe, like the network's training methods.
/// </remarks>
/// <typeparam name="T">The network's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example><code>
/// var network = new IrisNet();
/// var trainer = new Trainer&lt;float&gt;(network, new AdamOptimizer&lt;float&gt;(network, learningRate: 0.01),
///     new TrainerOptions { Epochs = 200, BatchSize = 16, ValidationFraction = 0.2, EarlyStoppingPatience = 20 });
/// TrainingResult result = trainer.Fit(features, labels, new Progress&lt;TrainingProgress&gt;(p => Console.WriteLine(p)));
/// </code></example>
public sealed class Trainer<T> where T : unmanaged
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="network">The classifier to train.</param>
    /// <param name="optimizer">The optimizer bound to <paramref name="network"/>.</param>
    /// <param name="options">How to train; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="optimizer"/> was built for another network (see <see cref="IOptimizer{T}.Network"/>), or the
    /// network's arrays do not have <c>ParameterCount</c> elements.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range, or the schedule's first rate is negative or not finite.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Trainer(IClassifier<T> network, IOptimizer<T> optimizer, TrainerOptions? options = null)
    {
        ElementTypes.EnsureSupported<T>();
        Network = network ?? throw new ArgumentNullException(nameof(network));
        VectorKernels.EnsureConsistent(network, nameof(network));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Options = options ?? new TrainerOptions();
        CheckOptions(Options);
        EnsureUpdates(optimizer, network);
    }

    /// <summary>The classifier being trained.</summary>
    public IClassifier<T> Network { get; }

    /// <summary>The optimizer that applies each batch's gradients.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>How to train.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Trains on <paramref name="features"/> and <paramref name="labels"/>, holding out
    /// <see cref="TrainerOptions.ValidationFraction"/> of the samples, chosen from the seed, for validation.
    /// </summary>
    /// <param name="features">Sample-major: sample <c>s</c> is <c>features[s * InputSize .. (s + 1) * InputSize)</c>.</param>
    /// <param name="labels">One class index per sample, in <c>[0, OutputSize)</c>.</param>
    /// <param name="progress">Told after every epoch; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch; the parameters are never left half-updated.</param>
    /// <exception cref="ArgumentException">The lengths disagree, there are no samples, or none would be left for training.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside <c>[0, OutputSize)</c>.</exception>
    /// <exception cref="InvalidOperationException">Early stopping is asked for without validation data.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int samples = CheckData(features, labels, nameof(features), nameof(labels));
        int validationCount = Options.ValidationFraction == 0 ? 0 : Math.Max(1, (int)Math.Round(samples * Options.ValidationFraction));
        if (validationCount >= samples)
        {
            throw new ArgumentException($"Holding out {validationCount} of {samples} samples for validation leaves none for training.", nameof(features));
        }

        ulong random = ParameterRandom.Seed(Options.Seed);
        int[] order = Identity(samples);
        int[] trainingIndices = order;
        int[] validationIndices = Array.Empty<int>();
        if (validationCount > 0)
        {
            Shuffle(order, ref random);
            validationIndices = order.AsSpan(0, validationCount).ToArray();
            trainingIndices = order.AsSpan(validationCount).ToArray();
        }

        var data = new Samples(features, labels, trainingIndices);
        var validation = new Samples(features, labels, validationIndices);
        return Run(data, validation, ref random, progress, cancellationToken);
    }

    /// <summary>Trains on <paramref name="features"/> and <paramref name="labels"/>, validating on data of its own.</summary>
    /// <param name="features">Training samples, sample-major.</param>
    /// <param name="labels">One class index per training sample.</param>
    /// <param name="validationFeatures">Validation samples, sample-major; may be empty.</param>
    /// <param name="validationLabels">One class index per validation sample.</param>
    /// <param name="progress">Told after every epoch; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch; the parameters are never left half-updated.</param>
    /// <exception cref="ArgumentException">The lengths disagree, or there are no training samples.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside <c>[0, OutputSize)</c>.</exception>
    /// <exception cref="InvalidOperationException">
    /// <see cref="TrainerOptions.ValidationFraction"/> is set as well, or early stopping is asked for without validation data.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> validationFeatures, ReadOnlySpan<int> validationLabels,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Options.ValidationFraction != 0)
        {
            throw new InvalidOperationException("Validation data was given and ValidationFraction is set too; use one or the other.");
        }

        int samples = CheckData(features, labels, nameof(features), nameof(labels));
        int validationSamples = validationLabels.Length == 0 && validationFeatures.Length == 0
            ? 0
            : CheckData(validationFeatures, validationLabels, nameof(validationFeatures), nameof(validationLabels));
        ulong random = ParameterRandom.Seed(Options.Seed);
        var data = new Samples(features, labels, Identity(samples));
        var validation = new Samples(validationFeatures, validationLabels, Identity(validationSamples));
        return Run(data, validation, ref random, progress, cancellationToken);
    }

    /// <summary>Samples picked from sample-major data by index: a training or validation set without copying the data.</summary>
    private readonly ref struct Samples
    {
        public Samples(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, int[] indices)
        {
            Features = features;
            Labels = labels;
            Indices = indices;
        }

        public ReadOnlySpan<T> Features { get; }
        public ReadOnlySpan<int> Labels { get; }
        public int[] Indices { get; }
        public int Count => Indices.Length;
    }

    /// <summary>The buffers one batch is gathered into, made once per Fit so that batches allocate nothing.</summary>
    private sealed class BatchBuffers
    {
        public BatchBuffers(int batchSize, int inputSize, int outputSize)
        {
            Features = new T[batchSize * inputSize];
            Labels = new int[batchSize];
            Outputs = new T[batchSize * outputSize];
        }

        public T[] Features { get; }
        public int[] Labels { get; }
        public T[] Outputs { get; }
    }

    private TrainingResult Run(Samples training, Samples validation, ref ulong random, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        TrainerOptions options = Options;
        if (options.EarlyStoppingPatience is not null && validation.Count == 0)
        {
            throw new InvalidOperationException("Early stopping needs validation data: set ValidationFraction or pass validation samples.");
        }

        IClassifier<T> network = Network;
        int batchSize = Math.Min(options.BatchSize, Math.Max(training.Count, validation.Count));
        var buffers = new BatchBuffers(batchSize, network.InputSize, network.OutputSize);
        int[] order = (int[])training.Indices.Clone();
        var history = new List<TrainingProgress>(options.Epochs);
        T[]? bestParameters = options.RestoreBestParameters && validation.Count > 0 ? new T[network.ParameterCount] : null;

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
            epoch++;
            if (options.Schedule is not null) Optimizer.LearningRate = ScheduledLearningRate(options.Schedule, epoch - 1);
            if (options.Shuffle) Shuffle(order, ref random);

            long epochStart = Stopwatch.GetTimestamp();
            double lossSum = 0;
            int correct = 0, applied = 0, processed = 0, nonFinite = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(batchSize, order.Length - start);
                Gather(training, order.AsSpan(start, count), buffers);
                ReadOnlySpan<T> inputs = buffers.Features.AsSpan(0, count * network.InputSize);
                ReadOnlySpan<int> labels = buffers.Labels.AsSpan(0, count);
                Span<T> outputs = buffers.Outputs.AsSpan(0, count * network.OutputSize);
                processed += count;

                // The forward pass before the update, so that accuracy and loss describe the same parameters.
                network.Forward(inputs, outputs, count);
                double loss = ElementTypes.ToDouble(network.Backward(inputs, labels));
                if (!(IsFinite(loss) && Optimizer.Step()))
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
                correct += CountCorrect(outputs, labels, network.OutputSize);
                applied += count;
            }

            double epochSeconds = (Stopwatch.GetTimestamp() - epochStart) / (double)Stopwatch.Frequency;
            totalNonFinite += nonFinite;

            double? validationLoss = null, validationAccuracy = null;
            bool isBest = false;
            if (validation.Count > 0 && stopReason == TrainingStopReason.Completed)
            {
                (double vLoss, double vAccuracy) = Evaluate(validation, buffers, batchSize);
                validationLoss = vLoss;
                validationAccuracy = vAccuracy;
                // NaN compares false, so a non-finite validation loss never counts as an improvement.
                isBest = vLoss < bestValidationLoss - options.MinimumImprovement;
                if (isBest)
                {
                    bestValidationLoss = vLoss;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    if (bestParameters is not null) Array.Copy(network.Parameters, bestParameters, bestParameters.Length);
                }
                else if (++epochsWithoutImprovement >= (options.EarlyStoppingPatience ?? int.MaxValue))
                {
                    stopReason = TrainingStopReason.EarlyStopping;
                    message = $"Validation loss did not improve for {epochsWithoutImprovement} epochs after epoch {bestEpoch?.ToString() ?? "(none)"}.";
                }
            }

            var report = new TrainingProgress
            {
                Epoch = epoch,
                Epochs = options.Epochs,
                Loss = applied == 0 ? double.NaN : lossSum / applied,
                Accuracy = applied == 0 ? double.NaN : (double)correct / applied,
                ValidationLoss = validationLoss,
                ValidationAccuracy = validationAccuracy,
                IsBestValidationLoss = isBest,
                LearningRate = Optimizer.LearningRate,
                NonFiniteBatches = nonFinite,
                Elapsed = clock.Elapsed,
                SamplesPerSecond = epochSeconds > 0 ? processed / epochSeconds : 0,
            };
            history.Add(report);
            progress?.Report(report);
        }

        bool restored = bestParameters is not null && bestEpoch is not null && bestEpoch != epoch;
        if (bestParameters is not null && bestEpoch is not null)
        {
            Array.Copy(bestParameters, network.Parameters, bestParameters.Length);
        }

        return new TrainingResult
        {
            EpochsRun = epoch,
            StopReason = stopReason,
            Message = message,
            BestValidationLoss = validation.Count > 0 ? bestEpoch is null ? double.NaN : bestValidationLoss : null,
            BestEpoch = bestEpoch,
            RestoredBestParameters = restored,
            NonFiniteBatches = totalNonFinite,
            Elapsed = clock.Elapsed,
            History = history,
        };
    }

    /// <summary>The mean loss and the accuracy over <paramref name="samples"/>, in batches.</summary>
    private (double Loss, double Accuracy) Evaluate(Samples samples, BatchBuffers buffers, int batchSize)
    {
        IClassifier<T> network = Network;
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < samples.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, samples.Count - start);
            Gather(samples, samples.Indices.AsSpan(start, count), buffers);
            ReadOnlySpan<T> inputs = buffers.Features.AsSpan(0, count * network.InputSize);
            ReadOnlySpan<int> labels = buffers.Labels.AsSpan(0, count);
            Span<T> outputs = buffers.Outputs.AsSpan(0, count * network.OutputSize);
            lossSum += ElementTypes.ToDouble(network.Loss(inputs, labels)) * count;
            network.Forward(inputs, outputs, count);
            correct += CountCorrect(outputs, labels, network.OutputSize);
        }

        return (lossSum / samples.Count, (double)correct / samples.Count);
    }

    private void Gather(Samples samples, ReadOnlySpan<int> indices, BatchBuffers buffers)
    {
        int width = Network.InputSize;
        for (int b = 0; b < indices.Length; b++)
        {
            int s = indices[b];
            samples.Features.Slice(s * width, width).CopyTo(buffers.Features.AsSpan(b * width, width));
            buffers.Labels[b] = samples.Labels[s];
        }
    }

    private static int CountCorrect(ReadOnlySpan<T> outputs, ReadOnlySpan<int> labels, int width)
    {
        int correct = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            ReadOnlySpan<T> row = outputs.Slice(b * width, width);
            int best = 0;
            double bestValue = ElementTypes.ToDouble(row[0]);
            for (int o = 1; o < width; o++)
            {
                double value = ElementTypes.ToDouble(row[o]);
                if (value > bestValue)
                {
                    best = o;
                    bestValue = value;
                }
            }

            if (best == labels[b]) correct++;
        }

        return correct;
    }

    /// <summary>Fisher-Yates from the project's SplitMix64, so that an order depends on the seed alone, not on the runtime.</summary>
    private static void Shuffle(int[] values, ref ulong state)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            // The modulo's bias is below (i + 1) / 2^64: far beneath anything a test could see.
            int j = (int)(ParameterRandom.NextBits(ref state) % (ulong)(i + 1));
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static int[] Identity(int count)
    {
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = i;
        return indices;
    }

    private static bool IsFinite(double value) => value - value == 0;

    private int CheckData(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, string featuresName, string labelsName)
    {
        if (labels.Length == 0) throw new ArgumentException("There are no samples.", labelsName);
        long expected = (long)labels.Length * Network.InputSize;
        if (features.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} values: {labels.Length} samples of {Network.InputSize} features; got {features.Length}.", featuresName);
        }

        foreach (int label in labels)
        {
            if ((uint)label >= (uint)Network.OutputSize)
            {
                throw new ArgumentOutOfRangeException(labelsName, label, $"Labels must be in [0, {Network.OutputSize}).");
            }
        }

        return labels.Length;
    }

    /// <summary>
    /// Throws unless <paramref name="optimizer"/> updates <paramref name="network"/>: it was built for it, or
    /// for a network that hands out the same Parameters and Gradients arrays, as a wrapper around it does
    /// (a decorator that logs or records each batch), since the arrays are what the optimizer updates.
    /// An optimizer of another network would step on gradients that training never computes, report
    /// every step as applied, and leave the network being trained as it was.
    /// </summary>
    private static void EnsureUpdates(IOptimizer<T> optimizer, INetwork<T> network)
    {
        INetwork<T>? target = optimizer.Network;
        if (ReferenceEquals(target, network)) return;
        if (target is not null && ReferenceEquals(target.Parameters, network.Parameters) && ReferenceEquals(target.Gradients, network.Gradients))
        {
            return;
        }

        throw new ArgumentException(target is null
            ? "The optimizer's Network is null: the trainer cannot tell which parameters it updates."
            : $"The optimizer was built for another network ({target.Architecture}) than the one being trained ({network.Architecture}): " +
              "its steps would read gradients that training never computes, and the network being trained would not change. " +
              "Build the optimizer for the network you train, e.g. new AdamOptimizer<T>(network).", nameof(optimizer));
    }

    /// <summary>
    /// The schedule's rate for <paramref name="epoch"/> (from 0), held to the library's rule for learning
    /// rates. The trainer checks it itself rather than leaving it to the optimizer's setter, so that the
    /// exception names the schedule and the epoch whatever the optimizer, and the same type is thrown
    /// as everywhere else a learning rate is refused.
    /// </summary>
    private static double ScheduledLearningRate(LearningRateSchedule schedule, int epoch)
    {
        double rate = schedule.LearningRateAt(epoch);
        if (!OptimizerArguments.IsValidLearningRate(rate))
        {
            throw new ArgumentOutOfRangeException("options", rate,
                $"TrainerOptions.Schedule ({schedule}) gives a learning rate of {rate} for epoch {epoch} (counting from 0), but a learning rate must be finite and at least 0.");
        }

        return rate;
    }

    private static void CheckOptions(TrainerOptions options)
    {
        if (options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs must be at least 1.");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1.");
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationFraction, "ValidationFraction must be at least 0 and less than 1.");
        }

        if (options.EarlyStoppingPatience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.EarlyStoppingPatience, "EarlyStoppingPatience must be at least 1, or null.");
        }

        if (!(options.MinimumImprovement >= 0) || double.IsInfinity(options.MinimumImprovement))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinimumImprovement, "MinimumImprovement must be a finite number, at least 0.");
        }

        if (options.NonFiniteLossPolicy != NonFiniteLossPolicy.Stop && options.NonFiniteLossPolicy != NonFiniteLossPolicy.SkipBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NonFiniteLossPolicy, "Unknown NonFiniteLossPolicy.");
        }

        // The first epoch's rate is checked here too, so that a schedule wrong from the start is refused
        // where the options are given rather than when Fit begins. Later epochs are checked as they come:
        // checking every epoch up front would cost as many calls as there are epochs, however many that is.
        if (options.Schedule is not null) ScheduledLearningRate(options.Schedule, 0);
    }
}
