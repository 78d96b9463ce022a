using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests;

/// <summary>
/// The safetensors files PyTorch wrote (tests/fixtures/pytorch, made by make_fixtures.py from
/// state_dicts: F32, F64, F16, BF16, with and without a prefix, thirteen modules): each loads into the
/// network with that architecture, which then gives PyTorch's outputs for PyTorch's inputs.
/// </summary>
public class SafetensorsPyTorchTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Files() => FixtureCase.FilesOfKind("safetensors");

    [Theory]
    [MemberData(nameof(Files))]
    public void A_PyTorch_state_dict_loads_and_gives_PyTorchs_outputs(string caseName, string file)
    {
        FixtureCase fixture = FixtureCase.Load(caseName);
        object network = fixture.CreateNetwork();
        string path = Path.Combine(FixtureCase.Directory, file);
        switch (network)
        {
            case INetwork<float> f: f.LoadSafetensors(path); break;
            default: ((INetwork<double>)network).LoadSafetensors(path); break;
        }

        double[] inputs = fixture.Inputs.SelectMany(r => r).ToArray();
        double[] expected = fixture.Outputs.SelectMany(r => r).ToArray();
        double[] actual = AnyNetwork.Forward(network, inputs, fixture.Inputs.Length);
        Difference difference = Difference.Between(expected, actual);
        output.WriteLine($"{file} into {network.GetType().Name}: {difference}");

        // float: PyTorch and NetGen round differently (summation order, fused multiply-adds); double: a few ulps.
        double tolerance = network is INetwork<float> ? 2e-6 : 1e-13;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(System.Math.Abs(expected[i] - actual[i]) <= tolerance * System.Math.Max(1, System.Math.Abs(expected[i])),
                $"{file}, output {i}: PyTorch {expected[i]:R}, NetGen {actual[i]:R}");
        }
    }

    [Fact]
    public void The_fixtures_cover_every_dtype_and_the_generated_networks_they_name()
    {
        var files = FixtureCase.FilesOfKind("safetensors").Select(f => (string)f[1]).ToList();
        Assert.Contains("iris_f16.safetensors", files);
        Assert.Contains("iris_bf16.safetensors", files);
        Assert.Contains("d_deeper.safetensors", files);   // F64
        Assert.Contains("iris.prefixed.safetensors", files);
        Assert.Contains("thirteen_modules.safetensors", files);
        // Every case but the one of kinds the generator lacks runs on a generated network.
        foreach (string name in FixtureCase.Names().Where(n => n != "activations"))
        {
            Assert.NotNull(SuiteNetworks.WithArchitecture(FixtureCase.Load(name).Architecture));
        }
    }
}
