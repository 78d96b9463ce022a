using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Training a sequence regressor: a sample is a whole sequence of <c>steps</c> steps, its features
/// <c>steps * InputSize</c> values and its targets <c>steps * OutputSize</c>, so that the loop's batches
/// are batches of sequences, each run from the zero state and back-propagated through time.
/// </summary>
internal sealed class SequenceRegressionTask<T> : ITrainingTask<T, T, RegressionProgress, RegressionResult> where T : unmanaged
{
    private readonly ISequenceRegressor<T> _network;
    private readonly int _steps;

    public SequenceRegressionTask(ISequenceRegressor<T> network, int steps)
    {
        _network = network;
        _steps = steps;
    }

    public int FeatureWidth => _steps * _network.InputSize;

    public int TargetWidth => _steps * _network.OutputSize;

    public void Prepare(int batchSize)
    {
        // The loss is computed by the network from the targets alone: no scratch.
    }

    public double Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int count, out int correct)
    {
        correct = 0;
        return ElementTypes.ToDouble(_network.BackwardFromTargets(inputs, targets, _steps));
    }

    public double Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int count, out int correct)
    {
        correct = 0;
        return ElementTypes.ToDouble(_network.Loss(inputs, targets, _steps));
    }

    public RegressionProgress Report(in EpochMeasures m) => new()
    {
        Epoch = m.Epoch,
        Epochs = m.Epochs,
        Loss = m.Loss,
        ValidationLoss = m.ValidationLoss,
        IsBestValidationLoss = m.IsBestValidationLoss,
        LearningRate = m.LearningRate,
        NonFiniteBatches = m.NonFiniteBatches,
        Elapsed = m.Elapsed,
        SamplesPerSecond = m.SamplesPerSecond,
    };

    public RegressionResult Result(IReadOnlyList<RegressionProgress> history) => new() { History = history };
}
