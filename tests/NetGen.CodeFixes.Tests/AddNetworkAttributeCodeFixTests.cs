using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Xunit;

namespace NetGen.CodeFixes.Tests;

/// <summary>NG0016: the fix adds [Network] before the first layer, spelled so that it binds to NetGen's, and the generator then accepts the class.</summary>
public class AddNetworkAttributeCodeFixTests
{
    private static readonly AddNetworkAttributeCodeFixProvider Fixer = new();

    [Theory]
    [InlineData(
        "using NetGen;\n[Linear(2, 2)] [ReLU] public partial class Net { }",
        "using NetGen;\n[Network] [Linear(2, 2)] [ReLU] public partial class Net { }")]
    [InlineData(
        "using NetGen;\nnamespace App\n{\n    /// <summary>A network.</summary>\n    [Linear(2, 2)]\n    [Softmax]\n    partial class Net { }\n}",
        "using NetGen;\nnamespace App\n{\n    /// <summary>A network.</summary>\n    [Network]\n    [Linear(2, 2)]\n    [Softmax]\n    partial class Net { }\n}")]
    [InlineData(
        "using NetGen;\n[System.Serializable]\n[Linear(2, 2)] partial class Net { }",
        "using NetGen;\n[System.Serializable]\n[Network] [Linear(2, 2)] partial class Net { }")]
    [InlineData(
        "[NetGen.Linear(2, 2)] public partial class Net { }",
        "[NetGen.Network] [NetGen.Linear(2, 2)] public partial class Net { }")]
    [InlineData(
        "namespace App { sealed class NetworkAttribute : System.Attribute { } [NetGen.Linear(2, 2)] partial class Net { } }",
        "namespace App { sealed class NetworkAttribute : System.Attribute { } [NetGen.Network] [NetGen.Linear(2, 2)] partial class Net { } }")]
    public async Task NG0016_AddsNetworkBeforeTheFirstLayer(string before, string after)
    {
        Document document = CodeFixHarness.CreateDocument(before);
        Assert.Contains((await CodeFixHarness.GenerateAsync(document)).Diagnostics, d => d.Id == "NG0016");

        Document fixedDocument = await CodeFixHarness.ApplyFirstAsync(document, Fixer);

        Assert.Equal(after, await CodeFixHarness.TextAsync(fixedDocument));
        var (diagnostics, sources) = await CodeFixHarness.GenerateAsync(fixedDocument);
        Assert.Empty(diagnostics);
        Assert.Single(sources);
    }

    [Fact]
    public async Task TheActionNamesTheClass()
    {
        Document document = CodeFixHarness.CreateDocument("using NetGen;\n[Linear(2, 2)] public partial class Forgotten { }");

        CodeAction action = Assert.Single(await CodeFixHarness.ActionsAsync(document, Fixer));

        Assert.Equal("Add [Network] to 'Forgotten'", action.Title);
    }
}
