using System;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The packages' READMEs (src/NetGen/PACKAGE.md, src/NetGen.Onnx/PACKAGE.md, shown on the package's page) must compile
/// as pasted into a new console project's Program.cs: each one's first csharp block, with the SDK's implicit usings,
/// against the library it describes, with the generator. NetGen.Onnx's put the network class before the top-level
/// statements (CS8803).
/// </summary>
public class PackageReadmeTests
{
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    [Theory]
    [InlineData("src/NetGen/PACKAGE.md")]
    [InlineData("src/NetGen.Onnx/PACKAGE.md")]
    public void The_package_readme_s_program_compiles_as_pasted(string path)
    {
        Match block = new Regex(@"```csharp\n(.*?)\n```", RegexOptions.Singleline).Match(RepositoryFiles.Read(path));
        Assert.True(block.Success, $"{path} has no csharp block");
        CSharpCompilation compilation = GeneratorHarness.CompileFiles(LanguageVersion.Latest, ("Program.cs", block.Groups[1].Value + "\n"), ("GlobalUsings.g.cs", ImplicitUsings));
        compilation = compilation
            .WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication))
            .AddReferences(MetadataReference.CreateFromFile(typeof(NetGen.Onnx.OnnxExportOptions).Assembly.Location));

        GeneratorHarness.Run run = GeneratorHarness.Generate(compilation, LanguageVersion.Latest);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }
}
