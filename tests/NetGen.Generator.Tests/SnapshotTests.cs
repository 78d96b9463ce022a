using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generated source for several networks, pinned: small and large, float and double, nested and
/// in the global namespace. A change to the emitter shows up here as a readable diff.
/// </summary>
public class SnapshotTests
{
    [Theory]
    [InlineData("IrisFloat", """
        namespace Demo.Networks;
        using NetGen;

        [Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
        public partial class IrisNet { }
        """)]
    [InlineData("NestedDoubleRegression", """
        using NetGen;

        namespace Demo
        {
            public static partial class Models
            {
                [Network(typeof(double))]
                [Linear(10, 13), ReLU]
                [Linear(13, 7), ReLU]
                [Linear(7, 1)]
                internal partial class Regressor { }
            }
        }
        """)]
    [InlineData("GlobalNamespaceActivationsFirst", """
        using NetGen;

        [Network]
        [ReLU]
        [Linear(5, 7)]
        [Softmax]
        [Linear(7, 3)]
        public partial class Oddity { }
        """)]
    [InlineData("MnistLooped", """
        using NetGen;

        [Network] [Linear(784, 128)] [ReLU] [Linear(128, 10)] [Softmax] [CrossEntropyLoss]
        public partial class MnistNet { }
        """)]
    [InlineData("RegressorTanhMse", """
        using NetGen;

        [Network] [Linear(3, 8)] [Tanh] [Linear(8, 2)] [MSELoss]
        public partial class Policy { }
        """)]
    [InlineData("BlocksPolicy", """
        using NetGen;

        [Network] [Linear(4, 8)] [LayerNorm] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [Dropout(0.1)] [BatchNorm1D(8)] [Linear(8, 2)] [MSELoss]
        public partial class Policy { }
        """)]
    [InlineData("LaneBlocksPolicy", """
        using NetGen;

        // Written out in lanes on .NET 8+ with AVX-512: a LayerNorm, and a residual block between the Linear layers.
        [Network] [Linear(8, 16)] [LayerNorm] [ReLU] [Residual] [Linear(16, 16)] [Tanh] [EndResidual] [Linear(16, 2)] [MSELoss]
        public partial class Policy { }
        """)]
    [InlineData("LanePaddedActor", """
        using NetGen;

        // Written out in lanes too: five inputs padded to a vector, SiLU, LeakyReLU and Dropout between the layers, one tanh output.
        [Network] [Linear(5, 32)] [SiLU] [Linear(32, 32)] [LeakyReLU(0.2)] [Dropout(0.1)] [Linear(32, 1)] [Tanh]
        public partial class Actor { }
        """)]
    [InlineData("DeterministicSiLU", """
        using NetGen;

        [Network(Deterministic = true)] [Linear(4, 8)] [SiLU] [Linear(8, 3)] [Softmax] [CrossEntropyLoss]
        public partial class Lockstep { }
        """)]
    [InlineData("FullUnrollLeaky", """
        using NetGen;

        [Network(typeof(double), FullUnroll = true)] [Linear(20, 20)] [LeakyReLU(0.2)] [Sigmoid] [Linear(20, 2)]
        public partial class Unrolled { }
        """)]
    [InlineData("GruAmpModel", """
        using NetGen;

        [Network] [GRU(1, 16)] [Linear(16, 1)] [MSELoss]
        public partial class AmpModel { }
        """)]
    [InlineData("SmallCnn", """
        using NetGen;

        [Network]
        [Input(1, 8, 8)]
        [Conv2D(1, 4, 3, Padding = 1)] [ReLU]
        [MaxPool2D(2)]
        [AvgPool2D(2)]
        [Flatten]
        [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
        public partial class SmallCnn { }
        """)]
    public void GeneratedSourceMatchesSnapshot(string name, string source)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        string generated = Assert.Single(run.Sources).SourceText.ToString();
        SnapshotAssert.Matches(name, generated);
    }

    [Fact]
    public void ABakedNetworkMatchesItsSnapshot()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(BakedWeightsTests.TinyDeclaration, BakedWeightsTests.TinyFile().AsAdditionalText("/src/App/tiny.safetensors.b64"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        SnapshotAssert.Matches("BakedTiny", Assert.Single(run.Sources).SourceText.ToString());
    }

    [Fact]
    public void HintNamesComeFromTheFullMetadataName()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            namespace A.B
            {
                public partial class Outer
                {
                    [Network] [Linear(2, 2)] public partial class Net { }
                }
                [Network] [Linear(2, 2)] public partial class Net { }
            }
            """);

        Assert.Empty(run.CompilationProblems);
        Assert.Equal(new[] { "A.B.Net.g.cs", "A.B.Outer+Net.g.cs" }, run.Sources.Select(s => s.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Fact]
    public void GenerationIsDeterministic()
    {
        const string source = """
            using NetGen;
            [Network] [Linear(33, 100)] [ReLU] [Linear(100, 7)] [Softmax] [CrossEntropyLoss]
            public partial class Net { }
            """;

        string first = GeneratorHarness.Generate(source).Sources.Single().SourceText.ToString();
        string second = GeneratorHarness.Generate(source).Sources.Single().SourceText.ToString();

        Assert.Equal(first, second);

        // The same text whatever the culture of the process that runs the compiler: decimal commas, other
        // digits, group separators and Turkish casing must not leak into numbers, names or comments.
        const string numeric = """
            using NetGen;
            [Network(typeof(double))] [Linear(1500, 1200)] [LeakyReLU(0.25)] [Linear(1200, 3)] [MSELoss]
            public partial class Invariant { }
            """;
        string invariant = GeneratorHarness.Generate(numeric).Sources.Single().SourceText.ToString();
        Assert.Contains("1,804,803 parameters", invariant, System.StringComparison.Ordinal);
        System.Globalization.CultureInfo original = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            foreach (string culture in new[] { "de-DE", "tr-TR", "ar-SA", "fa-IR" })
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(culture);
                System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.CurrentCulture;
                Assert.Equal(invariant, GeneratorHarness.Generate(numeric).Sources.Single().SourceText.ToString());
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = original;
            System.Globalization.CultureInfo.CurrentUICulture = original;
        }
    }
}
