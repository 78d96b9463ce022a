using System;
using System.IO;
using System.Security.Cryptography;
using NetGen.NumericTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.NumericTests.Sequences;

/// <summary>
/// Deterministic sequence networks give the same bits everywhere: training steps over sequences of 1, 3,
/// 17 and 64 sequences (so that the recurrent kernels' batch-in-lanes path runs with every tail), then
/// whole-sequence forwards, steps of one and of many sequences, and BPTT gradients, hashed and held to
/// golden hashes pinned here. CI runs the numeric suite under every vector configuration and compares the
/// hash files each run writes (NETGEN_HASH_FILE), as for DeterminismTests.
/// </summary>
public class SequenceDeterminismTests
{
    private readonly ITestOutputHelper _output;

    public SequenceDeterminismTests(ITestOutputHelper output) => _output = output;

    private const string SeqDeterministicFloatHash = "b33f9891e0caba14";
    private const string SeqDeterministicDoubleHash = "909ad6dbbd52c9e8";

    private static readonly int[] Batches = [1, 3, 17, 64];

    [Fact]
    public void SeqDeterministicFloat_is_bit_identical()
    {
        var net = new SeqDeterministicFloat();
        var random = new Random(2028);
        for (int round = 0; round < 24; round++)
        {
            int batch = Batches[round % Batches.Length];
            const int Steps = 4;
            float[] inputs = Inputs<float>(random, batch * Steps * SeqDeterministicFloat.InputSize);
            var labels = new int[batch * Steps];
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = random.Next(SeqDeterministicFloat.OutputSize);
            }
            net.TrainStep(inputs, labels, Steps, 0.05f);
        }
        Check("SeqDeterministicFloat", Hash(net, random), SeqDeterministicFloatHash);
    }

    [Fact]
    public void SeqDeterministicDouble_is_bit_identical()
    {
        var net = new SeqDeterministicDouble();
        var random = new Random(2029);
        for (int round = 0; round < 24; round++)
        {
            int batch = Batches[round % Batches.Length];
            const int Steps = 3;
            double[] inputs = Inputs<double>(random, batch * Steps * SeqDeterministicDouble.InputSize);
            double[] targets = Inputs<double>(random, batch * Steps * SeqDeterministicDouble.OutputSize);
            net.TrainStep(inputs, targets, Steps, 0.05);
        }
        Check("SeqDeterministicDouble", Hash(net, random), SeqDeterministicDoubleHash);
    }

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

    /// <summary>The parameters, then for every batch size: whole sequences, steps of many and of one, and BPTT's gradients.</summary>
    private static string Hash<T>(ISequenceNetwork<T> net, Random random) where T : unmanaged
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha, net.Parameters);
        const int Steps = 3;
        foreach (int batch in Batches)
        {
            T[] inputs = Inputs<T>(random, batch * Steps * net.InputSize);
            var outputs = new T[batch * Steps * net.OutputSize];
            net.Forward(inputs, outputs, batch, Steps);
            Append(sha, outputs);
            var states = new T[batch * net.StateSize];
            var stepOutputs = new T[batch * net.OutputSize];
            net.Step(new ReadOnlySpan<T>(inputs, 0, batch * net.InputSize), stepOutputs, states, batch);
            Append(sha, stepOutputs);
            Append(sha, states);
            var one = new T[net.OutputSize];
            var state = new T[net.StateSize];
            net.Step(new ReadOnlySpan<T>(inputs, 0, net.InputSize), one, state);
            Append(sha, one);
            T[] outputGradients = Inputs<T>(random, outputs.Length);
            var inputGradients = new T[inputs.Length];
            net.Backward(inputs, outputGradients, inputGradients, batch, Steps);
            Append(sha, inputGradients);
            Append(sha, net.Gradients);
        }
        return Hex(sha.GetHashAndReset()).Substring(0, 16);
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
