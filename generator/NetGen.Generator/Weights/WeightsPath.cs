using System;

namespace NetGen.Generator.Weights;

/// <summary>
/// Which AdditionalFiles item a <c>[Network(Weights = "...")]</c> path names. The compiler gives a generator
/// each item's full path and nothing about the project's folder, so the rule is a suffix: the item whose
/// path ends with the Weights path, compared whole folder and file names at a time ('/' and '\' alike),
/// ignoring case so that a declaration builds the same on Windows, macOS and Linux.
/// <c>"iris.safetensors.b64"</c> names <c>/src/App/iris.safetensors.b64</c> and
/// <c>/src/App/models/iris.safetensors.b64</c>; <c>"models/iris.safetensors.b64"</c> only the second;
/// <c>"ris.safetensors.b64"</c> neither. When more than one item matches, the path is ambiguous (an error
/// that lists them), and the user writes more of it.
/// </summary>
internal static class WeightsPath
{
    /// <summary>
    /// The path with '/' separators, or null when it cannot name the end of a path: empty, rooted (an
    /// absolute path would differ from machine to machine and break the build elsewhere), or with an
    /// empty, '.' or '..' segment (a suffix match cannot honour them). <paramref name="problem"/> says which.
    /// </summary>
    public static string? Normalize(string written, out string? problem)
    {
        problem = null;
        if (written.Trim().Length == 0)
        {
            problem = "it is empty";
            return null;
        }
        foreach (char c in written)
        {
            // A path is also written into the generated file's comments, where a line break would end one.
            if (c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029)
            {
                problem = $"it has the control character U+{(int)c:X4}";
                return null;
            }
        }
        string path = written.Replace('\\', '/');
        if (path[0] == '/' || (path.Length >= 2 && path[1] == ':' && IsAsciiLetter(path[0])))
        {
            problem = "it is an absolute path, which would name a file only on this machine";
            return null;
        }
        foreach (string segment in path.Split('/'))
        {
            if (segment.Length == 0)
            {
                problem = "it has an empty folder name (a doubled or trailing '/')";
                return null;
            }
            if (segment is "." or "..")
            {
                problem = $"it has a '{segment}' segment, which the end of a file's path cannot have";
                return null;
            }
        }
        return path;
    }

    /// <summary>Whether the AdditionalFiles item at <paramref name="additionalFilePath"/> is the one <paramref name="weights"/> (normalized) names.</summary>
    public static bool Matches(string additionalFilePath, string weights)
    {
        string path = additionalFilePath.Replace('\\', '/');
        return path.EndsWith(weights, StringComparison.OrdinalIgnoreCase)
            && (path.Length == weights.Length || path[path.Length - weights.Length - 1] == '/');
    }

    /// <summary>The last segment of a path: its file name.</summary>
    public static string FileName(string path)
    {
        string normalized = path.Replace('\\', '/');
        return normalized.Substring(normalized.LastIndexOf('/') + 1);
    }

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
