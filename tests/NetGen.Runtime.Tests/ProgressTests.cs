using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class ProgressTests
{
    [Fact]
    public void InlineProgress_has_every_report_in_order_when_Fit_returns()
    {
        var (features, labels) = Blobs.Create<float>(perClass: 10, seed: 1);
        var network = new SoftmaxRegression<float>(2, 3);
        var seen = new List<int>();
        int thread = Environment.CurrentManagedThreadId;
        new ClassifierTrainer<float>(network, new SgdOptimizer<float>(network, 0.1), new TrainerOptions { Epochs = 20 })
            .Fit(features, labels, new InlineProgress<TrainingProgress>(p =>
            {
                Assert.Equal(thread, Environment.CurrentManagedThreadId);
                seen.Add(p.Epoch);
            }));
        Assert.Equal(Enumerable.Range(1, 20), seen);
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => new InlineProgress<int>(null!)).ParamName);
    }

    [Fact]
    public void The_console_bar_writes_a_line_per_epoch_for_a_classifier_and_a_regressor()
    {
        var classification = new TrainingProgress
        {
            Epoch = 3, Epochs = 12, Loss = 0.123456, Accuracy = 0.9634, ValidationLoss = 0.15, ValidationAccuracy = 0.95,
            IsBestValidationLoss = true, LearningRate = 0.002, Elapsed = TimeSpan.FromSeconds(0.44),
        };
        var regression = new RegressionProgress { Epoch = 12, Epochs = 12, Loss = 0.25, LearningRate = 0.001, NonFiniteBatches = 2, Elapsed = TimeSpan.FromSeconds(1) };

        var writer = new StringWriter { NewLine = "\n" };
        var bar = new ConsoleProgressBar(writer, barWidth: 12);
        bar.Report(classification);
        bar.Report(regression);
        Assert.Equal(
            "epoch  3/12 [###---------]  loss 0.1235  acc 96.3%  val 0.1500 *  val acc 95.0%  lr 0.002  0.4 s\n" +
            "epoch 12/12 [############]  loss 0.2500  rmse 0.5000  lr 0.001  non-finite batches 2  1.0 s\n",
            writer.ToString());
    }

    [Fact]
    public void The_console_bar_redraws_one_line_in_place_and_finish_ends_it()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var bar = new ConsoleProgressBar(writer, inPlace: true, barWidth: 4);
        bar.Report(new RegressionProgress { Epoch = 1, Epochs = 4, Loss = 100, LearningRate = 0.1 });
        bar.Report(new RegressionProgress { Epoch = 2, Epochs = 4, Loss = 1, LearningRate = 0.1 });
        bar.Finish();
        bar.Finish();   // only once
        string first = "epoch 1/4 [#---]  loss 100.0000  rmse 10.0000  lr 0.1  0.0 s";
        string second = "epoch 2/4 [##--]  loss 1.0000  rmse 1.0000  lr 0.1  0.0 s";
        Assert.Equal("\r" + first + "\r" + second.PadRight(first.Length) + "\n", writer.ToString());
    }

    [Fact]
    public void The_console_bar_serves_a_real_run_of_either_kind()
    {
        var writer = new StringWriter();
        var bar = new ConsoleProgressBar(writer);
        var (features, labels) = Blobs.Create<double>(perClass: 10, seed: 1);
        var classifier = new SoftmaxRegression<double>(2, 3);
        new ClassifierTrainer<double>(classifier, new SgdOptimizer<double>(classifier, 0.1), new TrainerOptions { Epochs = 3 }).Fit(features, labels, bar);
        var (x, y) = LinearTask.Create<double>(samples: 20, seed: 1, noise: 0.1);
        var regressor = new LinearRegression<double>(2, 1);
        new RegressorTrainer<double>(regressor, new SgdOptimizer<double>(regressor, 0.1), new TrainerOptions { Epochs = 2 }).Fit(x, y, bar);
        string[] lines = writer.ToString().Split(new[] { Environment.NewLine }, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines.Take(3), l => Assert.Contains("acc ", l));
        Assert.All(lines.Skip(3), l => Assert.Contains("rmse ", l));
    }

    [Fact]
    public void The_console_bar_refuses_bad_arguments()
    {
        Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => new ConsoleProgressBar(null!)).ParamName);
        Assert.Equal("barWidth", Assert.Throws<ArgumentOutOfRangeException>(() => new ConsoleProgressBar(TextWriter.Null, barWidth: 0)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => new ConsoleProgressBar(TextWriter.Null).Report(null!)).ParamName);
    }
}
