using System;
using System.IO;
using System.Linq;
using Digits;
using NetGen;
using Regularised;

// Regularised: does BatchNorm and Dropout help a small classifier? samples/Digits' network trained with
// and without them on the same digits, from the same seeds, with the same optimiser and epochs, and
// measured on the same held-out fifth. Twice: on the whole training set, and on a tenth of it, where
// over-fitting is likelier. Every number is printed, whichever way it goes.
//
//   dotnet run --project samples/Regularised -c Release
const int SplitSeed = 42;
const int Epochs = 30;
const double LearningRate = 2e-3;
const double RequiredAccuracy = 0.90;   // both networks, on the whole training set: the sample is a comparison, not a contest
int[] seeds = { 1, 2, 3, 4, 5 };

var all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "digits.csv"));
(DigitsData train, DigitsData test) = all.StratifiedSplit(0.2, SplitSeed);
(DigitsData _, DigitsData small) = train.StratifiedSplit(0.1, SplitSeed);   // a stratified tenth of the training digits

Console.WriteLine($"{all.Count} digits: {train.Count} to train on (or a tenth of them, {small.Count}), {test.Count} held out.");
Console.WriteLine($"Adam, learning rate {LearningRate}, batches of 32, {Epochs} epochs, no early stopping; seeds {string.Join(", ", seeds)} (initialisation, shuffling, dropout).");
Console.WriteLine();

bool passed = true;
var clock = System.Diagnostics.Stopwatch.StartNew();
foreach ((string name, DigitsData data) in new[] { ("the whole training set", train), ("a tenth of it", small) })
{
    double[] plain = seeds.Select(seed => { var net = new PlainNet(); net.InitializeParameters(seed); return Run(net, data, test, seed); }).ToArray();
    double[] regularised = seeds.Select(seed => { var net = new RegularisedNet(); net.InitializeParameters(seed); return Run(net, data, test, seed); }).ToArray();
    Console.WriteLine($"Held-out accuracy, trained on {name} ({data.Count} digits):");
    Console.WriteLine($"  seed          {string.Join("  ", seeds.Select(s => $"{s,6}"))}     mean   (sd)");
    Console.WriteLine($"  plain         {Row(plain)}");
    Console.WriteLine($"  BN + dropout  {Row(regularised)}");
    int wins = plain.Zip(regularised, (p, r) => r > p ? 1 : 0).Sum(), ties = plain.Zip(regularised, (p, r) => r == p ? 1 : 0).Sum();
    Console.WriteLine(FormattableString.Invariant(
        $"  BatchNorm and Dropout: {100 * (regularised.Average() - plain.Average()):+0.00;-0.00} points on average; better on {wins} of {seeds.Length} seeds, level on {ties}."));
    Console.WriteLine();
    if (data == train) passed &= plain.Min() >= RequiredAccuracy && regularised.Min() >= RequiredAccuracy;
}

Console.WriteLine(FormattableString.Invariant($"{4 * seeds.Length} trainings in {clock.Elapsed.TotalSeconds:0.0} s."));
Console.WriteLine(passed
    ? FormattableString.Invariant($"Both networks reach {100 * RequiredAccuracy:0}% on every seed with the whole training set.")
    : FormattableString.Invariant($"A network fell below {100 * RequiredAccuracy:0}% on some seed with the whole training set."));
return passed ? 0 : 1;

// Trains a network initialised from this seed and returns its accuracy on the held-out digits (Predict: evaluation mode).
static double Run(IClassifier<float> network, DigitsData train, DigitsData test, int seed)
{
    var options = new TrainerOptions { Epochs = Epochs, BatchSize = 32, Seed = seed };
    new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network, LearningRate), options).Fit(train.Features, train.Labels);
    int correct = 0;
    for (int s = 0; s < test.Count; s++) correct += network.Predict(test.Sample(s)) == test.Labels[s] ? 1 : 0;
    return (double)correct / test.Count;
}

static string Row(double[] accuracies)
{
    double mean = accuracies.Average();
    double sd = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / (accuracies.Length - 1));
    return string.Join("  ", accuracies.Select(a => FormattableString.Invariant($"{100 * a,5:0.0}%"))) + FormattableString.Invariant($"   {100 * mean,5:0.00}%  ({100 * sd:0.00})");
}
