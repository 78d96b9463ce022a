using System;

namespace NetGen;

/// <summary>
/// What the <see cref="Trainer{T}"/> reports after each epoch of training a regressor, through
/// <see cref="IProgress{T}"/>, and keeps in <see cref="RegressionResult.History"/>.
/// </summary>
/// <remarks>
/// There is no accuracy here, and deliberately no property that could hold one: a real-valued target is
/// never exactly "right", so a fraction of correct answers would mean nothing. What means something is
/// the size of the error, given as the loss (the mean squared error, <see cref="EpochProgress.Loss"/>) and
/// as its square root, in the targets' own units.
/// </remarks>
public sealed record RegressionProgress : EpochProgress
{
    /// <summary>
    /// The root-mean-square error over the training samples, <c>sqrt(Loss)</c>: how far off a prediction
    /// typically is, in the targets' units. The loss is the mean over every sample's every output of the
    /// squared error, so its square root is exactly the RMSE of those outputs. NaN when <see cref="EpochProgress.Loss"/> is.
    /// </summary>
    public double RootMeanSquaredError => Math.Sqrt(Loss);

    /// <summary>The root-mean-square error over the validation samples, <c>sqrt(ValidationLoss)</c>; null when <see cref="EpochProgress.ValidationLoss"/> is.</summary>
    public double? ValidationRootMeanSquaredError => ValidationLoss is double loss ? Math.Sqrt(loss) : null;
}
