using System;
using System.IO;
using System.Linq;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>A regressor with batch norm, whose running statistics are state beside its parameters.</summary>
[Network(typeof(double))]
[Linear(2, 4)] [BatchNorm1D(4)] [Tanh] [Linear(4, 1)] [MSELoss]
public partial class BatchNormRegressor { }

/// <summary>
/// State that is not trained is never lost: SaveParameters/LoadParameters carry Buffers after the parameters,
/// a failed load leaves both as they were, and the trainer's best-epoch restore restores them too.
/// </summary>
public class BlockPersistenceTests
{
    private static BatchNormRegressor Trained(int seed)
    {
        var network = new BatchNormRegressor();
        network.InitializeParameters(seed);
        var (features, targets) = LinearTask.Create<double>(samples: 12, seed: seed, noise: 0.1);
        for (int step = 0; step < 3; step++)
        {
            network.TrainStep(features, targets, 0.05);
        }
        Assert.NotEqual(new[] { 0.0, 0, 0, 0, 1, 1, 1, 1 }, network.Buffers);
        return network;
    }

    [Fact]
    public void SavedParametersCarryTheRunningStatistics()
    {
        BatchNormRegressor saved = Trained(1);
        var stream = new MemoryStream();
        saved.SaveParameters(stream);
        // The parameters, then the buffers, in one record: 24-byte header, values, 4-byte checksum.
        Assert.Equal(24 + (8 * (BatchNormRegressor.ParameterCount + BatchNormRegressor.BufferCount)) + 4, stream.Length);

        var loaded = new BatchNormRegressor();
        stream.Position = 0;
        loaded.LoadParameters(stream);
        Assert.Equal(saved.Parameters, loaded.Parameters);
        Assert.Equal(saved.Buffers, loaded.Buffers);
        var a = new double[1];
        var b = new double[1];
        saved.Forward(new[] { 0.3, -0.7 }, a);
        loaded.Forward(new[] { 0.3, -0.7 }, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void AFailedLoadLeavesParametersAndBuffersAsTheyWere()
    {
        BatchNormRegressor saved = Trained(2);
        var stream = new MemoryStream();
        saved.SaveParameters(stream);
        byte[] corrupt = stream.ToArray();
        corrupt[corrupt.Length - 12] ^= 0x40;   // a bit of the last running variance

        BatchNormRegressor target = Trained(3);
        double[] parameters = target.Parameters.ToArray(), buffers = target.Buffers.ToArray();
        Assert.Throws<InvalidDataException>(() => target.LoadParameters(new MemoryStream(corrupt)));
        Assert.Equal(parameters, target.Parameters);
        Assert.Equal(buffers, target.Buffers);

        // A file of the parameters alone (as a network without buffers would write) is refused, naming both counts.
        byte[] whole = stream.ToArray();
        var truncated = new MemoryStream();
        new GeneratedNetworkFile(whole).WithoutBuffers(BatchNormRegressor.ParameterCount, truncated);
        var error = Assert.Throws<InvalidDataException>(() => target.LoadParameters(new MemoryStream(truncated.ToArray())));
        Assert.Contains("buffer values", error.Message);
        Assert.Equal(buffers, target.Buffers);
    }

    [Fact]
    public void TheBestEpochsRestoreRestoresItsRunningStatisticsToo()
    {
        // Validation targets that contradict the training targets: the best epoch is the first.
        var (features, targets) = LinearTask.Create<double>(samples: 60, seed: 1, noise: 0);
        double[] contradicting = targets.Select(t => -t).ToArray();
        var network = new BatchNormRegressor();
        RegressionResult result = new RegressorTrainer<double>(network, new AdamOptimizer<double>(network, 0.05),
            new TrainerOptions { Epochs = 30, BatchSize = 10, EarlyStoppingPatience = 3, RestoreBestParameters = true })
            .Fit(features, targets, features, contradicting);
        Assert.True(result.RestoredBestParameters);
        Assert.Equal(1, result.BestEpoch);

        // The same first epoch alone, on a fresh network: its parameters and running statistics are what was restored.
        var once = new BatchNormRegressor();
        new RegressorTrainer<double>(once, new AdamOptimizer<double>(once, 0.05), new TrainerOptions { Epochs = 1, BatchSize = 10 })
            .Fit(features, targets, features, contradicting);
        Assert.Equal(once.Parameters, network.Parameters);
        Assert.Equal(once.Buffers, network.Buffers);
        Assert.Equal(result.BestValidationLoss!.Value, network.Loss(features, contradicting), 12);
    }

    /// <summary>Rewrites a saved record as if it held only the first <c>count</c> values, with a valid checksum.</summary>
    private sealed class GeneratedNetworkFile(byte[] file)
    {
        public void WithoutBuffers(int count, Stream destination)
        {
            var copy = new byte[24 + (8 * count) + 4];
            Array.Copy(file, copy, 24 + (8 * count));
            BitConverter.GetBytes(count).CopyTo(copy, 8);
            uint crc = Crc32(copy.AsSpan(0, copy.Length - 4));
            BitConverter.GetBytes(crc).CopyTo(copy, copy.Length - 4);
            destination.Write(copy, 0, copy.Length);
        }

        private static uint Crc32(ReadOnlySpan<byte> data)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in data)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                }
            }
            return ~crc;
        }
    }
}
