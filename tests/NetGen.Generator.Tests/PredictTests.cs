using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// <c>int Predict(input)</c>, the index of the largest output, belongs to classifiers (a network ending in
/// [CrossEntropyLoss], IClassifier) only: for a regressor it is no answer at all (with one output it
/// returned 0 for every input), so a regressor, and a network without a loss, have none.
/// </summary>
public class PredictTests
{
    private static INamedTypeSymbol Network(GeneratorHarness.Run run, string name)
    {
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        return run.Output.GetTypeByMetadataName(name)!;
    }

    [Theory]
    [InlineData("[Network] [Linear(3, 8)] [Tanh] [Linear(8, 1)] [MSELoss] public partial class Net { }")]
    [InlineData("[Network(typeof(double))] [Linear(3, 2)] [MSELoss] public partial class Net { }")]
    [InlineData("[Network] [Linear(3, 8)] [ReLU] [Linear(8, 2)] public partial class Net { }")]
    [InlineData("[Network] [Linear(3, 8)] [ReLU] [Linear(8, 2)] [Softmax] public partial class Net { }")]
    public void NetworksThatAreNotClassifiersHaveNoPredict(string declaration)
    {
        INamedTypeSymbol net = Network(GeneratorHarness.Generate("using NetGen;\n" + declaration), "Net");

        Assert.Empty(net.GetMembers("Predict"));
        Assert.DoesNotContain(net.AllInterfaces, i => i.Name == "IClassifier");
    }

    [Fact]
    public void AClassifierHasPredict()
    {
        INamedTypeSymbol net = Network(GeneratorHarness.Generate("using NetGen;\n[Network] [Linear(3, 8)] [ReLU] [Linear(8, 2)] [Softmax] [CrossEntropyLoss] public partial class Net { }"), "Net");

        IMethodSymbol predict = Assert.IsAssignableFrom<IMethodSymbol>(Assert.Single(net.GetMembers("Predict")));
        Assert.Equal(SpecialType.System_Int32, predict.ReturnType.SpecialType);
        Assert.Contains(net.AllInterfaces, i => i.Name == "IClassifier");
    }

    [Fact]
    public void ARegressorMayDeclareAPredictOfItsOwn()
    {
        // Nothing generated is called Predict in a regressor, so the user's own is no clash (NG0031).
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            [Network] [Linear(3, 1)] [MSELoss]
            public partial class Net
            {
                public float Predict(System.ReadOnlySpan<float> input)
                {
                    System.Span<float> output = stackalloc float[OutputSize];
                    Forward(input, output);
                    return output[0];
                }
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Assert.Single(run.Sources);
    }
}
