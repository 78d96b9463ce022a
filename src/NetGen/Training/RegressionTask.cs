using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Training on real-valued targets: the network's mean squared error (<see cref="IRegressor{T}.BackwardFromTargets"/>),
/// <see cref="RegressionProgress"/> reports (the RMSE, no accuracy) and a <see cref="RegressionResult"/>.
/// </summary>
internal sealed class RegressionTask<T> : ITrainingTask<T, T, RegressionProgress, RegressionResult> where T : unmanaged
{
    private readonly IRegressor<T> _network;

    public RegressionTask(IRegressor<T> network) => _network = network;

    public int FeatureWidth => _network.InputSize;

    public int TargetWidth => _network.OutputSize;

    public void Prepare(int batchSize)
    {
        // The loss is computed by the network from the targets alone: no scratch.
    }

    public double Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int count, out int correct)
    {
        correct = 0;
        return ElementTypes.ToDouble(_network.BackwardFromTargets(inputs, targets));
    }

    public double Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int count, out int correct)
    {
        correct = 0;
        return ElementTypes.ToDouble(_network.Loss(inputs, targets));
    }

    // No accuracy: a regressor's report has no property that could hold one.
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
