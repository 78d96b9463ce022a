using System;
using System.Linq;
using NetGen.NumericTests.Infrastructure;
using NetGen.NumericTests.LaneNetworks;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// Freeze(): a snapshot whose one-sample forward reads input-major weights (on .NET 8+ with AVX-512; the
/// network's own passes over a copy elsewhere). It must compute what the network computes (the double twin's
/// outputs, to float rounding), keep the parameters it was taken with until Refresh, run batches as the
/// network does, and check its arguments as the network does. The networks are LaneForwardTests's, which
/// cover every form a written-out step takes.
/// </summary>
public class FrozenForwardTests
{
    private delegate void OneSample(ReadOnlySpan<float> input, Span<float> output);

    private delegate void Batch(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize);

    /// <summary>A network of LaneForwardTests and its snapshot's members, which each network's own Frozen class declares.</summary>
    private sealed record Snapshot(INetwork<float> Network, INetwork<double> Twin, OneSample Forward, Batch ForwardBatch, Action Refresh);

    public static TheoryData<string> Networks => LaneForwardTests.Networks;

    private static Snapshot Freeze(string name)
    {
        switch (name)
        {
            case "scalar-in": { var n = new LaneScalarIn(); var f = n.Freeze(); return new Snapshot(n, new LaneScalarInTwin(), f.Forward, f.Forward, f.Refresh); }
            case "narrow": { var n = new LaneNarrow(); var f = n.Freeze(); return new Snapshot(n, new LaneNarrowTwin(), f.Forward, f.Forward, f.Refresh); }
            case "mixed": { var n = new LaneMixed(); var f = n.Freeze(); return new Snapshot(n, new LaneMixedTwin(), f.Forward, f.Forward, f.Refresh); }
            case "policy": { var n = new LanePolicy(); var f = n.Freeze(); return new Snapshot(n, new LanePolicyTwin(), f.Forward, f.Forward, f.Refresh); }
            case "blocks": { var n = new LaneBlocks(); var f = n.Freeze(); return new Snapshot(n, new LaneBlocksTwin(), f.Forward, f.Forward, f.Refresh); }
            case "nested-blocks": { var n = new LaneNestedBlocks(); var f = n.Freeze(); return new Snapshot(n, new LaneNestedBlocksTwin(), f.Forward, f.Forward, f.Refresh); }
            case "smooth": { var n = new LaneSmooth(); var f = n.Freeze(); return new Snapshot(n, new LaneSmoothTwin(), f.Forward, f.Forward, f.Refresh); }
            case "padded-actor": { var n = new LanePaddedActor(); var f = n.Freeze(); return new Snapshot(n, new LanePaddedActorTwin(), f.Forward, f.Forward, f.Refresh); }
            case "padded-wide": { var n = new LanePaddedWide(); var f = n.Freeze(); return new Snapshot(n, new LanePaddedWideTwin(), f.Forward, f.Forward, f.Refresh); }
            case "padded-layer": { var n = new LanePaddedLayer(); var f = n.Freeze(); return new Snapshot(n, new LanePaddedLayerTwin(), f.Forward, f.Forward, f.Refresh); }
            case "forager": { var n = new LaneForager(); var f = n.Freeze(); return new Snapshot(n, new LaneForagerTwin(), f.Forward, f.Forward, f.Refresh); }
            case "softmax-wide": { var n = new LaneSoftmaxWide(); var f = n.Freeze(); return new Snapshot(n, new LaneSoftmaxWideTwin(), f.Forward, f.Forward, f.Refresh); }
            default: throw new ArgumentException(name, nameof(name));
        }
    }

    /// <summary>Sets parameters of every size, so that a transposed weight read the wrong way round gives other outputs.</summary>
    private static void Randomize(INetwork<float> network, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < network.Parameters.Length; i++)
        {
            network.Parameters[i] = (float)((random.NextDouble() * 2) - 1);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void One_sample_agrees_with_the_double_twin(string name)
    {
        Snapshot frozen = Freeze(name);
        Randomize(frozen.Network, 71);
        frozen.Refresh();
        Numbers.ToDouble<float>(frozen.Network.Parameters).CopyTo(frozen.Twin.Parameters, 0);
        var random = new Random(73);
        var output = new float[frozen.Network.OutputSize];
        var expected = new double[frozen.Twin.OutputSize];
        foreach (double scale in new[] { 1.0, 4.0, 40.0 })
        {
            for (int sample = 0; sample < 25; sample++)
            {
                double[] input = Numbers.ToDouble<float>(Numbers.To<float>(Numbers.Uniform(random, frozen.Network.InputSize, scale)));
                frozen.Forward(Numbers.To<float>(input), output);
                frozen.Twin.Forward(input, expected);
                Numbers.AssertClose($"{name}, frozen, scale {scale}, sample {sample}", expected, output);
            }
        }
    }

    /// <summary>The snapshot keeps the parameters it was taken with until Refresh, which takes the network's current ones.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void The_snapshot_keeps_its_parameters_until_refreshed(string name)
    {
        Snapshot frozen = Freeze(name);
        INetwork<float> network = frozen.Network;
        float[] input = Numbers.To<float>(Numbers.Uniform(new Random(79), network.InputSize, 2.0));
        var before = new float[network.OutputSize];
        var expected = new float[network.OutputSize];
        var output = new float[network.OutputSize];
        frozen.Forward(input, before);
        network.Forward(input, expected);
        Numbers.AssertClose($"{name}, as frozen", Numbers.ToDouble<float>(expected), before);

        Randomize(network, 83);
        frozen.Forward(input, output);
        Numbers.AssertBitwiseEqual<float>($"{name}, after the network's parameters changed", before, output);
        network.Forward(input, expected);
        Assert.False(expected.SequenceEqual(before), $"{name}: new parameters should change the network's outputs, or this test shows nothing.");

        frozen.Refresh();
        frozen.Forward(input, output);
        Numbers.AssertClose($"{name}, refreshed", Numbers.ToDouble<float>(expected), output);
    }

    /// <summary>A batch through the snapshot runs the network's own batch passes over its copy: the network's bits.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void A_batch_gives_the_networks_bits(string name)
    {
        Snapshot frozen = Freeze(name);
        Randomize(frozen.Network, 89);
        frozen.Refresh();
        INetwork<float> network = frozen.Network;
        foreach (int batch in new[] { 1, 3, 19, 64 })
        {
            float[] inputs = Numbers.To<float>(Numbers.Uniform(new Random(97 + batch), batch * network.InputSize, 2.0));
            var expected = new float[batch * network.OutputSize];
            var outputs = new float[batch * network.OutputSize];
            network.Forward(inputs, expected, batch);
            frozen.ForwardBatch(inputs, outputs, batch);
            Numbers.AssertBitwiseEqual<float>($"{name}, batch {batch}", expected, outputs);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Wrong_lengths_throw_naming_the_argument(string name)
    {
        Snapshot frozen = Freeze(name);
        int inputSize = frozen.Network.InputSize, outputSize = frozen.Network.OutputSize;
        Assert.Equal("input", Assert.ThrowsAny<ArgumentException>(() => frozen.Forward(new float[inputSize + 1], new float[outputSize])).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => frozen.Forward(new float[inputSize], new float[outputSize - 1])).ParamName);
        Assert.Equal("batchSize", Assert.ThrowsAny<ArgumentException>(() => frozen.ForwardBatch(new float[inputSize], new float[outputSize], 0)).ParamName);
        Assert.Equal("inputs", Assert.ThrowsAny<ArgumentException>(() => frozen.ForwardBatch(new float[inputSize], new float[2 * outputSize], 2)).ParamName);
        Assert.Equal("outputs", Assert.ThrowsAny<ArgumentException>(() => frozen.ForwardBatch(new float[2 * inputSize], new float[outputSize], 2)).ParamName);
    }

    /// <summary>NaN and infinity pass through the snapshot as through the network.</summary>
    [Fact]
    public void Non_finite_inputs_pass_through_as_in_the_network()
    {
        Snapshot frozen = Freeze("narrow");
        var input = new float[LaneNarrow.InputSize];
        input[3] = float.NaN;
        var output = new float[LaneNarrow.OutputSize];
        frozen.Forward(input, output);
        Assert.All(output, value => Assert.True(float.IsNaN(value)));

        frozen = Freeze("scalar-in");
        var expected = new float[LaneScalarIn.OutputSize];
        var actual = new float[LaneScalarIn.OutputSize];
        foreach (float value in new[] { float.PositiveInfinity, float.NegativeInfinity, float.NaN })
        {
            frozen.Network.Forward(new[] { value }, expected);
            frozen.Forward(new[] { value }, actual);
            Assert.Equal(float.IsNaN(expected[0]), float.IsNaN(actual[0]));
            if (!float.IsNaN(expected[0]))
            {
                Assert.Equal(expected[0], actual[0]);
            }
        }
    }

    [Fact]
    public void Predict_is_the_largest_output_of_the_snapshot()
    {
        var net = new LaneForager();
        FrozenClassifier<float> frozen = net.Freeze();
        Assert.Same(net, frozen.Network);
        var random = new Random(101);
        var output = new float[LaneForager.OutputSize];
        for (int sample = 0; sample < 50; sample++)
        {
            float[] input = Numbers.To<float>(Numbers.Uniform(random, LaneForager.InputSize, 3.0));
            frozen.Forward(input, output);
            int best = 0;
            for (int k = 1; k < output.Length; k++)
            {
                best = output[k] > output[best] ? k : best;
            }
            Assert.Equal(best, frozen.Predict(input));
        }
    }

#if NET
    /// <summary>Forward, the batch Forward, Predict and Refresh allocate nothing once the snapshot exists.</summary>
    [Fact]
    public void Calls_allocate_nothing()
    {
        var net = new LanePolicy();
        FrozenNetwork<float> frozen = net.Freeze();
        var forager = new LaneForager().Freeze();
        var input = new float[LanePolicy.InputSize];
        var output = new float[LanePolicy.OutputSize];
        var inputs = new float[64 * LanePolicy.InputSize];
        var outputs = new float[64 * LanePolicy.OutputSize];
        var classify = new float[LaneForager.InputSize];
        void Calls()
        {
            frozen.Forward(input, output);
            frozen.Forward(inputs, outputs, 64);
            frozen.Forward(inputs.AsSpan(0, 3 * LanePolicy.InputSize), outputs.AsSpan(0, 3 * LanePolicy.OutputSize), 3);
            forager.Predict(classify);
            frozen.Refresh();
        }
        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Calls();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
#endif

    /// <summary>Where the written-out forward exists, so does its input-major twin (and the snapshot takes it on AVX-512).</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void The_snapshot_has_the_input_major_forward(string name)
    {
        Type? kernels = Freeze(name).Network.GetType().GetNestedType("Kernels", System.Reflection.BindingFlags.NonPublic);
        Assert.NotNull(kernels);
#if NET8_0_OR_GREATER
        Assert.NotNull(kernels!.GetMethod("ForwardInColumns"));
#else
        Assert.Null(kernels!.GetMethod("ForwardInColumns"));
#endif
    }
}
