using System;

namespace NetGen;

/// <summary>
/// What every outcome of the <see cref="Trainer{T}"/>'s <c>Fit</c> holds, whatever the network learns:
/// <see cref="TrainingResult"/> for a classifier and <see cref="RegressionResult"/> for a regressor, which
/// add each epoch's report of their own kind.
/// </summary>
public abstract record TrainingOutcome
{
    /// <summary>Epochs run, the last of them possibly cut short by a non-finite loss.</summary>
    public int EpochsRun { get; init; }

    /// <summary>Why training stopped.</summary>
    public TrainingStopReason StopReason { get; init; }

    /// <summary>Whether training stopped before running every epoch asked for; <see cref="StopReason"/> says why.</summary>
    public bool StoppedEarly => StopReason != TrainingStopReason.Completed;

    /// <summary>Why training stopped, in words, e.g. <c>"Validation loss did not improve for 5 epochs after epoch 12."</c></summary>
    public string Message { get; init; } = "";

    /// <summary>The lowest validation loss of any epoch; null without validation data, NaN if no validation loss was finite.</summary>
    public double? BestValidationLoss { get; init; }

    /// <summary>The epoch (from 1) that reached <see cref="BestValidationLoss"/>; null without validation data or if no validation loss was finite.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>Whether the parameters were set back to those of <see cref="BestEpoch"/> (<see cref="TrainerOptions.RestoreBestParameters"/>).</summary>
    public bool RestoredBestParameters { get; init; }

    /// <summary>Batches, over the whole run, whose loss or gradients were not finite and whose update was not applied.</summary>
    public int NonFiniteBatches { get; init; }

    /// <summary>The total training time.</summary>
    public TimeSpan Elapsed { get; init; }
}
