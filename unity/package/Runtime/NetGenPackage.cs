// The one script of the NetGen.Unity assembly definition. Unity compiles an assembly definition only
// when it has a script, and the source generator beside it (Generator/NetGen.Generator.dll, labelled
// RoslynAnalyzer) runs on exactly the assemblies that reference that assembly: Assembly-CSharp, which
// references every auto-referenced assembly definition, and any assembly definition of yours that lists
// NetGen.Unity. So this file is what puts the generator to work on your scripts.
namespace NetGen
{
    /// <summary>The NetGen Unity package itself.</summary>
    public static class NetGenPackage
    {
        /// <summary>The package's version (package.json), the same as the NetGen library's.</summary>
        public const string Version = "@VERSION@";
    }
}
