using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Training a sequence classifier: a sample is a whole sequence of <c>steps</c> steps, its features
/// <c>steps * InputSize</c> values and its targets one class label per step, run from the zero state and
/// back-propagated through time. "Correct" counts steps whose largest output is the label, so a report's
/// accuracy is the fraction of steps classified right (the loop counts per sequence: it is divided by the
/// steps here).
/// </summary>
internal sealed class SequenceClassificationTask<T> : ITrainingTask<T, int, TrainingProgress, TrainingResult> where T : unmanaged
{
    private readonly ISequenceClassifier<T> _network;
    private readonly int _steps;
    private T[] _outputs = Array.Empty<T>();

    public SequenceClassificationTask(ISequenceClassifier<T> network, int steps)
    {
        _network = network;
        _steps = steps;
    }

    public int FeatureWidth => _steps * _network.InputSize;

    public int TargetWidth => _steps;

    public void Prepare(int batchSize) => _outputs = new T[batchSize * _steps * _network.OutputSize];

    public double Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int count, out int correct)
    {
        // The forward pass first, so that the accuracy describes the same parameters as the loss.
        correct = CountCorrect(inputs, labels, count);
        return ElementTypes.ToDouble(_network.Backward(inputs, labels, _steps));
    }

    public double Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int count, out int correct)
    {
        correct = CountCorrect(inputs, labels, count);
        return ElementTypes.ToDouble(_network.Loss(inputs, labels, _steps));
    }

    public TrainingProgress Report(in EpochMeasures m) => new()
    {
        Epoch = m.Epoch,
        Epochs = m.Epochs,
        Loss = m.Loss,
        Accuracy = m.Applied == 0 ? double.NaN : (double)m.Correct / ((long)m.Applied * _steps),
        ValidationLoss = m.ValidationLoss,
        ValidationAccuracy = m.ValidationCorrectFraction / _steps,
        IsBestValidationLoss = m.IsBestValidationLoss,
        LearningRate = m.LearningRate,
        NonFiniteBatches = m.NonFiniteBatches,
        Elapsed = m.Elapsed,
        SamplesPerSecond = m.SamplesPerSecond,
    };

    public TrainingResult Result(IReadOnlyList<TrainingProgress> history) => new() { History = history };

    /// <summary>Steps of the <paramref name="count"/> sequences whose largest output is their label.</summary>
    private int CountCorrect(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int count)
    {
        int width = _network.OutputSize, rows = count * _steps;
        Span<T> outputs = _outputs.AsSpan(0, rows * width);
        _network.Forward(inputs, outputs, count, _steps);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> row = outputs.Slice(r * width, width);
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

            if (best == labels[r]) correct++;
        }

        return correct;
    }
}
