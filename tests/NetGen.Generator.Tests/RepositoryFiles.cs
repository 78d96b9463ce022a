using System.IO;
using System.Runtime.CompilerServices;

namespace NetGen.Generator.Tests;

/// <summary>
/// Files of the repository that tests read (README.md), found from this source file's own path, as
/// <see cref="SnapshotAssert"/> finds its snapshots, so that they are read where they are edited
/// rather than from a copy in the build output.
/// </summary>
internal static class RepositoryFiles
{
    public static string PathOf(string relativePath) => Path.Combine(Root(), relativePath);

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath)).Replace("\r\n", "\n");

    private static string Root([CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
