namespace NetGen;

/// <summary>
/// What the <see cref="Trainer{T}"/> does with a batch whose loss or gradients are NaN or infinite.
/// Either way the batch's update is not applied, and the batch is counted in
/// <see cref="TrainingProgress.NonFiniteBatches"/> and <see cref="TrainingResult.NonFiniteBatches"/>.
/// </summary>
public enum NonFiniteLossPolicy
{
    /// <summary>Stop training; the result's <see cref="TrainingResult.StopReason"/> is <see cref="TrainingStopReason.NonFiniteLoss"/>.</summary>
    Stop,

    /// <summary>Skip the batch and go on with the next.</summary>
    SkipBatch,
}
