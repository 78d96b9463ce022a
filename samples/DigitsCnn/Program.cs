using System;
using System.IO;
using System.Linq;
using Digits;
using DigitsCnn;
using NetGen;
using Spectre.Console;

// DigitsCnn: train a small convolutional network on the 8x8 handwritten digits with NetGen's Trainer,
// beside the dense DigitsNet of samples/Digits on exactly the same split and settings, then test both on
// the fifth of the digits they never saw, plot their curves, and draw what the CNN's first filters
// respond to in one digit. Everything is seeded, so every run prints the same numbers (timings aside).
//
//   dotnet run --project samples/DigitsCnn -c Release [-- --plot PATH] [--filters PATH]
const int Seed = 42;
const double TestFraction = 0.2;
const double RequiredAccuracy = 0.96;
const int Epochs = 60;
const double LearningRate = 2e-3, FinalLearningRate = 1e-5;

string plotPath = "digits-cnn-training.png";
string filtersPath = "digits-cnn-filters.svg";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--plot" when i + 1 < args.Length:
            plotPath = args[++i];
            break;
        case "--filters" when i + 1 < args.Length:
            filtersPath = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.");
            Console.Error.WriteLine("Usage: DigitsCnn [--plot PATH] [--filters PATH]   (defaults: digits-cnn-training.png, digits-cnn-filters.svg)");
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
AnsiConsole.WriteLine(DigitsCnnNet.Describe());

// The same recipe for both networks: Adam with a cosine schedule, 15% of the training digits held out
// for validation, early stopping after 10 epochs without improvement, and the best epoch's parameters
// put back before testing.
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
AnsiConsole.WriteLine($"{all.Count} digits: training on {train.Count} (of which {ConsoleReport.Percent(options.ValidationFraction)} validate), testing on {test.Count}.");
AnsiConsole.WriteLine(FormattableString.Invariant(
    $"Both networks: Adam, batches of {options.BatchSize}, learning rate {LearningRate:0.#####} annealed to {FinalLearningRate:0.#####} over {Epochs} epochs, stopping after {options.EarlyStoppingPatience} without improvement."));
AnsiConsole.WriteLine();

var cnn = new DigitsCnnNet();
cnn.InitializeParameters(Seed);
AnsiConsole.WriteLine("The convolutional network:");
TrainingResult cnnResult = Train(cnn, options, train);

var dense = new DigitsNet();
dense.InitializeParameters(Seed);
AnsiConsole.WriteLine("The dense network of samples/Digits:");
TrainingResult denseResult = Train(dense, options, train);

double cnnAccuracy = Accuracy(cnn, test), denseAccuracy = Accuracy(dense, test);
var table = new Table().AddColumns("network", "parameters", "epochs", "training time", "held-out accuracy");
table.AddRow("DigitsCnnNet (2 convolutions)", $"{DigitsCnnNet.ParameterCount:N0}", $"{cnnResult.History.Count} (best {cnnResult.BestEpoch})", $"{cnnResult.Elapsed.TotalSeconds:0.00} s", $"{Correct(cnn, test)}/{test.Count} = {ConsoleReport.Percent(cnnAccuracy)}");
table.AddRow("DigitsNet (dense 64-128-64-10)", $"{DigitsNet.ParameterCount:N0}", $"{denseResult.History.Count} (best {denseResult.BestEpoch})", $"{denseResult.Elapsed.TotalSeconds:0.00} s", $"{Correct(dense, test)}/{test.Count} = {ConsoleReport.Percent(denseAccuracy)}");
AnsiConsole.Write(table);
AnsiConsole.WriteLine($"The CNN's held-out accuracy: {ConsoleReport.Percent(cnnAccuracy)} (required: {ConsoleReport.Percent(RequiredAccuracy)}).");
AnsiConsole.WriteLine();

ComparisonPlot.Save(cnnResult.History, denseResult.History, plotPath);
AnsiConsole.WriteLine($"Validation loss and accuracy of both networks: {Path.GetFullPath(plotPath)}");

// What the first filters respond to: the trained first convolution, alone, over the first test digit.
int shown = 0;
var first = new FirstConvolution();
FilterPicture.CopyFirstConvolution(cnn, first);
var responses = new float[FirstConvolution.OutputSize];
first.Forward(test.Sample(shown), responses);
FilterPicture.Save(test.Sample(shown).ToArray(), test.Labels[shown], cnn.Predict(test.Sample(shown)), first, responses, filtersPath);
AnsiConsole.WriteLine($"The first convolution's 8 filters and what each responds to in a {test.Labels[shown]}: {Path.GetFullPath(filtersPath)}");

return cnnAccuracy >= RequiredAccuracy ? 0 : 1;

static TrainingResult Train(IClassifier<float> network, TrainerOptions options, DigitsData train)
{
    var trainer = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network, LearningRate), options);
    TrainingResult result = trainer.Fit(train.Features, train.Labels, new InlineProgress<TrainingProgress>(p => AnsiConsole.WriteLine(ConsoleReport.EpochLine(p))));
    string restored = result.RestoredBestParameters ? $" Restored the parameters of epoch {result.BestEpoch}." : "";
    AnsiConsole.WriteLine($"{result.Message}{restored} Training took {result.Elapsed.TotalSeconds:0.00} s.");
    AnsiConsole.WriteLine();
    return result;
}

static int Correct(IClassifier<float> network, DigitsData data) =>
    Enumerable.Range(0, data.Count).Count(s => network.Predict(data.Sample(s)) == data.Labels[s]);

static double Accuracy(IClassifier<float> network, DigitsData data) => (double)Correct(network, data) / data.Count;
