using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;

namespace NetGen.NumericTests.Infrastructure;

/// <summary>
/// The largest differences the closeness assertions saw, written down when asked for. The assertions
/// only say pass or fail; an issue's closing note asks how close NetGen came to PyTorch per kind and
/// mode. With <c>NETGEN_DIFFERENCE_LOG</c> naming a file, every <see cref="Numbers.AssertClose(string, ReadOnlySpan{double}, ReadOnlySpan{double}, Tolerance)"/>
/// appends one tab-separated line to it: the test, the case (see <see cref="Case"/>), what was compared,
/// how many values, the largest absolute difference and the largest expected magnitude (their ratio is the
/// difference relative to the values' scale; an element-wise ratio would be meaningless for gradients that
/// are zero in exact arithmetic, such as a bias's before a BatchNorm). tests/report-differences.sh runs the reference tests
/// that way and tabulates the log. Without the variable nothing is recorded and nothing is slower.
/// </summary>
public static class DifferenceLog
{
    private static readonly string? LogPath = Environment.GetEnvironmentVariable("NETGEN_DIFFERENCE_LOG");
    private static readonly AsyncLocal<string?> CurrentCase = new();
    private static readonly object FileLock = new();

    /// <summary>Names the case (a theory's data row) that the assertions until the returned scope ends belong to.</summary>
    public static IDisposable Case(string name)
    {
        string? outer = CurrentCase.Value;
        CurrentCase.Value = name;
        return new Scope(outer);
    }

    internal static void Record(string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (LogPath is null || expected.Length != actual.Length)
        {
            return;
        }
        double largestDifference = 0, largestExpected = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(difference))
            {
                // Both NaN is agreement (the assertion accepts only that); one NaN is a failure reported elsewhere.
                continue;
            }
            largestDifference = Math.Max(largestDifference, difference);
            largestExpected = Math.Max(largestExpected, Math.Abs(expected[i]));
        }
        string line = string.Join("\t", TestName(), CurrentCase.Value ?? "", what, expected.Length.ToString(CultureInfo.InvariantCulture),
            largestDifference.ToString("E3", CultureInfo.InvariantCulture), largestExpected.ToString("E3", CultureInfo.InvariantCulture));
        lock (FileLock)
        {
            File.AppendAllText(LogPath, line + Environment.NewLine);
        }
    }

    /// <summary>The outermost test-class method on the stack: the [Fact] or [Theory] itself, whatever helpers it went through.</summary>
    private static string TestName()
    {
        string name = "?";
        foreach (StackFrame frame in new StackTrace().GetFrames() ?? Array.Empty<StackFrame>())
        {
            Type? type = frame.GetMethod()?.DeclaringType;
            while (type?.DeclaringType is not null && type.Name.StartsWith("<", StringComparison.Ordinal))
            {
                type = type.DeclaringType;   // a lambda's closure class belongs to the test class around it
            }
            if (type is not null && type.Name.EndsWith("Tests", StringComparison.Ordinal) && type.Namespace?.StartsWith("NetGen.NumericTests", StringComparison.Ordinal) == true)
            {
                name = type.Name + "." + frame.GetMethod()!.Name;
            }
        }
        return name;
    }

    private sealed class Scope : IDisposable
    {
        private readonly string? _outer;

        public Scope(string? outer) => _outer = outer;

        public void Dispose() => CurrentCase.Value = _outer;
    }
}
