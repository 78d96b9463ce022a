using System;
using System.Threading;

namespace NetGen;

/// <summary>
/// Fits a sequence network ending in <c>[Softmax] [CrossEntropyLoss]</c> to a class label at every step (a
/// gesture or a keyword as it unfolds, what an agent should do given what it has seen): the same loop as the
/// other trainers (epochs, shuffling, batches, validation, early stopping, schedules, gradient clipping), where
/// a sample is a whole sequence of <see cref="Steps"/> steps, run from the zero state and back-propagated
/// through time. Batches hold <see cref="TrainerOptions.BatchSize"/> sequences; accuracies count steps.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SequenceClassifierTrainer<T> : Trainer<T> where T : unmanaged
{
    private readonly ISequenceClassifier<T> _classifier;

    /// <summary>A trainer of <paramref name="network"/> on sequences of <paramref name="steps"/> steps.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="optimizer">The optimizer, built for <paramref name="network"/>.</param>
    /// <param name="steps">The steps of every sequence, at least 1.</param>
    /// <param name="options">Epochs, batch size (in sequences) and the rest; the defaults where null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1, or an option is out of its range.</exception>
    /// <exception cref="ArgumentException">The optimizer was built for another network.</exception>
    public SequenceClassifierTrainer(ISequenceClassifier<T> network, IOptimizer<T> optimizer, int steps, TrainerOptions? options = null)
        : base(network, optimizer, options)
    {
        if (steps < 1) throw Runtime.ArgumentErrors.NoSteps(nameof(steps), steps);
        if ((long)steps * Math.Max(network.InputSize, network.OutputSize) > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "One sequence of this many steps has more values than an array holds.");
        }

        _classifier = network;
        Steps = steps;
    }

    /// <summary>The network being trained.</summary>
    public new ISequenceClassifier<T> Network => _classifier;

    /// <summary>The steps of every sequence.</summary>
    public int Steps { get; }

    /// <summary>
    /// Trains on labelled sequences, holding out <see cref="TrainerOptions.ValidationFraction"/> of them, chosen
    /// from the seed, for validation.
    /// </summary>
    /// <param name="features">Sequences <c>[count, Steps, InputSize]</c>, row-major.</param>
    /// <param name="labels">Their labels <c>[count, Steps]</c>: a class in <c>[0, OutputSize)</c> for every step.</param>
    /// <param name="progress">Receives a report after every epoch (on the calling thread), or null.</param>
    /// <param name="cancellationToken">Stops training between batches; the parameters are never left half-updated.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> is not a whole number of sequences, or <paramref name="labels"/> does not hold one
    /// label per step of each (the message gives both counts).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside <c>[0, OutputSize)</c>.</exception>
    public TrainingResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<int> labels, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int sequences = CheckSequenceLabels(features, labels);
        var (training, validation, random) = SampleOrder.Split(sequences, Options.ValidationFraction, Options.Seed, nameof(features));
        return TrainingLoop.Run(_classifier, Optimizer, Options, SmallestTrainingCall, new SequenceClassificationTask<T>(_classifier, Steps),
            new TrainingSamples<T, int>(features, labels, training), new TrainingSamples<T, int>(features, labels, validation),
            random, progress, cancellationToken);
    }

    /// <summary>The number of sequences, after checking that the labels are one class per step of each.</summary>
    private int CheckSequenceLabels(ReadOnlySpan<T> features, ReadOnlySpan<int> labels)
    {
        if (labels.Length == 0) throw new ArgumentException("There are no sequences: the labels are empty.", nameof(labels));
        int sequences = TrainingData.CountSamples(features, Steps * _classifier.InputSize, nameof(features));
        if ((long)sequences * Steps != labels.Length)
        {
            throw new ArgumentException(
                $"There must be one label per step: {nameof(features)} holds {sequences} sequences of {Steps} steps, but {nameof(labels)} holds {labels.Length} labels.", nameof(labels));
        }

        foreach (int label in labels)
        {
            if ((uint)label >= (uint)_classifier.OutputSize)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Labels must be in [0, {_classifier.OutputSize}).");
            }
        }

        return sequences;
    }
}
