using System;
using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Baked weights for a convolutional network: the file's tensors of a PyTorch nn.Sequential with a
/// convolution (names "0.weight", "0.bias", "3.weight", ...) land where the layout table puts them, as
/// the library's LoadSafetensors places them, and a convolution weight of the wrong shape is NG0028.
/// </summary>
public class ConvolutionBakedWeightsTests
{
    private const string Declaration = """
        using NetGen;
        namespace App;

        [Network(Weights = "cnn.safetensors.b64")]
        [Input(2, 5)] [Conv1D(2, 3, 2, Groups = 1)] [ReLU] [MaxPool1D(2)] [Flatten] [Linear(6, 2)]
        public partial class Cnn { }
        """;

    private static float[] Values(int count, float scale) => Enumerable.Range(0, count).Select(i => scale * (i - (count / 2f))).ToArray();

    private static SafetensorsFiles File(long[] convolutionShape) => new SafetensorsFiles()
        .F32("0.weight", convolutionShape, Values((int)convolutionShape.Aggregate(1L, (a, b) => a * b), 0.125f))
        .F32("0.bias", new long[] { 3 }, Values(3, 0.5f))
        .F32("4.weight", new long[] { 2, 6 }, Values(12, 0.25f))
        .F32("4.bias", new long[] { 2 }, Values(2, 1f));

    [Fact]
    public void AConvolutionsTensorsAreBakedInLayoutOrder()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration, File(new long[] { 3, 2, 2 }).AsAdditionalText("cnn.safetensors.b64"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        float[] expected = Values(12, 0.125f).Concat(Values(3, 0.5f)).Concat(Values(12, 0.25f)).Concat(Values(2, 1f)).ToArray();
        float[] actual = BakedWeightsTests.Run<float>(run, "App.Cnn", network => network.Parameters);
        Assert.Equal(expected, actual);
        Assert.Contains("\"0.weight\" [3, 2, 2] (F32)", Assert.Single(run.Sources).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AConvolutionWeightOfTheWrongShapeIsNG0028()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration, File(new long[] { 3, 2, 3 }).AsAdditionalText("cnn.safetensors.b64"));

        Microsoft.CodeAnalysis.Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0028", d.Id);
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("[3, 2, 3]", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Linear layer", message, StringComparison.Ordinal);
    }
}
