using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator;
using Xunit;

namespace NetGen.CodeFixes.Tests;

/// <summary>
/// What an IDE does with a generator diagnostic and a fixer: one document in a workspace, the
/// generator run over its compilation for the diagnostics, the fixer's registered action applied, and
/// the new text read back. (Microsoft.CodeAnalysis.CSharp.CodeFix.Testing drives analyzers, not
/// generators' diagnostics, and needs a Roslyn this repository does not pin.)
/// </summary>
internal static class CodeFixHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(NetworkAttribute).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    public static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Consumer", "Consumer", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: References.Value));
        return workspace.AddDocument(project.Id, "Networks.cs", SourceText.From(source));
    }

    /// <summary>The generator's diagnostics and sources for the document's project, as a build would produce them.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<GeneratedSourceResult> Sources)> GenerateAsync(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync().ConfigureAwait(false))!;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new NetworkGenerator().AsSourceGenerator())
            .RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return (result.Diagnostics, result.GeneratedSources);
    }

    /// <summary>The code actions the fixer offers for every diagnostic with one of its ids.</summary>
    public static async Task<IReadOnlyList<CodeAction>> ActionsAsync(Document document, CodeFixProvider fixer)
    {
        var actions = new List<CodeAction>();
        foreach (Diagnostic diagnostic in (await GenerateAsync(document).ConfigureAwait(false)).Diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        }
        return actions;
    }

    /// <summary>Applies the fixer's first action for the first fixable diagnostic; returns the new document.</summary>
    public static async Task<Document> ApplyFirstAsync(Document document, CodeFixProvider fixer)
    {
        CodeAction action = (await ActionsAsync(document, fixer).ConfigureAwait(false)).First();
        ApplyChangesOperation apply = (await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false)).OfType<ApplyChangesOperation>().Single();
        return apply.ChangedSolution.GetDocument(document.Id)!;
    }

    public static async Task<string> TextAsync(Document document) => (await document.GetTextAsync().ConfigureAwait(false)).ToString();
}
