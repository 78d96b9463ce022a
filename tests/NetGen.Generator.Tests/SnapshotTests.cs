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
    public void GeneratedSourceMatchesSnapshot(string name, string source)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        string generated = Assert.Single(run.Sources).SourceText.ToString();
        SnapshotAssert.Matches(name, generated);
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
    }
}
