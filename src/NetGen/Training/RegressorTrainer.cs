using System;
using System.Threading;

namespace NetGen;

/// <summary>
/// Trains a regressor (a network ending in <see cref="MSELossAttribute"/>) on real-valued targets with an
/// optimizer: the training loop of <see cref="Trainer{T}"/>, with each batch's gradients from
/// <c>BackwardFromTargets(inputs, targets)</c> and <see cref="RegressionProgress"/> (the RMSE, no accuracy)
/// reported after every epoch.
/// </summary>
/// <remarks>
/// Standardise the inputs and the targets first (<see cref="Standardizer"/>): a target in the hundreds or a
/// feature in the thousands makes the first steps of any optimizer at its usual rate far too small or too large.
/// </remarks>
/// <typeparam name="T">The network's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example><code>
/// var network = new PriceNet();   // ends in [MSELoss]: an IRegressor&lt;float&gt;
/// var trainer = new RegressorTrainer&lt;float&gt;(network, new AdamOptimizer&lt;float&gt;(network), new TrainerOptions { ValidationFraction = 0.2 });
/// RegressionResult fitted = trainer.Fit(features, targets);   // targets: float[samples * PriceNet.OutputSize]
/// </code></example>
public sealed class RegressorTrainer<T> : Trainer<T> where T : unmanaged
{
    private readonly IRegressor<T> _regressor;

    /// <summary>Creates a trainer for a regressor, which <c>Fit</c> trains on real-valued targets.</summary>
    /// <param name="network">The regressor to train, e.g. a network ending in <see cref="MSELossAttribute"/>.</param>
    /// <param name="optimizer">The optimizer built for <paramref name="network"/>.</param>
    /// <param name="options">How to train; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="optimizer"/> was built for another network (see <see cref="IOptimizer{T}.Network"/>), or the
    /// network's arrays do not have <c>ParameterCount</c> elements.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range, or the schedule's first rate is negative or not finite.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public RegressorTrainer(IRegressor<T> network, IOptimizer<T> optimizer, TrainerOptions? options = null)
        : base(network, optimizer, options)
    {
        _regressor = network;
    }

    /// <summary>The regressor being trained.</summary>
    public new IRegressor<T> Network => _regressor;

    /// <summary>
    /// Trains the regressor on <paramref name="features"/> and <paramref name="targets"/>, holding out
    /// <see cref="TrainerOptions.ValidationFraction"/> of the samples, chosen from the seed, for validation.
    /// </summary>
    /// <param name="features">Sample-major: sample <c>s</c> is <c>features[s * InputSize .. (s + 1) * InputSize)</c>.</param>
    /// <param name="targets">
    /// Sample-major, <c>OutputSize</c> values per sample: sample <c>s</c>'s are <c>targets[s * OutputSize .. (s + 1) * OutputSize)</c>.
    /// A NaN or infinite target is not refused here: its batch's loss is not finite, and
    /// <see cref="TrainerOptions.NonFiniteLossPolicy"/> decides, as for any non-finite loss.
    /// </param>
    /// <param name="progress">Told after every epoch, on the training thread; may be null (<see cref="InlineProgress{T}"/>, <see cref="ConsoleProgressBar"/>).</param>
    /// <param name="cancellationToken">
    /// Checked before every batch. Cancelling does not throw: training stops there, the parameters are never left
    /// half-updated, and the result holds the epochs run, with <see cref="TrainingStopReason.Cancelled"/>.
    /// </param>
    /// <exception cref="ArgumentException">
    /// <paramref name="targets"/> is empty or not a whole number of samples, <paramref name="features"/> is not a whole
    /// number of samples, the two disagree on the number of samples (naming <paramref name="targets"/>, with both counts),
    /// or no sample would be left for training.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="TrainerOptions.Schedule"/> gives a negative or non-finite rate for an epoch (checked before that
    /// epoch's first batch; earlier epochs stay trained).
    /// </exception>
    /// <exception cref="InvalidOperationException">Early stopping, or a schedule that watches the validation loss, is asked for without validation data.</exception>
    public RegressionResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, IProgress<RegressionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int samples = TrainingData.CheckTargets(features, targets, _regressor.InputSize, _regressor.OutputSize, nameof(features), nameof(targets));
        var (training, validation, random) = SampleOrder.Split(samples, Options.ValidationFraction, Options.Seed, nameof(features));
        return TrainingLoop.Run(_regressor, Optimizer, Options, SmallestTrainingCall, new RegressionTask<T>(_regressor),
            new TrainingSamples<T, T>(features, targets, training), new TrainingSamples<T, T>(features, targets, validation),
            random, progress, cancellationToken);
    }

    /// <summary>Trains the regressor on <paramref name="features"/> and <paramref name="targets"/>, validating on data of its own.</summary>
    /// <param name="features">Training samples, sample-major.</param>
    /// <param name="targets">Training targets, sample-major, <c>OutputSize</c> per sample.</param>
    /// <param name="validationFeatures">Validation samples, sample-major; may be empty.</param>
    /// <param name="validationTargets">Validation targets, sample-major, <c>OutputSize</c> per validation sample.</param>
    /// <param name="progress">Told after every epoch, on the training thread; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch; see <see cref="Fit(ReadOnlySpan{T}, ReadOnlySpan{T}, IProgress{RegressionProgress}?, CancellationToken)"/>.</param>
    /// <exception cref="ArgumentException">The lengths disagree (naming the argument, with both counts), a target span is not a whole number of samples, or there are no training samples.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="TrainerOptions.Schedule"/> gives a negative or non-finite rate for an epoch (checked before that
    /// epoch's first batch; earlier epochs stay trained).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// <see cref="TrainerOptions.ValidationFraction"/> is set as well, or early stopping or a schedule that watches the
    /// validation loss is asked for without validation data.
    /// </exception>
    public RegressionResult Fit(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> validationFeatures, ReadOnlySpan<T> validationTargets,
        IProgress<RegressionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EnsureNoValidationFraction();
        int samples = TrainingData.CheckTargets(features, targets, _regressor.InputSize, _regressor.OutputSize, nameof(features), nameof(targets));
        int validationSamples = validationTargets.Length == 0 && validationFeatures.Length == 0
            ? 0
            : TrainingData.CheckTargets(validationFeatures, validationTargets, _regressor.InputSize, _regressor.OutputSize, nameof(validationFeatures), nameof(validationTargets));
        return TrainingLoop.Run(_regressor, Optimizer, Options, SmallestTrainingCall, new RegressionTask<T>(_regressor),
            new TrainingSamples<T, T>(features, targets, SampleOrder.Identity(samples)),
            new TrainingSamples<T, T>(validationFeatures, validationTargets, SampleOrder.Identity(validationSamples)),
            ParameterRandom.Seed(Options.Seed), progress, cancellationToken);
    }
}
