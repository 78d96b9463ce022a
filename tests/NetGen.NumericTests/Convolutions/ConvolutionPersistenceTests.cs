using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.Convolutions;

/// <summary>
/// Convolutional networks through the library's files: LoadSafetensors of PyTorch's nn.Sequential
/// state_dict (conv_cnn_*.safetensors, make_conv_network_reference.py), SaveSafetensors and
/// SaveParameters round trips, and a file whose convolution weight has the wrong shape refused with the
/// layer and the tensor named, the parameters unchanged.
/// </summary>
public class ConvolutionPersistenceTests
{
    private static string FixturePath(string file) => Path.Combine(Path.GetDirectoryName(typeof(ConvolutionPersistenceTests).Assembly.Location)!, "fixtures", file);

    private static double[] FixtureParameters(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(FixturePath("conv_networks.json")));
        JsonElement network = document.RootElement.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);
        return network.GetProperty("parameters").EnumerateArray().Select(v => v.GetDouble()).ToArray();
    }

    [Fact]
    public void LoadSafetensorsPlacesASequentialCnnsTensors()
    {
        var net = new DCnn2D();
        net.LoadSafetensors(FixturePath("conv_cnn_2d.safetensors"));
        // The file holds PyTorch's float64 values exactly; the JSON's decimal text parses to the same bits on
        // .NET and within an ulp on Mono (whose double.Parse is not correctly rounded), so an ulp is allowed:
        // a tensor loaded into the wrong place would be off by its whole value.
        Numbers.AssertClose("parameters", FixtureParameters("cnn_2d"), net.Parameters, new Tolerance(1e-15, 1e-15));
    }

    [Fact]
    public void LoadSafetensorsPlacesA1DCnnsTensorsWhateverItsParameterFreeModules()
    {
        // PyTorch's Sequential has AdaptiveAvgPool1d and Flatten where NetGen has one GlobalAvgPool: the
        // indices still order the modules (0 < 3 < 8).
        var net = new FCnn1D();
        net.LoadSafetensors(FixturePath("conv_cnn_1d.safetensors"));
        // Within a float's rounding of a value Mono may parse an ulp away (see above).
        Numbers.AssertClose("parameters", FixtureParameters("cnn_1d"), Numbers.ToDouble<float>(net.Parameters), new Tolerance(1e-7, 1e-7));
    }

    [Fact]
    public void SafetensorsAndParameterFilesRoundTrip()
    {
        var source = new DCnn1D();
        source.InitializeParameters(5);
        using var safetensors = new MemoryStream();
        source.SaveSafetensors(safetensors);
        using var saved = new MemoryStream();
        source.SaveParameters(saved);

        var fromSafetensors = new DCnn1D();
        safetensors.Position = 0;
        fromSafetensors.LoadSafetensors(safetensors);
        Assert.Equal(source.Parameters, fromSafetensors.Parameters);

        var fromParameters = new DCnn1D();
        saved.Position = 0;
        fromParameters.LoadParameters(saved);
        Assert.Equal(source.Parameters, fromParameters.Parameters);
    }

    [Fact]
    public void AConvolutionWeightOfTheWrongShapeIsRefusedAndChangesNothing()
    {
        // The 2-D network's file into the 1-D network: four modules for three layers, and the message says what fits.
        var net = new DCnn1D();
        double[] before = net.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(FixturePath("conv_cnn_2d.safetensors")));
        Assert.Contains("\"0.weight\" [4, 2, 3]", error.Message);
        Assert.DoesNotContain("Linear layer", error.Message);
        Assert.Equal(before, net.Parameters);
    }
}
