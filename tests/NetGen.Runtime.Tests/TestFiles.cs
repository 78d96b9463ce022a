using System;
using System.IO;

namespace NetGen.Runtime.Tests;

/// <summary>A fresh directory per test, removed afterwards, so that tests can count the files they leave.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netgen-runtime-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Files() => Directory.GetFiles(Path);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
