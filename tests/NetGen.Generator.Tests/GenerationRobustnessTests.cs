using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Parsing;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// No declaration can take the others down: an exception escaping the generator drops every network's
/// code and every diagnostic in the project (CS8785). Hint names are sanitised and unique over all
/// networks, and each network's parse and emission are guarded (NG0033). The file-local case (NG0032)
/// needs C# 11 to parse, which the Roslyn these tests pin (4.3.1) predates: its tests are in
/// NetGen.CodeFixes.Tests/FileLocalNetworkTests.cs, on Roslyn 4.5.
/// </summary>
public class GenerationRobustnessTests
{
    [Fact]
    public void NamesThatDifferOnlyInCaseBothGenerate()
    {
        // Roslyn compares hint names ignoring case: "A.Net.g.cs" and "A.NET.g.cs" used to throw.
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            namespace A
            {
                [Network] [Linear(2, 2)] [MSELoss] public partial class Net { }
                [Network] [Linear(2, 3)] [MSELoss] public partial class NET { }
                [Network] [Linear(2, 4)] [MSELoss] public partial class Other { }
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        string[] names = run.Sources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(3, names.Length);
        Assert.Equal(3, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("A.Other.g.cs", names);
        Assert.Matches(@"^A\.NET_[0-9a-f]{8}\.g\.cs$", names[0]);
        Assert.Matches(@"^A\.Net_[0-9a-f]{8}\.g\.cs$", names[1]);
    }

    [Theory]
    // Found by DeclarationFuzzTests (seed 9D7PLmwCM-F1): the generated part repeated the broken name.
    [InlineData("namespace (Game.AI;")]
    [InlineData("namespace Game.;")]
    [InlineData("namespace ;")]
    public void AHalfTypedNamespaceGetsNoGeneratedPart(string space)
    {
        // The compiler reports the namespace; a generated part could only add errors of its own.
        GeneratorHarness.Run run = GeneratorHarness.Generate($"using NetGen;\n{space}\n[Network] [Linear(2, 3)] [MSELoss] public partial class Net {{ }}");

        Assert.Empty(run.Sources);
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void PlainNamesAreKept()
    {
        EquatableArray<HintNameEntry> table = HintNames.Assign(new[] { "App.Outer+Net", "Xor", "event.class" });

        Assert.Equal(new[] { "App.Outer+Net.g.cs", "Xor.g.cs", "event.class.g.cs" }, new[] { "App.Outer+Net", "Xor", "event.class" }.Select(n => HintNames.For(table, n)));
    }

    [Fact]
    public void ANameWithCharactersAFileCannotHoldIsSanitisedAndKeptApartFromARealOne()
    {
        // A file-local type's metadata name, and a class that is really called what sanitising it gives.
        const string fileLocal = "<Networks_cs>F1A2B3C__LocalNet";
        const string real = "_Networks_cs_F1A2B3C__LocalNet";
        EquatableArray<HintNameEntry> table = HintNames.Assign(new[] { fileLocal, real });

        string sanitised = HintNames.For(table, fileLocal);
        Assert.Matches(@"^_Networks_cs_F1A2B3C__LocalNet_[0-9a-f]{8}\.g\.cs$", sanitised);
        // The two would meet once sanitised, so both are told apart by their hashes.
        Assert.Matches(@"^_Networks_cs_F1A2B3C__LocalNet_[0-9a-f]{8}\.g\.cs$", HintNames.For(table, real));
        Assert.NotEqual(sanitised, HintNames.For(table, real), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("_Networks_cs_F1A2B3C__LocalNet.g.cs", HintNames.For(HintNames.Assign(new[] { real }), real));
        // Accepted by Roslyn as a hint name: no character a file name cannot hold.
        Assert.DoesNotContain(sanitised, c => System.IO.Path.GetInvalidFileNameChars().Contains(c) || c is '<' or '>' or ':' or '*' or '?' or '"' or '|');
    }

    [Fact]
    public void HintNamesDoNotDependOnTheOrderNetworksArriveIn()
    {
        string[] names = { "A.Net", "A.NET", "B.x", "<f>F0__y" };
        EquatableArray<HintNameEntry> forwards = HintNames.Assign(names);
        EquatableArray<HintNameEntry> backwards = HintNames.Assign(names.Reverse());

        Assert.Equal(forwards, backwards);
    }

    [Fact]
    public void NG0033_AnExceptionInOneParseBecomesAnErrorOnThatClass()
    {
        TypeDeclarationSyntax declaration = CSharpSyntaxTree.ParseText("partial class Broken { }").GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().Single();

        ParseResult result = GenerationGuard.Parse(() => throw new InvalidOperationException("boom"), declaration);

        Assert.Null(result.Spec);
        Diagnostic d = Assert.Single(result.Diagnostics).ToDiagnostic();
        Assert.Equal("NG0033", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Broken", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        Assert.Contains("'Broken'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: boom", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0033_AnExceptionInOneEmissionIsReportedAndNotThrown()
    {
        var reported = new List<Diagnostic>();

        GenerationGuard.Emit("App.Broken", () => throw new ArgumentException("bad hint name"), reported.Add);

        Diagnostic d = Assert.Single(reported);
        Assert.Equal("NG0033", d.Id);
        Assert.Contains("'App.Broken'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("ArgumentException: bad hint name", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void CancellationIsNotAFailure()
    {
        TypeDeclarationSyntax declaration = CSharpSyntaxTree.ParseText("partial class Net { }").GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().Single();

        Assert.Throws<OperationCanceledException>(() => GenerationGuard.Parse(() => throw new OperationCanceledException(), declaration));
        Assert.Throws<OperationCanceledException>(() => GenerationGuard.Emit("Net", () => throw new OperationCanceledException(), _ => { }));
    }
}
