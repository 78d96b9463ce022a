using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// The outcome of the <see cref="Trainer{T}"/>'s <c>Fit</c> for a regressor, with every epoch's report;
/// like those reports (<see cref="RegressionProgress"/>) it has no accuracy, which a regressor does not have.
/// </summary>
public sealed record RegressionResult : TrainingOutcome
{
    /// <summary>What was reported after each epoch, in order.</summary>
    public IReadOnlyList<RegressionProgress> History { get; init; } = Array.Empty<RegressionProgress>();
}
