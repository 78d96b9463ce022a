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
}
