namespace NetGen;

/// <summary>
/// What the <see cref="Trainer{T}"/> does with a batch whose loss or gradients are NaN or infinite
/// (a NaN or infinite feature does that, or a regressor's NaN or infinite target, or a learning rate too
/// large for the data). Either way the batch's update is not applied, and the batch is counted in
/// <see cref="EpochProgress.NonFiniteBatches"/> and <see cref="TrainingOutcome.NonFiniteBatches"/>.
/// </summary>
public enum NonFiniteLossPolicy
{
    /// <summary>Stop training; the result's <see cref="TrainingOutcome.StopReason"/> is <see cref="TrainingStopReason.NonFiniteLoss"/>.</summary>
    Stop,

    /// <summary>Skip the batch and go on with the next.</summary>
    SkipBatch,
}
