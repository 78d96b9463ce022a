using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// One test per diagnostic: its id, its severity, where it points (the offending attribute, or the
/// declaration for partial, generic and nesting problems), that its message says what to write, and
/// what becomes of the code: none for the class after an error, all of it after a warning.
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

    /// <summary>The one NG diagnostic of the run, a warning, with the network's code generated and compiling without errors.</summary>
    private static Diagnostic SingleWarning(string source, string id, out GeneratorHarness.Run run)
    {
        run = GeneratorHarness.Generate("using NetGen;\n" + source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.True(diagnostic.Location.IsInSource);
        return diagnostic;
    }

    /// <summary>A user's own layer-like attributes, in their own namespace, as a project might have them.</summary>
    private const string OtherLayers = """

        namespace Other
        {
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class TanhAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class GELUAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class AlphaDropoutAttribute : System.Attribute { public AlphaDropoutAttribute(double p) { } }
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class Conv3d : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class ReluAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            public sealed class LinearAttribute : System.Attribute { public LinearAttribute(int inputs, int outputs) { } }
        }
        """;

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

    [Theory]
    [InlineData("Other.GELU", "Other.GELUAttribute")]
    [InlineData("Other.AlphaDropout(0.5)", "Other.AlphaDropoutAttribute")]
    [InlineData("Other.Conv3d", "Other.Conv3d")]
    public void NG0014_AnAttributeThatLooksLikeALayerIsNamedAndIgnored(string attribute, string fullName)
    {
        Diagnostic d = SingleWarning($"[Network] [Linear(4, 8)] [{attribute}] [ReLU] [Linear(8, 3)] public partial class Net {{ }}" + OtherLayers, "NG0014", out GeneratorHarness.Run run);

        Assert.Equal(attribute, Marked(d));
        Assert.Equal(
            $"[{attribute.Split('(')[0]}] is '{fullName}', which is not a NetGen layer, so network 'Net' ignores it: " +
            "remove it, or write one of NetGen's layers: " + string.Join(", ",
                Kinds.LayerCatalog.All.Select(l => l.Name).Concat(Kinds.Losses.LossCatalog.All.Select(l => l.Name))),
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        // A warning: the network is generated without the attribute, and compiles.
        Assert.Contains("Linear(4,8) ReLU Linear(8,3)", Assert.Single(run.Sources).SourceText.ToString(), System.StringComparison.Ordinal);
        Assert.Empty(run.CompilationProblems.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("Other.Relu", "Other.ReluAttribute", "for NetGen's ReLU, write [NetGen.ReLU]")]
    [InlineData("Other.Tanh", "Other.TanhAttribute", "for NetGen's Tanh, write [NetGen.Tanh]")]
    [InlineData("Other.Linear(8, 3)", "Other.LinearAttribute", "for NetGen's Linear, write [NetGen.Linear(8, 3)]")]
    public void NG0014_AnotherTypeWithTheNameOfANetGenLayerSaysHowToWriteNetGens(string attribute, string fullName, string instead)
    {
        Diagnostic d = SingleWarning($"[Network] [Linear(4, 8)] [{attribute}] public partial class Net {{ }}" + OtherLayers, "NG0014", out _);

        Assert.Equal(attribute, Marked(d));
        Assert.Contains($"'{fullName}'", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.EndsWith(instead, d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0014_IsReportedOnAnyDeclarationOfTheNetworkClass()
    {
        GeneratorHarness.Run run = GeneratorHarness.GenerateFiles(
            ("Net.cs", "using NetGen;\n[Network] [Linear(4, 3)] public partial class Net { }"),
            ("Net.Extras.cs", "[Other.Tanh] public partial class Net { }" + OtherLayers));

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NG0014", DiagnosticSeverity.Warning), (d.Id, d.Severity));
        Assert.Equal(("Net.Extras.cs", "Other.Tanh"), (d.Location.SourceTree!.FilePath, Marked(d)));
        Assert.Single(run.Sources);
    }

    [Fact]
    public void UnrelatedAttributesOnANetworkStaySilent()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using System;
            using NetGen;
            [Serializable] [Obsolete("kept for old saves")] [Network] [System.Diagnostics.DebuggerDisplay("{Architecture}")]
            [CLSCompliant(false)] [Linear(4, 3)] [Softmax]
            public partial class Net { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
    }

    [Fact]
    public void AnUnresolvedAttributeIsLeftToTheCompilersOwnError()
    {
        // CS0246 already names [Gelu]; a second message about the same attribute would only be noise.
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen; [Network] [Linear(4, 3)] [Gelu] public partial class Net { }");

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS0246");
    }

    [Fact]
    public void NG0015_LayersOnAnotherPartialDeclarationAreErrorsOnEachAttribute()
    {
        GeneratorHarness.Run run = GeneratorHarness.GenerateFiles(
            ("Net.cs", "using NetGen;\n[Network] [Linear(4, 8)] public partial class Net { }"),
            ("Net.Layers.cs", "using NetGen;\n[ReLU]\n[Linear(8, 3)] public partial class Net { public int Tag; }"));

        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal(("NG0015", DiagnosticSeverity.Error), (d.Id, d.Severity)));
        Assert.Equal(new[] { "ReLU", "Linear(8, 3)" }, run.GeneratorDiagnostics.Select(Marked));
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal("Net.Layers.cs", d.Location.SourceTree!.FilePath));
        Assert.Equal(
            "[Linear(8, 3)] is on a declaration of 'Net' without [Network], but NetGen reads the layers only from the declaration " +
            "that carries [Network]: move it there, keeping every layer on that one declaration, in order",
            run.GeneratorDiagnostics[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void NG0015_AlsoWhenBothDeclarationsAreInOneFile()
    {
        Diagnostic d = Single("""
            [Network] [Linear(4, 8)] public partial class Net { }
            [Softmax] public partial class Net { }
            """, "NG0015", out _);

        Assert.Equal("Softmax", Marked(d));
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void NetworkOnTwoDeclarationsIsLeftToTheCompilersError()
    {
        // CS0579 says [Network] is duplicated. Neither declaration's layers are "on another declaration",
        // and generating for each would add the same file twice (the generator would fail).
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            [Network] [Linear(4, 3)] public partial class Net { }
            [Network] [Linear(4, 3)] public partial class Net { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Sources);
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS0579");
    }

    [Theory]
    [InlineData("[Linear(4, 3)] [Softmax] public partial class Net { }", "Linear(4, 3)")]
    [InlineData("[Softmax]\n[NetGen.Linear(4, 3)] public class Net { }", "Softmax")]
    [InlineData("[Linear(4, 3)] public sealed partial record Net;", "Linear(4, 3)")]
    public void NG0016_LayersWithoutNetworkAreOneWarningAtTheFirstLayer(string declaration, string firstLayer)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n" + declaration);

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NG0016", DiagnosticSeverity.Warning), (d.Id, d.Severity));
        Assert.Equal(firstLayer, Marked(d));
        Assert.Equal(
            $"'Net' has NetGen layer attributes but no [Network], so nothing is generated for it: add [Network] (float) or [Network(typeof(double))] before [{firstLayer}]",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void NG0016_EachDeclarationWithoutNetworkIsReported()
    {
        GeneratorHarness.Run run = GeneratorHarness.GenerateFiles(
            ("A.cs", "using NetGen;\n[Linear(4, 3)] public partial class Net { }"),
            ("B.cs", "using NetGen;\n[ReLU] public partial class Net { }\n[Softmax] class Other { }"));

        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal("NG0016", d.Id));
        Assert.Equal(
            new[] { "A.cs: Linear(4, 3)", "B.cs: ReLU", "B.cs: Softmax" },
            run.GeneratorDiagnostics.Select(d => d.Location.SourceTree!.FilePath + ": " + Marked(d)).OrderBy(text => text, System.StringComparer.Ordinal));
    }

    [Fact]
    public void NG0016_IsNotReportedWhereAnotherDeclarationHasNetwork()
    {
        // That case is NG0015's, an error, from the network's own parse.
        GeneratorHarness.Run run = GeneratorHarness.GenerateFiles(
            ("A.cs", "using NetGen;\n[Network] [Linear(4, 3)] public partial class Net { }"),
            ("B.cs", "using NetGen;\n[ReLU] public partial class Net { }"));

        Assert.Equal("NG0015", Assert.Single(run.GeneratorDiagnostics).Id);
    }

    [Fact]
    public void NG0017_ASecondLossIsReportedAsSuchAndNothingElse()
    {
        Diagnostic d = Single("[Network] [Linear(4, 3)] [Softmax] [CrossEntropyLoss] [CrossEntropyLoss] public partial class Net { }", "NG0017", out GeneratorHarness.Run run);

        // Not "must be last" on the first, nor "must follow Softmax" on the second: one mistake, one message.
        Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("CrossEntropyLoss", Marked(d));
        Assert.Equal(d.Location.SourceTree!.ToString().LastIndexOf("CrossEntropyLoss", System.StringComparison.Ordinal), d.Location.SourceSpan.Start);
        Assert.Equal(
            "[CrossEntropyLoss] is a second loss, after [CrossEntropyLoss], but a network has one loss: remove one of them",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NG0017_ALayerBetweenTwoLossesIsStillNamedOnTheFirst()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network] [Linear(4, 3)] [Softmax] [CrossEntropyLoss] [ReLU] [CrossEntropyLoss] public partial class Net { }");

        Assert.Equal(new[] { "NG0008", "NG0017" }, run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal));
        Assert.Contains("[ReLU] follows it", run.GeneratorDiagnostics.Single(d => d.Id == "NG0008").GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0017_ASecondLossIsReportedEvenWithoutALinearLayer()
    {
        // NG0005 stops the width checks, but the one-loss rule does not depend on widths.
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network] [Softmax] [CrossEntropyLoss] [CrossEntropyLoss] public partial class Net { }");

        Assert.Equal(new[] { "NG0005", "NG0017" }, run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal));
    }

    [Fact]
    public void EveryLossKindCountsTowardsTheOneLossRule()
    {
        // A new loss kind (MSELoss is next) must be a loss to NG0017 too, or two losses would slip through:
        // the rule counts whatever the loss catalogue declares, so a loss must live there, never among the layers.
        foreach (Model.LayerKind kind in System.Enum.GetValues<Model.LayerKind>())
        {
            Assert.False(kind.ToString().EndsWith("Loss", System.StringComparison.Ordinal), $"{kind} is a layer kind but named as a loss");
        }
        Assert.All(Kinds.Losses.LossCatalog.All, loss => Assert.EndsWith("Loss", loss.Name, System.StringComparison.Ordinal));
    }

    private const string IrisLayers = "[Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss] ";

    [Theory]
    [InlineData("private class Kernels { }", "Kernels", "nested type Kernels", "nested type Kernels")]
    [InlineData("public int InputSize => 4;", "InputSize", "property InputSize", "constant InputSize")]
    [InlineData("private float[] _workspace;", "_workspace", "field _workspace", "field _workspace")]
    [InlineData("public int Predict(System.ReadOnlySpan<float> x) => 0;", "Predict", "method Predict", "method Predict(global::System.ReadOnlySpan<float>)")]
    [InlineData("public string Describe => \"\";", "Describe", "property Describe", "method Describe()")]
    public void NG0031_AMemberTheGeneratedPartAlsoDeclaresIsNamedOnTheUsersMember(string member, string marked, string users, string generated)
    {
        Diagnostic d = Single(IrisLayers + "public partial class Net { " + member + " }", "NG0031", out GeneratorHarness.Run run);

        Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(marked, Marked(d));
        Assert.Equal(
            $"The {users} of network 'Net' clashes with the {generated} that NetGen generates in the class: rename yours (an overload with other parameter types is fine)",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        // Without the generated part, the user's code compiles: NG0031 is the only error.
        Assert.Empty(run.Output.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error).Select(x => x.ToString()));
    }

    [Fact]
    public void NG0031_AClashInAnotherPartialDeclarationIsFoundThere()
    {
        GeneratorHarness.Run run = GeneratorHarness.GenerateFiles(
            ("Net.cs", "using NetGen;\n" + IrisLayers + "public partial class Net { }"),
            ("Net.Extra.cs", "public partial class Net { public float[] Gradients = new float[1]; }"));

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0031", d.Id);
        Assert.Equal("Net.Extra.cs", d.Location.SourceTree!.FilePath);
        Assert.Equal("Gradients", Marked(d));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void NG0031_OverloadsAndOtherMembersOfTheUsersOwnCompileBesideTheGeneratedOnes()
    {
        // Same names, other parameter types: overloads, which C# allows; and members NetGen does not generate.
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n" + IrisLayers + @"public partial class Net
{
    public int Predict(float[] features) => Predict(new System.ReadOnlySpan<float>(features));
    public void Forward(float[] input, float[] output) => Forward(new System.ReadOnlySpan<float>(input), new System.Span<float>(output));
    public Net(int seed) { InitializeParameters(seed); }
    public Net() { }
    public string Name { get; set; } = ""Iris"";
    private int _calls;
    public int Calls() => ++_calls;
}");

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
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

    [Theory]
    [InlineData("Forward", "method Forward")]
    [InlineData("Parameters", "property Parameters")]
    [InlineData("Kernels", "nested type Kernels")]
    [InlineData("Prepare", "method Prepare")]
    [InlineData("TrainStep", "method TrainStep")]
    [InlineData("Predict", "method Predict")]
    [InlineData("InputSize", "constant InputSize")]
    public void NG0034_AClassNamedLikeAGeneratedMemberIsOneErrorOnItsName(string name, string member)
    {
        Diagnostic d = Single($"{IrisLayers}public partial class {name} {{ }}", "NG0034", out GeneratorHarness.Run run);

        Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(name, Marked(d));
        Assert.Equal(
            $"Network class '{name}' has the name of a member that NetGen generates in it (its {member}), and C# does not let a member be named like its class: rename the class, e.g. '{name}Network'",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        // Before, CS0542 inside the generated file; now the user's code compiles apart from this one error.
        Assert.Empty(run.Output.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error).Select(x => x.ToString()));
    }

    [Theory]
    [InlineData("[Network] [Linear(2, 1)] [MSELoss] public partial class Predict { }")]
    [InlineData("[Network] [Linear(2, 2)] public partial class Loss { }")]
    [InlineData("[Network] [Linear(2, 2)] [MSELoss] public partial class Layer1 { }")]
    [InlineData("[Network] [Linear(2, 2)] [MSELoss] public partial class InferSamples { }")]
    public void NG0034_NamesThisNetworkDoesNotGenerateAreFine(string declaration)
    {
        // A regressor has no Predict, a network without a loss no Loss, and Kernels' own members are not the class's.
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n" + declaration);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationProblems.Select(x => x.ToString()));
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("-1e39")]
    [InlineData("double.MaxValue")]
    public void NG0035_AFloatNetworksSlopeOutsideFloatsRange(string slope)
    {
        Diagnostic d = Single($"[Network] [Linear(2, 2)] [LeakyReLU({slope})] [MSELoss] public partial class Net {{ }}", "NG0035", out GeneratorHarness.Run run);

        Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal($"LeakyReLU({slope})", Marked(d));
        Assert.Contains("outside the range of float", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("'Net'", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("[Network(typeof(double))]", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.Empty(run.Output.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error).Select(x => x.ToString()));
    }

    [Theory]
    [InlineData("[Network(typeof(double))] [Linear(2, 2)] [LeakyReLU(1e300)] [MSELoss]")]
    [InlineData("[Network] [Linear(2, 2)] [LeakyReLU(3e38)] [MSELoss]")]
    [InlineData("[Network] [Linear(2, 2)] [LeakyReLU(1e-50)] [MSELoss]")]
    public void NG0035_SlopesThatAreFiniteInTheElementTypeCompile(string layers)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n" + layers + " public partial class Net { }");

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationProblems.Select(x => x.ToString()));
    }

    [Fact]
    public void NG0036_ANetworkDerivingFromANetworkIsOneErrorOnTheBaseType()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            namespace App
            {
                [Network] [Linear(2, 2)] [MSELoss] public partial class Base { }
                public partial class Middle : Base { }
                [Network] [Linear(2, 3)] [MSELoss] public partial class Derived : Middle, System.IDisposable { public void Dispose() { } }
            }
            """);

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NG0036", DiagnosticSeverity.Error), (d.Id, d.Severity));
        Assert.Equal("Middle", Marked(d));
        Assert.StartsWith("Network class 'Derived' derives from 'App.Base', which is a network too", d.GetMessage(), System.StringComparison.Ordinal);
        // The base network is generated; the derived one is not, and nothing else is wrong (before: 18 x CS0108).
        Assert.Equal("App.Base.g.cs", Assert.Single(run.Sources).HintName);
        Assert.Empty(run.CompilationProblems.Select(x => x.ToString()));
    }

    [Fact]
    public void NG0036_TheBaseListOnAnotherDeclarationPointsAtTheClassName()
    {
        GeneratorHarness.Run run = GeneratorHarness.GenerateFiles(
            ("Net.cs", "using NetGen;\n[Network] [Linear(2, 2)] public partial class Base { }\n[Network] [Linear(2, 2)] public partial class Net { }"),
            ("Net.Base.cs", "public partial class Net : Base { }"));

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0036", d.Id);
        Assert.Equal(("Net.cs", "Net"), (d.Location.SourceTree!.FilePath, Marked(d)));
    }

    [Fact]
    public void NG0036_ANetworkMayDeriveFromAClassThatIsNotANetwork()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            public abstract class Brain { public string Name { get; set; } = "brain"; }
            [Network] [Linear(2, 2)] [MSELoss] public partial class Net : Brain { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(x => x.ToString()));
    }

    [Theory]
    [InlineData("Linaer(4, 8)", "Linear(4, 8)")]
    [InlineData("Relu", "ReLU")]
    [InlineData("RELU", "ReLU")]
    [InlineData("Sofmax", "Softmax")]
    [InlineData("Tan", "Tanh")]
    [InlineData("Sigmiod", "Sigmoid")]
    [InlineData("LeakyRelu(0.2)", "LeakyReLU(0.2)")]
    [InlineData("LinearAttribut(4, 8)", "Linear(4, 8)")]
    [InlineData("App.Linaer(4, 8)", "Linear(4, 8)")]
    public void NG0037_AnUnresolvedAttributeCloseToALayerAsksDidYouMean(string written, string meant)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate($"using NetGen;\n[Network] [Linear(4, 8)] [ReLU] [Linear(8, 3)] [{written}] public partial class Net {{ }}");

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NG0037", DiagnosticSeverity.Warning), (d.Id, d.Severity));
        Assert.Equal(written, Marked(d));
        Assert.Equal($"[{written}] is not a type the compiler knows (CS0246), and network 'Net' is built without it: did you mean [{meant}]?",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(run.Output.GetDiagnostics(), x => x.Id is "CS0246" or "CS0234");
    }

    [Theory]
    [InlineData("Gelu")]
    [InlineData("ELU")]
    [InlineData("AlphaDropout(0.5)")]
    [InlineData("Serializable2")]
    [InlineData("Foo")]
    public void NG0037_NamesThatAreNotCloseOrAreOtherLayersGetNoSuggestion(string written)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate($"using NetGen;\n[Network] [Linear(4, 8)] [ReLU] [Linear(8, 3)] [{written}] public partial class Net {{ }}");

        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void NG0037_TheMisspelledLayerBetweenLayersIsOneWarning()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n[Network] [Linear(4, 8)] [Relu] [Linear(8, 3)] public partial class Net { }");

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0037", d.Id);
        Assert.EndsWith("did you mean [ReLU]?", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Linear(4, 8)] [Gelu] [Linear(8, 3)]", "Gelu")]
    [InlineData("[Linear(4, 8)] [System.Obsolete] [ReLU] [Linear(8, 3)]", "System.Obsolete")]
    [InlineData("[Linear(4, 8)]\n[System.CLSCompliant(false)]\n[Linear(8, 3)] [MSELoss]", "System.CLSCompliant(false)")]
    [InlineData("[Linear(4, 8)] [ReLU, System.Serializable] [Softmax] [CrossEntropyLoss]", "System.Serializable")]
    public void NG0038_AnyOtherAttributeBetweenLayersIsAWarningOnIt(string layers, string marked)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate($"using NetGen;\n[Network] {layers} public partial class Net {{ }}");

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NG0038", DiagnosticSeverity.Warning), (d.Id, d.Severity));
        Assert.Equal(marked, Marked(d));
        Assert.StartsWith($"[{marked}] stands between the layers of network 'Net' but is not a NetGen layer, so the network is built without it", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.Single(run.Sources);
    }

    [Fact]
    public void NG0038_AttributesBeforeOrAfterTheLayersAreNotBetweenThem()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            [System.Serializable] [Network] [System.Obsolete] [Linear(4, 3)] [Softmax] [System.CLSCompliant(false)]
            public partial class Net { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
    }
}
