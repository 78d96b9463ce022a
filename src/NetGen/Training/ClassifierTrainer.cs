using System;
using System.Threading;

namespace NetGen;

/// <summary>
/// Trains a classifier (a network ending in <see cref="CrossEntropyLossAttribute"/>) on class labels with an
/// optimizer: the training loop of <see cref="Trainer{T}"/>, with each batch's gradients from
/// <c>Backward(inputs, labels)</c>, accuracy counted, and <see cref="TrainingProgress"/> reported after every epoch.
/// </summary>
/// <typeparam name="T">The network's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example><code>
/// var network = new IrisNet();
/// var trainer = new ClassifierTrainer&lt;float&gt;(network, new AdamOptimizer&lt;float&gt;(network, learningRate: 0.01),
///     new TrainerOptions { Epochs = 200, BatchSize = 16, ValidationFraction = 0.2, EarlyStoppingPatience = 20 });
/// TrainingResult result = trainer.Fit(features, labels, new ConsoleProgressBar(Console.Out));
/// </code></example>
public sealed class ClassifierTrainer<T> : Trainer<T> where T : unmanaged
{
    private readonly IClassifier<T> _classifier;

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
    public ClassifierTrainer(IClassifier<T> network, IOptimizer<T> optimizer, TrainerOptions? options = null)
        : base(network, optimizer, options)
    {
        _classifier = network;
    }

    /// <summary>The classifier being trained.</summary>
    public new IClassifier<T> Network => _classifier;

    /// <summary>
    /// Trains the classifier on <paramref name="features"/> and <paramref name="labels"/>, holding out
    /// <see cref="TrainerOptions.ValidationFraction"/> of the samples, chosen from the seed, for validation.
    /// </summary>
    /// <param name="features">Sample-major: sample <c>s</c> is <c>features[s * InputSize .. (s + 1) * InputSize)</c>.</param>
    /// <param name="labels">One class index per sample, in <c>[0, OutputSize)</c>.</param>
    /// <param name="progress">Told after every epoch, on the training thread; may be null (<see cref="InlineProgress{T}"/>, <see cref="ConsoleProgressBar"/>).</param>
    /// <param name="cancellationToken">
    /// Checked before every batch. Cancelling does not throw: training stops there, the parameters are never left
    /// half-updated, and the result holds the epochs run, with <see cref="TrainingStopReason.Cancelled"/>.
    /// </param>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> is not a whole number of samples, <paramref name="labels"/> does not hold one label per
    /// sample (the message gives both counts), there are no samples, or none would be left for training.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A label is outside <c>[0, OutputSize)</c>, or <see cref="TrainerOptions.Schedule"/> gives a negative or non-finite
    /// rate for an epoch (checked before that epoch's first batch; earlier epochs stay trained).
    /// </exception>
    /// <exception cref="InvalidOperationException">Early stopping, or a schedule that watches the validation loss, is asked for without validation data.</exception>
    public TrainingResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int samples = TrainingData.CheckLabels(features, labels, _classifier.InputSize, _classifier.OutputSize, nameof(features), nameof(labels));
        var (training, validation, random) = SampleOrder.Split(samples, Options.ValidationFraction, Options.Seed, nameof(features));
        return TrainingLoop.Run(_classifier, Optimizer, Options, SmallestTrainingCall, new ClassificationTask<T>(_classifier),
            new TrainingSamples<T, int>(features, labels, training), new TrainingSamples<T, int>(features, labels, validation),
            random, progress, cancellationToken);
    }

    /// <summary>Trains the classifier on <paramref name="features"/> and <paramref name="labels"/>, validating on data of its own.</summary>
    /// <param name="features">Training samples, sample-major.</param>
    /// <param name="labels">One class index per training sample.</param>
    /// <param name="validationFeatures">Validation samples, sample-major; may be empty.</param>
    /// <param name="validationLabels">One class index per validation sample.</param>
    /// <param name="progress">Told after every epoch, on the training thread; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch; see <see cref="Fit(ReadOnlySpan{T}, ReadOnlySpan{int}, IProgress{TrainingProgress}?, CancellationToken)"/>.</param>
    /// <exception cref="ArgumentException">The lengths disagree (naming the argument, with both counts), or there are no training samples.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A label is outside <c>[0, OutputSize)</c>, or <see cref="TrainerOptions.Schedule"/> gives a negative or non-finite
    /// rate for an epoch (checked before that epoch's first batch; earlier epochs stay trained).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// <see cref="TrainerOptions.ValidationFraction"/> is set as well, or early stopping or a schedule that watches the
    /// validation loss is asked for without validation data.
    /// </exception>
    public TrainingResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, ReadOnlySpan<T> validationFeatures, ReadOnlySpan<int> validationLabels,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EnsureNoValidationFraction();
        int samples = TrainingData.CheckLabels(features, labels, _classifier.InputSize, _classifier.OutputSize, nameof(features), nameof(labels));
        int validationSamples = validationLabels.Length == 0 && validationFeatures.Length == 0
            ? 0
            : TrainingData.CheckLabels(validationFeatures, validationLabels, _classifier.InputSize, _classifier.OutputSize, nameof(validationFeatures), nameof(validationLabels));
        return TrainingLoop.Run(_classifier, Optimizer, Options, SmallestTrainingCall, new ClassificationTask<T>(_classifier),
            new TrainingSamples<T, int>(features, labels, SampleOrder.Identity(samples)),
            new TrainingSamples<T, int>(validationFeatures, validationLabels, SampleOrder.Identity(validationSamples)),
            ParameterRandom.Seed(Options.Seed), progress, cancellationToken);
    }
}
