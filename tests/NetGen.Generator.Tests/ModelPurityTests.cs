using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The incremental pipeline caches the parser's output and compares it by value. A model that held a
/// symbol, a syntax node, a compilation or a semantic model would root a whole compilation in the
/// cache and never compare equal across edits, so every cached model type is checked here, by
/// reflection over every field reachable from it (generic arguments and array elements included).
/// </summary>
public class ModelPurityTests
{
    private static readonly Assembly Generator = typeof(NetworkGenerator).Assembly;

    /// <summary>Types that tie a value to one compilation.</summary>
    private static readonly Type[] CompilationBound =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(AttributeData), typeof(SyntaxReference),
    };

    [Theory]
    [InlineData(typeof(NetworkSpec))]
    [InlineData(typeof(LayerSpec))]
    [InlineData(typeof(ContainingTypeSpec))]
    [InlineData(typeof(Weights.WeightsFile))]
    [InlineData(typeof(Weights.BakeInput))]
    [InlineData(typeof(Weights.BakeOutcome))]
    [InlineData(typeof(Weights.WeightsVerdict))]
    public void TheCachedSpecHoldsNothingTiedToACompilation(Type root)
    {
        // The spec is what the source output is keyed on: not even a syntax tree or a location belongs in it.
        // Nor in a file read for baked weights, nor in what baking made of it: they are keyed by value too.
        List<string> offenders = FieldsReachableFrom(root)
            .Where(field => IsForbidden(field.FieldType, alsoForbidTrees: true))
            .Select(field => $"{field.DeclaringType}.{field.Name}: {field.FieldType}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void TheParseResultHoldsATreeOnlyInItsDiagnostics()
    {
        Type parseResult = typeof(ParseResult);

        // DiagnosticInfo holds the SyntaxTree and span of its location, by design: a Location made from
        // the tree keeps #pragma suppression and editor squiggles working. A tree is immutable and
        // compared by reference, so an unchanged file still compares equal; it travels in the separate
        // diagnostics output and never in the spec. SourceAnchor is the same for a diagnostic a later step
        // decides on (the Weights argument's). Nothing else compilation-bound is allowed anywhere.
        List<FieldInfo> fields = FieldsReachableFrom(parseResult).ToList();
        Assert.Contains(fields, field => field.DeclaringType == typeof(DiagnosticInfo) && field.FieldType == typeof(SyntaxTree));
        Assert.Contains(fields, field => field.DeclaringType == typeof(SourceAnchor) && field.FieldType == typeof(SyntaxTree));
        Assert.Empty(fields
            .Where(field => IsForbidden(field.FieldType, alsoForbidTrees: !MayHoldATree(field.DeclaringType)))
            .Select(field => $"{field.DeclaringType}.{field.Name}: {field.FieldType}"));
    }

    [Fact]
    public void TheWalkReachesEveryModelType()
    {
        // Guards the tests above against passing vacuously, e.g. if EquatableArray's items were not followed.
        Type spec = typeof(NetworkSpec);
        HashSet<string?> reached = FieldsReachableFrom(spec).Select(field => field.DeclaringType?.Name).ToHashSet();

        Assert.Contains("LayerSpec", reached);
        Assert.Contains("ContainingTypeSpec", reached);
        Assert.Contains("EquatableArray`1", reached);
    }

    [Fact]
    public void EveryTrackedStepsOutputsHoldNothingTiedToACompilationButDiagnosticTrees()
    {
        // What each step actually caches, read from a run: a valid network, one with an error, one with
        // a warning, and a class with layers but no [Network] (NG0016's own step).
        CSharpCompilation compilation = GeneratorHarness.Compile("""
            using NetGen;
            [Network] [Linear(4, 3)] [Softmax] [CrossEntropyLoss] public partial class Good { }
            [Network] [Linear(4, 3)] [Linear(4, 3)] public partial class Bad { }
            [Network] [Linear(4, 3)] [Other.Tanh] public partial class Warned { }
            [Linear(4, 3)] public partial class Forgotten { }
            [Network(Weights = "tiny.safetensors.b64")] [Linear(3, 2)] [ReLU] [Linear(2, 2)] public partial class Baked { }
            [Network(Weights = "missing.safetensors.b64")] [Linear(3, 2)] public partial class Unbaked { }
            namespace Other { public sealed class TanhAttribute : System.Attribute { } }
            """);
        // And the weights steps: a file read and baked, and a network whose file is missing (its diagnostic).
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            additionalTexts: new[] { BakedWeightsTests.TinyFile().AsAdditionalText("tiny.safetensors.b64"), new InMemoryAdditionalText("notes.txt", "not weights") },
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        // Our own steps, every constant of TrackingNames (Roslyn tracks internal steps of its own too,
        // which hold the compilation by design).
        string[] ours = typeof(NetworkGenerator.TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => (string)field.GetValue(null)!)
            .ToArray();
        Dictionary<string, HashSet<Type>> typesByStep = ours.ToDictionary(
            name => name,
            name => result.TrackedSteps[name].SelectMany(step => step.Outputs).Select(output => output.Value.GetType()).ToHashSet());
        Assert.All(typesByStep, pair => Assert.NotEmpty(pair.Value));
        Assert.Equal(new[] { typeof(DiagnosticInfo) }, typesByStep[NetworkGenerator.TrackingNames.MissingNetwork]);
        Assert.Contains(typeof(ParseResult), typesByStep[NetworkGenerator.TrackingNames.Parse]);
        Assert.Equal(new[] { typeof(Weights.WeightsFile) }, typesByStep[NetworkGenerator.TrackingNames.WeightsFiles]);
        Assert.Equal(new[] { typeof(Weights.BakeOutcome) }, typesByStep[NetworkGenerator.TrackingNames.Bake]);

        List<string> offenders = typesByStep.Values.SelectMany(types => types).Distinct()
            .SelectMany(FieldsReachableFrom)
            .Where(field => IsForbidden(field.FieldType, alsoForbidTrees: !MayHoldATree(field.DeclaringType)))
            .Select(field => $"{field.DeclaringType}.{field.Name}: {field.FieldType}")
            .Distinct()
            .ToList();
        Assert.Empty(offenders);
    }

    /// <summary>The two types that hold a tree and span, each for a diagnostic's location.</summary>
    private static bool MayHoldATree(Type? declaringType) => declaringType == typeof(DiagnosticInfo) || declaringType == typeof(SourceAnchor);

    private static bool IsForbidden(Type type, bool alsoForbidTrees)
        => CompilationBound.Any(bound => bound.IsAssignableFrom(type))
            || (alsoForbidTrees && (typeof(SyntaxTree).IsAssignableFrom(type) || typeof(Location).IsAssignableFrom(type)))
            || type == typeof(object); // an object field could hold anything

    /// <summary>Every instance field of the type and, transitively, of its fields' types, array elements and generic arguments.</summary>
    private static IEnumerable<FieldInfo> FieldsReachableFrom(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            Type type = pending.Pop();
            if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string))
            {
                continue;
            }
            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
                continue;
            }
            foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
            {
                pending.Push(argument);
            }
            if (type.Assembly != Generator)
            {
                // Framework and Roslyn types are leaves: they are judged by IsForbidden, not walked.
                continue;
            }
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                yield return field;
                pending.Push(field.FieldType);
            }
        }
    }
}
