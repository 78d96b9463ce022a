using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>The generated code compiles cleanly wherever users compile it: C# 8 (.NET Framework, Mono), C# 9 (Unity) and the latest.</summary>
public class CompilationTests
{
    private readonly ITestOutputHelper _output;

    public CompilationTests(ITestOutputHelper output) => _output = output;

    /// <summary>The declarations below, and one per kind in the catalogues, so that a new kind is compiled at C# 8 and 9 at once.</summary>
    public static TheoryData<string> Declarations
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string declaration in Fixed) data.Add(declaration);
            foreach (Kinds.LayerDefinition kind in Kinds.LayerCatalog.All)
            {
                string sample = kind.Kind switch
                {
                    Model.LayerKind.LeakyReLU => "LeakyReLU(0.2)",
                    // The residual markers make a network only as a pair around a layer.
                    Model.LayerKind.Residual => "Residual] [ReLU] [EndResidual",
                    Model.LayerKind.EndResidual => "Residual] [Linear(6, 6)] [Tanh] [EndResidual",
                    _ => ShapeKindSamples.Layer(kind.Kind) is null ? kind.CanonicalText(LayerCatalogTests.Sample(kind.Kind, 6, 6)).Replace(",", ", ") : "",
                };
                foreach (Kinds.Losses.LossDefinition loss in Kinds.Losses.LossCatalog.All.Where(l => l.RequiredBefore is null || l.RequiredBefore == kind.Kind))
                {
                    string? shaped = kind.Kind == Model.LayerKind.BatchNorm2D
                        ? $"[Network] [Input(2, 3, 3)] [BatchNorm2D(2)] [Flatten] [Linear(18, 6)] [{loss.Name}]"
                        : ShapeKindSamples.Declaration(kind.Kind, loss.Name);
                    data.Add(shaped is null
                        ? $"[Network] [Linear(4, 6)] [{sample}] [{loss.Name}] public partial class Net {{ }}"
                        : shaped + " public partial class Net { }");
                }
            }
            return data;
        }
    }

    private static readonly string[] Fixed =
    {
        "[Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss] public partial class Net { }",
        "[Network(typeof(double))] [Linear(1, 33)] [ReLU] [Linear(33, 13)] [ReLU] [Linear(13, 7)] [Softmax] [CrossEntropyLoss] public partial class Net { }",
        "[Network] [Linear(7, 13)] [ReLU] [Linear(13, 1)] public partial class Net { }",
        "[Network] [Softmax] [Linear(3, 3)] [ReLU] [Softmax] public partial class Net { }",
        "[Network(FullUnroll = true)] [Linear(64, 64)] [ReLU] [Linear(64, 10)] [Softmax] [CrossEntropyLoss] public partial class Net { }",
        "[Network] [Linear(784, 512)] [ReLU] [Linear(512, 512)] [ReLU] [Linear(512, 10)] [Softmax] [CrossEntropyLoss] public partial class Net { }",
        "[Network] [Linear(20000, 4)] [Linear(4, 20000)] [ReLU] [Linear(20000, 2)] public partial class Net { }",
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void CompilesWithoutWarningsAtCSharp9(string declaration)
        => AssertCompilesCleanly("using NetGen;\n" + declaration, LanguageVersion.CSharp9);

    /// <summary>C# 8 is the oldest the generated code needs (NG0030 below it): .NET Framework and Mono projects that set it.</summary>
    [Theory]
    [MemberData(nameof(Declarations))]
    public void CompilesWithoutWarningsAtCSharp8(string declaration)
        => AssertCompilesCleanly("using NetGen;\n" + declaration, LanguageVersion.CSharp8);

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3)]
    [InlineData(LanguageVersion.CSharp7)]
    public void OlderThanCSharp8ReportsNG0030AndGeneratesNothing(LanguageVersion version)
    {
        // A .NET Framework project's defaults: C# 7.3, no nullable context.
        CSharpCompilation compilation = GeneratorHarness.Compile(
            "using NetGen;\n[Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss] public partial class IrisNet { }", version);
        compilation = compilation.WithOptions(compilation.Options.WithNullableContextOptions(NullableContextOptions.Disable));
        GeneratorHarness.Run run = GeneratorHarness.Generate(compilation, version);

        Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0030", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("Network", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
        string message = error.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'IrisNet'", message, System.StringComparison.Ordinal);
        Assert.Contains("C# " + version.ToDisplayString(), message, System.StringComparison.Ordinal);
        Assert.Contains("<LangVersion>8.0</LangVersion>", message, System.StringComparison.Ordinal);
        // No generated file, so the compiler adds no errors of its own inside one: NG0030 is the only error.
        Assert.Empty(run.Sources);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }

    [Theory]
    [MemberData(nameof(Declarations))]
    public void CompilesWithoutWarningsAtTheLatestVersion(string declaration)
        => AssertCompilesCleanly("using NetGen;\nnamespace App;\n" + declaration, LanguageVersion.Latest);

    [Fact]
    public void ReportsTheSizeOfTheMnistNetwork()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network] [Linear(784, 128)] [ReLU] [Linear(128, 10)] [Softmax] [CrossEntropyLoss] public partial class Mnist { }");
        string text = run.Sources.Single().SourceText.ToString();
        int lines = text.Split('\n').Length;
        _output.WriteLine($"784-128-10: {text.Length} characters, {lines} lines");

        // The kernels are shared, so the source does not grow with the layer sizes.
        Assert.InRange(text.Length, 10_000, 40_000);
    }

    private static void AssertCompilesCleanly(string source, LanguageVersion version)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(source, version);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        using var stream = new System.IO.MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
    }

    [Fact]
    public void FullUnrollOfALargeLayerWarnsAndStillCompiles()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network(FullUnroll = true)] [Linear(100, 100)] [ReLU] [Linear(100, 10)] public partial class Net { }");

        Diagnostic warning = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0020", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("[Linear(100, 100)]", warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Equal("Linear(100, 100)", warning.Location.SourceTree!.GetText().ToString(warning.Location.SourceSpan));
        // The 100 x 10 layer (1,000 weights) is written out; the 100 x 100 one keeps the shared kernel.
        string text = run.Sources.Single().SourceText.ToString();
        Assert.Contains("private static void ForwardLayer3(", text, System.StringComparison.Ordinal);
        Assert.DoesNotContain("private static void ForwardLayer1(", text, System.StringComparison.Ordinal);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }
}
