using System;

namespace NetGen;

/// <summary>How a <see cref="Trainer{T}"/> trains. Every property has a usable default.</summary>
/// <example><code>
/// var options = new TrainerOptions { Epochs = 200, BatchSize = 16, ValidationFraction = 0.2, EarlyStoppingPatience = 10 };
/// </code></example>
public sealed record TrainerOptions
{
    /// <summary>The most epochs to run (passes over the training data); at least 1. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per batch; at least 1. The last batch of an epoch may be smaller. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether to visit the training samples in a new random order every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Seeds the shuffling and the validation split: the same seed, data and options give the same
    /// batches, on every runtime and machine. Default 0.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>
    /// The fraction of the samples held out, chosen at random from <see cref="Seed"/>, to measure the
    /// validation loss (and a classifier's validation accuracy) after every epoch, when <c>Fit</c> is not
    /// given validation data of its own; in [0, 1). Default 0: no validation.
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// Stop once the validation loss has not improved (by more than <see cref="MinimumImprovement"/>)
    /// for this many epochs in a row; null (the default) never stops early. Needs validation data.
    /// </summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>How much lower than the best so far a validation loss must be to count as an improvement; at least 0. Default 0.</summary>
    public double MinimumImprovement { get; init; }

    /// <summary>
    /// When true and there is validation data, training ends with the parameters of the epoch with the
    /// lowest validation loss, rather than those of the last epoch. Default false.
    /// </summary>
    public bool RestoreBestParameters { get; init; }

    /// <summary>
    /// The learning rate per epoch, set on the optimizer before each epoch's first batch; null (the default)
    /// leaves the optimizer's rate as it is. A schedule that watches the validation loss
    /// (<see cref="LearningRateSchedule.ReduceOnPlateau"/>) needs validation data.
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>What to do with a batch whose loss or gradients are not finite. Default <see cref="NonFiniteLossPolicy.Stop"/>.</summary>
    public NonFiniteLossPolicy NonFiniteLossPolicy { get; init; } = NonFiniteLossPolicy.Stop;

    /// <summary>
    /// Gradient clipping by global norm before each update (PyTorch's <c>clip_grad_norm_</c>; see
    /// <see cref="GradientClipping"/>): where the L2 norm of a batch's gradients exceeds this, they are scaled
    /// down to it before the optimizer steps. Null (the default) clips nothing. Recurrent networks trained
    /// through time usually want it (1 is a common choice).
    /// </summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="parameterName"/> for an option out of its range.</summary>
    internal void Validate(string parameterName)
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(parameterName, Epochs, "Epochs must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(parameterName, BatchSize, "BatchSize must be at least 1.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(parameterName, ValidationFraction, "ValidationFraction must be at least 0 and less than 1.");
        }

        if (EarlyStoppingPatience < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, EarlyStoppingPatience, "EarlyStoppingPatience must be at least 1, or null.");
        }

        if (!(MinimumImprovement >= 0) || double.IsInfinity(MinimumImprovement))
        {
            throw new ArgumentOutOfRangeException(parameterName, MinimumImprovement, "MinimumImprovement must be a finite number, at least 0.");
        }

        if (MaxGradientNorm is double maxNorm && !(maxNorm > 0 && !double.IsInfinity(maxNorm)))
        {
            throw new ArgumentOutOfRangeException(parameterName, maxNorm, "MaxGradientNorm must be a finite number greater than 0, or null.");
        }

        if (NonFiniteLossPolicy != NonFiniteLossPolicy.Stop && NonFiniteLossPolicy != NonFiniteLossPolicy.SkipBatch)
        {
            throw new ArgumentOutOfRangeException(parameterName, NonFiniteLossPolicy, "Unknown NonFiniteLossPolicy.");
        }

        // The first epoch's rate is checked here too, so that a schedule wrong from the start is refused
        // where the options are given rather than when Fit begins. Later epochs are checked as they come:
        // checking every epoch up front would cost as many calls as there are epochs, however many that is.
        Schedule?.CheckedLearningRateAt(0, Array.Empty<double>(), parameterName);
    }
}
