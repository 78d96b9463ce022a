using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Losses;
using NetGen.Generator.Parsing;
using NetGen.Generator;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// NG0031's fast path skips emitting code for a class none of whose members has a name the generator can
/// give a member (<see cref="GeneratedNameCheck.PossibleNames"/>). That list is written out, so this test
/// holds it to what the emitter really writes, over networks that use every layer kind, every loss,
/// both element types and every option, baked weights included.
/// </summary>
public class GeneratedNameCheckTests
{
    /// <summary>Networks that together use every layer kind, every loss, both element types and every option.</summary>
    internal static readonly string[] DeclarationsOfEveryKind =
    {
        "[Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss] public partial class A { }",
        "[Network(typeof(double))] [Linear(3, 8)] [Tanh] [Linear(8, 8)] [Sigmoid] [Linear(8, 2)] [MSELoss] public partial class B { }",
        "[Network(Deterministic = true)] [Linear(5, 7)] [LeakyReLU(0.1f)] [Linear(7, 7)] [SiLU] [Linear(7, 2)] [Softmax] [CrossEntropyLoss] public partial class C { }",
        "[Network(typeof(double), Deterministic = true)] [Linear(2, 4)] [Tanh] [Linear(4, 1)] [MSELoss] public partial class D { }",
        "[Network(FullUnroll = true)] [Linear(6, 6)] [ReLU] [Linear(6, 3)] public partial class E { }",
        "[Network] [Linear(300, 300)] [ReLU] [Linear(300, 10)] [Softmax] public partial class F { }",
        "[Network] [GRU(3, 5)] [Linear(5, 2)] [MSELoss] public partial class Seq1 { }",
        "[Network(typeof(double), Deterministic = true)] [LSTM(4, 6)] [GRU(6, 3)] [Softmax] [CrossEntropyLoss] public partial class Seq2 { }",
        "[Network] [Input(1, 8, 8)] [Conv2D(1, 4, 3, Padding = 1)] [ReLU] [MaxPool2D(2)] [AvgPool2D(2)] [Flatten] [Linear(16, 3)] [Softmax] [CrossEntropyLoss] public partial class G { }",
        "[Network(typeof(double), Deterministic = true)] [Input(2, 16)] [Conv1D(2, 4, 3)] [MaxPool1D(2)] [AvgPool1D(2)] [GlobalAvgPool] [Linear(4, 1)] [MSELoss] public partial class H { }",
        "[Network] [Linear(4, 8)] [LayerNorm] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [Dropout(0.1)] [BatchNorm1D(8)] [Linear(8, 2)] [MSELoss] public partial class I { }",
        "[Network(typeof(double))] [Linear(4, 8)] [BatchNorm1D(8)] [Linear(8, 2)] [Softmax] [CrossEntropyLoss] public partial class J { }",
        "[Network] [Input(2, 4, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU] [Flatten] [Linear(48, 2)] [MSELoss] public partial class K { }",
    };

    [Fact]
    public void EveryNameTheEmitterGivesAClassMemberIsAPossibleName()
    {
        var written = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string declaration in DeclarationsOfEveryKind)
        {
            GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n" + declaration);
            Assert.Empty(run.GeneratorDiagnostics);
            written.UnionWith(ClassMemberNames(Assert.Single(run.Sources).SourceText.ToString()));
        }

        GeneratorHarness.Run baked = GeneratorHarness.Generate(BakedWeightsTests.TinyDeclaration, BakedWeightsTests.TinyFile().AsAdditionalText("tiny.safetensors.b64"));
        Assert.Empty(baked.GeneratorDiagnostics);
        written.UnionWith(ClassMemberNames(Assert.Single(baked.Sources).SourceText.ToString()));

        string[] missing = written.Where(name => !GeneratedNameCheck.PossibleNames.Contains(name)).ToArray();
        Assert.True(missing.Length == 0, "GeneratedNameCheck.PossibleNames lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheParseStepRecordsAClashAsDataAndTheOutputStepReportsIt()
    {
        // The parse step never runs the emitter: it keeps the spec and the user's Forward as data, with no
        // NG0031 of its own; the output step, with the generated text in hand, reports it and adds no file.
        CSharpCompilation compilation = GeneratorHarness.Compile(
            "using NetGen; [Network] [Linear(4, 3)] [Softmax] public partial class Net { public void Forward(System.ReadOnlySpan<float> x, System.Span<float> y, int n) { } }");
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        ParseResult parsed = Assert.IsType<ParseResult>(Assert.Single(result.TrackedSteps[NetworkGenerator.TrackingNames.Parse].SelectMany(s => s.Outputs)).Value);
        Assert.NotNull(parsed.Spec);
        Assert.Empty(parsed.Diagnostics);
        UserMember forward = Assert.Single(parsed.Members!.Members);
        Assert.Equal("Forward", forward.Name);

        Diagnostic clash = Assert.Single(result.Diagnostics);
        Assert.Equal("NG0031", clash.Id);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void ABakedNetworkReportsAMemberNamedLikeItsBakedMembersAndAllowsAnOverload()
    {
        // The check reads the baked file's own text, so it knows ResetToBakedParameters takes nothing:
        // the same signature clashes, an overload compiles.
        string clashing = BakedWeightsTests.TinyDeclaration.Replace("public partial class Tiny { }", "public partial class Tiny { public void ResetToBakedParameters() { } }");
        GeneratorHarness.Run run = GeneratorHarness.Generate(clashing, BakedWeightsTests.TinyFile().AsAdditionalText("tiny.safetensors.b64"));
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0031", d.Id);
        Assert.Contains("method ResetToBakedParameters()", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.Sources);

        string overload = BakedWeightsTests.TinyDeclaration.Replace("public partial class Tiny { }", "public partial class Tiny { public void ResetToBakedParameters(int seed) { } }");
        GeneratorHarness.Run compiled = GeneratorHarness.Generate(overload, BakedWeightsTests.TinyFile().AsAdditionalText("tiny.safetensors.b64"));
        Assert.Empty(compiled.GeneratorDiagnostics);
        Assert.Empty(compiled.Output.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error));
        Assert.Single(compiled.Sources);
    }

    [Fact]
    public void TheNetworksAboveUseEveryLayerKindAndEveryLoss()
    {
        // A new kind must be added above, or its members could escape the fast path's list.
        string all = string.Join("\n", DeclarationsOfEveryKind);
        IEnumerable<string> attributes = LayerCatalog.All.Select(d => d.AttributeMetadataName)
            .Concat(LossCatalog.All.Select(d => d.AttributeMetadataName))
            .Select(name => name.Substring(name.LastIndexOf('.') + 1).Replace("Attribute", ""));
        Assert.All(attributes, attribute => Assert.Contains("[" + attribute, all, StringComparison.Ordinal));
    }

    /// <summary>The names of the members of the generated network class, not of the classes nested in it.</summary>
    private static IEnumerable<string> ClassMemberNames(string source)
    {
        ClassDeclarationSyntax network = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().First();
        foreach (MemberDeclarationSyntax member in network.Members)
        {
            switch (member)
            {
                // Explicit interface implementations have no name of their own in the class: they cannot clash.
                case MethodDeclarationSyntax method:
                    if (method.ExplicitInterfaceSpecifier is null) yield return method.Identifier.ValueText;
                    break;
                case PropertyDeclarationSyntax property:
                    if (property.ExplicitInterfaceSpecifier is null) yield return property.Identifier.ValueText;
                    break;
                case ConstructorDeclarationSyntax: yield return GeneratedNameCheck.ConstructorName; break;
                case BaseFieldDeclarationSyntax field:
                    foreach (VariableDeclaratorSyntax variable in field.Declaration.Variables) yield return variable.Identifier.ValueText;
                    break;
                case BaseTypeDeclarationSyntax nested: yield return nested.Identifier.ValueText; break;
                default: yield return "(" + member.Kind() + ")"; break;
            }
        }
    }
}
