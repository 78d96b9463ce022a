using System;
using System.IO;

namespace NetGen;

/// <summary>
/// Replaces a file so that readers see either the old content or the new, never a half-written file:
/// the content goes to a temporary file in the same directory (a rename is atomic only within one
/// file system), is flushed to the disk, and only then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with what <paramref name="writeContent"/> writes; on any failure the old file is left as it was and the temporary file is removed.</summary>
    public static void Write(string path, Action<Stream> writeContent)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException("The path has no directory.", nameof(path));
        string temporaryPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContent(stream);
                // Flush(true) reaches the disk, not just the OS cache: without it a crash after the
                // rename could leave the new name pointing at data that was never written.
                stream.Flush(flushToDisk: true);
            }

            MoveOver(temporaryPath, fullPath);
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    private static void MoveOver(string source, string destination)
    {
#if NETSTANDARD
        // netstandard has no File.Move with overwrite; File.Replace needs an existing target.
        if (File.Exists(destination)) File.Replace(source, destination, destinationBackupFileName: null);
        else File.Move(source, destination);
#else
        File.Move(source, destination, overwrite: true);
#endif
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting; a stray temporary file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
