using System;
using System.Threading;

namespace NetGen;

/// <summary>
/// Fits a sequence network ending in <c>[MSELoss]</c> to target sequences: the same loop as the other
/// trainers (epochs, shuffling, batches, validation, early stopping, schedules, gradient clipping), where a
/// sample is a whole sequence of <see cref="Steps"/> steps, run from the zero state and back-propagated
/// through time. Batches hold <see cref="TrainerOptions.BatchSize"/> sequences.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SequenceRegressorTrainer<T> : Trainer<T> where T : unmanaged
{
    private readonly ISequenceRegressor<T> _regressor;

    /// <summary>A trainer of <paramref name="network"/> on sequences of <paramref name="steps"/> steps.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="optimizer">The optimizer, built for <paramref name="network"/>.</param>
    /// <param name="steps">The steps of every sequence, at least 1.</param>
    /// <param name="options">Epochs, batch size (in sequences) and the rest; the defaults where null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1, or an option is out of its range.</exception>
    /// <exception cref="ArgumentException">The optimizer was built for another network.</exception>
    public SequenceRegressorTrainer(ISequenceRegressor<T> network, IOptimizer<T> optimizer, int steps, TrainerOptions? options = null)
        : base(network, optimizer, options)
    {
        if (steps < 1) throw Runtime.ArgumentErrors.NoSteps(nameof(steps), steps);
        if ((long)steps * Math.Max(network.InputSize, network.OutputSize) > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "One sequence of this many steps has more values than an array holds.");
        }

        _regressor = network;
        Steps = steps;
    }

    /// <summary>The network being trained.</summary>
    public new ISequenceRegressor<T> Network => _regressor;

    /// <summary>The steps of every sequence.</summary>
    public int Steps { get; }

    /// <summary>
    /// Trains on sequences, holding out <see cref="TrainerOptions.ValidationFraction"/> of them for validation.
    /// </summary>
    /// <param name="features">Sequences <c>[count, Steps, InputSize]</c>, row-major.</param>
    /// <param name="targets">Their targets <c>[count, Steps, OutputSize]</c>.</param>
    /// <param name="progress">Receives a report after every epoch (on the calling thread), or null.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <exception cref="ArgumentException">The spans are not whole sequences, or do not hold the same number of them.</exception>
    public RegressionResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, IProgress<RegressionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int width = Steps * _regressor.InputSize, targetWidth = Steps * _regressor.OutputSize;
        int sequences = TrainingData.CheckTargets(features, targets, width, targetWidth, nameof(features), nameof(targets));
        var (training, validation, random) = SampleOrder.Split(sequences, Options.ValidationFraction, Options.Seed, nameof(features));
        return TrainingLoop.Run(_regressor, Optimizer, Options, SmallestTrainingCall, new SequenceRegressionTask<T>(_regressor, Steps),
            new TrainingSamples<T, T>(features, targets, training), new TrainingSamples<T, T>(features, targets, validation),
            random, progress, cancellationToken);
    }
}
