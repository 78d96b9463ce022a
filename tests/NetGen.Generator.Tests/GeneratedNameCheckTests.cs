using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Losses;
using NetGen.Generator.Parsing;
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
    private static readonly string[] Declarations =
    {
        "[Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss] public partial class A { }",
        "[Network(typeof(double))] [Linear(3, 8)] [Tanh] [Linear(8, 8)] [Sigmoid] [Linear(8, 2)] [MSELoss] public partial class B { }",
        "[Network(Deterministic = true)] [Linear(5, 7)] [LeakyReLU(0.1f)] [Linear(7, 7)] [SiLU] [Linear(7, 2)] [Softmax] [CrossEntropyLoss] public partial class C { }",
        "[Network(typeof(double), Deterministic = true)] [Linear(2, 4)] [Tanh] [Linear(4, 1)] [MSELoss] public partial class D { }",
        "[Network(FullUnroll = true)] [Linear(6, 6)] [ReLU] [Linear(6, 3)] public partial class E { }",
        "[Network] [Linear(300, 300)] [ReLU] [Linear(300, 10)] [Softmax] public partial class F { }",
        "[Network] [Linear(4, 8)] [LayerNorm] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [Dropout(0.1)] [BatchNorm1D(8)] [Linear(8, 2)] [MSELoss] public partial class G { }",
        "[Network(typeof(double))] [Linear(4, 8)] [BatchNorm1D(8)] [Linear(8, 2)] [Softmax] [CrossEntropyLoss] public partial class H { }",
    };

    [Fact]
    public void EveryNameTheEmitterGivesAClassMemberIsAPossibleName()
    {
        var written = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string declaration in Declarations)
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
    public void TheBakedOnlyNamesAreWhatBakingAdds()
    {
        string unbakedDeclaration = BakedWeightsTests.TinyDeclaration.Replace("(Weights = \"tiny.safetensors.b64\")", "");
        Assert.NotEqual(BakedWeightsTests.TinyDeclaration, unbakedDeclaration);
        GeneratorHarness.Run baked = GeneratorHarness.Generate(BakedWeightsTests.TinyDeclaration, BakedWeightsTests.TinyFile().AsAdditionalText("tiny.safetensors.b64"));
        GeneratorHarness.Run unbaked = GeneratorHarness.Generate(unbakedDeclaration);

        var added = new SortedSet<string>(ClassMemberNames(Assert.Single(baked.Sources).SourceText.ToString()), StringComparer.Ordinal);
        added.ExceptWith(ClassMemberNames(Assert.Single(unbaked.Sources).SourceText.ToString()));
        Assert.Equal(GeneratedNameCheck.BakedOnlyNames.OrderBy(n => n, StringComparer.Ordinal), added);
    }

    [Fact]
    public void ABakedNetworkReportsAMemberNamedLikeItsBakedMembers()
    {
        string declaration = BakedWeightsTests.TinyDeclaration.Replace("public partial class Tiny { }", "public partial class Tiny { public void ResetToBakedParameters(int seed) { } }");
        GeneratorHarness.Run run = GeneratorHarness.Generate(declaration, BakedWeightsTests.TinyFile().AsAdditionalText("tiny.safetensors.b64"));

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0031", d.Id);
        Assert.Contains("baked-weights member ResetToBakedParameters", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void TheNetworksAboveUseEveryLayerKindAndEveryLoss()
    {
        // A new kind must be added above, or its members could escape the fast path's list.
        string all = string.Join("\n", Declarations);
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
