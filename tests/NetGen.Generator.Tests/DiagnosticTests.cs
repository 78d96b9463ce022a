using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// One test per diagnostic: its id, that it is an error, where it points (the offending attribute, or
/// the declaration for partial, generic and nesting problems), that its message says what to write,
/// and that no code is generated for the class.
/// </summary>
public class DiagnosticTests
{
    private static Diagnostic Single(string source, string id, out GeneratorHarness.Run run)
    {
        run = GeneratorHarness.Generate("using NetGen;\n" + source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.True(diagnostic.Location.IsInSource);
        Assert.Empty(run.Sources);
        return diagnostic;
    }

    private static string Marked(Diagnostic diagnostic)
        => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    [Fact]
    public void NG0001_ClassNotPartial()
    {
        Diagnostic d = Single("[Network] [Linear(2, 2)] public class Net { }", "NG0001", out _);
        Assert.Equal("Net", Marked(d));
        Assert.Contains("partial class Net", d.GetMessage());
    }

    [Fact]
    public void NG0002_GenericClass()
    {
        Diagnostic d = Single("[Network] [Linear(2, 2)] public partial class Net<T> { }", "NG0002", out _);
        Assert.Equal("<T>", Marked(d));
        Assert.Contains("typeof(double)", d.GetMessage());
    }

    [Fact]
    public void NG0002_NestedInAGenericType()
    {
        Diagnostic d = Single("public partial class Outer<T> { [Network] [Linear(2, 2)] public partial class Net { } }", "NG0002", out _);
        Assert.Equal("Net", Marked(d));
    }

    [Fact]
    public void NG0003_ContainingTypeNotPartial()
    {
        Diagnostic d = Single("public class Outer { [Network] [Linear(2, 2)] public partial class Net { } }", "NG0003", out _);
        Assert.Equal("Outer", Marked(d));
        Assert.Contains("'Outer'", d.GetMessage());
    }

    [Fact]
    public void NG0004_UnsupportedElementType()
    {
        Diagnostic d = Single("[Network(typeof(int))] [Linear(2, 2)] public partial class Net { }", "NG0004", out _);
        Assert.Equal("Network(typeof(int))", Marked(d));
        Assert.Contains("'int'", d.GetMessage());
    }

    [Fact]
    public void NG0005_NoLinearLayer()
    {
        Diagnostic d = Single("[Network] [ReLU] [Softmax] public partial class Net { }", "NG0005", out _);
        Assert.Equal("Network", Marked(d));
        Assert.Contains("[Linear(inputs, outputs)]", d.GetMessage());
    }

    [Theory]
    [InlineData("Linear(0, 3)")]
    [InlineData("Linear(4, -1)")]
    public void NG0006_NonPositiveSize(string layer)
    {
        Diagnostic d = Single($"[Network] [{layer}] public partial class Net {{ }}", "NG0006", out _);
        Assert.Equal(layer, Marked(d));
    }

    [Fact]
    public void NG0007_WidthMismatch_PointsAtTheOffendingLinearAndSaysWhatToWrite()
    {
        Diagnostic d = Single("[Network] [Linear(4, 8)] [ReLU] [Linear(16, 3)] [Softmax] public partial class Net { }", "NG0007", out _);
        Assert.Equal("Linear(16, 3)", Marked(d));
        Assert.Contains("[Linear(8, 3)]", d.GetMessage());
        Assert.Contains("[Linear(4, 8)]", d.GetMessage());
    }

    [Fact]
    public void NG0008_LossNotLast()
    {
        Diagnostic d = Single("[Network] [Linear(4, 3)] [Softmax] [CrossEntropyLoss] [ReLU] public partial class Net { }", "NG0008", out _);
        Assert.Equal("CrossEntropyLoss", Marked(d));
        Assert.Contains("[ReLU]", d.GetMessage());
    }

    [Fact]
    public void NG0009_LossWithoutSoftmax()
    {
        Diagnostic d = Single("[Network] [Linear(4, 3)] [CrossEntropyLoss] public partial class Net { }", "NG0009", out _);
        Assert.Equal("CrossEntropyLoss", Marked(d));
        Assert.Contains("[Softmax]", d.GetMessage());
    }

    [Fact]
    public void NG0010_TooManyParameters()
    {
        Diagnostic d = Single("[Network] [Linear(10, 10)] [Linear(10, 65536)] [Linear(65536, 65536)] public partial class Net { }", "NG0010", out _);
        Assert.Equal("Linear(65536, 65536)", Marked(d));
        Assert.Contains("4,295,753,838", d.GetMessage());
    }

    [Theory]
    [InlineData("[Linear(1, 400000000)] [ReLU] [Softmax]", "ReLU", "2,400,000,001")]
    [InlineData("[Linear(2000000000, 1)]", "Linear(2000000000, 1)", "10,000,000,001")]
    public void NG0013_WorkspaceTooLarge(string layers, string marked, string workspace)
    {
        // Few enough parameters for an array, but one sample's activations and gradient buffers are not.
        Diagnostic d = Single($"[Network] {layers} public partial class Net {{ }}", "NG0013", out GeneratorHarness.Run run);
        Assert.Equal(marked, Marked(d));
        Assert.Contains(workspace, d.GetMessage());
        Assert.DoesNotContain(run.GeneratorDiagnostics, other => other.Id == "NG0010");
    }

    [Fact]
    public void NG0013_IsNotReportedForAWideButTrainableNetwork()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen; [Network] [Linear(1, 300000000)] [ReLU] public partial class Net { }");

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
    }

    [Fact]
    public void NG0011_Record()
    {
        Diagnostic d = Single("[Network] [Linear(2, 2)] public partial record Net { }", "NG0011", out _);
        Assert.Equal("Net", Marked(d));
        Assert.Contains("record", d.GetMessage());
    }

    [Fact]
    public void NG0012_StaticClass()
    {
        Diagnostic d = Single("[Network] [Linear(2, 2)] public static partial class Net { }", "NG0012", out _);
        Assert.Equal("Net", Marked(d));
    }

    [Fact]
    public void EveryProblemIsReportedInOneBuild()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            [Network] [Linear(4, 8)] [Linear(9, 0)] [CrossEntropyLoss] [ReLU]
            public class Net { }
            """);

        Assert.Equal(new[] { "NG0001", "NG0006", "NG0008", "NG0009" }, run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void APragmaSuppressesTheDiagnosticLikeAnyOther()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            #pragma warning disable NG0007
            [Network] [Linear(4, 8)] [Linear(16, 3)]
            public partial class Net { }
            """);

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.True(d.Location.IsInSource);
        var compilationWithDiagnostic = run.Output.WithOptions(run.Output.Options);
        Assert.Equal("Networks.cs", d.Location.SourceTree!.FilePath);
    }

    [Fact]
    public void OtherNetworksStillGenerateWhenOneIsWrong()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            [Network] [Linear(4, 8)] [Linear(16, 3)] public partial class Bad { }
            [Network] [Linear(4, 8)] [Linear(8, 3)] public partial class Good { }
            """);

        Assert.Single(run.GeneratorDiagnostics, d => d.Id == "NG0007");
        Assert.Equal("Good.g.cs", Assert.Single(run.Sources).HintName);
    }
}
