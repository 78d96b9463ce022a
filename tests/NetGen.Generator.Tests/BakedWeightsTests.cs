using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// [Network(Weights = "...")]: the generator bakes a safetensors file (as base64 AdditionalFiles text)
/// into the generated code. These tests compile the generated code, run it, and compare its Parameters
/// bit for bit with the file's values and with what the library's LoadSafetensors makes of the same file.
/// </summary>
public class BakedWeightsTests
{
    private readonly ITestOutputHelper _output;

    public BakedWeightsTests(ITestOutputHelper output) => _output = output;

    internal const string TinyDeclaration = """
        using NetGen;
        namespace App;

        [Network(Weights = "tiny.safetensors.b64")] [Linear(3, 2)] [ReLU] [Linear(2, 2)] [Softmax] [CrossEntropyLoss]
        public partial class Tiny { }
        """;

    /// <summary>Awkward floats: signed zeros, a subnormal, the extremes, values that need all nine digits.</summary>
    internal static readonly float[] TinyWeights1 = { 0f, -0f, float.Epsilon, float.MaxValue, -float.MaxValue, float.MinValue / 3, 0.1f, 1f / 3 };
    internal static readonly float[] TinyBias1 = { -1.17549435E-38f, 123456.789f };
    internal static readonly float[] TinyWeights2 = { 2f / 3, -1e-30f, 7.5f, (float)Math.PI };
    internal static readonly float[] TinyBias2 = { -0.5f, 16777217f };

    internal static SafetensorsFiles TinyFile() => new SafetensorsFiles()
        .F32("0.weight", new long[] { 2, 3 }, TinyWeights1.Take(6).ToArray())
        .F32("0.bias", new long[] { 2 }, TinyBias1)
        .F32("2.weight", new long[] { 2, 2 }, TinyWeights2)
        .F32("2.bias", new long[] { 2 }, TinyBias2);

    [Fact]
    public void AFloatNetworkStartsFromTheFilesValuesBitForBit()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(TinyDeclaration, TinyFile().AsAdditionalText("/src/App/tiny.safetensors.b64"));
        _output.WriteLine(run.Sources.Single().SourceText.ToString());
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        float[] expected = TinyWeights1.Take(6).Concat(TinyBias1).Concat(TinyWeights2).Concat(TinyBias2).ToArray();
        float[] actual = Run<float>(run, "App.Tiny", network => network.Parameters);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>Compiles the generated code, loads it, makes an instance of <paramref name="typeName"/>, and returns what <paramref name="read"/> reads from it.</summary>
    internal static TResult Run<T, TResult>(GeneratorHarness.Run run, string typeName, Func<INetwork<T>, TResult> read) where T : unmanaged
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("Baked", isCollectible: true);
        try
        {
            Type type = context.LoadFromStream(image).GetType(typeName, throwOnError: true)!;
            return read((INetwork<T>)Activator.CreateInstance(type)!);
        }
        finally
        {
            context.Unload();
        }
    }

    internal static T[] Run<T>(GeneratorHarness.Run run, string typeName, Func<INetwork<T>, T[]> read) where T : unmanaged
        => Run<T, T[]>(run, typeName, network => (T[])read(network).Clone());
}
