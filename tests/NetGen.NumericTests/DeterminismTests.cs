using System;
using System.IO;
using System.Numerics;
using System.Security.Cryptography;
using NetGen.NumericTests.Infrastructure;
using NetGen.NumericTests.Networks.Deterministic;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.NumericTests;

/// <summary>
/// [Network(Deterministic = true)] gives the same bits everywhere: a few hundred training steps on fixed
/// data, with batches of 1, 3, 17 and 64 samples (so every path and tail runs), then forward passes, are
/// hashed and held to golden hashes pinned here. CI runs this class under every vector configuration
/// (16, 8 and 4 lanes, Vector512 or not, no hardware vectors), so one pinned hash per network means the
/// same bits in all of them; .ci/run also compares the hash files each run writes (NETGEN_HASH_FILE).
/// </summary>
public class DeterminismTests
{
    private readonly ITestOutputHelper _output;

    public DeterminismTests(ITestOutputHelper output) => _output = output;

    // The golden hashes: SHA-256 of the parameters after training and of the outputs after it, in their
    // IEEE bits. A change to any kernel's order of operations changes them: then check that every vector
    // configuration agrees on the new value before pinning it (.ci/run prints them side by side).
    private const string DetIrisHash = "17beddada61b0f7a";
    private const string DetSmoothRegressorHash = "48c1fda67aae5154";
    private const string DetWideHash = "5927a859b43b279a";
    private const string DetPolicyHash = "f55d277636408479";
    private const string DetDoubleClassifierHash = "671ec64c0fae9438";
    private const string DetCnn2DHash = "f2853f7f274d1938";

    [Fact] public void DetIris_is_bit_identical() => Check("DetIris", Classifier<DetIris, float>(new DetIris()), DetIrisHash);

    [Fact] public void DetSmoothRegressor_is_bit_identical() => Check("DetSmoothRegressor", Regressor<DetSmoothRegressor, double>(new DetSmoothRegressor()), DetSmoothRegressorHash);

    [Fact] public void DetWide_is_bit_identical() => Check("DetWide", Classifier<DetWide, float>(new DetWide()), DetWideHash);

    [Fact] public void DetPolicy_is_bit_identical() => Check("DetPolicy", Regressor<DetPolicy, float>(new DetPolicy()), DetPolicyHash);

    [Fact] public void DetDoubleClassifier_is_bit_identical() => Check("DetDoubleClassifier", Classifier<DetDoubleClassifier, double>(new DetDoubleClassifier()), DetDoubleClassifierHash);

    [Fact] public void DetCnn2D_is_bit_identical() => Check("DetCnn2D", Classifier<Convolutions.DetCnn2D, float>(new Convolutions.DetCnn2D()), DetCnn2DHash);

    private void Check(string name, string hash, string golden)
    {
        string line = $"{name} {hash}";
        _output.WriteLine(line);
        ExpectedCulture.Check();
        string? file = Environment.GetEnvironmentVariable("NETGEN_HASH_FILE");
        if (!string.IsNullOrEmpty(file))
        {
            lock (typeof(DeterminismTests))
            {
                File.AppendAllText(file, line + Environment.NewLine);
            }
        }
        Assert.Equal(golden, hash);
    }

    private static readonly int[] Batches = [1, 3, 17, 64];

    private static string Classifier<TNet, T>(TNet net) where TNet : IClassifier<T> where T : unmanaged
    {
        var random = new Random(2026);
        T learningRate = Numbers.From<T>(0.05);
        for (int step = 0; step < 240; step++)
        {
            int batch = Batches[step % Batches.Length];
            T[] inputs = Inputs<T>(random, batch * net.InputSize);
            var labels = new int[batch];
            for (int s = 0; s < batch; s++)
            {
                labels[s] = random.Next(net.OutputSize);
            }
            net.TrainStep(inputs, labels, learningRate);
        }
        return Hash(net, random);
    }

    private static string Regressor<TNet, T>(TNet net) where TNet : IRegressor<T> where T : unmanaged
    {
        var random = new Random(2027);
        T learningRate = Numbers.From<T>(0.05);
        for (int step = 0; step < 240; step++)
        {
            int batch = Batches[step % Batches.Length];
            T[] inputs = Inputs<T>(random, batch * net.InputSize);
            T[] targets = Inputs<T>(random, batch * net.OutputSize);
            net.TrainStep(inputs, targets, learningRate);
        }
        return Hash(net, random);
    }

    /// <summary>The parameters, then outputs for batches of every size and a lone sample, then input gradients.</summary>
    private static string Hash<T>(INetwork<T> net, Random random) where T : unmanaged
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha, net.Parameters);
        foreach (int batch in Batches)
        {
            T[] inputs = Inputs<T>(random, batch * net.InputSize);
            var outputs = new T[batch * net.OutputSize];
            net.Forward(inputs, outputs, batch);
            Append(sha, outputs);
            var one = new T[net.OutputSize];
            net.Forward(inputs.AsSpan(0, net.InputSize), one);
            Append(sha, one);
            T[] outputGradients = Inputs<T>(random, batch * net.OutputSize);
            var inputGradients = new T[inputs.Length];
            net.Backward(inputs, outputGradients, inputGradients);
            Append(sha, inputGradients);
            Append(sha, net.Gradients);
        }
        return Hex(sha.GetHashAndReset())[..16];
    }

    private static T[] Inputs<T>(Random random, int count) where T : unmanaged
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Numbers.From<T>((random.NextDouble() * 4) - 2);
        }
        return values;
    }

    // Through an array: .NET Framework's IncrementalHash (which the Mono run uses) takes no spans.
    private static void Append<T>(IncrementalHash sha, T[] values) where T : unmanaged
        => sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static string Hex(byte[] bytes)
    {
        var text = new System.Text.StringBuilder(2 * bytes.Length);
        foreach (byte b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
