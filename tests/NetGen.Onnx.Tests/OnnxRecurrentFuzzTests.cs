using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Interop.Tests;
using NetGen.Onnx.Protobuf;
using NetGen.Onnx.Tests.Recurrent;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Sequence models (NetGen's exports and torch.onnx.export files) changed at random in their structure: an
/// operator, a removed or inserted node, an input rewired, an attribute removed, changed or added. The loader
/// must throw InvalidDataException and nothing else, leaving the parameters as they were; or, if it accepts
/// the model, the model must still compute the declared network: ONNX Runtime's outputs of the changed model
/// must be NetGen's outputs after the load (a model ONNX Runtime itself refuses to run is counted apart).
/// </summary>
public class OnnxRecurrentFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 1500;

    private static readonly string[] OpTypes =
    {
        "Relu", "Tanh", "Sigmoid", "Softmax", "LeakyRelu", "Identity", "Transpose", "Squeeze", "Unsqueeze", "MatMul", "Add", "Mul",
        "GRU", "LSTM", "Gemm", "Shape", "Expand", "Slice", "Concat", "Neg", "ConstantOfShape", "Gather",
    };

    private static readonly AttributeProto[] Attributes =
    {
        new() { Name = "clip", Type = AttributeProto.Types.AttributeType.Float, F = 3 },
        new() { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("reverse") },
        new() { Name = "linear_before_reset", Type = AttributeProto.Types.AttributeType.Int, I = 0 },
        new() { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = 4 },
        new() { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 },
        new() { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 0.5f },
        new() { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 1 } },
        new() { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0 } },
    };

    private static readonly string[] TorchFixtures = { "gru", "lstm_stacked", "gru_activations", "gru_time_first_silu", "lstm_static_opset17" };

    [Fact]
    public void Changed_sequence_models_are_refused_cleanly_or_still_compute_the_declaration()
    {
        int refused = 0, computeTheSame = 0, runtimeRefuses = 0;
        var clock = Stopwatch.StartNew();
        for (int seed = 0; seed < Cases; seed++)
        {
            switch (Check(seed))
            {
                case Outcome.Refused: refused++; break;
                case Outcome.ComputesTheSame: computeTheSame++; break;
                default: runtimeRefuses++; break;
            }
        }

        output.WriteLine($"{Cases} changed models: {refused} refused with InvalidDataException, {computeTheSame} accepted and computing the declaration in ONNX Runtime, {runtimeRefuses} accepted but not run by ONNX Runtime, in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(refused > Cases / 2, $"only {refused} of {Cases} changed models were refused: the changes are too mild to test the loader");
        Assert.True(computeTheSame > 0, "no changed model was accepted, so the comparison with ONNX Runtime never ran");
    }

    private enum Outcome { Refused, ComputesTheSame, RuntimeRefuses }

    private static Outcome Check(int seed)
    {
        var random = new Random(seed);
        (object template, byte[] intact, bool timeFirst) = Template(random);
        ModelProto model = ModelProto.Parser.ParseFrom(intact);
        int changes = 1 + random.Next(2);
        for (int c = 0; c < changes; c++) Change(model, random);
        byte[] changed = model.ToByteArray();

        object target = Activator.CreateInstance(template.GetType())!;
        TestData.Randomize(target, seed);
        long[] before = AnyNetwork.ParameterBits(target);
        try
        {
            TestData.Load(target, changed);
        }
        catch (InvalidDataException)
        {
            Assert.Equal(before, AnyNetwork.ParameterBits(target));
            return Outcome.Refused;
        }

        // Accepted: the changed model must compute what the network now computes.
        var network = (ISequenceNetwork<float>)target;
        const int batch = 2, steps = 3;
        double[] inputs = TestData.Inputs(batch * steps * network.InputSize, seed);
        double[] runtime;
        try
        {
            // A batch_first=False model takes and gives [steps, batch, features].
            int[] shape = timeFirst ? new[] { steps, batch, network.InputSize } : new[] { batch, steps, network.InputSize };
            Dictionary<string, double[]> results = OnnxRuntimeRunner.Run(changed, timeFirst ? SwapBatchAndSteps(inputs, batch, steps) : inputs, shape, isDouble: false);

            // The loader checked that the chain ends in a graph output; a changed model may have renamed it.
            if (!results.TryGetValue("output", out runtime!)) return Outcome.RuntimeRefuses;
            if (timeFirst) runtime = SwapBatchAndSteps(runtime, steps, batch);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            // Mostly changes to the zero state's shape nodes, which the loader does not evaluate: still the declared weights.
            return Outcome.RuntimeRefuses;
        }

        var expected = new float[batch * steps * network.OutputSize];
        network.Forward(Array.ConvertAll(inputs, v => (float)v), expected, batch, steps);
        Assert.Equal(expected.Length, runtime.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - runtime[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"seed {seed}: the accepted model gives {runtime[i]:R} at {i} in ONNX Runtime, the loaded network {expected[i]:R}");
        }

        return Outcome.ComputesTheSame;
    }

    /// <summary>[first, second, features] to [second, first, features].</summary>
    private static double[] SwapBatchAndSteps(double[] values, int first, int second)
    {
        int features = values.Length / (first * second);
        var result = new double[values.Length];
        for (int a = 0; a < first; a++) for (int b = 0; b < second; b++) Array.Copy(values, (a * second + b) * features, result, (b * first + a) * features, features);
        return result;
    }

    /// <summary>A float sequence network and a model of it: NetGen's export (opset 9 or 13) or a torch.onnx.export fixture; whether the model is steps first.</summary>
    private static (object Network, byte[] Model, bool TimeFirst) Template(Random random)
    {
        int which = random.Next(3);
        if (which < 2)
        {
            object network = which == 0 ? new OnnxMixedFloat() : new OnnxLstmStackedTanhFloat();
            TestData.Randomize(network, random.Next());
            return (network, TestData.Export(network, new OnnxExportOptions { Opset = random.Next(2) == 0 ? 9 : 13 }), false);
        }

        string fixture = TorchFixtures[random.Next(TorchFixtures.Length)];
        object torch = fixture switch
        {
            "gru" => new TorchGruFloat(),
            "lstm_stacked" => new TorchLstmStackedFloat(),
            "gru_activations" => new TorchGruActivationsFloat(),
            "gru_time_first_silu" => new TorchGruTimeFirstSiluFloat(),
            _ => new TorchLstmStaticFloat(),
        };
        return (torch, File.ReadAllBytes(Path.Combine(FixtureCase.Directory, $"recurrent_onnx_{fixture}.onnx")), fixture == "gru_time_first_silu");
    }

    private static void Change(ModelProto model, Random random)
    {
        var nodes = model.Graph.Node;
        if (nodes.Count == 0) return;
        NodeProto node = nodes[random.Next(nodes.Count)];
        List<string> values = nodes.SelectMany(n => n.Output).Concat(model.Graph.Initializer.Select(t => t.Name)).Append("input").Append("").ToList();
        switch (random.Next(7))
        {
            case 0:
                node.OpType = OpTypes[random.Next(OpTypes.Length)];
                break;
            case 1:
                nodes.Remove(node);
                break;
            case 2:
                // A unary node after this one, which its consumers read instead.
                if (node.Output.Count == 0) break;
                string original = node.Output[0], before = original + "_before";
                node.Output[0] = before;
                nodes.Insert(nodes.IndexOf(node) + 1, new NodeProto { OpType = OpTypes[random.Next(6)], Name = "inserted", Input = { before }, Output = { original } });
                break;
            case 3:
                if (node.Input.Count > 0) node.Input[random.Next(node.Input.Count)] = values[random.Next(values.Count)];
                break;
            case 4:
                if (node.Attribute.Count > 0) node.Attribute.RemoveAt(random.Next(node.Attribute.Count));
                break;
            case 5:
                if (node.Attribute.Count == 0) break;
                AttributeProto attribute = node.Attribute[random.Next(node.Attribute.Count)];
                attribute.I += random.Next(2) == 0 ? 1 : -1;
                attribute.F *= 2;
                if (attribute.Ints.Count > 0) attribute.Ints[random.Next(attribute.Ints.Count)] += 1;
                break;
            default:
                AttributeProto added = Attributes[random.Next(Attributes.Length)].Clone();
                if (node.Attribute.All(a => a.Name != added.Name)) node.Attribute.Add(added);
                break;
        }
    }
}
