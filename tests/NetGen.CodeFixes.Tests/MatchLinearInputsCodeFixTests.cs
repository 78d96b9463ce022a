using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.CodeFixes.Tests;

/// <summary>NG0007: the fix writes the width flowing in as the Linear's inputs, however the argument was written.</summary>
public class MatchLinearInputsCodeFixTests
{
    private static readonly MatchLinearInputsCodeFixProvider Fixer = new();

    [Theory]
    [InlineData("[Linear(4, 8)] [ReLU] [Linear(16, 3)]", "[Linear(4, 8)] [ReLU] [Linear(8, 3)]")]
    [InlineData("[Linear(4, 8)] [Linear(outputs: 3, inputs: 16)]", "[Linear(4, 8)] [Linear(outputs: 3, inputs: 8)]")]
    [InlineData("[Linear(4, 8)] [Linear(inputs: 2 * 8 + 1, outputs: 3)]", "[Linear(4, 8)] [Linear(inputs: 8, outputs: 3)]")]
    [InlineData("[Linear(4, 8)] [NetGen.LinearAttribute( 9 , 3)]", "[Linear(4, 8)] [NetGen.LinearAttribute( 8 , 3)]")]
    [InlineData("[Linear(4, 1000)] [Softmax] [Linear(999, 3)]", "[Linear(4, 1000)] [Softmax] [Linear(1000, 3)]")]
    public async Task RewritesTheInputsToTheWidthFlowingIn(string before, string after)
    {
        Document document = CodeFixHarness.CreateDocument($"using NetGen;\n[Network] {before} public partial class Net {{ }}");

        Document fixedDocument = await CodeFixHarness.ApplyFirstAsync(document, Fixer);

        Assert.Equal($"using NetGen;\n[Network] {after} public partial class Net {{ }}", await CodeFixHarness.TextAsync(fixedDocument));
        var (diagnostics, sources) = await CodeFixHarness.GenerateAsync(fixedDocument);
        Assert.Empty(diagnostics);
        Assert.Single(sources);
    }

    [Fact]
    public async Task TheTitleSaysWhichWidth()
    {
        Document document = CodeFixHarness.CreateDocument("using NetGen;\n[Network] [Linear(4, 8)] [Linear(16, 3)] public partial class Net { }");

        Assert.Equal("Take 8 inputs, the width flowing in", Assert.Single(await CodeFixHarness.ActionsAsync(document, Fixer)).Title);
    }

    [Fact]
    public async Task TheGeneratorPutsTheWidthInTheDiagnosticsProperties()
    {
        Document document = CodeFixHarness.CreateDocument("using NetGen;\n[Network] [Linear(4, 8)] [ReLU] [Linear(16, 3)] [Linear(3, 2)] public partial class Net { }");

        Diagnostic diagnostic = Assert.Single((await CodeFixHarness.GenerateAsync(document)).Diagnostics);

        Assert.Equal("NG0007", diagnostic.Id);
        Assert.Equal("8", diagnostic.Properties["ExpectedInputs"]);
    }

    [Fact]
    public async Task TwoMismatchesAreFixedOneAtATime()
    {
        // Each fix changes the width downstream only through its own layer's inputs, so the second
        // diagnostic's width stays right after the first fix.
        Document document = CodeFixHarness.CreateDocument("using NetGen;\n[Network] [Linear(4, 8)] [Linear(9, 5)] [Linear(6, 2)] public partial class Net { }");

        document = await CodeFixHarness.ApplyFirstAsync(document, Fixer);
        document = await CodeFixHarness.ApplyFirstAsync(document, Fixer);

        Assert.Equal("using NetGen;\n[Network] [Linear(4, 8)] [Linear(8, 5)] [Linear(5, 2)] public partial class Net { }", await CodeFixHarness.TextAsync(document));
        Assert.Empty((await CodeFixHarness.GenerateAsync(document)).Diagnostics);
    }
}
