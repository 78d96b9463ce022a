using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using NetGen.Runtime.Tests.TestNetworks;
using NetGen.Safetensors;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Which module of a safetensors file holds which layer: PyTorch's save_file sorts names, so only
/// nn.Sequential indices say the order; elsewhere shapes decide, and where they cannot, the load is
/// refused until WeightLoadOptions.ModuleNames says it. Checked on files PyTorch wrote
/// (tests/fixtures/pytorch, named_module_cases in make_fixtures.py) against PyTorch's outputs.
/// </summary>
public class ModuleOrderTests
{
    private static string Fixture(string file) => Path.Combine(FixtureCase.Directory, file);

    /// <summary>Checks that <paramref name="network"/> gives PyTorch's outputs for the case's inputs.</summary>
    private static void AssertGivesPyTorchsOutputs(string caseName, INetwork<float> network)
    {
        FixtureCase fixture = FixtureCase.Load(caseName);
        Assert.Equal(fixture.Architecture, network.Architecture);
        double[] expected = fixture.Outputs.SelectMany(r => r).ToArray();
        double[] actual = AnyNetwork.Forward(network, fixture.Inputs.SelectMany(r => r).ToArray(), fixture.Inputs.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[i])), $"{caseName}, output {i}: PyTorch {expected[i]:R}, NetGen {actual[i]:R}");
        }
    }

    private static InvalidDataException Refused(INetwork<float> network, string path, WeightLoadOptions? options = null)
    {
        // Values no file here holds, so that a load that wrote anything would show.
        for (int i = 0; i < network.Parameters.Length; i++) network.Parameters[i] = 0.25f + i;
        long[] before = AnyNetwork.ParameterBits(network);
        var error = Assert.Throws<InvalidDataException>(() => network.LoadSafetensors(path, options ?? WeightLoadOptions.Default));
        Assert.Equal(before, AnyNetwork.ParameterBits(network));
        return error;
    }

    [Fact]
    public void Named_modules_that_only_one_order_fits_load_whatever_their_sorted_names_say()
    {
        // Sorted, the modules are embed, ff, head, mlp; the model runs embed, mlp, ff, head, and only that fits.
        var network = new NamedUniqueNet();
        network.LoadSafetensors(Fixture("named_unique.safetensors"));
        AssertGivesPyTorchsOutputs("named_unique", network);
    }

    [Fact]
    public void Two_modules_of_one_shape_with_names_that_fix_no_order_are_refused_naming_them()
    {
        string message = Refused(new NamedAmbiguousNet(), Fixture("named_ambiguous.safetensors")).Message;
        Assert.StartsWith("Cannot load safetensors: ", message, StringComparison.Ordinal);
        Assert.Contains("Linear layers 2 and 3 (each Linear(16,16)) could take modules \"ff\" or \"mlp\" in either order", message, StringComparison.Ordinal);
        Assert.Contains("new WeightLoadOptions { ModuleNames = new[] { \"embed\", \"ff\", \"mlp\", \"out\" } }, with \"ff\" and \"mlp\" in their true order", message, StringComparison.Ordinal);
        Assert.Contains("LoadOnnxWeights: an ONNX file carries the order of its layers", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Naming_the_modules_loads_them_in_that_order()
    {
        var network = new NamedAmbiguousNet();
        network.LoadSafetensors(Fixture("named_ambiguous.safetensors"), new WeightLoadOptions { ModuleNames = new[] { "embed", "mlp", "ff", "out" } });
        AssertGivesPyTorchsOutputs("named_ambiguous", network);

        // The other order fits the shapes too, and loads the modules swapped: the names decide, not a guess.
        var swapped = new NamedAmbiguousNet();
        swapped.LoadSafetensors(Fixture("named_ambiguous.safetensors"), new WeightLoadOptions { ModuleNames = new[] { "embed", "ff", "mlp", "out" } });
        Assert.Equal(network.Parameters.AsSpan(16 * 4 + 16, 16 * 16 + 16).ToArray(), swapped.Parameters.AsSpan(16 * 4 + 16 + 16 * 16 + 16, 16 * 16 + 16).ToArray());
        Assert.NotEqual(network.Parameters, swapped.Parameters);
    }

    [Fact]
    public void A_module_name_may_leave_out_the_prefix_where_only_one_module_ends_so()
    {
        var architecture = NetworkArchitecture.Parse(new NamedAmbiguousNet().Architecture);
        float[] values = Enumerable.Range(0, architecture.ParameterCount).Select(i => i / 1000f).ToArray();
        string[] modules = { "model.embed", "model.mlp", "model.ff", "model.out" };
        List<RawTensor> tensors = SafetensorsFiles.Linear(architecture, values)
            .Select(t => t with { Name = modules[int.Parse(t.Name.Substring(0, t.Name.IndexOf('.'))) / 2] + t.Name.Substring(t.Name.IndexOf('.')) })
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        byte[] file = SafetensorsFiles.Build(tensors);

        var network = new NamedAmbiguousNet();
        network.LoadSafetensors(new MemoryStream(file), new WeightLoadOptions { ModuleNames = new[] { "embed", "mlp", "model.ff", "out" } });
        Assert.Equal(values, network.Parameters);

        var error = Assert.Throws<InvalidDataException>(() => network.LoadSafetensors(new MemoryStream(file), new WeightLoadOptions { ModuleNames = new[] { "embed", "mlpp", "ff", "out" } }));
        Assert.Contains("module name \"mlpp\" (for Linear layer 2, Linear(16,16)) names no one module of the file: no module of the file is named so; the file's modules are \"model.embed\", \"model.ff\", \"model.mlp\", \"model.out\"", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<InvalidDataException>(() => network.LoadSafetensors(new MemoryStream(file), new WeightLoadOptions { ModuleNames = new[] { "embed", "mlp", "model.mlp", "out" } }));
        Assert.Contains("module names \"mlp\" and \"model.mlp\" (for Linear layers 2 and 3) both name module \"model.mlp\"", error.Message, StringComparison.Ordinal);
        // A named order whose shapes do not fit says which tensor.
        error = Assert.Throws<InvalidDataException>(() => network.LoadSafetensors(new MemoryStream(file), new WeightLoadOptions { ModuleNames = new[] { "out", "mlp", "ff", "embed" } }));
        Assert.Contains("tensor \"model.out.weight\" has shape [3, 16], but it is named for Linear layer 1, Linear(4,16), whose weight is [16, 4]", error.Message, StringComparison.Ordinal);
        Assert.Equal(values, network.Parameters);
    }

    [Fact]
    public void Module_names_that_cannot_fit_the_network_are_a_bad_argument()
    {
        var network = new NamedAmbiguousNet();
        string path = Fixture("named_ambiguous.safetensors");
        var count = Assert.Throws<ArgumentException>(() => network.LoadSafetensors(path, new WeightLoadOptions { ModuleNames = new[] { "embed", "mlp", "ff" } }));
        Assert.Equal("options", count.ParamName);
        Assert.Contains("ModuleNames has 3 names, but the network has 4 Linear layers", count.Message, StringComparison.Ordinal);
        var twice = Assert.Throws<ArgumentException>(() => network.LoadSafetensors(new MemoryStream(File.ReadAllBytes(path)), new WeightLoadOptions { ModuleNames = new[] { "embed", "mlp", "mlp", "out" } }));
        Assert.Contains("names \"mlp\" twice (for Linear layers 2 and 3)", twice.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<ArgumentException>(() => network.LoadSafetensors(path, new WeightLoadOptions { ModuleNames = new[] { "embed", "", "ff", "out" } }));
        Assert.Contains("ModuleNames[1] is empty", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Where_no_order_fits_the_message_names_the_layer_and_the_tensors()
    {
        RawTensor Tensor(string name, params long[] shape) => new(name, "F32", shape, new byte[4 * shape.Aggregate(1L, (a, b) => a * b)]);

        // Two modules could come first and neither fits Linear layer 1.
        string message = Assert.Throws<InvalidDataException>(() => new IrisNet().LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(new[]
        {
            Tensor("a.bias", 5), Tensor("a.weight", 5, 4), Tensor("b.bias", 3), Tensor("b.weight", 3, 16),
        })))).Message;
        Assert.Contains("no module of the file fits Linear layer 1, Linear(4,16), which takes a weight [16, 4] and a bias [16] (or none): the modules that could come next, " +
            "\"a\" (\"a.bias\" [5], \"a.weight\" [5, 4]) and \"b\" (\"b.bias\" [3], \"b.weight\" [3, 16]), have other shapes", message, StringComparison.Ordinal);

        // One module left for the last layer: its tensor is named, and a transposed weight is recognised.
        message = Assert.Throws<InvalidDataException>(() => new IrisNet().LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(new[]
        {
            Tensor("first.weight", 16, 4), Tensor("second.weight", 16, 3),
        })))).Message;
        Assert.Contains("tensor \"second.weight\" has shape [16, 3], but it falls to Linear layer 2, Linear(16,3), whose weight is [3, 16] ([outputs, inputs], the layout of nn.Linear.weight). It is transposed", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_fix_the_order_only_for_container_indices_and_recurrent_layers()
    {
        FileModule M(string path, int? stack = null) => new(path, stack);
        Assert.True(ModuleOrder.CertainlyBefore(M("0"), M("2")));
        Assert.True(ModuleOrder.CertainlyBefore(M("net.2"), M("net.10")));
        Assert.False(ModuleOrder.CertainlyBefore(M("net.10"), M("net.2")));
        Assert.True(ModuleOrder.CertainlyBefore(M("encoder.0.attn"), M("encoder.1.mlp")));
        Assert.True(ModuleOrder.CertainlyBefore(M("gru", 0), M("gru", 1)));
        Assert.False(ModuleOrder.CertainlyBefore(M("gru", 1), M("gru", 0)));
        // Attribute names say nothing about when forward calls them, numbers in them included.
        Assert.False(ModuleOrder.CertainlyBefore(M("ff"), M("mlp")));
        Assert.False(ModuleOrder.CertainlyBefore(M("mlp"), M("ff")));
        Assert.False(ModuleOrder.CertainlyBefore(M("fc1"), M("fc2")));
        Assert.False(ModuleOrder.CertainlyBefore(M("encoder.0"), M("head")));
        Assert.False(ModuleOrder.CertainlyBefore(M("a.0"), M("b.1")));
    }

    [Fact]
    public void A_Linear_without_bias_loads_with_a_zero_bias_and_gives_PyTorchs_outputs()
    {
        var network = new BiasFreeNet();
        network.InitializeParameters(3);
        network.LoadSafetensors(Fixture("bias_free.safetensors"));
        Assert.All(network.Parameters.AsSpan(4 * 8, 8).ToArray(), b => Assert.Equal(0f, b));
        AssertGivesPyTorchsOutputs("bias_free", network);
    }

    [Theory]
    [InlineData("iris.pt", "a zip archive (it starts with \"PK\\x03\\x04\")")]
    [InlineData("iris.legacy.pt", "a Python pickle (protocol 2)")]
    public void A_file_from_torch_save_is_refused_saying_how_to_save_safetensors(string file, string what)
    {
        string message = Refused(new IrisNet(), Fixture(file)).Message;
        Assert.Contains("the data is " + what + ", which is what torch.save writes (a .pt or .pth file)", message, StringComparison.Ordinal);
        Assert.Contains("from safetensors.torch import save_file; save_file(model.state_dict(), \"model.safetensors\")", message, StringComparison.Ordinal);
        Assert.DoesNotContain("header length", message, StringComparison.Ordinal);
    }
}
