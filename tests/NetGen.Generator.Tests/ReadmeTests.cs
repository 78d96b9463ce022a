using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// README.md's first program must compile when pasted into a new console project, and print what the
/// README says it prints. The test takes the csharp block after the README's marker comment, compiles
/// it as <c>dotnet new console</c> would (an executable, nullable on, the SDK's implicit global usings)
/// with the generator, runs it, and compares its output with the text block that follows.
/// </summary>
public class ReadmeTests
{
    private const string Marker = "<!-- tests/NetGen.Generator.Tests/ReadmeTests.cs compiles the next csharp block";

    /// <summary>What the .NET SDK writes into obj/.../*.GlobalUsings.g.cs for a console project (ImplicitUsings enabled).</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    [Fact]
    public void TheFirstProgramCompilesAsANewConsoleProjectAndPrintsWhatTheReadmeSays()
    {
        (string program, string expectedOutput) = ReadProgramAndOutput();
        CSharpCompilation compilation = GeneratorHarness.CompileFiles(LanguageVersion.Latest, ("Program.cs", program), ("GlobalUsings.g.cs", ImplicitUsings));
        compilation = compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));

        GeneratorHarness.Run run = GeneratorHarness.Generate(compilation, LanguageVersion.Latest);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal("XorNet.g.cs", Assert.Single(run.Sources).HintName);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        Assert.Equal(expectedOutput, RunProgram(run.Output));
    }

    private static (string Program, string Output) ReadProgramAndOutput()
    {
        string readme = RepositoryFiles.Read("README.md");
        int marker = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(marker >= 0, "README.md has lost the marker before its first program");
        Match program = new Regex(@"```csharp\n(.*?)\n```", RegexOptions.Singleline).Match(readme, marker);
        Assert.True(program.Success, "no csharp block after the marker");
        Match output = new Regex(@"```text\n(.*?)\n```", RegexOptions.Singleline).Match(readme, program.Index + program.Length);
        Assert.True(output.Success, "no text block with the program's output after it");
        return (program.Groups[1].Value + "\n", output.Groups[1].Value + "\n");
    }

    /// <summary>Runs the program's entry point in a load context of its own and returns what it wrote to the console.</summary>
    private static string RunProgram(Compilation compilation)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;

        var context = new AssemblyLoadContext("ReadmeProgram", isCollectible: true);
        TextWriter console = Console.Out;
        using var captured = new StringWriter { NewLine = "\n" };
        try
        {
            MethodInfo main = context.LoadFromStream(image).EntryPoint!;
            Console.SetOut(captured);
            main.Invoke(null, main.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() });
        }
        finally
        {
            Console.SetOut(console);
            context.Unload();
        }
        return captured.ToString();
    }
}
