using System;
using System.Globalization;
using Xunit;

namespace NetGen.NumericTests.Infrastructure;

/// <summary>
/// The deterministic networks' hashes must not depend on the process's culture. .ci/run runs them once in a
/// tr-TR process and compares the hashes with every other run's; NETGEN_EXPECT_CULTURE names the culture that
/// run asked for, so that a process that silently fell back to another (no ICU, an unknown locale) fails
/// instead of comparing a default-culture run with itself.
/// </summary>
public static class ExpectedCulture
{
    public static void Check()
    {
        string? expected = Environment.GetEnvironmentVariable("NETGEN_EXPECT_CULTURE");
        if (!string.IsNullOrEmpty(expected))
        {
            Assert.Equal(expected, CultureInfo.CurrentCulture.Name);
        }
    }
}
