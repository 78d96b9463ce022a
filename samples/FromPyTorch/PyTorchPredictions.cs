using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;

namespace FromPyTorch;

/// <summary>What train.py wrote to predictions.json: the flowers, PyTorch's probabilities and its predicted species.</summary>
public sealed class PyTorchPredictions
{
    public required float[][] Features { get; init; }
    public required double[][] Probabilities { get; init; }
    public required int[] Predicted { get; init; }
    public required int[] Labels { get; init; }
    public required double Accuracy { get; init; }

    public static PyTorchPredictions Load(string path)
        => JsonSerializer.Deserialize<PyTorchPredictions>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
           ?? throw new InvalidDataException($"{path} holds no predictions.");

    /// <summary>
    /// Runs <paramref name="network"/> on every flower and compares it with PyTorch: the same species for
    /// each, and probabilities within <paramref name="tolerance"/>. Prints a line and returns whether they agree.
    /// </summary>
    public bool Agrees(IClassifier<float> network, string how, double tolerance)
    {
        float[] inputs = Features.SelectMany(f => f).ToArray();
        var outputs = new float[Features.Length * network.OutputSize];
        network.Forward(inputs, outputs, Features.Length);

        int sameSpecies = 0;
        double largest = 0;
        for (int flower = 0; flower < Features.Length; flower++)
        {
            if (network.Predict(Features[flower]) == Predicted[flower]) sameSpecies++;
            for (int j = 0; j < network.OutputSize; j++)
            {
                largest = Math.Max(largest, Math.Abs(outputs[flower * network.OutputSize + j] - Probabilities[flower][j]));
            }
        }

        bool agrees = sameSpecies == Features.Length && largest <= tolerance;
        Console.WriteLine($"{how,-34} same species as PyTorch for {sameSpecies}/{Features.Length} flowers; probabilities differ by at most {largest:E1} {(agrees ? "ok" : "MISMATCH")}");
        return agrees;
    }
}
