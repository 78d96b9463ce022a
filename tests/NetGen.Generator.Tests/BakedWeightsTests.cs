using System;
using System.Globalization;
using System.IO;
using System.Linq;
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

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        float[] expected = TinyWeights1.Take(6).Concat(TinyBias1).Concat(TinyWeights2).Concat(TinyBias2).ToArray();
        float[] actual = Run<float>(run, "App.Tiny", network => network.Parameters);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void ADoubleNetworkStartsFromF64ValuesBitForBitAndWidensF32Exactly()
    {
        double[] weights = { -0.0, double.Epsilon, double.MaxValue, 0.1, 1.0 / 3, -2.5e-300 };
        float[] bias = { 0.1f, -3.4028235e38f };
        string source = """
            using NetGen;
            [Network(typeof(double), Weights = "mixed.safetensors.b64")] [Linear(3, 2)]
            public partial class Mixed { }
            """;
        var file = new SafetensorsFiles().F64("0.weight", new long[] { 2, 3 }, weights).F32("0.bias", new long[] { 2 }, bias);

        GeneratorHarness.Run run = GeneratorHarness.Generate(source, file.AsAdditionalText("mixed.safetensors.b64"));

        Assert.Empty(run.GeneratorDiagnostics);
        double[] actual = Run<double>(run, "Mixed", network => network.Parameters);
        double[] expected = weights.Concat(bias.Select(b => (double)b)).ToArray();
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    // PyTorch's own files (tests/fixtures/pytorch, made by make_fixtures.py): F16, BF16, a prefix ("net.0.weight"), and F64.
    [InlineData("iris_f16.safetensors", "", "[Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]")]
    [InlineData("iris_bf16.safetensors", "", "[Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]")]
    [InlineData("iris.prefixed.safetensors", "", "[Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]")]
    [InlineData("d_deeper.safetensors", "typeof(double), ", "[Linear(100, 33)] [ReLU] [Linear(33, 7)] [ReLU] [Linear(7, 13)] [ReLU] [Linear(13, 1)]")]
    // Modules embed, mlp, ff, head sorted as embed, ff, head, mlp: only the shapes place them.
    [InlineData("named_unique.safetensors", "", "[Linear(4, 16)] [ReLU] [Linear(16, 32)] [ReLU] [Linear(32, 16)] [ReLU] [Linear(16, 3)]")]
    // nn.Linear(4, 8, bias=False): no "0.bias", baked as zeros.
    [InlineData("bias_free.safetensors", "", "[Linear(4, 8)] [ReLU] [Linear(8, 3)]")]
    public void PyTorchFilesBakeToWhatLoadSafetensorsLoads(string fixture, string elementType, string layers)
    {
        byte[] bytes = File.ReadAllBytes(RepositoryFiles.PathOf("tests/fixtures/pytorch/" + fixture));
        string source = $"using NetGen; [Network({elementType}Weights = \"{fixture}.b64\")] {layers} public partial class FromPyTorch {{ }}";

        GeneratorHarness.Run run = GeneratorHarness.Generate(source, new InMemoryAdditionalText("/repo/weights/" + fixture + ".b64", SafetensorsFiles.Base64(bytes)));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        if (elementType.Length == 0)
        {
            Assert.Equal(BitsOfALoad<float>(run, bytes).Baked, BitsOfALoad<float>(run, bytes).Loaded);
        }
        else
        {
            Assert.Equal(BitsOfALoad<double>(run, bytes).Baked, BitsOfALoad<double>(run, bytes).Loaded);
        }
    }

    [Fact]
    public void F16ValuesWidenExactlyIntoAFloatNetwork()
    {
        // Chosen by their bits: the extremes of binary16, a subnormal, signed zero; checked against .NET's own Half.
        ushort[] bits = { 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x3555 };
        Half[] halves = bits.Select(BitConverter.UInt16BitsToHalf).ToArray();
        var file = new SafetensorsFiles().F16("0.weight", new long[] { 2, 2 }, halves.Take(4).ToArray()).F16("0.bias", new long[] { 2 }, halves.Skip(4).ToArray());

        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network(Weights = \"half.b64\")] [Linear(2, 2)] public partial class Half16 { }", file.AsAdditionalText("half.b64"));

        float[] actual = Run<float>(run, "Half16", network => network.Parameters);
        Assert.Equal(halves.Select(h => BitConverter.SingleToInt32Bits((float)h)), actual.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(65504f, actual[2]);
    }

    [Fact]
    public void InitializeParametersStillInitialisesRandomlyAndResetToBakedParametersRestores()
    {
        string twin = "\n[Network] [Linear(3, 2)] [ReLU] [Linear(2, 2)] [Softmax] [CrossEntropyLoss] public partial class Plain { }";
        GeneratorHarness.Run run = GeneratorHarness.Generate(TinyDeclaration + twin, TinyFile().AsAdditionalText("tiny.safetensors.b64"));
        Assert.Empty(run.GeneratorDiagnostics);

        (int[] Baked, int[] Random, int[] Plain, int[] Reset, long Allocated) result = Run<float, (int[], int[], int[], int[], long)>(run, "App.Tiny", network =>
        {
            int[] baked = Bits(network.Parameters);
            ((dynamic)network).InitializeParameters(7);
            int[] random = Bits(network.Parameters);
            var plain = (INetwork<float>)Activator.CreateInstance(network.GetType().Assembly.GetType("App.Plain", throwOnError: true)!)!;
            ((dynamic)plain).InitializeParameters(7);
            var reset = network.GetType().GetMethod("ResetToBakedParameters")!.CreateDelegate<Action>(network);
            reset(); // once, so that the measured call below is not the first
            ((dynamic)network).InitializeParameters(7);
            long before = GC.GetAllocatedBytesForCurrentThread();
            reset();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            return (baked, random, Bits(plain.Parameters), Bits(network.Parameters), allocated);
        });

        Assert.NotEqual(result.Baked, result.Random);
        Assert.Equal(result.Plain, result.Random);   // the same random initialisation as any network of these layers
        Assert.Equal(result.Baked, result.Reset);
        Assert.Equal(0, result.Allocated);
    }

    [Fact]
    public void TheGeneratedFileNamesEveryTensorAndWritesSixteenBytesALine()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(TinyDeclaration, TinyFile().AsAdditionalText("tiny.safetensors.b64"));
        string text = run.Sources.Single().SourceText.ToString();

        Assert.Contains("// Baked weights: a new instance starts from the tensors of \"tiny.safetensors.b64\"", text, StringComparison.Ordinal);
        Assert.Contains("private static global::System.ReadOnlySpan<byte> BakedParameterBytes => new byte[]", text, StringComparison.Ordinal);
        Assert.Contains("// Layer 1, Linear(3, 2), weight: \"0.weight\" [2, 3] (F32), Parameters[0..6).", text, StringComparison.Ordinal);
        Assert.Contains("// Layer 1, Linear(3, 2), bias: \"0.bias\" [2] (F32), Parameters[6..8).", text, StringComparison.Ordinal);
        Assert.Contains("// Layer 3, Linear(2, 2), weight: \"2.weight\" [2, 2] (F32), Parameters[8..12).", text, StringComparison.Ordinal);
        Assert.Contains("// Layer 3, Linear(2, 2), bias: \"2.bias\" [2] (F32), Parameters[12..14).", text, StringComparison.Ordinal);
        string[] byteLines = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("0x", StringComparison.Ordinal)).ToArray();
        // 0.weight: 24 bytes, two lines; 0.bias: 8; 2.weight: 16; 2.bias: 8.
        Assert.Equal(new[] { 16, 8, 8, 16, 8 }, byteLines.Select(l => l.Split(' ').Length));
        Assert.Contains("0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,", byteLines[0], StringComparison.Ordinal); // +0, then -0
        Assert.Contains("public void ResetToBakedParameters()", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.Latest)]
    public void BakedCodeCompilesWithoutWarnings(LanguageVersion version)
    {
        string source = "using NetGen;\nnamespace App { public partial class Outer { [Network(typeof(double), Weights = \"tiny.safetensors.b64\")] [Linear(3, 2)] [ReLU] [Linear(2, 2)] public partial class Nested { } } }";
        GeneratorHarness.Run run = GeneratorHarness.Generate(GeneratorHarness.Compile(source, version), version, TinyFile().AsAdditionalText("tiny.safetensors.b64"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        Assert.Equal("App.Outer+Nested.g.cs", Assert.Single(run.Sources).HintName);
    }

    /// <summary>
    /// What a large baked network costs: a 784-512-10 MLP (407,050 floats, 1.6 MB of parameters). The source
    /// size is exact and bounded; the generator's time is reported (a median after a warm-up) and held only
    /// to a ceiling that catches a pathological regression.
    /// </summary>
    [Fact]
    public void ALargeBakedNetworkIsBoundedInSourceAndTime()
    {
        var random = new Random(1);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5) / 10).ToArray();
        var file = new SafetensorsFiles()
            .F32("0.weight", new long[] { 512, 784 }, Values(512 * 784)).F32("0.bias", new long[] { 512 }, Values(512))
            .F32("2.weight", new long[] { 10, 512 }, Values(10 * 512)).F32("2.bias", new long[] { 10 }, Values(10));
        InMemoryAdditionalText text = file.AsAdditionalText("mnist.safetensors.b64");
        string source = "using NetGen; [Network(Weights = \"mnist.safetensors.b64\")] [Linear(784, 512)] [ReLU] [Linear(512, 10)] [Softmax] [CrossEntropyLoss] public partial class Mnist { }";
        GeneratorHarness.Generate(source, text); // warm-up

        var times = new double[5];
        string generated = "";
        for (int i = 0; i < times.Length; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            generated = GeneratorHarness.GenerateOnly(source, text).Sources.Single().SourceText.ToString();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        double median = times.OrderBy(t => t).ElementAt(times.Length / 2);
        _output.WriteLine(string.Format(CultureInfo.InvariantCulture, "784-512-10 baked: {0:N0} characters ({1:N0} bytes of parameters, {2:F1} characters a byte), {3:N0} lines, generated in {4:F0} ms (median of {5}); base64 file {6:N0} characters",
            generated.Length, 407_050 * 4, generated.Length / (407_050 * 4.0), generated.Split('\n').Length, median, times.Length, text.GetText()!.Length));

        // About 7 characters a parameter byte ("0xAB, " and the indentation every 16 bytes) on top of the network's code.
        Assert.InRange(generated.Length, 407_050 * 4 * 6, (407_050 * 4 * 8) + 60_000);
        Assert.InRange(median, 0, 10_000);
    }

    [Fact]
    public void NoNameInTheFileCanEndItsCommentAndAddCode()
    {
        // C# ends a line at U+2028 too, which JSON-style quoting leaves alone: a tensor named so would end
        // the generated comment and put its own code into the class.
        const string module = "evil\u2028public int Injected => 1;\u2028//";
        var file = new SafetensorsFiles().F32(module + ".weight", new long[] { 2, 2 }, 1, 2, 3, 4).F32(module + ".bias", new long[] { 2 }, 5, 6);
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network(Weights = \"a&b<c>.b64\")] [Linear(2, 2)] public partial class Guarded { }", file.AsAdditionalText("/src/a&b<c>.b64"));

        string text = run.Sources.Single().SourceText.ToString();
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        Assert.Contains("\"evil\\u2028public int Injected => 1;\\u2028//.weight\" [2, 2]", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u2028', text);
        Assert.Null(run.Output.GetTypeByMetadataName("Guarded")!.GetMembers("Injected").FirstOrDefault());
        Assert.Contains("weights baked in from \"a&amp;b&lt;c&gt;.b64\"", text, StringComparison.Ordinal); // XML documentation
        Assert.Contains("// Baked weights: a new instance starts from the tensors of \"a&b<c>.b64\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSamplesBase64FileIsItsSafetensorsFile()
    {
        // samples/FromPyTorch bakes iris.safetensors.b64 and loads iris.safetensors; train.py writes both.
        // Were they to drift apart, the sample would compare two different models.
        byte[] binary = File.ReadAllBytes(RepositoryFiles.PathOf("samples/FromPyTorch/iris.safetensors"));
        string text = File.ReadAllText(RepositoryFiles.PathOf("samples/FromPyTorch/iris.safetensors.b64"));
        Assert.Equal(binary, Convert.FromBase64String(text));
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>The baked network's parameters and what LoadSafetensors loads from the same bytes into a fresh instance, as bits.</summary>
    [Fact]
    public void NamedModulesChooseTheOrderOfAFileThatShapesCannotDecide()
    {
        // mlp and ff are both Linear(16, 16); the model runs embed, mlp, ff, out (make_fixtures.py's named_ambiguous).
        byte[] bytes = File.ReadAllBytes(RepositoryFiles.PathOf("tests/fixtures/pytorch/named_ambiguous.safetensors"));
        string source = "using NetGen; [Network(Weights = \"named_ambiguous.safetensors.b64\", WeightsModuleNames = new[] { \"embed\", \"mlp\", \"ff\", \"out\" })] " +
            "[Linear(4, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 3)] public partial class FromPyTorch { }";

        GeneratorHarness.Run run = GeneratorHarness.Generate(source, new InMemoryAdditionalText("/repo/named_ambiguous.safetensors.b64", SafetensorsFiles.Base64(bytes)));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        var options = new WeightLoadOptions { ModuleNames = new[] { "embed", "mlp", "ff", "out" } };
        (long[] baked, long[] loaded) = BitsOfALoad<float>(run, bytes, options);
        Assert.Equal(baked, loaded);
        // And not the other order, which the shapes allow just as well.
        Assert.NotEqual(baked, BitsOfALoad<float>(run, bytes, options with { ModuleNames = new[] { "embed", "ff", "mlp", "out" } }).Loaded);
        string text = run.Sources.Single(s => s.HintName == "FromPyTorch.g.cs").SourceText.ToString();
        Assert.Contains("// Layer 3, Linear(16, 16), weight: \"mlp.weight\" [16, 16] (F32)", text, StringComparison.Ordinal);
        Assert.Contains("// Layer 5, Linear(16, 16), weight: \"ff.weight\" [16, 16] (F32)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ABiasTheFileDoesNotHaveIsBakedAsZerosAndSaysSo()
    {
        byte[] bytes = File.ReadAllBytes(RepositoryFiles.PathOf("tests/fixtures/pytorch/bias_free.safetensors"));
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network(Weights = \"bias_free.safetensors.b64\")] [Linear(4, 8)] [ReLU] [Linear(8, 3)] public partial class FromPyTorch { }",
            new InMemoryAdditionalText("/repo/bias_free.safetensors.b64", SafetensorsFiles.Base64(bytes)));
        Assert.Empty(run.GeneratorDiagnostics);
        string text = run.Sources.Single(s => s.HintName == "FromPyTorch.g.cs").SourceText.ToString();
        Assert.Contains("// Layer 1, Linear(4, 8), bias: none in the file (bias=False), so zeros, Parameters[32..40).", text, StringComparison.Ordinal);
        Assert.All(Run<float, float[]>(run, "FromPyTorch", network => network.Parameters.AsSpan(32, 8).ToArray()), b => Assert.Equal(0f, b));
    }

    private static (long[] Baked, long[] Loaded) BitsOfALoad<T>(GeneratorHarness.Run run, byte[] file, WeightLoadOptions? options = null) where T : unmanaged
        => Run<T, (long[], long[])>(run, "FromPyTorch", network =>
        {
            long[] baked = AsBits(network.Parameters);
            var fresh = (INetwork<T>)Activator.CreateInstance(network.GetType())!;
            Array.Clear(fresh.Parameters);
            fresh.LoadSafetensors(new MemoryStream(file), options ?? WeightLoadOptions.Default);
            return (baked, AsBits(fresh.Parameters));
        });

    private static long[] AsBits<T>(T[] values) where T : unmanaged => values switch
    {
        float[] f => f.Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray(),
        double[] d => d.Select(BitConverter.DoubleToInt64Bits).ToArray(),
        _ => throw new NotSupportedException(typeof(T).Name),
    };

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
