using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// A trainer is made for one kind of network, and only that kind's <c>Fit</c> exists on it: labels for a classifier,
/// targets for a regressor. The wrong one is a compile error, where it used to be an InvalidOperationException at run time.
/// </summary>
public class TrainerKindTests
{
    private const string Networks = """
        using NetGen;

        [Network] [Linear(2, 3)] [Softmax] [CrossEntropyLoss]
        public partial class Classes { }

        [Network] [Linear(2, 1)] [MSELoss]
        public partial class Values { }
        """;

    private static string[] Errors(string body)
    {
        GeneratorHarness.Run run = GeneratorHarness.GenerateFiles(("Networks.cs", Networks), ("Use.cs", "using NetGen;\npublic static class Use\n{\n" + body + "\n}\n"));
        Assert.Empty(run.GeneratorDiagnostics);
        return run.CompilationProblems.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToArray();
    }

    [Fact]
    public void Each_trainer_fits_its_own_kind_of_target()
    {
        Assert.Empty(Errors("""
            public static TrainingResult Labels(Classes n, float[] x, int[] y) => new ClassifierTrainer<float>(n, new AdamOptimizer<float>(n)).Fit(x, y);
            public static RegressionResult Targets(Values n, float[] x, float[] y) => new RegressorTrainer<float>(n, new AdamOptimizer<float>(n)).Fit(x, y, x, y);
            """));
    }

    [Fact]
    public void Targets_for_a_classifier_do_not_compile()
    {
        // float[] is not a ReadOnlySpan<int>: no Fit takes it.
        Assert.Contains("CS1503", Errors("public static void F(Classes n, float[] x, float[] y) => new ClassifierTrainer<float>(n, new AdamOptimizer<float>(n)).Fit(x, y);"));
    }

    [Fact]
    public void Labels_for_a_regressor_do_not_compile()
    {
        Assert.Contains("CS1503", Errors("public static void F(Values n, float[] x, int[] y) => new RegressorTrainer<float>(n, new AdamOptimizer<float>(n)).Fit(x, y);"));
    }

    [Fact]
    public void A_trainer_of_the_other_kind_does_not_compile()
    {
        Assert.Contains("CS1503", Errors("public static void F(Values n) => new ClassifierTrainer<float>(n, new AdamOptimizer<float>(n));"));
        Assert.Contains("CS1503", Errors("public static void F(Classes n) => new RegressorTrainer<float>(n, new AdamOptimizer<float>(n));"));
    }
}
