using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;

namespace NetGen.Generator.Tests;

/// <summary>Runs the generator over source text and compiles the result, as a consumer's build would.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The running framework's assemblies plus the NetGen library: what a consumer compiles against.
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(NetworkAttribute).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    public static CSharpCompilation Compile(string source, LanguageVersion version = LanguageVersion.Latest)
        => CompileFiles(version, ("Networks.cs", source));

    /// <summary>A compilation of several files, each parsed with its own path, as a project of many files.</summary>
    public static CSharpCompilation CompileFiles(LanguageVersion version, params (string Path, string Text)[] files)
        => CSharpCompilation.Create(
            "Consumer",
            files.Select(file => CSharpSyntaxTree.ParseText(file.Text, new CSharpParseOptions(version), path: file.Path)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The result of one generator run: what it emitted, what it reported, and the compiled whole.</summary>
    public sealed record Run(ImmutableArray<GeneratedSourceResult> Sources, ImmutableArray<Diagnostic> GeneratorDiagnostics, Compilation Output)
    {
        /// <summary>Errors and warnings of the final compilation, the generated code included.</summary>
        public IReadOnlyList<Diagnostic> CompilationProblems => Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();
    }

    /// <summary>Runs the generator alone, without compiling its output: what an editor pays per keystroke.</summary>
    public static Run GenerateOnly(string source, LanguageVersion version = LanguageVersion.Latest)
        => GenerateOnly(source, version, Array.Empty<AdditionalText>());

    /// <summary>Runs the generator alone over source and AdditionalFiles items.</summary>
    public static Run GenerateOnly(string source, params AdditionalText[] additionalFiles)
        => GenerateOnly(source, LanguageVersion.Latest, additionalFiles);

    private static Run GenerateOnly(string source, LanguageVersion version, AdditionalText[] additionalFiles)
    {
        CSharpCompilation compilation = Compile(source, version);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            additionalTexts: additionalFiles,
            parseOptions: new CSharpParseOptions(version));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        return new Run(result.GeneratedSources, result.Diagnostics, compilation);
    }

    public static Run Generate(string source, LanguageVersion version = LanguageVersion.Latest)
        => Generate(Compile(source, version), version);

    /// <summary>Runs the generator over several files, as over a project whose class is split across them.</summary>
    public static Run GenerateFiles(params (string Path, string Text)[] files)
        => Generate(CompileFiles(LanguageVersion.Latest, files), LanguageVersion.Latest);

    /// <summary>Runs the generator with AdditionalFiles items, as a project that lists them in its csproj.</summary>
    public static Run Generate(string source, params AdditionalText[] additionalFiles)
        => Generate(Compile(source), LanguageVersion.Latest, additionalFiles);

    /// <summary>Runs the generator over a compilation made here, with whatever options the test gives it.</summary>
    public static Run Generate(CSharpCompilation compilation, LanguageVersion version, params AdditionalText[] additionalFiles)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            additionalTexts: additionalFiles,
            parseOptions: new CSharpParseOptions(version));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw.", result.Exception);
        }
        return new Run(result.GeneratedSources, diagnostics, output);
    }
}
