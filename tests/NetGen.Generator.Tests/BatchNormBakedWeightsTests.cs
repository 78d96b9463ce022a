using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Baked weights carry a BatchNorm layer's running statistics (issue 19, item 4): PyTorch's trained
/// state_dict (tests/fixtures/pytorch/batchnorm_*.safetensors, make_batchnorm_state_reference.py) baked into
/// a network gives the Buffers LoadSafetensors loads, bit for bit, and PyTorch's eval() outputs;
/// ResetToBakedParameters restores them after training moved them.
/// </summary>
public class BatchNormBakedWeightsTests
{
    [Theory]
    [InlineData("bn1d", "", "[Linear(5, 6)] [BatchNorm1D(6)] [ReLU] [Linear(6, 3)] [MSELoss]")]
    [InlineData("bn1d", "typeof(double), ", "[Linear(5, 6)] [BatchNorm1D(6)] [ReLU] [Linear(6, 3)] [MSELoss]")]
    [InlineData("bn2d", "typeof(double), ", "[Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU] [Flatten] [Linear(60, 2)] [MSELoss]")]
    [InlineData("bn2d", "", "[Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU] [Flatten] [Linear(60, 2)] [MSELoss]")]
    public void ABakedBatchNormNetworkStartsFromTheTrainedRunningStatistics(string name, string elementType, string layers)
    {
        string fixture = "batchnorm_" + name + ".safetensors";
        byte[] bytes = File.ReadAllBytes(RepositoryFiles.PathOf("tests/fixtures/pytorch/" + fixture));
        string source = $"using NetGen; [Network({elementType}Weights = \"{fixture}.b64\")] {layers} public partial class Baked {{ }}";

        GeneratorHarness.Run run = GeneratorHarness.Generate(source, new InMemoryAdditionalText("/repo/weights/" + fixture + ".b64", SafetensorsFiles.Base64(bytes)));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        string text = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Contains($"running_var: \"1.running_var\"", text, StringComparison.Ordinal);
        // The buffers start baked; the fresh start exists only as InitializeParameters' reset, not as a second, unused factory.
        Assert.Contains("Buffers { get; } = CreateBakedBuffers();", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CreateInitialBuffers", text, StringComparison.Ordinal);
        if (elementType.Length == 0) Check<float>(run, bytes, name);
        else Check<double>(run, bytes, name);
    }

    private static void Check<T>(GeneratorHarness.Run run, byte[] bytes, string name) where T : unmanaged
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("tests/fixtures/pytorch/batchnorm_state.json")));
        JsonElement reference = document.RootElement.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);
        double[] inputs = reference.GetProperty("inputs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] expected = reference.GetProperty("eval_outputs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        int batch = reference.GetProperty("batch").GetInt32();

        (long[] Baked, long[] Loaded, double[] Outputs, long[] Reset) result = BakedWeightsTests.Run<T, (long[], long[], double[], long[])>(run, "Baked", network =>
        {
            long[] baked = Bits(network.Buffers);
            var outputs = new T[batch * network.OutputSize];
            network.Forward(inputs.Select(From<T>).ToArray(), outputs, batch);

            // A training call moves the running statistics; ResetToBakedParameters brings back the baked ones.
            network.Backward(inputs.Select(From<T>).ToArray(), new T[batch * network.OutputSize]);
            Assert.NotEqual(baked, Bits(network.Buffers));
            network.GetType().GetMethod("ResetToBakedParameters")!.Invoke(network, null);
            long[] reset = Bits(network.Buffers);

            var loaded = (INetwork<T>)Activator.CreateInstance(network.GetType())!;
            Array.Clear(loaded.Buffers);
            loaded.LoadSafetensors(new MemoryStream(bytes));
            return (baked, Bits(loaded.Buffers), outputs.Select(ToDouble).ToArray(), reset);
        });

        Assert.Equal(result.Loaded, result.Baked);
        Assert.Equal(result.Baked, result.Reset);
        double tolerance = typeof(T) == typeof(float) ? 1e-5 : 1e-12;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - result.Outputs[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"output {i}: {result.Outputs[i]} against PyTorch's {expected[i]}");
        }
    }

    private static T From<T>(double value) where T : unmanaged => typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;

    private static double ToDouble<T>(T value) where T : unmanaged => value is float f ? f : (double)(object)value;

    private static long[] Bits<T>(T[] values) where T : unmanaged
        => values.Select(v => v is float f ? BitConverter.SingleToInt32Bits(f) : BitConverter.DoubleToInt64Bits((double)(object)v)).ToArray();
}
