using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Names the emitter writes back into code, and declarations still being typed: found by the
/// declaration fuzz tests, pinned here so that they stay fixed.
/// </summary>
public class NamingTests
{
    [Fact]
    public void KeywordNamesAreEscapedInCodeAndPlainInTheHintName()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate("""
            using NetGen;
            namespace @event.@class
            {
                public partial class @struct
                {
                    [Network] [Linear(2, 2)] public partial class @class { }
                }
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal("event.class.struct+class.g.cs", Assert.Single(run.Sources).HintName);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
    }

    [Fact]
    public void ADeclarationWithoutANameYetGeneratesNothing()
    {
        // As an IDE sees a class while its name is being typed: the compiler's own error is enough.
        GeneratorHarness.Run run = GeneratorHarness.Generate("using NetGen; [Network] [Linear(2, 2)] public partial class { }");

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Sources);
    }
}
