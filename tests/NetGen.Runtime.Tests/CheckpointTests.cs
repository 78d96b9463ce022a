using System;
using System.IO;
using System.Linq;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class CheckpointTests
{
    private static (float[] Features, int[] Labels) Data() => Blobs.Create<float>(perClass: 12, seed: 3);

    /// <summary>N steps of full-batch training through the optimizer.</summary>
    private static void Train(SoftmaxRegression<float> network, IOptimizer<float> optimizer, int steps, float[] features, int[] labels)
    {
        for (int step = 0; step < steps; step++)
        {
            network.Backward(features, labels);
            Assert.True(optimizer.Step());
        }
    }

    public static TheoryData<string> Optimizers => new() { "adam", "adam-decay", "sgd", "sgd-momentum", "sgd-nesterov" };

    private static IOptimizer<float> Make(string kind, SoftmaxRegression<float> network) => kind switch
    {
        "adam" => new AdamOptimizer<float>(network, 0.05),
        "adam-decay" => new AdamOptimizer<float>(network, 0.05, beta1: 0.8, weightDecay: 0.01),
        "sgd" => new SgdOptimizer<float>(network, 0.1),
        "sgd-momentum" => new SgdOptimizer<float>(network, 0.1, momentum: 0.9),
        "sgd-nesterov" => new SgdOptimizer<float>(network, 0.1, momentum: 0.9, nesterov: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such optimizer in this test"),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Training_resumed_from_a_checkpoint_gives_the_parameters_of_a_run_that_never_stopped_bit_for_bit(string kind)
    {
        var (features, labels) = Data();
        var straight = new SoftmaxRegression<float>(2, 3);
        Train(straight, Make(kind, straight), 40, features, labels);

        var first = new SoftmaxRegression<float>(2, 3);
        IOptimizer<float> firstOptimizer = Make(kind, first);
        Train(first, firstOptimizer, 20, features, labels);
        using var stream = new MemoryStream();
        firstOptimizer.SaveCheckpoint(stream);

        var resumed = new SoftmaxRegression<float>(2, 3, seed: 99);   // other parameters, overwritten by the load
        IOptimizer<float> resumedOptimizer = Make(kind, resumed);
        resumedOptimizer.LearningRate = 0.5;                          // restored too
        stream.Position = 0;
        resumedOptimizer.LoadCheckpoint(stream);
        Assert.Equal(20, resumedOptimizer.StepCount);
        Assert.Equal(firstOptimizer.LearningRate, resumedOptimizer.LearningRate);
        Train(resumed, resumedOptimizer, 20, features, labels);

        Assert.Equal(straight.Parameters.Select(Portable.Bits), resumed.Parameters.Select(Portable.Bits));
    }

    [Fact]
    public void Parameters_alone_do_not_resume_Adam_exactly_which_is_why_the_checkpoint_exists()
    {
        var (features, labels) = Data();
        var straight = new SoftmaxRegression<float>(2, 3);
        Train(straight, new AdamOptimizer<float>(straight, 0.05), 40, features, labels);
        var first = new SoftmaxRegression<float>(2, 3);
        Train(first, new AdamOptimizer<float>(first, 0.05), 20, features, labels);
        var restarted = new SoftmaxRegression<float>(2, 3);
        first.Parameters.CopyTo(restarted.Parameters, 0);
        Train(restarted, new AdamOptimizer<float>(restarted, 0.05), 20, features, labels);
        Assert.NotEqual(straight.Parameters, restarted.Parameters);
    }

    [Fact]
    public void A_checkpoint_saved_to_a_path_loads_from_it()
    {
        var (features, labels) = Data();
        var network = new SoftmaxRegression<float>(2, 3);
        var optimizer = new AdamOptimizer<float>(network, 0.05);
        Train(network, optimizer, 5, features, labels);
        using var directory = new TemporaryDirectory();
        optimizer.SaveCheckpoint(directory.File("run.ngck"));
        var other = new SoftmaxRegression<float>(2, 3, seed: 7);
        var otherOptimizer = new AdamOptimizer<float>(other, 0.05);
        otherOptimizer.LoadCheckpoint(directory.File("run.ngck"));
        Assert.Equal(network.Parameters, other.Parameters);
        Assert.Equal(5, otherOptimizer.StepCount);
        Assert.Single(directory.Files());
    }

    [Fact]
    public void A_checkpoint_that_does_not_fit_is_refused_and_changes_nothing()
    {
        var (features, labels) = Data();
        var network = new SoftmaxRegression<float>(2, 3);
        var adam = new AdamOptimizer<float>(network, 0.05);
        Train(network, adam, 3, features, labels);
        using var saved = new MemoryStream();
        adam.SaveCheckpoint(saved);
        byte[] file = saved.ToArray();

        void Refused(IOptimizer<float> optimizer, byte[] bytes, string expected)
        {
            float[] before = (float[])optimizer.Network.Parameters.Clone();
            long steps = optimizer.StepCount;
            double rate = optimizer.LearningRate;
            var refusal = Assert.Throws<InvalidDataException>(() => optimizer.LoadCheckpoint(new MemoryStream(bytes)));
            Assert.Contains(expected, refusal.Message);
            Assert.Equal(before, optimizer.Network.Parameters);
            Assert.Equal(steps, optimizer.StepCount);
            Assert.Equal(rate, optimizer.LearningRate);
        }

        var fresh = new SoftmaxRegression<float>(2, 3, seed: 5);
        Refused(new SgdOptimizer<float>(fresh, 0.3, momentum: 0.5), file, "saved from Adam, and this optimizer is SGD");
        Refused(new AdamOptimizer<float>(fresh, 0.3, beta1: 0.5), file, "beta1 = 0.9, and this optimizer has beta1 = 0.5");
        var wider = new SoftmaxRegression<float>(3, 3);
        Refused(new AdamOptimizer<float>(wider), file, "state array 0 holds 9 values; the network has 12 parameters");
        Refused(new AdamOptimizer<float>(fresh), file.Take(file.Length - 2).ToArray(), "truncated");
        byte[] flipped = (byte[])file.Clone();
        flipped[40] ^= 1;
        Refused(new AdamOptimizer<float>(fresh), flipped, "checksum mismatch");
        Refused(new AdamOptimizer<float>(fresh), new byte[] { 1, 2, 3, 4, 5 }, "bad magic");

        var doubles = new SoftmaxRegression<double>(2, 3);
        Assert.Contains("element type mismatch", Assert.Throws<InvalidDataException>(() => new AdamOptimizer<double>(doubles).LoadCheckpoint(new MemoryStream(file))).Message);
    }

    [Fact]
    public void Only_this_library_s_optimizers_can_be_checkpointed()
    {
        var network = new SoftmaxRegression<float>(2, 3);
        var refused = Assert.Throws<NotSupportedException>(() => new RecordingOptimizer(network).SaveCheckpoint(new MemoryStream()));
        Assert.Contains("only AdamOptimizer<T> and SgdOptimizer<T> can be checkpointed", refused.Message);
        Assert.Equal("optimizer", Assert.Throws<ArgumentNullException>(() => ((IOptimizer<float>)null!).SaveCheckpoint(new MemoryStream())).ParamName);
    }

    private sealed class RecordingOptimizer(INetwork<float> network) : IOptimizer<float>
    {
        public INetwork<float> Network => network;
        public double LearningRate { get; set; }
        public long StepCount => 0;
        public bool Step() => true;
        public void Reset() { }
    }
}
