using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Generation is deterministic across processes, not only within one: a second process has another
/// string-hash seed (so any order taken from a hash set or dictionary would show) and here another
/// culture too. This assembly is its own entry point: run with <c>--generate</c>, it reads a declaration
/// from standard input and writes the generated file to standard output.
/// </summary>
public class GenerateInAnotherProcess
{
    private const string Flag = "--generate";

    private const string Source = """
        using NetGen;
        namespace App;
        [Network(typeof(double))] [Linear(1500, 12)] [LeakyReLU(0.25)] [Linear(12, 12)] [SiLU] [Linear(12, 3)] [Softmax] [CrossEntropyLoss]
        public partial class Classifier { }
        [Network(Deterministic = true)] [Linear(7, 9)] [Tanh] [Linear(9, 2)] [MSELoss]
        public partial class Lockstep { }
        """;

    /// <summary>The entry point of <c>dotnet exec NetGen.Generator.Tests.dll --generate</c>.</summary>
    public static int Main(string[] args)
    {
        if (args.Length != 1 || args[0] != Flag)
        {
            Console.Error.WriteLine($"Run the tests with dotnet test; '{Flag}' generates the declaration on standard input.");
            return 2;
        }

        // First line: the culture this process runs in, so that the test knows the environment took.
        Console.Out.Write(System.Globalization.CultureInfo.CurrentCulture.Name + "\n");
        GeneratorHarness.Run run = GeneratorHarness.Generate(Console.In.ReadToEnd());
        foreach (var source in run.Sources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            Console.Out.Write("// " + source.HintName + "\n" + source.SourceText);
        }

        return 0;
    }

    [Fact]
    public void TwoProcessesUnderTwoCulturesWriteTheSameFiles()
    {
        string here = string.Concat(GeneratorHarness.Generate(Source).Sources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => "// " + s.HintName + "\n" + s.SourceText));
        string german = InAnotherProcess("de-DE");
        string turkish = InAnotherProcess("tr-TR");

        Assert.Contains("App.Classifier.g.cs", here, StringComparison.Ordinal);
        Assert.Contains("App.Lockstep.g.cs", here, StringComparison.Ordinal);
        Assert.Equal(here, german);
        Assert.Equal(here, turkish);
    }

    private static string InAnotherProcess(string culture)
    {
        string assembly = Assembly.GetExecutingAssembly().Location;
        // The dotnet that runs the tests (the CLI tells its children where it is), else the one on PATH.
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(Flag);
        // .NET takes the process's culture from these on Linux; invariant globalization would hide the point.
        start.Environment["LANG"] = culture.Replace('-', '_') + ".UTF-8";
        start.Environment["LC_ALL"] = culture.Replace('-', '_') + ".UTF-8";
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "0";
        using Process process = Process.Start(start)!;
        process.StandardInput.Write(Source);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"The generator process under {culture} failed ({process.ExitCode}): {errors}");
        int firstLine = output.IndexOf('\n');
        Assert.Equal(culture, output.Substring(0, firstLine));
        return output.Substring(firstLine + 1);
    }
}
