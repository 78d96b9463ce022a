using System;
using System.Linq;
using NetGen.NumericTests.Networks;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// The Trainer and networks whose batch norm has one value per channel in a sample (a BatchNorm1D over flat
/// features), which cannot train on one sample: a last batch of one joins the batch before it rather than
/// failing the epoch, and a batch size or a training set that cannot give two samples is refused up front.
/// </summary>
public class BatchNormTrainerTests
{
    private static (double[] Features, int[] Labels) Samples(int count)
    {
        var random = new Random(7);
        double[] features = Enumerable.Range(0, count * 4).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        int[] labels = Enumerable.Range(0, count).Select(i => i % 3).ToArray();
        return (features, labels);
    }

    [Fact]
    public void ALastBatchOfOneJoinsTheBatchBeforeIt()
    {
        // 9 samples in batches of 4: 4, then 5 (the ninth joins), never a batch of one.
        var network = new DBlockClassifier();
        network.InitializeParameters(3);
        (double[] features, int[] labels) = Samples(9);
        var trainer = new ClassifierTrainer<double>(network, new SgdOptimizer<double>(network, 0.05), new TrainerOptions { Epochs = 3, BatchSize = 4, Seed = 1 });

        TrainingResult result = trainer.Fit(features, labels);

        Assert.Equal(3, result.EpochsRun);
        Assert.All(result.History, p => Assert.False(double.IsNaN(p.Loss) || double.IsInfinity(p.Loss)));
        // Every sample was trained on and counted: the accuracy is a ninth's multiple.
        Assert.All(result.History, p => Assert.Equal(Math.Round(p.Accuracy * 9), p.Accuracy * 9, 9));
    }

    [Fact]
    public void TheSameNetworkTrainsAsBeforeWhereNoBatchIsOfOne()
    {
        // 8 samples in batches of 4: nothing to fold, so the run equals a plain TrainStep loop in the trainer's order.
        (double[] features, int[] labels) = Samples(8);
        var a = new DBlockClassifier();
        a.InitializeParameters(3);
        var trainer = new ClassifierTrainer<double>(a, new SgdOptimizer<double>(a, 0.05), new TrainerOptions { Epochs = 2, BatchSize = 4, Seed = 1, Shuffle = false });
        trainer.Fit(features, labels);

        var b = new DBlockClassifier();
        b.InitializeParameters(3);
        var sgd = new SgdOptimizer<double>(b, 0.05);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            for (int start = 0; start < 8; start += 4)
            {
                b.Backward(features.AsSpan(start * 4, 16), labels.AsSpan(start, 4));
                sgd.Step();
            }
        }

        Assert.Equal(b.Parameters, a.Parameters);
        Assert.Equal(b.Buffers, a.Buffers);
    }

    [Fact]
    public void ABatchSizeOfOneIsRefusedNamingTheOptions()
    {
        var network = new DBlockClassifier();
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => new ClassifierTrainer<double>(network, new SgdOptimizer<double>(network, 0.05), new TrainerOptions { BatchSize = 1 }));
        Assert.Equal("options", exception.ParamName);
        Assert.Contains("at least 2 samples per training call", exception.Message);
    }

    [Fact]
    public void OneTrainingSampleIsRefusedNamingTheFeatures()
    {
        var network = new DBlockClassifier();
        (double[] features, int[] labels) = Samples(1);
        var trainer = new ClassifierTrainer<double>(network, new SgdOptimizer<double>(network, 0.05), new TrainerOptions { BatchSize = 4 });
        double[] before = network.Parameters.ToArray();

        var exception = Assert.Throws<ArgumentException>(() => trainer.Fit(features, labels));

        Assert.Equal("features", exception.ParamName);
        Assert.Equal(before, network.Parameters);
    }

    [Fact]
    public void ABatchNormOverPositionsTrainsOnOneSample()
    {
        // BatchNorm2D over 5 x 4 positions has 20 values per channel in one sample: a batch size of 1 is fine.
        var network = new DConvBatchNorm2D();
        network.InitializeParameters(2);
        var random = new Random(4);
        double[] features = Enumerable.Range(0, 3 * DConvBatchNorm2D.InputSize).Select(_ => random.NextDouble()).ToArray();
        double[] targets = Enumerable.Range(0, 3 * DConvBatchNorm2D.OutputSize).Select(_ => random.NextDouble()).ToArray();
        var trainer = new RegressorTrainer<double>(network, new SgdOptimizer<double>(network, 0.01), new TrainerOptions { Epochs = 2, BatchSize = 1 });

        RegressionResult result = trainer.Fit(features, targets);

        Assert.Equal(2, result.EpochsRun);
    }
}
