namespace NetGen;

/// <summary>Why <see cref="Trainer{T}"/> stopped.</summary>
public enum TrainingStopReason
{
    /// <summary>It ran every epoch it was asked for.</summary>
    Completed,

    /// <summary>The validation loss did not improve for <see cref="TrainerOptions.EarlyStoppingPatience"/> epochs.</summary>
    EarlyStopping,

    /// <summary>A batch's loss or gradients were not finite, under <see cref="NonFiniteLossPolicy.Stop"/>.</summary>
    NonFiniteLoss,

    /// <summary>
    /// The <see cref="System.Threading.CancellationToken"/> given to <c>Fit</c> was cancelled. Training stopped
    /// before the next batch, and the result holds the epochs run until then (the last of them cut short).
    /// </summary>
    Cancelled,
}
