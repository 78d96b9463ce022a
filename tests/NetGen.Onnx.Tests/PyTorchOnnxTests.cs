using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Interop.Tests;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>
/// The models torch.onnx.export wrote (tests/fixtures/pytorch, made by make_fixtures.py): opsets 13 and 9
/// for every case, and for Iris also MatMul + Add (a 3-D input), initializers listed as inputs, a graph
/// that ends at the logits, float_data instead of raw_data, and float16 and bfloat16 initializers. Each
/// loads into the network of its architecture, which then gives PyTorch's outputs for PyTorch's inputs;
/// where ONNX Runtime can run the file itself, it agrees too.
/// </summary>
public class PyTorchOnnxTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Files() => FixtureCase.FilesOfKind("onnx");

    [Theory]
    [MemberData(nameof(Files))]
    public void A_torch_onnx_export_loads_and_gives_PyTorchs_outputs(string caseName, string file)
    {
        FixtureCase fixture = FixtureCase.Load(caseName);
        FixtureFile entry = fixture.Files.Single(f => Path.GetFileName(f.Path) == file);
        object network = fixture.CreateNetwork();
        byte[] model = File.ReadAllBytes(entry.Path);
        TestData.Load(network, model);

        int batch = fixture.Inputs.Length;
        double[] inputs = fixture.Inputs.SelectMany(r => r).ToArray();
        double[] expected = fixture.Outputs.SelectMany(r => r).ToArray();
        double[] actual = AnyNetwork.Forward(network, inputs, batch);
        Difference fromPyTorch = Difference.Between(expected, actual);
        double tolerance = TestData.IsDouble(network) ? 1e-13 : 2e-6;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"{entry}, output {i}: PyTorch {expected[i]:R}, NetGen {actual[i]:R}");
        }

        string line = $"{entry} into {network.GetType().Name}: NetGen against PyTorch {fromPyTorch}";
        // The reduced-precision files keep a float graph with 16-bit initializers, which only NetGen reads.
        if (entry.Note is null || !entry.Note.Contains("initializers", StringComparison.Ordinal))
        {
            bool threeD = entry.Note?.Contains("[batch, 1, 4]", StringComparison.Ordinal) == true;
            int[] shape = threeD ? new[] { batch, 1, TestData.InputSize(network) } : new[] { batch, TestData.InputSize(network) };
            double[] runtime = OnnxRuntimeRunner.Run(model, inputs, shape, TestData.IsDouble(network)).Values.Single();
            if (entry.Note == "no final Softmax") runtime = Softmax(runtime, TestData.OutputSize(network));
            line += $"; ONNX Runtime on PyTorch's file against NetGen {Difference.Between(runtime, actual)}";
        }

        output.WriteLine(line);
    }

    private static double[] Softmax(double[] logits, int width)
    {
        var result = new double[logits.Length];
        for (int row = 0; row < logits.Length / width; row++)
        {
            double[] e = logits.Skip(row * width).Take(width).Select(Math.Exp).ToArray();
            for (int j = 0; j < width; j++) result[row * width + j] = e[j] / e.Sum();
        }

        return result;
    }
}
