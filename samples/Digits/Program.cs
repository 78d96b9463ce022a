using System;
using System.IO;
using System.Linq;
using Digits;
using NetGen;
using Spectre.Console;

// Digits: train a 64-128-64-10 network on 8x8 handwritten digits with NetGen's Trainer and Adam,
// then measure it on a fifth of the digits it never saw, save its parameters and load them back.
// Everything is seeded, so every run prints the same numbers (timings aside).
//
//   dotnet run --project samples/Digits -c Release [-- --plot PATH] [--parameters PATH]
const int Seed = 42;
const double TestFraction = 0.2;
const double RequiredAccuracy = 0.96;
const int Epochs = 60;
const double LearningRate = 2e-3, FinalLearningRate = 1e-5;

string plotPath = "digits-training.png";
string parametersPath = "digits.ngpm";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--plot" when i + 1 < args.Length:
            plotPath = args[++i];
            break;
        case "--parameters" when i + 1 < args.Length:
            parametersPath = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.");
            Console.Error.WriteLine("Usage: Digits [--plot PATH] [--parameters PATH]   (defaults: digits-training.png, digits.ngpm)");
            return 2;
    }
}

if (Console.IsOutputRedirected)
{
    // A log has no width: Spectre would otherwise wrap every line at its 80-column fallback.
    AnsiConsole.Profile.Width = 200;
}

var all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "digits.csv"));
(DigitsData train, DigitsData test) = all.StratifiedSplit(TestFraction, Seed);

var network = new DigitsNet();
network.InitializeParameters(Seed);
AnsiConsole.WriteLine(DigitsNet.Describe());

// Adam, with a cosine schedule that anneals the learning rate over the run. The trainer holds out
// 15% of the training digits for validation and stops once the validation loss has not improved for
// 10 epochs, then puts back the parameters of the best epoch, so that the test sees that model.
var options = new TrainerOptions
{
    Epochs = Epochs,
    BatchSize = 32,
    Seed = Seed,
    ValidationFraction = 0.15,
    EarlyStoppingPatience = 10,
    RestoreBestParameters = true,
    Schedule = LearningRateSchedule.Cosine(LearningRate, period: Epochs, minimumLearningRate: FinalLearningRate),
};
var trainer = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network, LearningRate), options);
AnsiConsole.WriteLine($"{all.Count} digits: training on {train.Count} (of which {ConsoleReport.Percent(options.ValidationFraction)} validate), testing on {test.Count}.");
AnsiConsole.WriteLine(FormattableString.Invariant(
    $"Adam, batches of {options.BatchSize}, learning rate {LearningRate:0.#####} annealed to {FinalLearningRate:0.#####} over {Epochs} epochs, stopping after {options.EarlyStoppingPatience} without improvement."));
AnsiConsole.WriteLine();

TrainingResult result;
if (AnsiConsole.Profile.Capabilities.Interactive)
{
    // A live bar on a terminal, with each epoch's line written above it.
    result = AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(context =>
        {
            ProgressTask bar = context.AddTask("Training", maxValue: options.Epochs);
            TrainingResult fit = trainer.Fit(train.Features, train.Labels, new InlineProgress<TrainingProgress>(p =>
            {
                AnsiConsole.WriteLine(ConsoleReport.EpochLine(p));
                bar.Description = $"Epoch {p.Epoch}/{p.Epochs}";
                bar.Value = p.Epoch;
            }));
            // An early stop ends the run short of the last epoch: fill the bar, and say so.
            if (fit.StoppedEarly) bar.Description += " (stopped early)";
            bar.Value = bar.MaxValue;
            return fit;
        });
}
else
{
    // Redirected output (a log, CI): a live bar would only add noise, so plain lines.
    result = trainer.Fit(train.Features, train.Labels, new InlineProgress<TrainingProgress>(p => AnsiConsole.WriteLine(ConsoleReport.EpochLine(p))));
}

AnsiConsole.WriteLine();
AnsiConsole.Write(ConsoleReport.EpochTable(result.History, result.BestEpoch));
string restored = result.RestoredBestParameters ? $" Restored the parameters of epoch {result.BestEpoch}." : "";
AnsiConsole.WriteLine($"{result.Message}{restored} Training took {result.Elapsed.TotalSeconds:0.00} s.");
AnsiConsole.WriteLine();

int[,] confusion = Confusion(network, test);
double accuracy = Accuracy(confusion);
AnsiConsole.Write(ConsoleReport.ConfusionTable(confusion));
AnsiConsole.WriteLine($"Held-out accuracy: {Correct(confusion)}/{test.Count} = {ConsoleReport.Percent(accuracy)} (required: {ConsoleReport.Percent(RequiredAccuracy)})");
AnsiConsole.WriteLine();

// Persistence: save, then load into a fresh network, which must predict exactly as the trained one.
network.SaveParameters(parametersPath);
var reloaded = new DigitsNet();
double before = Accuracy(Confusion(reloaded, test));
reloaded.LoadParameters(parametersPath);
double after = Accuracy(Confusion(reloaded, test));
bool samePredictions = Enumerable.Range(0, test.Count).All(s => reloaded.Predict(test.Sample(s)) == network.Predict(test.Sample(s)));
AnsiConsole.WriteLine($"Saved the parameters to {Path.GetFullPath(parametersPath)} ({new FileInfo(parametersPath).Length} bytes).");
AnsiConsole.WriteLine($"A fresh DigitsNet: {ConsoleReport.Percent(before)} before loading them, {ConsoleReport.Percent(after)} after; " +
    (samePredictions ? "every prediction is identical to the trained network's." : "PREDICTIONS DIFFER from the trained network's."));

TrainingPlot.Save(result.History, result.BestEpoch, plotPath);
AnsiConsole.WriteLine($"Loss and accuracy curves: {Path.GetFullPath(plotPath)}");

return accuracy >= RequiredAccuracy && samePredictions ? 0 : 1;

static int[,] Confusion(DigitsNet network, DigitsData data)
{
    var confusion = new int[DigitsData.Classes, DigitsData.Classes];
    for (int s = 0; s < data.Count; s++) confusion[data.Labels[s], network.Predict(data.Sample(s))]++;
    return confusion;
}

static int Correct(int[,] confusion) => Enumerable.Range(0, confusion.GetLength(0)).Sum(c => confusion[c, c]);

static double Accuracy(int[,] confusion) => (double)Correct(confusion) / confusion.Cast<int>().Sum();
