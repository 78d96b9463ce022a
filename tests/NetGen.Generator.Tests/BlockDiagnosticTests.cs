using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>NG0080-NG0085: residual blocks, normalisation and dropout declared wrongly, each on the attribute at fault.</summary>
public class BlockDiagnosticTests
{
    /// <summary>The one diagnostic with <paramref name="id"/>, an error with no code generated, and the text it marks.</summary>
    private static (Diagnostic Diagnostic, string Marked) Single(string layers, string id)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate($"using NetGen;\n[Network] {layers} public partial class Net {{ }}");
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Empty(run.Sources);
        return (diagnostic, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    [Fact]
    public void NG0080_EndResidualWithoutResidual()
    {
        (Diagnostic d, string marked) = Single("[Linear(4, 4)] [ReLU] [EndResidual] [Linear(4, 2)]", "NG0080");
        Assert.Equal("EndResidual", marked);
        Assert.Contains("no [Residual] before it is still open", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0080_ASecondEndResidualAfterTheBlockClosed()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n[Network] [Linear(4, 4)] [Residual] [ReLU] [EndResidual] [EndResidual] public partial class Net { }");
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0080", d.Id);
        // The second one, not the first.
        Assert.Equal(run.Output.SyntaxTrees.First().ToString().LastIndexOf("EndResidual", System.StringComparison.Ordinal), d.Location.SourceSpan.Start);
    }

    [Fact]
    public void NG0081_ResidualNeverClosedIsReportedOnEachOpenMarker()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n[Network] [Linear(4, 4)] [Residual] [ReLU] [Residual] [Tanh] [MSELoss] public partial class Net { }");
        Diagnostic[] unclosed = run.GeneratorDiagnostics.Where(d => d.Id == "NG0081").ToArray();
        Assert.Equal(2, unclosed.Length);
        Assert.All(unclosed, d => Assert.Equal("Residual", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)));
        Assert.Contains("no [EndResidual] closes", Message(unclosed[0]), System.StringComparison.Ordinal);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void NG0082_ABlockThatChangesTheShape()
    {
        (Diagnostic d, string marked) = Single("[Linear(4, 8)] [Residual] [Linear(8, 3)] [EndResidual] [MSELoss]", "NG0082");
        Assert.Equal("EndResidual", marked);
        Assert.Equal("The residual block closed here takes 8 and makes 3 (from [Linear(8, 3)]): y = x + f(x) adds the block's input to its output, so its layers must keep the shape", Message(d));
    }

    [Fact]
    public void NG0083_AnEmptyBlock()
    {
        (Diagnostic d, string marked) = Single("[Linear(4, 8)] [Residual] [EndResidual] [MSELoss]", "NG0083");
        Assert.Equal("Residual", marked);
        Assert.Contains("no layer between them", Message(d), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Linear(4, 8)] [BatchNorm1D(6)] [MSELoss]", "BatchNorm1D(6)", "[BatchNorm1D(6)] normalises 6 features, but 8 flows into it from [Linear(4, 8)]: write [BatchNorm1D(8)]")]
    [InlineData("[BatchNorm1D(3)] [Linear(4, 2)] [MSELoss]", "BatchNorm1D(3)", "[BatchNorm1D(3)] normalises 3 features, but 4 flows into it from the network's input: write [BatchNorm1D(4)]")]
    public void NG0084_BatchNormFeaturesThatDoNotMatch(string layers, string expectedMark, string message)
    {
        (Diagnostic d, string marked) = Single(layers, "NG0084");
        Assert.Equal(expectedMark, marked);
        Assert.Equal(message, Message(d));
    }

    [Theory]
    [InlineData("Dropout(1.0)", "1")]
    [InlineData("Dropout(-0.1)", "-0.1")]
    [InlineData("Dropout(1.5)", "1.5")]
    [InlineData("Dropout(double.NaN)", "NaN")]
    public void NG0085_DropoutProbabilityOutsideZeroToOne(string attribute, string shown)
    {
        (Diagnostic d, string marked) = Single($"[Linear(4, 8)] [{attribute}] [Linear(8, 2)]", "NG0085");
        Assert.Equal(attribute, marked);
        Assert.StartsWith($"[Dropout({shown})] drops each value with probability p", Message(d), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dropout(0)")]
    [InlineData("Dropout(0.999)")]
    public void DropoutProbabilitiesInsideTheRangeGenerate(string attribute)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate($"using NetGen;\n[Network] [Linear(4, 8)] [{attribute}] [Linear(8, 2)] public partial class Net {{ }}");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void NestedBlocksThatKeepTheShapeGenerateAndCompile()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n[Network] [Residual] [Linear(4, 4)] [Residual] [LayerNorm] [Tanh] [EndResidual] [EndResidual] [BatchNorm1D(4)] [MSELoss] public partial class Net { }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationProblems);
    }
}
