using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using NetGen.NumericTests.Infrastructure;
using NetGen.NumericTests.Networks;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.NumericTests;

/// <summary>
/// What training and inference modes mean for blocks, normalisation and dropout, beyond the numbers: the
/// buffers and when they change, the dropout generator and its seeding, batches too small for batch
/// statistics, Prepare, and the deterministic mode's bits under every vector configuration.
/// </summary>
public class BlockBehaviourTests
{
    private readonly ITestOutputHelper _output;

    public BlockBehaviourTests(ITestOutputHelper output) => _output = output;

    private static double[] Random(int count, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => ((random.NextDouble() * 2) - 1) * scale).ToArray();
    }

    [Fact]
    public void BuffersAreRunningMeansThenVariancesPerBatchNormLayerAndEmptyWithout()
    {
        Assert.Equal(16, DBlockReference.BufferCount);
        Assert.Equal(0, DResidualFirst.BufferCount);
        Assert.Empty(new DResidualFirst().Buffers);
        INetwork<double> net = new DBlockReference();
        Assert.Equal(Enumerable.Repeat(0.0, 8).Concat(Enumerable.Repeat(1.0, 8)), net.Buffers);
    }

    [Fact]
    public void EachTrainingCallUpdatesTheRunningStatisticsOnceAndInferenceNever()
    {
        var net = new DBlockClassifier();
        double[] inputs = Random(5 * DBlockClassifier.InputSize, 1, 2);
        int[] labels = { 0, 1, 2, 0, 1 };
        double[] start = net.Buffers.ToArray();
        var outputs = new double[5 * DBlockClassifier.OutputSize];
        net.Forward(inputs, outputs, 5);
        net.Predict(inputs.AsSpan(0, DBlockClassifier.InputSize));
        net.Loss(inputs, labels);
        Assert.Equal(start, net.Buffers);

        net.Backward(inputs, labels);
        double[] once = net.Buffers.ToArray();
        Assert.NotEqual(start, once);
        // running = 0.9 running + 0.1 batch: the second identical call moves the means 0.9 as far again.
        net.Backward(inputs, labels);
        for (int c = 0; c < 6; c++)
        {
            Assert.Equal(once[c] * 1.9, net.Buffers[c], 12);
        }
    }

    [Fact]
    public void ATrainStepThatAppliesNoUpdateLeavesBuffersAsTheyWere()
    {
        var net = new DBlockReference();
        double[] inputs = Random(4 * DBlockReference.InputSize, 2);
        double[] targets = Random(4 * DBlockReference.OutputSize, 3);
        net.TrainStep(inputs, targets, 0.01);
        double[] parameters = net.Parameters.ToArray(), buffers = net.Buffers.ToArray();

        targets[2] = double.NaN;
        double loss = net.TrainStep(inputs, targets, 0.01);
        Assert.True(double.IsNaN(loss));
        Assert.Equal(parameters, net.Parameters);
        Assert.Equal(buffers, net.Buffers);

        targets[2] = 0.5;
        net.TrainStep(inputs, targets, 0.01);
        Assert.NotEqual(buffers, net.Buffers);
    }

    [Fact]
    public void DropoutDrawsAFreshMaskEachCallAndTheSameMasksAfterReseeding()
    {
        var net = new DBlockReference();
        double[] inputs = Random(6 * DBlockReference.InputSize, 4);
        double[] targets = Random(6 * DBlockReference.OutputSize, 5);
        double[] parameters = net.Parameters.ToArray();
        double first = net.BackwardFromTargets(inputs, targets);
        double second = net.BackwardFromTargets(inputs, targets);
        Assert.NotEqual(first, second);   // another mask (the running statistics do not enter training mode)

        net.InitializeParameters(0);
        Assert.Equal(parameters, net.Parameters);
        Assert.Equal(first, net.BackwardFromTargets(inputs, targets));
        Assert.Equal(second, net.BackwardFromTargets(inputs, targets));

        // Another seed, another stream.
        net.InitializeParameters(1);
        parameters.CopyTo(net.Parameters, 0);
        Assert.NotEqual(first, net.BackwardFromTargets(inputs, targets));
    }

    [Fact]
    public void InferencePassesThroughDropoutAndTrainingDrawsMasks()
    {
        var net = new DBlockPlain();
        double[] inputs = Random(7 * DBlockPlain.InputSize, 6, 2);
        var outputs = new double[inputs.Length];
        net.Forward(inputs, outputs, 7);

        // x + Linear(LayerNorm(x)), by hand: dropout adds nothing in inference.
        double[] p = net.Parameters;
        for (int s = 0; s < 7; s++)
        {
            double[] x = inputs.Skip(4 * s).Take(4).ToArray();
            double mean = x.Average(), variance = x.Select(v => (v - mean) * (v - mean)).Average();
            double[] normalised = x.Select((v, k) => ((v - mean) / Math.Sqrt(variance + 1e-5) * p[k]) + p[4 + k]).ToArray();
            for (int o = 0; o < 4; o++)
            {
                double expected = x[o] + p[24 + o] + Enumerable.Range(0, 4).Sum(i => p[8 + (4 * o) + i] * normalised[i]);
                Assert.Equal(expected, outputs[(4 * s) + o], 12);
            }
        }

        // Training draws a mask each call: the same call twice gives other input gradients.
        double[] upstream = Random(inputs.Length, 7);
        var first = new double[inputs.Length];
        var second = new double[inputs.Length];
        net.Backward(inputs, upstream, first);
        net.Backward(inputs, upstream, second);
        Assert.NotEqual(first, second);
        var again = new double[inputs.Length];
        net.Forward(inputs, again, 7);
        Assert.Equal(outputs, again);
    }

    [Fact]
    public void ATrainingBatchOfOneSampleIsRefusedWhereBatchNormSeesOneValuePerChannel()
    {
        var net = new DBlockClassifier();
        double[] one = Random(DBlockClassifier.InputSize, 8);
        double[] buffers = net.Buffers.ToArray(), parameters = net.Parameters.ToArray();
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => net.Backward(one, new[] { 1 })).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => net.TrainStep(one, new[] { 1 }, 0.1)).ParamName);
        Assert.Equal("outputGradients", Assert.Throws<ArgumentException>(() => net.Backward(one, new double[3])).ParamName);
        Assert.Equal(buffers, net.Buffers);
        Assert.Equal(parameters, net.Parameters);
        // Inference of one sample is fine: it uses the running statistics.
        var output = new double[DBlockClassifier.OutputSize];
        net.Forward(one, output);
        Assert.Equal(1.0, output.Sum(), 12);
    }

    [Fact]
    public void PrepareLeavesParametersBuffersAndTheDropoutStreamAsTheyWere()
    {
        var prepared = new FBlockWide();
        var fresh = new FBlockWide();
        prepared.Prepare();
        Assert.Equal(fresh.Parameters, prepared.Parameters);
        Assert.Equal(fresh.Buffers, prepared.Buffers);
        float[] inputs = Random(9 * FBlockWide.InputSize, 9).Select(v => (float)v).ToArray();
        int[] labels = Enumerable.Range(0, 9).Select(i => i % FBlockWide.OutputSize).ToArray();
        Assert.Equal(fresh.Backward(inputs, labels), prepared.Backward(inputs, labels));
        Assert.Equal(fresh.Gradients, prepared.Gradients);
    }

    /// <summary>
    /// FBlockDeterministic's training and inference, hashed: one pinned value under every vector
    /// configuration CI runs (batches of 2, 3, 17 and 64 so every path and tail runs; batch norm needs 2).
    /// </summary>
    [Fact]
    public void TheDeterministicBlockNetworkIsBitIdentical()
    {
        var net = new FBlockDeterministic();
        var random = new Random(2028);
        int[] batches = { 2, 3, 17, 64 };
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        for (int step = 0; step < 120; step++)
        {
            int batch = batches[step % batches.Length];
            net.TrainStep(Values(batch * FBlockDeterministic.InputSize), Values(batch * FBlockDeterministic.OutputSize), 0.05f);
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Append(float[] values) => sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        Append(net.Parameters);
        Append(net.Buffers);
        foreach (int batch in batches)
        {
            float[] inputs = Values(batch * FBlockDeterministic.InputSize);
            var outputs = new float[batch * FBlockDeterministic.OutputSize];
            net.Forward(inputs, outputs, batch);
            Append(outputs);
            var one = new float[FBlockDeterministic.OutputSize];
            net.Forward(inputs.AsSpan(0, FBlockDeterministic.InputSize), one);
            Append(one);
            var inputGradients = new float[inputs.Length];
            net.Backward(inputs, Values(outputs.Length), inputGradients);
            Append(inputGradients);
            Append(net.Gradients);
        }
        string hash = string.Concat(sha.GetHashAndReset().Take(8).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        _output.WriteLine($"FBlockDeterministic {hash}");
        ExpectedCulture.Check();
        string? file = Environment.GetEnvironmentVariable("NETGEN_HASH_FILE");
        if (!string.IsNullOrEmpty(file))
        {
            lock (typeof(DeterminismTests))
            {
                File.AppendAllText(file, $"FBlockDeterministic {hash}{Environment.NewLine}");
            }
        }
        Assert.Equal(DeterministicHash, hash);
    }

    private const string DeterministicHash = "40d3b3be82d13ff1";
}
