using System.Linq;
using NetGen.Generator;
using Xunit;

namespace NetGen.CodeFixes.Tests;

/// <summary>The split that RS1038 asks for: Workspaces is the code fixes' dependency, never the generator's.</summary>
public class PackagingTests
{
    [Fact]
    public void TheGeneratorDoesNotReferenceWorkspaces()
    {
        string[] references = typeof(NetworkGenerator).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.Contains("Microsoft.CodeAnalysis.CSharp", references);
        Assert.DoesNotContain(references, name => name.Contains("Workspaces", System.StringComparison.Ordinal));
    }

    [Fact]
    public void TheCodeFixesDoNotReferenceTheGenerator()
    {
        string[] references = typeof(MakePartialCodeFixProvider).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.Contains("Microsoft.CodeAnalysis.Workspaces", references);
        Assert.DoesNotContain("NetGen.Generator", references);
    }
}
