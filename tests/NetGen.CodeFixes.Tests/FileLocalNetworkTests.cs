using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;
using Xunit;

namespace NetGen.CodeFixes.Tests;

/// <summary>
/// NG0032, a file-local network class. Here rather than in NetGen.Generator.Tests because C# 11's
/// <c>file</c> needs a Roslyn of 4.4 or later to parse, and those tests pin 4.3.1; this project runs 4.5.
/// Before NG0032 the generator threw on such a class (CS8785, a hint name with '&lt;'), and every network
/// of the project lost its code and its diagnostics.
/// </summary>
public class FileLocalNetworkTests
{
    private static (ImmutableArray<Diagnostic> Generator, ImmutableArray<GeneratedSourceResult> Sources, Compilation Output) Run(string source)
    {
        Document document = CodeFixHarness.CreateDocument("using NetGen;\n" + source);
        Compilation compilation = document.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: new CSharpParseOptions(LanguageVersion.Latest))
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return (result.Diagnostics, result.GeneratedSources, output);
    }

    [Fact]
    public void NG0032_OnTheFileLocalClass_AndTheOtherNetworksStillGenerate()
    {
        var (diagnostics, sources, output) = Run("""
            [Network] [Linear(2, 2)] [MSELoss] file partial class LocalNet { }
            [Network] [Linear(4, 8)] [Linear(16, 3)] public partial class Bad { }
            [Network] [Linear(4, 8)] [ReLU] [Linear(8, 3)] public partial class Good { }
            """);

        Diagnostic local = Assert.Single(diagnostics, d => d.Id == "NG0032");
        Assert.Equal(DiagnosticSeverity.Error, local.Severity);
        Assert.Equal("LocalNet", local.Location.SourceTree!.GetText().ToString(local.Location.SourceSpan));
        Assert.Contains("remove 'file'", local.GetMessage(), System.StringComparison.Ordinal);
        Assert.Single(diagnostics, d => d.Id == "NG0007");
        Assert.Equal(2, diagnostics.Length);
        Assert.Equal("Good.g.cs", Assert.Single(sources).HintName);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !d.Location.SourceTree!.FilePath.EndsWith("Networks.cs", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void NG0032_OnANetworkInsideAFileLocalType()
    {
        var (diagnostics, sources, _) = Run("""
            file partial class Models { [Network] [Linear(2, 2)] public partial class Net { } }
            """);

        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("NG0032", d.Id);
        Assert.Equal("Net", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        Assert.Contains("'Models', which contains it", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.Empty(sources);
    }
}
