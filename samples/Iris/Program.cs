using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Iris;

// Iris: train a 4-16-3 network with TrainStep on 80% of the flowers, then measure it on the 20% it
// never saw. Everything is seeded, so every run prints the same numbers.
const int Seed = 7;
const int Epochs = 150;
const int BatchSize = 8;
const float LearningRate = 0.05f;

string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "iris.csv"));
string[] header = lines[0].Split(',');
string[] species = header.Skip(2).ToArray();
var rows = lines.Skip(1).Where(l => l.Length > 0)
    .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
    .ToArray();

// A stratified split: every fifth flower of each species is held out.
var random = new Random(Seed);
rows = rows.OrderBy(_ => random.Next()).ToArray();
var test = rows.GroupBy(r => (int)r[4]).SelectMany(g => g.Where((_, i) => i % 5 == 0)).ToArray();
var train = rows.Except(test).ToArray();

// Standardise each feature with the training set's mean and deviation.
float[] mean = Enumerable.Range(0, 4).Select(f => train.Average(r => r[f])).ToArray();
float[] deviation = Enumerable.Range(0, 4).Select(f => MathF.Sqrt(train.Average(r => (r[f] - mean[f]) * (r[f] - mean[f])))).ToArray();
float[] Features(float[][] set) => set.SelectMany(r => Enumerable.Range(0, 4).Select(f => (r[f] - mean[f]) / deviation[f])).ToArray();
float[] trainX = Features(train), testX = Features(test);
int[] trainY = train.Select(r => (int)r[4]).ToArray(), testY = test.Select(r => (int)r[4]).ToArray();

var network = new IrisNet();
network.InitializeParameters(Seed);
Console.WriteLine(IrisNet.Describe());
Console.WriteLine($"Training on {train.Length} flowers, testing on {test.Length}; batches of {BatchSize}, learning rate {LearningRate}.");

int[] order = Enumerable.Range(0, train.Length).ToArray();
float[] batchX = new float[BatchSize * IrisNet.InputSize];
int[] batchY = new int[BatchSize];
for (int epoch = 1; epoch <= Epochs; epoch++)
{
    // Reshuffle every epoch (Fisher-Yates from the seeded generator).
    for (int i = order.Length - 1; i > 0; i--)
    {
        int j = random.Next(i + 1);
        (order[i], order[j]) = (order[j], order[i]);
    }
    double lossSum = 0;
    int batches = 0;
    for (int start = 0; start < order.Length; start += BatchSize)
    {
        int count = Math.Min(BatchSize, order.Length - start);
        for (int k = 0; k < count; k++)
        {
            trainX.AsSpan(order[start + k] * 4, 4).CopyTo(batchX.AsSpan(k * 4, 4));
            batchY[k] = trainY[order[start + k]];
        }
        lossSum += network.TrainStep(batchX.AsSpan(0, count * 4), batchY.AsSpan(0, count), LearningRate);
        batches++;
    }
    Console.WriteLine($"epoch {epoch,3}  training loss {lossSum / batches:F4}  held-out loss {network.Loss(testX, testY):F4}");
}

int correct = Enumerable.Range(0, test.Length).Count(i => network.Predict(testX.AsSpan(i * 4, 4)) == testY[i]);
double accuracy = (double)correct / test.Length;
Console.WriteLine();
Console.WriteLine($"Held-out accuracy: {correct}/{test.Length} = {accuracy:P1}");
Span<float> probabilities = stackalloc float[IrisNet.OutputSize];
for (int i = 0; i < 3; i++)
{
    network.Forward(testX.AsSpan(i * 4, 4), probabilities);
    Console.WriteLine($"  flower {i}: {species[testY[i]],-10} -> {species[network.Predict(testX.AsSpan(i * 4, 4))],-10} p = [{string.Join(", ", probabilities.ToArray().Select(p => p.ToString("F3", CultureInfo.InvariantCulture)))}]");
}
Console.WriteLine();
Console.WriteLine("The generated source of IrisNet is in samples/Iris/obj/generated/ after a build");
Console.WriteLine("(EmitCompilerGeneratedFiles is on in Iris.csproj); your IDE also shows it under Analyzers.");
return accuracy >= 0.95 ? 0 : 1;
