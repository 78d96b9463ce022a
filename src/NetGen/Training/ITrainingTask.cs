using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// What the training loop needs to know about one kind of target: how a batch's loss and gradients are
/// computed, what is counted besides the loss, and how an epoch's report and the run's result are made.
/// <see cref="ClassificationTask{T}"/> (class labels) and <see cref="RegressionTask{T}"/> (real-valued targets)
/// are the two today; a sequence task is the next.
/// </summary>
/// <typeparam name="T">The network's element type.</typeparam>
/// <typeparam name="TTarget">What one target value is: an <see cref="int"/> label, or a <typeparamref name="T"/>.</typeparam>
/// <typeparam name="TProgress">The report of one epoch.</typeparam>
/// <typeparam name="TResult">The result of a run.</typeparam>
internal interface ITrainingTask<T, TTarget, TProgress, TResult>
    where T : unmanaged
    where TTarget : unmanaged
    where TProgress : EpochProgress
    where TResult : TrainingOutcome
{
    /// <summary>Target values per sample: 1 label, or <c>OutputSize</c> targets.</summary>
    /// <summary>Values per training sample's features: the network's InputSize, or a whole sequence's.</summary>
    int FeatureWidth { get; }

    int TargetWidth { get; }

    /// <summary>Makes the scratch the task needs for batches of up to <paramref name="batchSize"/> samples, once per run.</summary>
    void Prepare(int batchSize);

    /// <summary>
    /// Sets the network's gradients from a batch of <paramref name="count"/> samples and returns the batch's mean
    /// loss; <paramref name="correct"/> is how many of its samples the task counts as right (a classifier's
    /// correct predictions, from the same parameters as the loss; a regressor counts none).
    /// </summary>
    double Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<TTarget> targets, int count, out int correct);

    /// <summary>The mean loss of a batch, without touching the gradients, and how many of its samples are right.</summary>
    double Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<TTarget> targets, int count, out int correct);

    /// <summary>The report of the task's kind from one epoch's measures.</summary>
    TProgress Report(in EpochMeasures measures);

    /// <summary>The result of the task's kind around the epochs' reports; the loop adds the outcome every kind shares.</summary>
    TResult Result(IReadOnlyList<TProgress> history);
}

/// <summary>One epoch's numbers, from which the report of the network's kind is made.</summary>
internal readonly struct EpochMeasures
{
    public int Epoch { get; init; }
    public int Epochs { get; init; }
    public double Loss { get; init; }

    /// <summary>Training samples counted right, over <see cref="Applied"/> samples.</summary>
    public int Correct { get; init; }

    /// <summary>Training samples in the batches applied.</summary>
    public int Applied { get; init; }
    public double? ValidationLoss { get; init; }

    /// <summary>The fraction of validation samples counted right; null without validation.</summary>
    public double? ValidationCorrectFraction { get; init; }
    public bool IsBestValidationLoss { get; init; }
    public double LearningRate { get; init; }
    public int NonFiniteBatches { get; init; }
    public TimeSpan Elapsed { get; init; }
    public double SamplesPerSecond { get; init; }
}
