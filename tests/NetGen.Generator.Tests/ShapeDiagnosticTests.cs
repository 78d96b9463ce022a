using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The shape diagnostics (NG0050-NG0059, issue 17): each on the attribute that breaks the shape, naming the
/// shape that flows in and where it comes from, the only error of its declaration, and no code generated;
/// and the shapes that fit generate a network whose architecture text says them.
/// </summary>
public class ShapeDiagnosticTests
{
    /// <summary>The one NG diagnostic of the run, an error on <paramref name="marked"/>, and no generated code.</summary>
    private static string Single(string declaration, string id, string marked)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n" + declaration + " public partial class Net { }");
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(marked, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        Assert.Empty(run.Sources);
        return d.GetMessage(CultureInfo.InvariantCulture);
    }

    [Fact]
    public void NG0050_InputAfterALayer()
    {
        string message = Single("[Network] [Linear(4, 3)] [Input(4)] [ReLU]", "NG0050", "Input(4)");
        Assert.Contains("it comes after [Linear]", message);
    }

    [Fact]
    public void NG0051_InputSizesMustBePositive()
        => Assert.Contains("[Input(1, 0, 8)]", Single("[Network] [Input(1, 0, 8)] [Conv2D(1, 2, 3)] [Flatten] [Linear(2, 1)]", "NG0051", "Input(1, 0, 8)"));

    [Fact]
    public void NG0052_ChannelsThatDoNotMatch()
    {
        string message = Single("[Network] [Input(1, 8, 8)] [Conv2D(3, 8, 3, Padding = 1)] [Flatten] [Linear(512, 2)]", "NG0052", "Conv2D(3, 8, 3, Padding = 1)");
        Assert.Equal("[Conv2D(3, 8, 3, Padding = 1)] takes 3 channels, but (1, 8, 8) flows into it from [Input(1, 8, 8)], which has 1: write [Conv2D(1, 8, 3, Padding = 1)]", message);
    }

    [Fact]
    public void NG0052_NamesTheLayerTheShapeComesFrom()
        => Assert.Contains("(4, 6) flows into it from [Conv1D(2, 4, 3)]",
            Single("[Network] [Input(2, 8)] [Conv1D(2, 4, 3)] [ReLU] [Conv1D(2, 4, 3)] [GlobalAvgPool] [Linear(4, 1)]", "NG0052", "Conv1D(2, 4, 3)"));

    [Fact]
    public void NG0053_LinearAfterAConvolutionWithoutFlatten()
    {
        string message = Single("[Network] [Input(1, 8, 8)] [Conv2D(1, 2, 3)] [MaxPool2D(2)] [Linear(18, 10)] [Softmax] [CrossEntropyLoss]", "NG0053", "Linear(18, 10)");
        Assert.Equal("[Linear(18, 10)] takes a flat sample, but (2, 3, 3) flows into it from [MaxPool2D(2)]: put [Flatten] (or [GlobalAvgPool]) before it", message);
    }

    [Fact]
    public void NG0053_SoftmaxAfterAConvolution()
        => Assert.Contains("(3, 6) flows into it from [Conv1D(2, 3, 3)]",
            Single("[Network] [Input(2, 8)] [Conv1D(2, 3, 3)] [Softmax]", "NG0053", "Softmax"));

    [Fact]
    public void NG0054_A1DLayerAfterA2DShape()
        => Assert.Contains("takes (channels, length), but (4, 6, 6) flows into it from [Conv2D(1, 4, 3)]",
            Single("[Network] [Input(1, 8, 8)] [Conv2D(1, 4, 3)] [MaxPool1D(2)] [Flatten] [Linear(72, 2)]", "NG0054", "MaxPool1D(2)"));

    [Fact]
    public void NG0054_AConvolutionAfterAFlatShape()
        => Assert.Contains("a flat sample has no channels",
            Single("[Network] [Linear(4, 8)] [Conv1D(1, 2, 3)] [Flatten] [Linear(12, 2)]", "NG0054", "Conv1D(1, 2, 3)"));

    [Fact]
    public void NG0054_GlobalAvgPoolAfterAFlatShape()
        => Single("[Network] [Linear(4, 8)] [GlobalAvgPool] [Linear(1, 2)]", "NG0054", "GlobalAvgPool");

    [Fact]
    public void NG0055_AKernelLargerThanThePaddedInput()
        => Assert.Contains("a window of 5 positions, but (2, 4) flows into it from [Input(2, 4)], 4 positions padded",
            Single("[Network] [Input(2, 4)] [Conv1D(2, 3, 5)] [GlobalAvgPool] [Linear(3, 1)]", "NG0055", "Conv1D(2, 3, 5)"));

    [Fact]
    public void NG0055_DilationWidensTheWindow()
        => Assert.Contains("a window of 7 positions",
            Single("[Network] [Input(1, 6, 6)] [Conv2D(1, 2, 3, Dilation = 3)] [GlobalAvgPool] [Linear(2, 1)]", "NG0055", "Conv2D(1, 2, 3, Dilation = 3)"));

    [Fact]
    public void NG0055_APoolLargerThanItsInput()
        => Single("[Network] [Input(1, 8)] [Conv1D(1, 2, 5)] [MaxPool1D(5)] [Flatten] [Linear(2, 1)]", "NG0055", "MaxPool1D(5)");

    [Fact]
    public void NG0056_GroupsThatDoNotDivideTheChannels()
        => Assert.Equal("[Conv1D(4, 6, 3, Groups = 4)] has 4 groups, which must divide both its 4 input and 6 output channels",
            Single("[Network] [Input(4, 9)] [Conv1D(4, 6, 3, Groups = 4)] [GlobalAvgPool] [Linear(6, 1)]", "NG0056", "Conv1D(4, 6, 3, Groups = 4)"));

    [Theory]
    [InlineData("Conv2D(1, 2, 0)")]
    [InlineData("Conv2D(1, 2, 3, Stride = 0)")]
    [InlineData("Conv2D(1, 2, 3, Padding = -1)")]
    [InlineData("Conv2D(1, 2, 3, Dilation = 0)")]
    [InlineData("Conv2D(1, 2, 3, Groups = 0)")]
    [InlineData("Conv2D(0, 2, 3)")]
    public void NG0057_ConvolutionArgumentsOutOfRange(string convolution)
        => Single($"[Network] [Input(1, 8, 8)] [{convolution}] [GlobalAvgPool] [Linear(2, 1)]", "NG0057", convolution);

    [Theory]
    [InlineData("AvgPool2D(0)")]
    [InlineData("MaxPool2D(2, Stride = 0)")]
    [InlineData("MaxPool2D(2, Padding = -1)")]
    public void NG0057_PoolArgumentsOutOfRange(string pool)
        => Single($"[Network] [Input(1, 8, 8)] [Conv2D(1, 2, 3)] [{pool}] [GlobalAvgPool] [Linear(2, 1)]", "NG0057", pool);

    [Fact]
    public void NG0058_PoolPaddingLargerThanHalfTheKernel()
        => Assert.Contains("use Padding = 1 or less",
            Single("[Network] [Input(1, 8, 8)] [Conv2D(1, 2, 3)] [AvgPool2D(3, Padding = 2)] [GlobalAvgPool] [Linear(2, 1)]", "NG0058", "AvgPool2D(3, Padding = 2)"));

    [Fact]
    public void NG0059_AConvolutionWithoutAnInput()
        => Assert.Contains("e.g. [Input(channels, height, width)]",
            Single("[Network] [Conv2D(1, 2, 3)] [GlobalAvgPool] [Linear(2, 1)]", "NG0059", "Conv2D(1, 2, 3)"));

    [Fact]
    public void ShapesThatFitGenerateTheirArchitecture()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n[Network] [Input(1, 8, 8)] [Conv2D(1, 8, 3, Padding = 1)] [ReLU] [MaxPool2D(2)] [Flatten] [Linear(128, 10)] [Softmax] [CrossEntropyLoss] public partial class Net { }");
        Assert.Empty(run.GeneratorDiagnostics);
        string source = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Contains("\"float: Input(1,8,8) Conv2D(1,8,3,1,1,1,1) ReLU MaxPool2D(2,2,0) Flatten Linear(128,10) Softmax CrossEntropyLoss\"", source);
        Assert.Contains("public const int InputSize = 64;", source);
        Assert.Empty(run.CompilationProblems.Select(p => p.ToString()));
    }

    [Fact]
    public void AnInputBeforeALinearMustAgreeWithIt()
        => Assert.Contains("[Linear(4, 3)] takes 4 inputs, but 5 values flow into it",
            string.Join("\n", GeneratorHarness.Generate("using NetGen;\n[Network] [Input(5)] [Linear(4, 3)] public partial class Net { }").GeneratorDiagnostics.Select(d => d.GetMessage(CultureInfo.InvariantCulture))));
}
