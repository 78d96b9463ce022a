using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.CodeFixes.Tests;

/// <summary>NG0053: the fix puts a Flatten before a Linear or Softmax that is given a shape of rank 2 or 3, however the attributes were written.</summary>
public class InsertFlattenCodeFixTests
{
    private static readonly InsertFlattenCodeFixProvider Fixer = new();

    [Theory]
    // Conv1D(1, 2, 3) over 1 x 8 gives 2 x 6, which flattens to the Linear's 12 inputs.
    [InlineData("[Input(1, 8)] [Conv1D(1, 2, 3)] [Linear(12, 3)]", "[Input(1, 8)] [Conv1D(1, 2, 3)] [Flatten] [Linear(12, 3)]")]
    [InlineData("[Input(1, 8)] [Conv1D(1, 2, 3)] [ReLU] [Linear(12, 3)] [Softmax]", "[Input(1, 8)] [Conv1D(1, 2, 3)] [ReLU] [Flatten] [Linear(12, 3)] [Softmax]")]
    // Several layers in one list: the Flatten goes into that list, where the order of the layers is kept.
    [InlineData("[Input(1, 8)] [Conv1D(1, 2, 3), ReLU, Linear(12, 3)]", "[Input(1, 8)] [Conv1D(1, 2, 3), ReLU, Flatten, Linear(12, 3)]")]
    [InlineData("[Input(1, 8)] [Conv1D(1, 2, 3)]\n[Linear(12, 3), Softmax]", "[Input(1, 8)] [Conv1D(1, 2, 3)]\n[Flatten, Linear(12, 3), Softmax]")]
    // Reached through the namespace: the Flatten is written the same way, so it resolves without a using.
    [InlineData("[Input(1, 8)] [Conv1D(1, 2, 3)] [NetGen.LinearAttribute(12, 3)]", "[Input(1, 8)] [Conv1D(1, 2, 3)] [NetGen.Flatten] [NetGen.LinearAttribute(12, 3)]")]
    [InlineData("[Input(1, 8)] [Conv1D(1, 2, 3)] [global::NetGen.Linear(12, 3)]", "[Input(1, 8)] [Conv1D(1, 2, 3)] [global::NetGen.Flatten] [global::NetGen.Linear(12, 3)]")]
    // Softmax takes a flat sample too: 2 x 3 x 3 through Conv2D(2, 1, 2) is 1 x 2 x 2.
    [InlineData("[Input(2, 3, 3)] [Conv2D(2, 1, 2)] [Softmax]", "[Input(2, 3, 3)] [Conv2D(2, 1, 2)] [Flatten] [Softmax]")]
    public async Task InsertsAFlattenBeforeTheLayer(string before, string after)
    {
        Document document = CodeFixHarness.CreateDocument($"using NetGen;\n[Network] {before} public partial class Net {{ }}");

        Document fixedDocument = await CodeFixHarness.ApplyFirstAsync(document, Fixer);

        Assert.Equal($"using NetGen;\n[Network] {after} public partial class Net {{ }}", await CodeFixHarness.TextAsync(fixedDocument));
        var (diagnostics, sources) = await CodeFixHarness.GenerateAsync(fixedDocument);
        Assert.Empty(diagnostics);
        Assert.Single(sources);
    }

    [Fact]
    public async Task TheTitleNamesTheLayer()
    {
        Document document = CodeFixHarness.CreateDocument("using NetGen;\n[Network] [Input(1, 8)] [Conv1D(1, 2, 3)] [NetGen.LinearAttribute(12, 3)] public partial class Net { }");

        Assert.Equal("Insert [Flatten] before [Linear]", Assert.Single(await CodeFixHarness.ActionsAsync(document, Fixer)).Title);
    }

    [Fact]
    public async Task TheGeneratorReportsItOnTheLayerThatNeedsTheFlatSample()
    {
        const string source = "using NetGen;\n[Network] [Input(1, 8)] [Conv1D(1, 2, 3)] [Linear(12, 3)] public partial class Net { }";
        Document document = CodeFixHarness.CreateDocument(source);

        Diagnostic diagnostic = Assert.Single((await CodeFixHarness.GenerateAsync(document)).Diagnostics);

        Assert.Equal("NG0053", diagnostic.Id);
        Assert.Equal("Linear(12, 3)", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public async Task AWrongWidthAfterTheFlattenIsLeftToTheLinearInputsFix()
    {
        // The Linear was written for 10 inputs, but 2 x 6 flattens to 12: inserting the Flatten leaves
        // NG0007 alone, whose own fix then takes the flattened width.
        Document document = CodeFixHarness.CreateDocument("using NetGen;\n[Network] [Input(1, 8)] [Conv1D(1, 2, 3)] [Linear(10, 3)] public partial class Net { }");

        document = await CodeFixHarness.ApplyFirstAsync(document, Fixer);
        Diagnostic remaining = Assert.Single((await CodeFixHarness.GenerateAsync(document)).Diagnostics);
        Assert.Equal("NG0007", remaining.Id);
        document = await CodeFixHarness.ApplyFirstAsync(document, new MatchLinearInputsCodeFixProvider());

        Assert.Equal("using NetGen;\n[Network] [Input(1, 8)] [Conv1D(1, 2, 3)] [Flatten] [Linear(12, 3)] public partial class Net { }", await CodeFixHarness.TextAsync(document));
        Assert.Empty((await CodeFixHarness.GenerateAsync(document)).Diagnostics);
    }

    [Fact]
    public async Task EveryMissingFlattenIsOffered()
    {
        Document document = CodeFixHarness.CreateDocument(
            "using NetGen;\n[Network] [Input(1, 8)] [Conv1D(1, 2, 3)] [Linear(12, 3)] public partial class A { }\n" +
            "[Network] [Input(2, 3, 3)] [Conv2D(2, 1, 2)] [Softmax] public partial class B { }");

        Assert.Equal(
            new[] { "Insert [Flatten] before [Linear]", "Insert [Flatten] before [Softmax]" },
            (await CodeFixHarness.ActionsAsync(document, Fixer)).Select(a => a.Title).OrderBy(t => t, System.StringComparer.Ordinal).ToArray());
    }
}
