namespace NetGen;

/// <summary>
/// What the <see cref="Trainer{T}"/> reports after each epoch of training a classifier, through
/// <see cref="System.IProgress{T}"/>, and keeps in <see cref="TrainingResult.History"/>: the
/// <see cref="EpochProgress"/> of every network, and the accuracy, which only a classifier has.
/// A regressor's epochs are reported as <see cref="RegressionProgress"/>.
/// </summary>
public sealed record TrainingProgress : EpochProgress
{
    /// <summary>The fraction of the training samples classified correctly, measured like <see cref="EpochProgress.Loss"/>; NaN if no batch was applied.</summary>
    public double Accuracy { get; init; }

    /// <summary>The fraction of validation samples classified correctly after the epoch; null when <see cref="EpochProgress.ValidationLoss"/> is.</summary>
    public double? ValidationAccuracy { get; init; }
}
