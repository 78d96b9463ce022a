using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace NetGen.Generator.Tests;

/// <summary>
/// Snapshot checks in Verify's conventions: the approved text lives in <c>Snapshots/Name.verified.cs</c>;
/// a mismatch writes <c>Name.received.cs</c> beside it and fails. Accept a change by renaming the
/// received file over the verified one (or run with NETGEN_ACCEPT_SNAPSHOTS=1). Verify and
/// Verify.SourceGenerators are not served by the package registry here; with the same file names, a
/// move to them later is a rename.
/// </summary>
internal static class SnapshotAssert
{
    public static void Matches(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");
        string normalized = actual.Replace("\r\n", "\n");

        if (Environment.GetEnvironmentVariable("NETGEN_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, normalized);
            File.Delete(received);
            return;
        }

        string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == normalized)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, normalized);
        throw new XunitException(expected is null
            ? $"No snapshot {verified} yet. Review {received} and rename it to .verified.cs to accept it."
            : $"Generated source differs from {verified}. Compare it with {received}; rename that to .verified.cs if the change is intended.");
    }
}
