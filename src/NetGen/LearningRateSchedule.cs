using System;

namespace NetGen;

/// <summary>
/// The learning rate for each epoch. The <see cref="Trainer{T}"/> sets the optimizer's
/// <see cref="IOptimizer{T}.LearningRate"/> from it at the start of every epoch. Derive from it for a
/// schedule of your own, or use <see cref="Constant"/>, <see cref="Step"/> or <see cref="Cosine"/>.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>
    /// The learning rate for the epoch numbered <paramref name="epoch"/>, counting from 0: a function of
    /// the epoch alone. It must be finite and at least 0, as every learning rate in NetGen; the
    /// <see cref="Trainer{T}"/> refuses any other with an <see cref="ArgumentOutOfRangeException"/>
    /// before the epoch's first batch.
    /// </summary>
    public abstract double LearningRateAt(int epoch);

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
}
