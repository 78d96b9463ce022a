using System;
using System.IO;
using System.Linq;
using NetGen.Interop.Tests;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>
/// The rules LoadOnnxWeights shares with LoadSafetensors, on files PyTorch wrote (make_fixtures.py's
/// named_module_cases, bias_free_case and torch_save_files): a Linear without bias loads with a zero
/// bias; the order of named modules comes from the graph (so the embed, mlp, ff, out model whose
/// safetensors file must be refused loads from ONNX); module names are a safetensors option, refused
/// here rather than ignored; a torch.save file is named as one.
/// </summary>
public class OnnxLoadRulesTests
{
    private static string Fixture(string file) => Path.Combine(FixtureCase.Directory, file);

    [Theory]
    [InlineData("bias_free", "bias_free.opset13.onnx")]   // MatMul without an Add
    [InlineData("bias_free", "bias_free.opset9.onnx")]
    [InlineData("named_ambiguous", "named_ambiguous.opset13.onnx")]
    [InlineData("named_unique", "named_unique.opset13.onnx")]
    public void Loads_and_gives_PyTorchs_outputs(string caseName, string file)
    {
        FixtureCase fixture = FixtureCase.Load(caseName);
        var network = (INetwork<float>)fixture.CreateNetwork();
        network.LoadOnnxWeights(Fixture(file));

        double[] expected = fixture.Outputs.SelectMany(r => r).ToArray();
        double[] actual = AnyNetwork.Forward(network, fixture.Inputs.SelectMany(r => r).ToArray(), fixture.Inputs.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[i])), $"{file}, output {i}: PyTorch {expected[i]:R}, NetGen {actual[i]:R}");
        }

        if (caseName == "bias_free")
        {
            // Linear(4, 8) without bias: its 8 bias values follow its 32 weights.
            Assert.All(network.Parameters.AsSpan(32, 8).ToArray(), b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void The_same_bias_free_model_loads_the_same_from_safetensors_and_ONNX()
    {
        FixtureCase fixture = FixtureCase.Load("bias_free");
        var fromOnnx = (INetwork<float>)fixture.CreateNetwork();
        fromOnnx.LoadOnnxWeights(Fixture("bias_free.opset13.onnx"));
        var fromSafetensors = (INetwork<float>)fixture.CreateNetwork();
        fromSafetensors.LoadSafetensors(Fixture("bias_free.safetensors"));
        Assert.Equal(fromSafetensors.Parameters, fromOnnx.Parameters);
    }

    [Fact]
    public void Module_names_are_refused_since_the_graph_carries_the_order()
    {
        var network = (INetwork<float>)FixtureCase.Load("named_ambiguous").CreateNetwork();
        var options = new WeightLoadOptions { ModuleNames = new[] { "embed", "mlp", "ff", "out" } };
        var error = Assert.Throws<ArgumentException>(() => network.LoadOnnxWeights(Fixture("named_ambiguous.opset13.onnx"), options));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("an ONNX file carries its order in its graph", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => network.LoadOnnxWeights(new MemoryStream(File.ReadAllBytes(Fixture("named_ambiguous.opset13.onnx"))), options));
        Assert.Equal("options", error.ParamName);
    }

    [Theory]
    [InlineData("iris.pt", "a zip archive")]
    [InlineData("iris.legacy.pt", "a Python pickle")]
    public void A_file_from_torch_save_is_named_as_one(string file, string what)
    {
        var network = (INetwork<float>)FixtureCase.Load("iris").CreateNetwork();
        float[] before = network.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => network.LoadOnnxWeights(Fixture(file)));
        Assert.Contains("the data is " + what + ", which is what torch.save writes (a .pt or .pth file), not an ONNX model: export the model with torch.onnx.export", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters);
    }
}
