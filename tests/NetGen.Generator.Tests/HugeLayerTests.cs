using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Big layers must not make big or slow generation: beyond the unroll budget kernels loop, so the
/// source does not grow with the sizes; and sizes near int's range must not overflow the emitted
/// arithmetic.
/// </summary>
public class HugeLayerTests
{
    private const int MaxSourceCharacters = 300_000;
    private const double MaxGenerationSeconds = 10; // generous: the machine is shared; typical runs report well under a second

    private readonly ITestOutputHelper _output;

    public HugeLayerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Linear4096x4096GeneratesASmallSourceQuickly()
    {
        // Warm up, so that the time measured is generation and not the JIT compiling Roslyn.
        GeneratorHarness.Generate("using NetGen; [Network] [Linear(2, 2)] public partial class Warm { }");

        var clock = Stopwatch.StartNew();
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network] [Linear(4096, 4096)] [ReLU] [Linear(4096, 10)] [Softmax] [CrossEntropyLoss] public partial class Wide { }");
        clock.Stop();

        string source = Assert.Single(run.Sources).SourceText.ToString();
        _output.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "Linear(4096, 4096) ReLU Linear(4096, 10): {0:N0} parameters, generated in {1:F0} ms, {2:N0} characters ({3:N0} lines)",
            4096L * 4096 + 4096 + (4096 * 10) + 10, clock.Elapsed.TotalMilliseconds, source.Length, source.Count(c => c == '\n')));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.InRange(source.Length, 1, MaxSourceCharacters);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, MaxGenerationSeconds);
        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void TheSourceDoesNotGrowWithLoopedLayerSizes()
    {
        int Length(int width) => Assert.Single(GeneratorHarness.Generate(
            $"using NetGen; [Network] [Linear({width}, {width})] [ReLU] [Linear({width}, 10)] public partial class Wide {{ }}").Sources).SourceText.Length;

        int small = Length(1_000);
        int huge = Length(40_000);
        _output.WriteLine($"1,000 wide: {small:N0} characters; 40,000 wide: {huge:N0} characters");

        // Both are past the unroll budget: only the numbers in the text differ (more digits), never the amount of code.
        Assert.InRange(huge, small, small + (small / 10));
    }

    [Fact]
    public void FullUnrollOfALargeLayerIsReportedForScale()
    {
        // FullUnroll writes every block of output rows out, so its source grows with the outputs: this
        // pins the order of magnitude the README's advice ("unroll small layers") rests on.
        var clock = Stopwatch.StartNew();
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network(FullUnroll = true)] [Linear(256, 256)] public partial class Unrolled { }");
        clock.Stop();

        string source = Assert.Single(run.Sources).SourceText.ToString();
        _output.WriteLine($"FullUnroll Linear(256, 256): generated in {clock.Elapsed.TotalMilliseconds:F0} ms, {source.Length:N0} characters");
        Assert.InRange(source.Length, 1, 20 * MaxSourceCharacters);
    }

    [Fact]
    public void TooManyParametersIsAnErrorEvenAtIntMaxValue()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using NetGen; [Network] [Linear(2147483647, 2147483647)] [Linear(2147483647, 2147483647)] [Linear(2147483647, 2147483647)] public partial class Net { }");

        // Reported once, at the first layer past the limit, although the running sum later leaves long's range.
        Assert.Single(run.GeneratorDiagnostics, d => d.Id == "NG0010");
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("[Network] [Linear(1, 100000000)] [ReLU] [Linear(100000000, 1)]")]
    [InlineData("[Network(typeof(double))] [Linear(3, 30000000)] [Linear(30000000, 2)] [Linear(2, 30000000)] [Linear(30000000, 3)]")]
    public void APooledInferenceChunkFitsInOneArray(string declaration)
    {
        // Very wide hidden layers rent their scratch from the array pool, chunk * ScratchWidth * buffers
        // values at once; that product is int arithmetic in the generated code and must stay an array length.
        GeneratorHarness.Run run = GeneratorHarness.Generate($"using NetGen; {declaration} public partial class Net {{ }}");
        string source = Assert.Single(run.Sources).SourceText.ToString();

        long chunk = Constant(source, "InferenceChunk");
        long scratchWidth = Constant(source, "ScratchWidth");
        long buffers = source.Contains("chunk * ScratchWidth * 2", System.StringComparison.Ordinal) ? 2 : 1;
        _output.WriteLine($"chunk {chunk}, scratch width {scratchWidth:N0}, buffers {buffers}");
        Assert.Contains("ArrayPool", source, System.StringComparison.Ordinal);
        Assert.InRange(chunk * scratchWidth * buffers, 1, 0x7FFFFFC7);
    }

    private static long Constant(string source, string name)
        => long.Parse(Regex.Match(source, $@"const (?:int|long) {name} = (\d+);").Groups[1].Value, CultureInfo.InvariantCulture);
}
