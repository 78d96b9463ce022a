using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Trains a classifier or a regressor with an optimizer: mini-batches in a seeded random order, epochs,
/// a validation split, early stopping, learning-rate schedules, a policy for non-finite losses, and a
/// report after every epoch. Each batch runs the network's backward pass from its loss
/// (<c>Backward(inputs, labels)</c> for an <see cref="IClassifier{T}"/>, <c>BackwardFromTargets(inputs, targets)</c>
/// for an <see cref="IRegressor{T}"/>), then <see cref="IOptimizer{T}.Step"/>.
/// </summary>
/// <remarks>
/// <para>
/// A trainer made for a classifier fits class labels (<c>ReadOnlySpan&lt;int&gt;</c>, one per sample) and reports
/// <see cref="TrainingProgress"/>, with accuracy; one made for a regressor fits real-valued targets
/// (<c>ReadOnlySpan&lt;T&gt;</c>, <c>OutputSize</c> per sample, sample-major) and reports <see cref="RegressionProgress"/>,
/// which has the root-mean-square error and no accuracy. Everything else (validation, early stopping, restoring
/// the best parameters, schedules, the non-finite policy, cancellation, seeding) is the same for both.
/// </para>
/// <para>
/// Batches allocate nothing: the batch buffers are made once per <c>Fit</c>, and the only allocation
/// per epoch is its report. Not thread-safe, like the network's training methods.
/// </para>
/// </remarks>
/// <typeparam name="T">The network's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example><code>
/// var network = new IrisNet();
/// var trainer = new Trainer&lt;float&gt;(network, new AdamOptimizer&lt;float&gt;(network, learningRate: 0.01),
///     new TrainerOptions { Epochs = 200, BatchSize = 16, ValidationFraction = 0.2, EarlyStoppingPatience = 20 });
/// TrainingResult result = trainer.Fit(features, labels);
///
/// var regressor = new PriceNet();   // ends in [MSELoss]: an IRegressor&lt;float&gt;
/// var regression = new Trainer&lt;float&gt;(regressor, new AdamOptimizer&lt;float&gt;(regressor), new TrainerOptions { ValidationFraction = 0.2 });
/// RegressionResult fitted = regression.Fit(features, targets);   // targets: float[samples * PriceNet.OutputSize]
/// </code></example>
public sealed class Trainer<T> where T : unmanaged
{
    // Exactly one of the two is set, by the constructor that was called: which loss the batches run.
    private readonly IClassifier<T>? _classifier;
    private readonly IRegressor<T>? _regressor;

    /// <summary>Creates a trainer for a classifier, which <c>Fit</c> trains on class labels.</summary>
    /// <param name="network">The classifier to train.</param>
    /// <param name="optimizer">The optimizer built for <paramref name="network"/>.</param>
    /// <param name="options">How to train; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="optimizer"/> was built for another network (see <see cref="IOptimizer{T}.Network"/>), or the
    /// network's arrays do not have <c>ParameterCount</c> elements.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range, or the schedule's first rate is negative or not finite.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Trainer(IClassifier<T> network, IOptimizer<T> optimizer, TrainerOptions? options = null)
        : this((INetwork<T>?)network, optimizer, options)
    {
        _classifier = network;
    }

    /// <summary>Creates a trainer for a regressor, which <c>Fit</c> trains on real-valued targets.</summary>
    /// <param name="network">The regressor to train, e.g. a network ending in <see cref="MSELossAttribute"/>.</param>
    /// <param name="optimizer">The optimizer built for <paramref name="network"/>.</param>
    /// <param name="options">How to train; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="optimizer"/> was built for another network (see <see cref="IOptimizer{T}.Network"/>), or the
    /// network's arrays do not have <c>ParameterCount</c> elements.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range, or the schedule's first rate is negative or not finite.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Trainer(IRegressor<T> network, IOptimizer<T> optimizer, TrainerOptions? options = null)
        : this((INetwork<T>?)network, optimizer, options)
    {
        _regressor = network;
    }

    private Trainer(INetwork<T>? network, IOptimizer<T>? optimizer, TrainerOptions? options)
    {
        ElementTypes.EnsureSupported<T>();
        Network = network ?? throw new ArgumentNullException(nameof(network));
        VectorKernels.EnsureConsistent(network, nameof(network));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Options = options ?? new TrainerOptions();
        CheckOptions(Options);
        EnsureUpdates(optimizer, network);
    }

    /// <summary>The network being trained: the classifier or regressor given to the constructor.</summary>
    public INetwork<T> Network { get; }

    /// <summary>The optimizer that applies each batch's gradients.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>How to train.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Trains the classifier on <paramref name="features"/> and <paramref name="labels"/>, holding out
    /// <see cref="TrainerOptions.ValidationFraction"/> of the samples, chosen from the seed, for validation.
    /// </summary>
    /// <param name="features">Sample-major: sample <c>s</c> is <c>features[s * InputSize .. (s + 1) * InputSize)</c>.</param>
    /// <param name="labels">One class index per sample, in <c>[0, OutputSize)</c>.</param>
    /// <param name="progress">Told after every epoch, on the training thread; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch; the parameters are never left half-updated.</param>
    /// <exception cref="ArgumentException">The lengths disagree, there are no samples, or none would be left for training.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A label is outside <c>[0, OutputSize)</c>, or <see cref="TrainerOptions.Schedule"/> gives a negative or non-finite
    /// rate for an epoch (checked before that epoch's first batch; earlier epochs stay trained).
    /// </exception>
    /// <exception cref="InvalidOperationException">The trainer was made for a regressor, or early stopping is asked for without validation data.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EnsureClassifier();
        int samples = CheckLabelledData(features, labels, nameof(features), nameof(labels));
        var (training, validation, random) = Split(samples, nameof(features));
        return Run(
            new Samples(features, labels, default, training), new Samples(features, labels, default, validation),
            ref random, progress, ToClassificationProgress, history => new TrainingResult { History = history }, cancellationToken);
    }

    /// <summary>Trains the classifier on <paramref name="features"/> and <paramref name="labels"/>, validating on data of its own.</summary>
    /// <param name="features">Training samples, sample-major.</param>
    /// <param name="labels">One class index per training sample.</param>
    /// <param name="validationFeatures">Validation samples, sample-major; may be empty.</param>
    /// <param name="validationLabels">One class index per validation sample.</param>
    /// <param name="progress">Told after every epoch, on the training thread; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch; the parameters are never left half-updated.</param>
    /// <exception cref="ArgumentException">The lengths disagree, or there are no training samples.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A label is outside <c>[0, OutputSize)</c>, or <see cref="TrainerOptions.Schedule"/> gives a negative or non-finite
    /// rate for an epoch (checked before that epoch's first batch; earlier epochs stay trained).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The trainer was made for a regressor, <see cref="TrainerOptions.ValidationFraction"/> is set as well, or early
    /// stopping is asked for without validation data.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> validationFeatures, ReadOnlySpan<int> validationLabels,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EnsureClassifier();
        EnsureNoValidationFraction();
        int samples = CheckLabelledData(features, labels, nameof(features), nameof(labels));
        int validationSamples = validationLabels.Length == 0 && validationFeatures.Length == 0
            ? 0
            : CheckLabelledData(validationFeatures, validationLabels, nameof(validationFeatures), nameof(validationLabels));
        ulong random = ParameterRandom.Seed(Options.Seed);
        return Run(
            new Samples(features, labels, default, Identity(samples)),
            new Samples(validationFeatures, validationLabels, default, Identity(validationSamples)),
            ref random, progress, ToClassificationProgress, history => new TrainingResult { History = history }, cancellationToken);
    }

    /// <summary>
    /// Trains the regressor on <paramref name="features"/> and <paramref name="targets"/>, holding out
    /// <see cref="TrainerOptions.ValidationFraction"/> of the samples, chosen from the seed, for validation.
    /// </summary>
    /// <param name="features">Sample-major: sample <c>s</c> is <c>features[s * InputSize .. (s + 1) * InputSize)</c>.</param>
    /// <param name="targets">
    /// Sample-major, <c>OutputSize</c> values per sample: sample <c>s</c>'s are <c>targets[s * OutputSize .. (s + 1) * OutputSize)</c>.
    /// A NaN or infinite target is not refused here: its batch's loss is not finite, and
    /// <see cref="TrainerOptions.NonFiniteLossPolicy"/> decides, as for any non-finite loss.
    /// </param>
    /// <param name="progress">Told after every epoch, on the training thread; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch; the parameters are never left half-updated.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="targets"/> is empty or not a whole number of samples, <paramref name="features"/> does not have
    /// <c>InputSize</c> values for each of them, or no sample would be left for training.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="TrainerOptions.Schedule"/> gives a negative or non-finite rate for an epoch (checked before that
    /// epoch's first batch; earlier epochs stay trained).
    /// </exception>
    /// <exception cref="InvalidOperationException">The trainer was made for a classifier, or early stopping is asked for without validation data.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public RegressionResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, IProgress<RegressionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EnsureRegressor();
        int samples = CheckTargetData(features, targets, nameof(features), nameof(targets));
        var (training, validation, random) = Split(samples, nameof(features));
        return Run(
            new Samples(features, default, targets, training), new Samples(features, default, targets, validation),
            ref random, progress, ToRegressionProgress, history => new RegressionResult { History = history }, cancellationToken);
    }

    /// <summary>Trains the regressor on <paramref name="features"/> and <paramref name="targets"/>, validating on data of its own.</summary>
    /// <param name="features">Training samples, sample-major.</param>
    /// <param name="targets">Training targets, sample-major, <c>OutputSize</c> per sample.</param>
    /// <param name="validationFeatures">Validation samples, sample-major; may be empty.</param>
    /// <param name="validationTargets">Validation targets, sample-major, <c>OutputSize</c> per validation sample.</param>
    /// <param name="progress">Told after every epoch, on the training thread; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch; the parameters are never left half-updated.</param>
    /// <exception cref="ArgumentException">The lengths disagree, a target span is not a whole number of samples, or there are no training samples.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="TrainerOptions.Schedule"/> gives a negative or non-finite rate for an epoch (checked before that
    /// epoch's first batch; earlier epochs stay trained).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The trainer was made for a classifier, <see cref="TrainerOptions.ValidationFraction"/> is set as well, or early
    /// stopping is asked for without validation data.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public RegressionResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> validationFeatures, ReadOnlySpan<T> validationTargets,
        IProgress<RegressionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EnsureRegressor();
        EnsureNoValidationFraction();
        int samples = CheckTargetData(features, targets, nameof(features), nameof(targets));
        int validationSamples = validationTargets.Length == 0 && validationFeatures.Length == 0
            ? 0
            : CheckTargetData(validationFeatures, validationTargets, nameof(validationFeatures), nameof(validationTargets));
        ulong random = ParameterRandom.Seed(Options.Seed);
        return Run(
            new Samples(features, default, targets, Identity(samples)),
            new Samples(validationFeatures, default, validationTargets, Identity(validationSamples)),
            ref random, progress, ToRegressionProgress, history => new RegressionResult { History = history }, cancellationToken);
    }

    /// <summary>
    /// Samples picked from sample-major data by index: a training or validation set without copying the
    /// data. A classifier's carry <see cref="Labels"/>, a regressor's <see cref="Targets"/>; the other is empty.
    /// </summary>
    private readonly ref struct Samples
    {
        public Samples(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> targets, int[] indices)
        {
            Features = features;
            Labels = labels;
            Targets = targets;
            Indices = indices;
        }

        public ReadOnlySpan<T> Features { get; }
        public ReadOnlySpan<int> Labels { get; }
        public ReadOnlySpan<T> Targets { get; }
        public int[] Indices { get; }
        public int Count => Indices.Length;
    }

    /// <summary>The buffers one batch is gathered into, made once per Fit so that batches allocate nothing.</summary>
    private sealed class BatchBuffers
    {
        public BatchBuffers(int batchSize, int inputSize, int outputSize, bool classifier)
        {
            Features = new T[batchSize * inputSize];
            // A classifier's labels, and its outputs for counting correct answers; a regressor's targets.
            Labels = classifier ? new int[batchSize] : Array.Empty<int>();
            Outputs = classifier ? new T[batchSize * outputSize] : Array.Empty<T>();
            Targets = classifier ? Array.Empty<T>() : new T[batchSize * outputSize];
        }

        public T[] Features { get; }
        public int[] Labels { get; }
        public T[] Outputs { get; }
        public T[] Targets { get; }
    }

    /// <summary>One epoch's numbers, from which the report of the network's kind is made.</summary>
    private readonly struct EpochMeasures
    {
        public int Epoch { get; init; }
        public int Epochs { get; init; }
        public double Loss { get; init; }
        public double Accuracy { get; init; }
        public double? ValidationLoss { get; init; }
        public double? ValidationAccuracy { get; init; }
        public bool IsBestValidationLoss { get; init; }
        public double LearningRate { get; init; }
        public int NonFiniteBatches { get; init; }
        public TimeSpan Elapsed { get; init; }
        public double SamplesPerSecond { get; init; }
    }

    private static TrainingProgress ToClassificationProgress(in EpochMeasures m) => new()
    {
        Epoch = m.Epoch,
        Epochs = m.Epochs,
        Loss = m.Loss,
        Accuracy = m.Accuracy,
        ValidationLoss = m.ValidationLoss,
        ValidationAccuracy = m.ValidationAccuracy,
        IsBestValidationLoss = m.IsBestValidationLoss,
        LearningRate = m.LearningRate,
        NonFiniteBatches = m.NonFiniteBatches,
        Elapsed = m.Elapsed,
        SamplesPerSecond = m.SamplesPerSecond,
    };

    // No accuracy: the measures' Accuracy fields are NaN and null for a regressor, and are left behind here.
    private static RegressionProgress ToRegressionProgress(in EpochMeasures m) => new()
    {
        Epoch = m.Epoch,
        Epochs = m.Epochs,
        Loss = m.Loss,
        ValidationLoss = m.ValidationLoss,
        IsBestValidationLoss = m.IsBestValidationLoss,
        LearningRate = m.LearningRate,
        NonFiniteBatches = m.NonFiniteBatches,
        Elapsed = m.Elapsed,
        SamplesPerSecond = m.SamplesPerSecond,
    };

    /// <summary>Makes the report of the network's kind from one epoch's measures.</summary>
    private delegate TProgress Report<TProgress>(in EpochMeasures measures);

    /// <summary>The training and validation indices of <paramref name="samples"/> samples, split by <see cref="TrainerOptions.ValidationFraction"/> from the seed.</summary>
    private (int[] Training, int[] Validation, ulong Random) Split(int samples, string featuresName)
    {
        int validationCount = Options.ValidationFraction == 0 ? 0 : Math.Max(1, (int)Math.Round(samples * Options.ValidationFraction));
        if (validationCount >= samples)
        {
            throw new ArgumentException($"Holding out {validationCount} of {samples} samples for validation leaves none for training.", featuresName);
        }

        ulong random = ParameterRandom.Seed(Options.Seed);
        int[] order = Identity(samples);
        if (validationCount == 0) return (order, Array.Empty<int>(), random);

        Shuffle(order, ref random);
        return (order.AsSpan(validationCount).ToArray(), order.AsSpan(0, validationCount).ToArray(), random);
    }

    /// <summary>
    /// The training loop, the same for both kinds of network: <paramref name="report"/> makes each epoch's
    /// report of the network's kind, and <paramref name="result"/> the result of that kind around the
    /// reports, to which the run's outcome is then added.
    /// </summary>
    private TResult Run<TProgress, TResult>(Samples training, Samples validation, ref ulong random, IProgress<TProgress>? progress,
        Report<TProgress> report, Func<IReadOnlyList<TProgress>, TResult> result, CancellationToken cancellationToken)
        where TResult : TrainingOutcome
    {
        TrainerOptions options = Options;
        if (options.EarlyStoppingPatience is not null && validation.Count == 0)
        {
            throw new InvalidOperationException("Early stopping needs validation data: set ValidationFraction or pass validation samples.");
        }

        INetwork<T> network = Network;
        int batchSize = Math.Min(options.BatchSize, Math.Max(training.Count, validation.Count));
        var buffers = new BatchBuffers(batchSize, network.InputSize, network.OutputSize, _classifier is not null);
        int[] order = (int[])training.Indices.Clone();
        // Room for the epochs that will most likely run, without reserving int.MaxValue entries for a run
        // that sets Epochs that high and relies on early stopping; the list grows past that if it must.
        var history = new List<TProgress>(Math.Min(options.Epochs, 1024));
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
                processed += count;

                double loss = BackwardOnBatch(buffers, count);
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
                if (_classifier is not null) correct += CountCorrect(buffers.Outputs.AsSpan(0, count * network.OutputSize), buffers.Labels.AsSpan(0, count), network.OutputSize);
                applied += count;
            }

            double epochSeconds = (Stopwatch.GetTimestamp() - epochStart) / (double)Stopwatch.Frequency;
            totalNonFinite += nonFinite;

            double? validationLoss = null, validationAccuracy = null;
            bool isBest = false;
            if (validation.Count > 0 && stopReason == TrainingStopReason.Completed)
            {
                (double vLoss, double? vAccuracy) = Evaluate(validation, buffers, batchSize);
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

            TProgress epochReport = report(new EpochMeasures
            {
                Epoch = epoch,
                Epochs = options.Epochs,
                Loss = applied == 0 ? double.NaN : lossSum / applied,
                Accuracy = applied == 0 || _classifier is null ? double.NaN : (double)correct / applied,
                ValidationLoss = validationLoss,
                ValidationAccuracy = validationAccuracy,
                IsBestValidationLoss = isBest,
                LearningRate = Optimizer.LearningRate,
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
        }

        // A with-expression on the base record copies the result of the network's kind whole, History
        // included, and sets the outcome every kind shares, so those properties are written once, here.
        return (TResult)(result(history) with
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

    /// <summary>
    /// Sets the network's gradients from the gathered batch of <paramref name="count"/> samples and returns its
    /// loss. For a classifier the forward pass runs first, into <see cref="BatchBuffers.Outputs"/>, so that the
    /// accuracy counted from them describes the same parameters as the loss.
    /// </summary>
    private double BackwardOnBatch(BatchBuffers buffers, int count)
    {
        ReadOnlySpan<T> inputs = buffers.Features.AsSpan(0, count * Network.InputSize);
        if (_classifier is not null)
        {
            ReadOnlySpan<int> labels = buffers.Labels.AsSpan(0, count);
            _classifier.Forward(inputs, buffers.Outputs.AsSpan(0, count * Network.OutputSize), count);
            return ElementTypes.ToDouble(_classifier.Backward(inputs, labels));
        }

        return ElementTypes.ToDouble(_regressor!.BackwardFromTargets(inputs, buffers.Targets.AsSpan(0, count * Network.OutputSize)));
    }

    /// <summary>The mean loss over <paramref name="samples"/>, in batches, and for a classifier the accuracy (null for a regressor).</summary>
    private (double Loss, double? Accuracy) Evaluate(Samples samples, BatchBuffers buffers, int batchSize)
    {
        INetwork<T> network = Network;
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < samples.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, samples.Count - start);
            Gather(samples, samples.Indices.AsSpan(start, count), buffers);
            ReadOnlySpan<T> inputs = buffers.Features.AsSpan(0, count * network.InputSize);
            if (_classifier is not null)
            {
                ReadOnlySpan<int> labels = buffers.Labels.AsSpan(0, count);
                Span<T> outputs = buffers.Outputs.AsSpan(0, count * network.OutputSize);
                lossSum += ElementTypes.ToDouble(_classifier.Loss(inputs, labels)) * count;
                _classifier.Forward(inputs, outputs, count);
                correct += CountCorrect(outputs, labels, network.OutputSize);
            }
            else
            {
                lossSum += ElementTypes.ToDouble(_regressor!.Loss(inputs, buffers.Targets.AsSpan(0, count * network.OutputSize))) * count;
            }
        }

        return (lossSum / samples.Count, _classifier is null ? null : (double)correct / samples.Count);
    }

    /// <summary>Copies the samples at <paramref name="indices"/> into the batch buffers: features, and labels or targets.</summary>
    private void Gather(Samples samples, ReadOnlySpan<int> indices, BatchBuffers buffers)
    {
        int width = Network.InputSize;
        int outputs = Network.OutputSize;
        for (int b = 0; b < indices.Length; b++)
        {
            int s = indices[b];
            samples.Features.Slice(s * width, width).CopyTo(buffers.Features.AsSpan(b * width, width));
            if (_classifier is not null) buffers.Labels[b] = samples.Labels[s];
            else samples.Targets.Slice(s * outputs, outputs).CopyTo(buffers.Targets.AsSpan(b * outputs, outputs));
        }
    }

    private void EnsureClassifier()
    {
        if (_classifier is null)
        {
            throw new InvalidOperationException(
                $"This trainer was made for a regressor ({Network.Architecture}), which learns real-valued targets, not class labels: " +
                "pass targets, OutputSize values of the element type per sample, to Fit.");
        }
    }

    private void EnsureRegressor()
    {
        if (_regressor is null)
        {
            throw new InvalidOperationException(
                $"This trainer was made for a classifier ({Network.Architecture}), which learns class labels, not real-valued targets: " +
                "pass one label (an int) per sample to Fit.");
        }
    }

    private void EnsureNoValidationFraction()
    {
        if (Options.ValidationFraction != 0)
        {
            throw new InvalidOperationException("Validation data was given and ValidationFraction is set too; use one or the other.");
        }
    }

    private int CheckLabelledData(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, string featuresName, string labelsName)
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
    /// The number of samples in a regressor's data, after checking that the targets are a whole, non-empty
    /// number of rows and that the features have a row for each. Non-finite targets pass: the policy for
    /// non-finite losses deals with them, batch by batch, as with non-finite features.
    /// </summary>
    private int CheckTargetData(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, string featuresName, string targetsName)
    {
        int outputs = Network.OutputSize;
        if (targets.Length == 0) throw new ArgumentException("There are no samples: the targets are empty.", targetsName);
        if (targets.Length % outputs != 0)
        {
            throw new ArgumentException(
                $"Expected a multiple of OutputSize = {outputs} values (one row of targets per sample), but there are {targets.Length}.", targetsName);
        }

        int samples = targets.Length / outputs;
        long expected = (long)samples * Network.InputSize;
        if (features.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} values: {samples} samples of {Network.InputSize} features; got {features.Length}.", featuresName);
        }

        return samples;
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
