using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Emission;
using NetGen.Generator.Kinds;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The runtime kernels generated code calls come from one place, <see cref="KernelNames"/>, and each is a
/// method of the library's kernel classes: a rename on either side fails here, not inside a user's
/// generated file.
/// </summary>
public class KernelNameTests
{
    private static readonly Type[] KernelClasses = { typeof(NetGen.Runtime.FloatKernels), typeof(NetGen.Runtime.DoubleKernels) };

    /// <summary>Every method name a generated Kernels class inherits from the library.</summary>
    private static HashSet<string> LibraryMethods()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Type type in KernelClasses)
        {
            for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (MethodInfo method in t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    if (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly) names.Add(method.Name);
                }
            }
        }

        return names;
    }

    [Fact]
    public void EveryNamedKernelIsALibraryMethod()
    {
        HashSet<string> library = LibraryMethods();
        IEnumerable<string> named = KernelNames.Fixed
            .Concat(LayerCatalog.All.OfType<ElementwiseLayer>().SelectMany(kind => new[] { KernelNames.ActivationForward(kind.Name), KernelNames.ActivationBackward(kind.Name) }));
        Assert.All(named, name => Assert.True(library.Contains(name), $"KernelNames names {name}, which FloatKernels/DoubleKernels do not have."));
    }

    [Fact]
    public void EveryLibraryMethodAGeneratedKernelsClassCallsIsNamedInKernelNames()
    {
        // The other direction, and what makes KernelNames the one place: every library method that a
        // generated Kernels class calls, over networks of every kind and option, is one of its names.
        HashSet<string> library = LibraryMethods();
        var named = new HashSet<string>(KernelNames.Fixed.Concat(LayerCatalog.All.OfType<ElementwiseLayer>()
            .SelectMany(kind => new[] { KernelNames.ActivationForward(kind.Name), KernelNames.ActivationBackward(kind.Name) })), StringComparer.Ordinal);
        var unnamed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string declaration in GeneratedNameCheckTests.DeclarationsOfEveryKind)
        {
            GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen;\n" + declaration);
            SyntaxNode root = CSharpSyntaxTree.ParseText(Assert.Single(run.Sources).SourceText.ToString()).GetRoot();
            ClassDeclarationSyntax kernels = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == "Kernels");
            var own = new HashSet<string>(kernels.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText), StringComparer.Ordinal);
            IEnumerable<string> called = kernels.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Select(call => call.Expression switch
                {
                    IdentifierNameSyntax name => name.Identifier.ValueText,
                    GenericNameSyntax generic => generic.Identifier.ValueText,
                    _ => null,
                })
                .Where(name => name is not null && name != "nameof")!;
            unnamed.UnionWith(called.Where(name => !own.Contains(name) && !named.Contains(name)));
        }

        Assert.True(unnamed.Count == 0, $"Generated Kernels classes call {string.Join(", ", unnamed)}, which KernelNames does not name{(unnamed.All(library.Contains) ? "" : " and the library does not have")}.");
    }
}
