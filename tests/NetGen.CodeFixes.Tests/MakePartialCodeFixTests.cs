using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.CodeFixes.Tests;

/// <summary>NG0001 and NG0003: the fix adds 'partial' where C# wants it, keeps the layout, and the generator then accepts the class.</summary>
public class MakePartialCodeFixTests
{
    private static readonly MakePartialCodeFixProvider Fixer = new();

    [Theory]
    [InlineData("[Network] [Linear(2, 2)] public class Net { }", "[Network] [Linear(2, 2)] public partial class Net { }")]
    [InlineData("[Network] [Linear(2, 2)] internal sealed class Net { }", "[Network] [Linear(2, 2)] internal sealed partial class Net { }")]
    [InlineData("[Network]\n[Linear(2, 2)]\nclass Net { }", "[Network]\n[Linear(2, 2)]\npartial class Net { }")]
    [InlineData("namespace App\n{\n    [Network] [Linear(2, 2)]\n    class Net { }\n}", "namespace App\n{\n    [Network] [Linear(2, 2)]\n    partial class Net { }\n}")]
    public async Task NG0001_AddsPartialToTheNetworkClass(string before, string after)
    {
        Document fixedDocument = await CodeFixHarness.ApplyFirstAsync(CodeFixHarness.CreateDocument("using NetGen;\n" + before), Fixer);

        Assert.Equal("using NetGen;\n" + after, await CodeFixHarness.TextAsync(fixedDocument));
        var (diagnostics, sources) = await CodeFixHarness.GenerateAsync(fixedDocument);
        Assert.Empty(diagnostics);
        Assert.Single(sources);
    }

    [Theory]
    [InlineData("public class Outer { [Network] [Linear(2, 2)] public partial class Net { } }", "public partial class Outer { [Network] [Linear(2, 2)] public partial class Net { } }")]
    [InlineData("public static class Models { [Network] [Linear(2, 2)] public partial class Net { } }", "public static partial class Models { [Network] [Linear(2, 2)] public partial class Net { } }")]
    [InlineData("struct Holder { [Network] [Linear(2, 2)] public partial class Net { } }", "partial struct Holder { [Network] [Linear(2, 2)] public partial class Net { } }")]
    public async Task NG0003_AddsPartialToTheContainingType(string before, string after)
    {
        Document fixedDocument = await CodeFixHarness.ApplyFirstAsync(CodeFixHarness.CreateDocument("using NetGen;\n" + before), Fixer);

        Assert.Equal("using NetGen;\n" + after, await CodeFixHarness.TextAsync(fixedDocument));
        var (diagnostics, sources) = await CodeFixHarness.GenerateAsync(fixedDocument);
        Assert.Empty(diagnostics);
        Assert.Single(sources);
    }

    [Fact]
    public async Task EachNonPartialTypeGetsItsOwnFix()
    {
        Document document = CodeFixHarness.CreateDocument("using NetGen;\npublic class Outer { [Network] [Linear(2, 2)] public class Net { } }");

        var titles = (await CodeFixHarness.ActionsAsync(document, Fixer)).Select(a => a.Title).OrderBy(t => t, System.StringComparer.Ordinal);

        Assert.Equal(new[] { "Make 'Net' partial", "Make 'Outer' partial" }, titles);
    }
}
