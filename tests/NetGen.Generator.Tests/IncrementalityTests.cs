using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using TrackingNames = NetGen.Generator.NetworkGenerator.TrackingNames;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator runs on every keystroke in an IDE, so it must notice when nothing it cares about has
/// changed. Each test runs one driver twice, the second time over an edited compilation, and reads the
/// run reason of every tracked step: an edit elsewhere, or one that changes nothing meaningful, must
/// leave every output Cached or Unchanged; an edit to one network regenerates that network alone.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] TrackedStepNames =
    {
        TrackingNames.Parse, TrackingNames.Specs, TrackingNames.Diagnostics, TrackingNames.MissingNetwork,
        TrackingNames.RequestedWeights, TrackingNames.WeightsFiles, TrackingNames.Bake, TrackingNames.AdditionalFilePaths, TrackingNames.WeightsDiagnostics,
        TrackingNames.HintNames, TrackingNames.UserMembers,
    };

    private const string IrisFile = """
        using NetGen;
        namespace App;

        [Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
        public partial class Iris
        {
            public int Tag => 1;
        }
        """;

    private const string RegressorFile = """
        using NetGen;
        namespace App;

        [Network(typeof(double))] [Linear(8, 5)] [ReLU] [Linear(5, 1)]
        public partial class Regressor { }
        """;

    /// <summary>Layers without [Network]: NG0016's own pipeline step reports it.</summary>
    private const string ForgottenFile = """
        using NetGen;
        namespace App;

        [Linear(2, 2)] [ReLU]
        public partial class Forgotten { }
        """;

    private const string HelperFile = """
        namespace App;

        public static class Helper
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    [Fact]
    public void ChangingAMethodBodyInAnotherFileRegeneratesNothing()
    {
        var session = new DriverSession(("Iris.cs", IrisFile), ("Regressor.cs", RegressorFile), ("Forgotten.cs", ForgottenFile), ("Helper.cs", HelperFile));
        GeneratorRunResult first = session.Run();
        Assert.Single(Outputs(first, TrackingNames.MissingNetwork));

        GeneratorRunResult second = session.Edit("Helper.cs", HelperFile.Replace("x * 2", "x + x", StringComparison.Ordinal));

        AssertEveryTrackedOutputIsReused(second);
        AssertSameSources(first, second);
    }

    [Fact]
    public void AddingAnUnrelatedFileRegeneratesNothing()
    {
        var session = new DriverSession(("Iris.cs", IrisFile), ("Regressor.cs", RegressorFile));
        GeneratorRunResult first = session.Run();

        GeneratorRunResult second = session.Add("Unrelated.cs", "namespace App; [System.Obsolete] public sealed class Unrelated { public void M() { } }");

        AssertEveryTrackedOutputIsReused(second);
        AssertSameSources(first, second);
    }

    [Fact]
    public void AddingANetworkChoosesTheHintNamesAgainButReEmitsNoOtherNetwork()
    {
        var session = new DriverSession(("Iris.cs", IrisFile), ("Regressor.cs", RegressorFile));
        GeneratorRunResult first = session.Run();

        GeneratorRunResult second = session.Add("Extra.cs", "using NetGen;\nnamespace App;\n[Network] [Linear(3, 2)] [MSELoss] public partial class Extra { }");

        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(second, TrackingNames.HintNames)).Reason);
        // The two networks that were there keep their names, so their sources are not written again.
        List<IncrementalStepRunReason> reasons = second.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.New));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, reasons);
        Assert.Equal(SourceText(first, "App.Iris.g.cs"), SourceText(second, "App.Iris.g.cs"));
        Assert.Equal(new[] { "App.Extra.g.cs", "App.Iris.g.cs", "App.Regressor.g.cs" }, second.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void EditingOneNetworksLayersRegeneratesThatNetworkAlone()
    {
        var session = new DriverSession(("Iris.cs", IrisFile), ("Regressor.cs", RegressorFile));
        GeneratorRunResult first = session.Run();

        GeneratorRunResult second = session.Edit("Iris.cs", IrisFile
            .Replace("[Linear(4, 16)]", "[Linear(4, 32)]", StringComparison.Ordinal)
            .Replace("[Linear(16, 3)]", "[Linear(32, 3)]", StringComparison.Ordinal));

        IReadOnlyDictionary<string, IncrementalStepRunReason> specs = SpecReasonsByClass(second);
        Assert.Equal(IncrementalStepRunReason.Modified, specs["Iris"]);
        Assert.Contains(specs["Regressor"], new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });

        Assert.NotEqual(SourceText(first, "App.Iris.g.cs"), SourceText(second, "App.Iris.g.cs"));
        Assert.Contains("Linear(4,32)", SourceText(second, "App.Iris.g.cs"), StringComparison.Ordinal);
        Assert.Equal(SourceText(first, "App.Regressor.g.cs"), SourceText(second, "App.Regressor.g.cs"));
    }

    [Theory]
    [InlineData("public int Tag => 1;", "public int Tag => 1;   // a comment the generator ignores")]
    [InlineData("public int Tag => 1;", "\n\n    public int Tag  =>  1 ;\n")]
    [InlineData("public int Tag => 1;", "public int Tag => 2;")]
    [InlineData("[Linear(4, 16)] [ReLU]", "[Linear(4, 16)]\n[ReLU]")]
    public void AnEditThatChangesNoLayerLeavesTheSpecUnchanged(string before, string after)
    {
        var session = new DriverSession(("Iris.cs", IrisFile), ("Regressor.cs", RegressorFile));
        GeneratorRunResult first = session.Run();

        GeneratorRunResult second = session.Edit("Iris.cs", IrisFile.Replace(before, after, StringComparison.Ordinal));

        // The edited file's declaration is parsed again (its tree changed), but to an equal spec.
        IReadOnlyDictionary<string, IncrementalStepRunReason> specs = SpecReasonsByClass(second);
        Assert.Contains(specs["Iris"], new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });
        AssertEveryTrackedOutputIsReused(second);
        AssertSameSources(first, second);
    }

    [Fact]
    public void MovingAnInvalidDeclarationMovesItsDiagnosticButGeneratesNothing()
    {
        const string bad = "using NetGen;\n[Network] [Linear(4, 8)] [Linear(16, 3)] public partial class Bad { }\n";
        var session = new DriverSession(("Bad.cs", bad), ("Regressor.cs", RegressorFile));
        GeneratorRunResult first = session.Run();

        GeneratorRunResult second = session.Edit("Bad.cs", "\n\n" + bad);

        // The diagnostic's location moved, so the diagnostics output must change; no spec exists to emit.
        Assert.Contains(Outputs(second, TrackingNames.Diagnostics), o => o.Reason == IncrementalStepRunReason.Modified);
        Diagnostic before = Assert.Single(first.Diagnostics);
        Diagnostic after = Assert.Single(second.Diagnostics);
        Assert.Equal("NG0007", after.Id);
        Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 2, after.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("App.Regressor.g.cs", Assert.Single(second.GeneratedSources).HintName);
    }

    [Fact]
    public void EditingANetworkLeavesTheMissingNetworkWarningElsewhereAsItWas()
    {
        var session = new DriverSession(("Iris.cs", IrisFile), ("Forgotten.cs", ForgottenFile));
        GeneratorRunResult first = session.Run();

        GeneratorRunResult second = session.Edit("Iris.cs", IrisFile.Replace("[Linear(4, 16)] [ReLU] [Linear(16, 3)]", "[Linear(4, 8)] [ReLU] [Linear(8, 3)]", StringComparison.Ordinal));

        (object warning, IncrementalStepRunReason reason) = Assert.Single(Outputs(second, TrackingNames.MissingNetwork));
        Assert.Contains(reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });
        Assert.Equal(Assert.Single(Outputs(first, TrackingNames.MissingNetwork)).Value, warning);
        Assert.Equal("NG0016", Assert.Single(second.Diagnostics).Id);
    }

    [Fact]
    public void MovingAForgottenClassMovesItsWarningAndAddingNetworkTurnsItIntoANetwork()
    {
        var session = new DriverSession(("Forgotten.cs", ForgottenFile), ("Regressor.cs", RegressorFile));
        GeneratorRunResult first = session.Run();

        GeneratorRunResult moved = session.Edit("Forgotten.cs", "\n\n" + ForgottenFile);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(moved, TrackingNames.MissingNetwork)).Reason);
        Assert.Equal(
            Assert.Single(first.Diagnostics).Location.GetLineSpan().StartLinePosition.Line + 2,
            Assert.Single(moved.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(IncrementalStepRunReason.Cached, Assert.Single(Outputs(moved, TrackingNames.Specs)).Reason);

        GeneratorRunResult fixedUp = session.Edit("Forgotten.cs", ForgottenFile.Replace("[Linear(2, 2)]", "[Network] [Linear(2, 2)]", StringComparison.Ordinal));
        Assert.DoesNotContain(Outputs(fixedUp, TrackingNames.MissingNetwork), output => output.Reason != IncrementalStepRunReason.Removed);
        Assert.Empty(fixedUp.Diagnostics);
        Assert.Equal(new[] { "App.Forgotten.g.cs", "App.Regressor.g.cs" }, fixedUp.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void TwoParsesOfTheSameDeclarationGiveEqualSpecs()
    {
        // Two independent compilations, so that nothing is shared but the text.
        object first = Assert.Single(Outputs(new DriverSession(("Iris.cs", IrisFile)).Run(), TrackingNames.Specs)).Value;
        object second = Assert.Single(Outputs(new DriverSession(("Iris.cs", IrisFile)).Run(), TrackingNames.Specs)).Value;

        Assert.IsType<Model.NetworkSpec>(first);
        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());

        object other = Assert.Single(Outputs(new DriverSession(("Iris.cs", IrisFile.Replace("Linear(16, 3)", "Linear(16, 4)", StringComparison.Ordinal))).Run(), TrackingNames.Specs)).Value;
        Assert.NotEqual(first, other);
    }

    private const string BakedIrisFile = """
        using NetGen;
        namespace App;

        [Network(Weights = "iris.safetensors.b64")] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
        public partial class BakedIris
        {
            public int Tag => 1;
        }
        """;

    private const string BakedTinyFile = """
        using NetGen;
        namespace App;

        [Network(Weights = "tiny.safetensors.b64")] [Linear(3, 2)] [ReLU] [Linear(2, 2)]
        public partial class BakedTiny { }
        """;

    /// <summary>Iris's weights, all equal to <paramref name="value"/>, as the base64 text of their safetensors file.</summary>
    private static string IrisWeights(float value) => new SafetensorsFiles()
        .F32("0.weight", new long[] { 16, 4 }, Enumerable.Repeat(value, 64).ToArray()).F32("0.bias", new long[] { 16 }, Enumerable.Repeat(value, 16).ToArray())
        .F32("2.weight", new long[] { 3, 16 }, Enumerable.Repeat(value, 48).ToArray()).F32("2.bias", new long[] { 3 }, Enumerable.Repeat(value, 3).ToArray())
        .ToBase64();

    /// <summary>A project with two baked networks, one without weights, a helper, and an AdditionalFiles item that is not weights.</summary>
    private static (DriverSession Session, InMemoryAdditionalText Iris, InMemoryAdditionalText Tiny, InMemoryAdditionalText Notes) BakedProject()
    {
        var iris = new InMemoryAdditionalText("/src/App/iris.safetensors.b64", IrisWeights(0.25f));
        var tiny = BakedWeightsTests.TinyFile().AsAdditionalText("/src/App/models/tiny.safetensors.b64");
        var notes = new InMemoryAdditionalText("/src/App/notes.txt", "not weights");
        var session = new DriverSession(new AdditionalText[] { iris, tiny, notes },
            ("BakedIris.cs", BakedIrisFile), ("BakedTiny.cs", BakedTinyFile), ("Regressor.cs", RegressorFile), ("Helper.cs", HelperFile));
        return (session, iris, tiny, notes);
    }

    [Fact]
    public void AnEditToAnotherCSharpFileReadsNoWeightsFileAndRegeneratesNothing()
    {
        var (session, iris, tiny, notes) = BakedProject();
        GeneratorRunResult first = session.Run();
        Assert.Empty(first.Diagnostics);
        Assert.Equal(3, first.GeneratedSources.Length);
        (int irisReads, int tinyReads) = (iris.Reads, tiny.Reads);

        GeneratorRunResult second = session.Edit("Helper.cs", HelperFile.Replace("x * 2", "x + x", StringComparison.Ordinal));

        AssertEveryTrackedOutputIsReused(second);
        AssertSameSources(first, second);
        Assert.Equal((irisReads, tinyReads), (iris.Reads, tiny.Reads));
        Assert.Equal(0, notes.Reads); // an item no network names is never read
    }

    [Theory]
    [InlineData("public int Tag => 1;", "public int Tag => 2;   // a member the generator ignores")]
    [InlineData("[Linear(4, 16)] [ReLU]", "\n\n[Linear(4, 16)]\n[ReLU]")]
    public void AnEditToTheBakedClassThatKeepsItsLayersNeitherReadsNorConvertsTheFile(string before, string after)
    {
        var (session, iris, _, _) = BakedProject();
        GeneratorRunResult first = session.Run();
        int reads = iris.Reads;

        GeneratorRunResult second = session.Edit("BakedIris.cs", BakedIrisFile.Replace(before, after, StringComparison.Ordinal));

        // The declaration is parsed again (its tree changed), to an equal spec; matching and converting the
        // weights is keyed by that spec and the file's contents, so it does not run again.
        Assert.All(Outputs(second, TrackingNames.Specs), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(Outputs(second, TrackingNames.WeightsFiles), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(Outputs(second, TrackingNames.Bake), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(second.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        AssertSameSources(first, second);
        Assert.Equal(reads, iris.Reads);
    }

    [Fact]
    public void AWeightsFileSavedAgainUnchangedRegeneratesNothing()
    {
        var (session, iris, _, _) = BakedProject();
        GeneratorRunResult first = session.Run();

        var again = new InMemoryAdditionalText(iris.Path, IrisWeights(0.25f));
        GeneratorRunResult second = session.ReplaceAdditionalText(iris, again);

        // The new item is read (it is a new text), and reads to an equal value: nothing after it runs.
        Assert.Equal(1, again.Reads);
        Assert.Contains(Outputs(second, TrackingNames.WeightsFiles), o => o.Reason == IncrementalStepRunReason.Unchanged);
        AssertEveryTrackedOutputIsReused(second);
        AssertSameSources(first, second);
    }

    [Fact]
    public void AChangedWeightsFileRegeneratesOnlyTheNetworkThatNamesIt()
    {
        var (session, iris, tiny, _) = BakedProject();
        GeneratorRunResult first = session.Run();
        int tinyReads = tiny.Reads;

        GeneratorRunResult second = session.ReplaceAdditionalText(iris, new InMemoryAdditionalText(iris.Path, IrisWeights(0.5f)));

        Dictionary<string, IncrementalStepRunReason> bakes = Outputs(second, TrackingNames.Bake)
            .ToDictionary(o => ((Weights.BakeOutcome)o.Value).Spec.ClassName, o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, bakes["BakedIris"]);
        Assert.Equal(IncrementalStepRunReason.Cached, bakes["BakedTiny"]); // not even matched and converted again
        Assert.Equal(tinyReads, tiny.Reads);
        Assert.NotEqual(SourceText(first, "App.BakedIris.g.cs"), SourceText(second, "App.BakedIris.g.cs"));
        Assert.Contains("0x00, 0x00, 0x00, 0x3F,", SourceText(second, "App.BakedIris.g.cs"), StringComparison.Ordinal); // 0.5f
        Assert.Equal(SourceText(first, "App.BakedTiny.g.cs"), SourceText(second, "App.BakedTiny.g.cs"));
        Assert.Equal(SourceText(first, "App.Regressor.g.cs"), SourceText(second, "App.Regressor.g.cs"));
    }

    [Fact]
    public void AddingAnAdditionalFileNoNetworkNamesReadsNothing()
    {
        var (session, iris, tiny, _) = BakedProject();
        GeneratorRunResult first = session.Run();
        (int irisReads, int tinyReads) = (iris.Reads, tiny.Reads);

        var readme = new InMemoryAdditionalText("/src/App/README.md", "# App");
        GeneratorRunResult second = session.AddAdditionalText(readme);

        Assert.Equal(0, readme.Reads);
        Assert.Equal((irisReads, tinyReads), (iris.Reads, tiny.Reads));
        Assert.All(Outputs(second, TrackingNames.Bake), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(second.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        AssertSameSources(first, second);
    }

    [Fact]
    public void AMissingWeightsFileMovesWithItsDeclarationAndAddingTheFileGeneratesTheNetwork()
    {
        var session = new DriverSession(Array.Empty<AdditionalText>(), ("BakedIris.cs", BakedIrisFile), ("Regressor.cs", RegressorFile));
        GeneratorRunResult first = session.Run();
        Diagnostic missing = Assert.Single(first.Diagnostics);
        Assert.Equal("NG0023", missing.Id);

        GeneratorRunResult moved = session.Edit("BakedIris.cs", "\n\n" + BakedIrisFile);
        Assert.Equal(missing.Location.GetLineSpan().StartLinePosition.Line + 2, Assert.Single(moved.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains(Outputs(moved, TrackingNames.WeightsDiagnostics), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(Outputs(moved, TrackingNames.Bake), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));

        GeneratorRunResult added = session.AddAdditionalText(new InMemoryAdditionalText("/src/App/iris.safetensors.b64", IrisWeights(1f)));
        Assert.Empty(added.Diagnostics);
        Assert.Equal(new[] { "App.BakedIris.g.cs", "App.Regressor.g.cs" }, added.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal));
    }

    private static void AssertEveryTrackedOutputIsReused(GeneratorRunResult result)
    {
        Assert.Contains(TrackingNames.Parse, result.TrackedSteps.Keys);
        foreach (string name in TrackedStepNames)
        {
            foreach ((object value, IncrementalStepRunReason reason) in Outputs(result, name))
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step '{name}' produced {reason} for {value}.");
            }
        }

        // The source output itself: nothing to add again.
        foreach (IncrementalGeneratorRunStep step in result.TrackedOutputSteps.SelectMany(pair => pair.Value))
        {
            Assert.All(step.Outputs, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        }
    }

    private static void AssertSameSources(GeneratorRunResult first, GeneratorRunResult second)
    {
        Assert.NotEmpty(first.GeneratedSources);
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(s => s.HintName, StringComparer.Ordinal),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(s => s.HintName, StringComparer.Ordinal));
    }

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string stepName)
        => result.TrackedSteps.TryGetValue(stepName, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(step => step.Outputs)
            : Enumerable.Empty<(object, IncrementalStepRunReason)>();

    /// <summary>The Specs step's run reason for each network, keyed by class name.</summary>
    private static IReadOnlyDictionary<string, IncrementalStepRunReason> SpecReasonsByClass(GeneratorRunResult result)
        => Outputs(result, TrackingNames.Specs).ToDictionary(
            output => ((Model.NetworkSpec)output.Value).ClassName,
            output => output.Reason);

    private static string SourceText(GeneratorRunResult result, string hintName)
        => result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>One generator driver kept across edits, as an IDE keeps it between keystrokes.</summary>
    private sealed class DriverSession
    {
        private GeneratorDriver _driver;
        private Compilation _compilation;

        public DriverSession(params (string Path, string Text)[] files)
            : this(Array.Empty<AdditionalText>(), files)
        {
        }

        public DriverSession(AdditionalText[] additionalFiles, params (string Path, string Text)[] files)
        {
            _compilation = GeneratorHarness.CompileFiles(LanguageVersion.Latest, files);
            _driver = CSharpGeneratorDriver.Create(
                new[] { new NetworkGenerator().AsSourceGenerator() },
                additionalTexts: additionalFiles,
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        }

        public GeneratorRunResult Run()
        {
            _driver = _driver.RunGenerators(_compilation);
            GeneratorRunResult result = _driver.GetRunResult().Results.Single();
            Assert.Null(result.Exception);
            return result;
        }

        /// <summary>Replaces one file's text, leaving every other tree (and so its cache entries) as it was.</summary>
        public GeneratorRunResult Edit(string path, string newText)
        {
            SyntaxTree old = _compilation.SyntaxTrees.Single(tree => tree.FilePath == path);
            _compilation = _compilation.ReplaceSyntaxTree(old, old.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(newText)));
            return Run();
        }

        /// <summary>An AdditionalFiles item saved again: a new text at the same path, as an IDE hands it over.</summary>
        public GeneratorRunResult ReplaceAdditionalText(AdditionalText old, AdditionalText replacement)
        {
            _driver = _driver.ReplaceAdditionalText(old, replacement);
            return Run();
        }

        public GeneratorRunResult AddAdditionalText(AdditionalText text)
        {
            _driver = _driver.AddAdditionalTexts(ImmutableArray.Create(text));
            return Run();
        }

        public GeneratorRunResult Add(string path, string text)
        {
            _compilation = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path));
            return Run();
        }
    }
}
