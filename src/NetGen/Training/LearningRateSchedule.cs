using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// The learning rate for each epoch. The <see cref="Trainer{T}"/> sets the optimizer's
/// <see cref="IOptimizer{T}.LearningRate"/> from it at the start of every epoch. Derive from it for a
/// schedule of your own, or use <see cref="Constant"/>, <see cref="Step"/>, <see cref="Cosine"/> or
/// <see cref="ReduceOnPlateau"/>.
/// </summary>
/// <remarks>
/// The trainer asks <see cref="LearningRateAt(int, IReadOnlyList{double})"/>, which is given the
/// validation losses of the epochs run so far; by default it returns <see cref="LearningRateAt(int)"/>,
/// so a schedule that is a function of the epoch alone overrides only that. A schedule that watches the
/// validation loss overrides both and says so with <see cref="NeedsValidationLoss"/>. Either way a schedule
/// is a function of what it is given, holding no state between calls, so one instance serves any number
/// of runs, and a run's rates can be replayed.
/// </remarks>
public abstract class LearningRateSchedule
{
    /// <summary>
    /// The learning rate for the epoch numbered <paramref name="epoch"/>, counting from 0: a function of
    /// the epoch alone. It must be finite and at least 0, as every learning rate in NetGen; the
    /// <see cref="Trainer{T}"/> refuses any other with an <see cref="ArgumentOutOfRangeException"/>
    /// before the epoch's first batch.
    /// </summary>
    public abstract double LearningRateAt(int epoch);

    /// <summary>
    /// The learning rate for the epoch numbered <paramref name="epoch"/> (from 0), given the validation losses
    /// of the epochs before it in this run: <c>validationLosses[i]</c> is epoch <c>i</c>'s (NaN where it was not
    /// finite); the list is empty without validation data. The <see cref="Trainer{T}"/> calls this one. By
    /// default it returns <see cref="LearningRateAt(int)"/> and ignores the losses.
    /// </summary>
    /// <param name="epoch">The epoch about to run, counting from 0.</param>
    /// <param name="validationLosses">The validation losses of epochs 0 to <paramref name="epoch"/> - 1 of this run.</param>
    public virtual double LearningRateAt(int epoch, IReadOnlyList<double> validationLosses) => LearningRateAt(epoch);

    /// <summary>
    /// Whether the rates depend on the validation losses: the <see cref="Trainer{T}"/> refuses such a schedule,
    /// with an <see cref="InvalidOperationException"/>, when it has no validation data to give it. Default false.
    /// </summary>
    public virtual bool NeedsValidationLoss => false;

    /// <summary>
    /// The rate for <paramref name="epoch"/>, held to the library's rule for learning rates. The trainer checks
    /// it itself rather than leaving it to the optimizer's setter, so that the exception names the schedule and
    /// the epoch whatever the optimizer, and the same type is thrown as everywhere else a learning rate is refused.
    /// </summary>
    internal double CheckedLearningRateAt(int epoch, IReadOnlyList<double> validationLosses, string parameterName)
    {
        double rate = LearningRateAt(epoch, validationLosses);
        if (!OptimizerArguments.IsValidLearningRate(rate))
        {
            throw new ArgumentOutOfRangeException(parameterName, rate,
                $"TrainerOptions.Schedule ({this}) gives a learning rate of {rate} for epoch {epoch} (counting from 0), but a learning rate must be finite and at least 0.");
        }

        return rate;
    }

    /// <summary>The same rate every epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    public static LearningRateSchedule Constant(double learningRate)
    {
        OptimizerArguments.EnsureLearningRate(learningRate, nameof(learningRate));
        return new ConstantSchedule(learningRate);
    }

    /// <summary>
    /// <paramref name="initialLearningRate"/>, multiplied by <paramref name="gamma"/> every
    /// <paramref name="stepSize"/> epochs: <c>initial * gamma^floor(epoch / stepSize)</c>, as PyTorch's <c>StepLR</c>.
    /// A <paramref name="gamma"/> above 1 makes the rate grow; should it overflow to infinity, the
    /// <see cref="Trainer{T}"/> refuses it before that epoch's first batch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate or <paramref name="gamma"/> is negative or not finite, or <paramref name="stepSize"/> is below 1.</exception>
    public static LearningRateSchedule Step(double initialLearningRate, int stepSize, double gamma = 0.1)
    {
        OptimizerArguments.EnsureLearningRate(initialLearningRate, nameof(initialLearningRate));
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "Must be at least 1.");
        OptimizerArguments.EnsureNonNegative(gamma, nameof(gamma));
        return new StepSchedule(initialLearningRate, stepSize, gamma);
    }

    /// <summary>
    /// Cosine annealing from <paramref name="initialLearningRate"/> down to <paramref name="minimumLearningRate"/>
    /// over <paramref name="period"/> epochs, <c>min + (initial - min) * (1 + cos(pi * epoch / period)) / 2</c>,
    /// as PyTorch's <c>CosineAnnealingLR</c> with <c>T_max = period</c>; after <paramref name="period"/>
    /// epochs it stays at the minimum rather than rising again.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is negative or not finite, or <paramref name="period"/> is below 1.</exception>
    public static LearningRateSchedule Cosine(double initialLearningRate, int period, double minimumLearningRate = 0)
    {
        OptimizerArguments.EnsureLearningRate(initialLearningRate, nameof(initialLearningRate));
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "Must be at least 1.");
        OptimizerArguments.EnsureLearningRate(minimumLearningRate, nameof(minimumLearningRate));
        return new CosineSchedule(initialLearningRate, period, minimumLearningRate);
    }

    /// <summary>
    /// Starts at <paramref name="initialLearningRate"/> and multiplies the rate by <paramref name="factor"/> (never
    /// below <paramref name="minimumLearningRate"/>) whenever the validation loss has not improved for more than
    /// <paramref name="patience"/> epochs, as PyTorch's <c>ReduceLROnPlateau</c> in its default mode (<c>"min"</c>,
    /// relative threshold): an epoch improves when its loss is below <c>best * (1 - threshold)</c>; after a
    /// reduction, <paramref name="cooldown"/> epochs pass before bad epochs count again; a reduction smaller than
    /// 1e-8 is not made. A NaN validation loss never improves. Needs validation data (<see cref="NeedsValidationLoss"/>).
    /// </summary>
    /// <param name="initialLearningRate">The rate until the first reduction; finite and at least 0.</param>
    /// <param name="factor">What a reduction multiplies the rate by, in [0, 1). PyTorch's default, 0.1.</param>
    /// <param name="patience">Epochs without improvement tolerated before reducing; at least 0. PyTorch's default, 10.</param>
    /// <param name="minimumLearningRate">The floor; finite and at least 0.</param>
    /// <param name="threshold">The relative improvement that counts, in [0, 1). PyTorch's default, 1e-4.</param>
    /// <param name="cooldown">Epochs after a reduction during which bad epochs are not counted; at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range or not finite.</exception>
    public static LearningRateSchedule ReduceOnPlateau(double initialLearningRate, double factor = 0.1, int patience = 10,
        double minimumLearningRate = 0, double threshold = 1e-4, int cooldown = 0)
    {
        OptimizerArguments.EnsureLearningRate(initialLearningRate, nameof(initialLearningRate));
        OptimizerArguments.EnsureFraction(factor, nameof(factor));
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Must be at least 0.");
        OptimizerArguments.EnsureLearningRate(minimumLearningRate, nameof(minimumLearningRate));
        OptimizerArguments.EnsureFraction(threshold, nameof(threshold));
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "Must be at least 0.");
        return new PlateauSchedule(initialLearningRate, factor, patience, minimumLearningRate, threshold, cooldown);
    }

    private sealed class ConstantSchedule(double learningRate) : LearningRateSchedule
    {
        public override double LearningRateAt(int epoch) => learningRate;

        public override string ToString() => $"Constant({learningRate})";
    }

    private sealed class StepSchedule(double initial, int stepSize, double gamma) : LearningRateSchedule
    {
        public override double LearningRateAt(int epoch) => initial * Math.Pow(gamma, Math.Max(0, epoch) / stepSize);

        public override string ToString() => $"Step({initial}, every {stepSize} epochs x {gamma})";
    }

    private sealed class CosineSchedule(double initial, int period, double minimum) : LearningRateSchedule
    {
        public override double LearningRateAt(int epoch)
        {
            int clamped = Math.Min(Math.Max(0, epoch), period);
            return minimum + (initial - minimum) * (1 + Math.Cos(Math.PI * clamped / period)) / 2;
        }

        public override string ToString() => $"Cosine({initial} to {minimum} over {period} epochs)";
    }

    /// <summary>
    /// ReduceLROnPlateau replayed over the losses it is given, so that it holds no state: the same losses give
    /// the same rate, whichever run or thread asks. The replay costs one comparison per past epoch.
    /// </summary>
    private sealed class PlateauSchedule(double initial, double factor, int patience, double minimum, double threshold, int cooldown) : LearningRateSchedule
    {
        // PyTorch's eps: a reduction smaller than this is not made.
        private const double SmallestReduction = 1e-8;

        public override bool NeedsValidationLoss => true;

        /// <summary>Without validation losses nothing has plateaued: the initial rate.</summary>
        public override double LearningRateAt(int epoch) => initial;

        public override double LearningRateAt(int epoch, IReadOnlyList<double> validationLosses)
        {
            if (validationLosses is null) throw new ArgumentNullException(nameof(validationLosses));
            double rate = initial;
            double best = double.PositiveInfinity;
            int badEpochs = 0, cooldownLeft = 0;
            int seen = Math.Min(Math.Max(0, epoch), validationLosses.Count);
            for (int i = 0; i < seen; i++)
            {
                // NaN compares false: a NaN loss is a bad epoch, as in PyTorch.
                if (validationLosses[i] < best * (1 - threshold))
                {
                    best = validationLosses[i];
                    badEpochs = 0;
                }
                else
                {
                    badEpochs++;
                }

                if (cooldownLeft > 0)
                {
                    cooldownLeft--;
                    badEpochs = 0;
                }

                if (badEpochs > patience)
                {
                    double reduced = Math.Max(rate * factor, minimum);
                    if (rate - reduced > SmallestReduction) rate = reduced;
                    cooldownLeft = cooldown;
                    badEpochs = 0;
                }
            }

            return rate;
        }

        public override string ToString()
            => $"ReduceOnPlateau({initial}, x {factor} after {patience} epochs without improvement, at least {minimum})";
    }
}
