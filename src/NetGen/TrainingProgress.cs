using System;

namespace NetGen;

/// <summary>
/// What the <see cref="Trainer{T}"/> reports after each epoch through <see cref="IProgress{T}"/>,
/// and keeps in <see cref="TrainingResult.History"/>.
/// </summary>
public sealed record TrainingProgress
{
    /// <summary>The epoch just finished, counting from 1.</summary>
    public int Epoch { get; init; }

    /// <summary>The most epochs the run will take (<see cref="TrainerOptions.Epochs"/>).</summary>
    public int Epochs { get; init; }

    /// <summary>
    /// The mean training loss over the samples of the batches applied this epoch, each measured before
    /// its own update; NaN if no batch was applied.
    /// </summary>
    public double Loss { get; init; }

    /// <summary>The fraction of those samples classified correctly, measured like <see cref="Loss"/>.</summary>
    public double Accuracy { get; init; }

    /// <summary>The mean loss over the validation samples after the epoch; null without validation data, or when a non-finite loss stopped the epoch.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The fraction of validation samples classified correctly after the epoch; null when <see cref="ValidationLoss"/> is.</summary>
    public double? ValidationAccuracy { get; init; }

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
