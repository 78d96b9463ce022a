using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Training on class labels: the network's cross-entropy (<see cref="IClassifier{T}.Backward(ReadOnlySpan{T}, ReadOnlySpan{int})"/>),
/// accuracy counted from the forward pass, <see cref="TrainingProgress"/> reports and a <see cref="TrainingResult"/>.
/// </summary>
internal sealed class ClassificationTask<T> : ITrainingTask<T, int, TrainingProgress, TrainingResult> where T : unmanaged
{
    private readonly IClassifier<T> _network;
    private T[] _outputs = Array.Empty<T>();

    public ClassificationTask(IClassifier<T> network) => _network = network;

    public int FeatureWidth => _network.InputSize;

    public int TargetWidth => 1;

    public void Prepare(int batchSize) => _outputs = new T[batchSize * _network.OutputSize];

    public double Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int count, out int correct)
    {
        // The forward pass first, so that the accuracy describes the same parameters as the loss.
        correct = CountCorrect(inputs, labels, count);
        return ElementTypes.ToDouble(_network.Backward(inputs, labels));
    }

    public double Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int count, out int correct)
    {
        correct = CountCorrect(inputs, labels, count);
        return ElementTypes.ToDouble(_network.Loss(inputs, labels));
    }

    public TrainingProgress Report(in EpochMeasures m) => new()
    {
        Epoch = m.Epoch,
        Epochs = m.Epochs,
        Loss = m.Loss,
        Accuracy = m.Applied == 0 ? double.NaN : (double)m.Correct / m.Applied,
        ValidationLoss = m.ValidationLoss,
        ValidationAccuracy = m.ValidationCorrectFraction,
        IsBestValidationLoss = m.IsBestValidationLoss,
        LearningRate = m.LearningRate,
        NonFiniteBatches = m.NonFiniteBatches,
        Elapsed = m.Elapsed,
        SamplesPerSecond = m.SamplesPerSecond,
    };

    public TrainingResult Result(IReadOnlyList<TrainingProgress> history) => new() { History = history };

    private int CountCorrect(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int count)
    {
        int width = _network.OutputSize;
        Span<T> outputs = _outputs.AsSpan(0, count * width);
        _network.Forward(inputs, outputs, count);
        int correct = 0;
        for (int b = 0; b < count; b++)
        {
            ReadOnlySpan<T> row = outputs.Slice(b * width, width);
            int best = 0;
            double bestValue = ElementTypes.ToDouble(row[0]);
            for (int o = 1; o < width; o++)
            {
                double value = ElementTypes.ToDouble(row[o]);
                if (value > bestValue)
                {
                    best = o;
                    bestValue = value;
                }
            }

            if (best == labels[b]) correct++;
        }

        return correct;
    }
}
