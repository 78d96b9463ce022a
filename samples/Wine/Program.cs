using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen;
using Wine;

// Wine: a regression. Predict each wine's proline (mg/L, from 278 to 1680) from its twelve other chemical
// measurements, with a RegressorTrainer, on 80% of the 178 wines; measure the RMSE on the 20% held out,
// in mg/L, beside the RMSE of always predicting the training mean. Inputs and target are standardised
// with Standardizer, fitted on the training wines only; a run on the raw values shows why.
// Everything is seeded, so every run prints the same numbers. Exits 1 unless the model clearly beats the mean.
const int Seed = 5;
const double RequiredRatio = 0.8;   // the model's held-out RMSE must be below 80% of the mean predictor's
const int Features = 12;            // every column but proline (the 13th) and the class

string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "wine.csv"));
double[][] rows = lines.Skip(1).Where(l => l.Length > 0)
    .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
    .ToArray();

// Every fifth wine, after a seeded shuffle, is held out for the test.
var random = new Random(Seed);
rows = rows.OrderBy(_ => random.Next()).ToArray();
double[][] test = rows.Where((_, i) => i % 5 == 0).ToArray();
double[][] train = rows.Where((_, i) => i % 5 != 0).ToArray();
float[] Inputs(double[][] set) => set.SelectMany(r => r.Take(Features).Select(v => (float)v)).ToArray();
float[] Proline(double[][] set) => set.Select(r => (float)r[Features]).ToArray();

float[] trainX = Inputs(train), testX = Inputs(test);
float[] trainY = Proline(train), testY = Proline(test);
Console.WriteLine(WineNet.Describe());
Console.WriteLine($"{rows.Length} wines: training on {train.Length} (of which 20% validate), testing on {test.Length}. Target: proline, mg/L.");

var options = new TrainerOptions
{
    Epochs = 400,
    BatchSize = 16,
    Seed = Seed,
    ValidationFraction = 0.2,       // held out of the training wines, measured after every epoch
    EarlyStoppingPatience = 40,
    RestoreBestParameters = true,   // end with the epoch of the lowest validation loss
    Schedule = LearningRateSchedule.ReduceOnPlateau(3e-3, factor: 0.5, patience: 10, minimumLearningRate: 1e-5),
};

// 1. Standardised: fit on the training wines, apply to both sets; the target too.
Standardizer inputScaler = Standardizer.Fit(trainX, Features);
Standardizer targetScaler = Standardizer.Fit(trainY, 1);
float[] trainXs = (float[])trainX.Clone(), testXs = (float[])testX.Clone(), trainYs = (float[])trainY.Clone();
inputScaler.Apply(trainXs);
inputScaler.Apply(testXs);
targetScaler.Apply(trainYs);

var network = new WineNet();
network.InitializeParameters(Seed);
var trainer = new RegressorTrainer<float>(network, new AdamOptimizer<float>(network), options);
Console.WriteLine();
Console.WriteLine("Standardised inputs and target (every 20th epoch):");
RegressionResult result = trainer.Fit(trainXs, trainYs,
    new InlineProgress<RegressionProgress>(p => { if (p.Epoch % 20 == 0) Console.WriteLine(ConsoleProgressBar.Line(p)); }));
Console.WriteLine($"{result.StopReason}: {result.Message} Best epoch {result.BestEpoch}.");

float[] predicted = new float[test.Length];
network.Forward(testXs, predicted, test.Length);
targetScaler.Invert(predicted);                       // back to mg/L
double modelRmse = Rmse(predicted, testY);
double mean = trainY.Average(v => (double)v);
double meanRmse = Rmse(Enumerable.Repeat((float)mean, test.Length).ToArray(), testY);

// 2. The same network and options on the raw values, as the issue's user first tried.
var raw = new WineNet();
raw.InitializeParameters(Seed);
RegressionResult rawResult = new RegressorTrainer<float>(raw, new AdamOptimizer<float>(raw), options with { Schedule = null }).Fit(trainX, trainY);
float[] rawPredicted = new float[test.Length];
raw.Forward(testX, rawPredicted, test.Length);
double rawRmse = Rmse(rawPredicted, testY);

Console.WriteLine();
Console.WriteLine($"Held-out RMSE, proline in mg/L, on {test.Length} wines (test spread {StandardDeviation(testY):0.0}):");
Console.WriteLine(FormattableString.Invariant($"  {"standardised network:",-44}{modelRmse,7:0.0}"));
Console.WriteLine(FormattableString.Invariant($"  {$"mean predictor (the training mean, {mean:0.0}):",-44}{meanRmse,7:0.0}"));
Console.WriteLine(FormattableString.Invariant($"  {"network on raw values:",-44}{rawRmse,7:0.0}   ({rawResult.StopReason} after {rawResult.EpochsRun} epochs)"));
Console.WriteLine(FormattableString.Invariant($"The standardised network's RMSE is {modelRmse / meanRmse:0.00} of the mean predictor's (required: below {RequiredRatio:0.00})."));

// Saved beside the parameters: the network has learned standardised values, so it needs both scalers.
string folder = Path.Combine(Path.GetTempPath(), $"netgen-wine-{Environment.ProcessId}");
Directory.CreateDirectory(folder);
try
{
    network.SaveParameters(Path.Combine(folder, "wine.ngpm"));
    inputScaler.Save(Path.Combine(folder, "wine.inputs.ngst"));
    targetScaler.Save(Path.Combine(folder, "wine.proline.ngst"));
    var reloaded = new WineNet();
    reloaded.LoadParameters(Path.Combine(folder, "wine.ngpm"));
    Standardizer reloadedInputs = Standardizer.Load(Path.Combine(folder, "wine.inputs.ngst"));
    Standardizer reloadedTarget = Standardizer.Load(Path.Combine(folder, "wine.proline.ngst"));
    float[] x = (float[])testX.Clone();
    reloadedInputs.Apply(x);
    float[] again = new float[test.Length];
    reloaded.Forward(x, again, test.Length);
    reloadedTarget.Invert(again);
    bool same = again.SequenceEqual(predicted);
    Console.WriteLine($"Saved and reloaded (parameters and both standardizers): {(same ? "the same predictions" : "DIFFERENT predictions")}.");
    if (!same) return 1;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

return modelRmse < RequiredRatio * meanRmse ? 0 : 1;

static double Rmse(float[] predicted, float[] actual)
    => Math.Sqrt(predicted.Zip(actual, (p, a) => ((double)p - a) * ((double)p - a)).Average());

static double StandardDeviation(float[] values)
{
    double mean = values.Average(v => (double)v);
    return Math.Sqrt(values.Average(v => ((double)v - mean) * ((double)v - mean)));
}
