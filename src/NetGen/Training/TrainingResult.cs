using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>The outcome of the <see cref="Trainer{T}"/>'s <c>Fit</c> for a classifier, with every epoch's report.</summary>
public sealed record TrainingResult : TrainingOutcome
{
    /// <summary>What was reported after each epoch, in order.</summary>
    public IReadOnlyList<TrainingProgress> History { get; init; } = Array.Empty<TrainingProgress>();
}
