using System;

namespace NetGen;

/// <summary>
/// What every epoch report of the <see cref="Trainer{T}"/> holds, whatever the network learns:
/// a classifier's epochs are reported as <see cref="TrainingProgress"/>, which adds accuracy, and a
/// regressor's as <see cref="RegressionProgress"/>, which adds the root-mean-square error instead.
/// </summary>
/// <remarks>
/// <see cref="IProgress{T}"/> is contravariant, so one <c>IProgress&lt;EpochProgress&gt;</c> (a logger, a
/// plot of the losses) can be given to either kind of <c>Fit</c>.
/// </remarks>
public abstract record EpochProgress
{
    /// <summary>The epoch just finished, counting from 1.</summary>
    public int Epoch { get; init; }

    /// <summary>The most epochs the run will take (<see cref="TrainerOptions.Epochs"/>).</summary>
    public int Epochs { get; init; }

    /// <summary>
    /// The mean training loss (the network's own: cross-entropy for a classifier, mean squared error for a
    /// regressor) over the samples of the batches applied this epoch, each measured before its own
    /// update; NaN if no batch was applied.
    /// </summary>
    public double Loss { get; init; }

    /// <summary>The mean loss over the validation samples after the epoch; null without validation data, or when a non-finite loss stopped the epoch.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Whether <see cref="ValidationLoss"/> is the best so far (by more than <see cref="TrainerOptions.MinimumImprovement"/>).</summary>
    public bool IsBestValidationLoss { get; init; }

    /// <summary>The learning rate used this epoch.</summary>
    public double LearningRate { get; init; }

    /// <summary>Batches this epoch whose loss or gradients were not finite, and whose update was therefore not applied.</summary>
    public int NonFiniteBatches { get; init; }

    /// <summary>Time since training started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Training samples processed per second this epoch (forward, backward and update; validation excluded).</summary>
    public double SamplesPerSecond { get; init; }
}
