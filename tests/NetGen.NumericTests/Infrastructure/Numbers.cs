using System;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit.Sdk;

namespace NetGen.NumericTests.Infrastructure;

/// <summary>How far a computed value may stray from the exact one: <c>abs + rel * |expected|</c>.</summary>
public readonly record struct Tolerance(double Abs, double Rel)
{
    /// <summary>
    /// Float rounding: about 1e-5 absolute on values of size 1 (scaled up with the largest expected
    /// magnitude, since sums cancel) plus 1e-4 relative.
    /// </summary>
    public static Tolerance Float(double scale) => new(1e-5 * Math.Max(1.0, scale), 1e-4);

    /// <summary>Double rounding, with the same scaling.</summary>
    public static Tolerance Double(double scale) => new(1e-10 * Math.Max(1.0, scale), 1e-10);

    /// <summary>The tolerance for element type <typeparamref name="T"/> at magnitude <paramref name="scale"/>.</summary>
    public static Tolerance For<T>(double scale) => typeof(T) == typeof(float) ? Float(scale) : Double(scale);

    public bool Accepts(double expected, double actual) =>
        Math.Abs(actual - expected) <= Abs + Rel * Math.Abs(expected);
}

/// <summary>
/// Conversions between the tests' doubles and a network's element type, and array assertions. The
/// element type is float or double; the conversions check <c>typeof(T)</c> rather than use generic maths,
/// so that the same tests compile for .NET Framework and run on Mono (net472), which has none.
/// </summary>
public static class Numbers
{
    /// <summary><paramref name="value"/> rounded to <typeparamref name="T"/> (float) or kept (double).</summary>
    public static T From<T>(double value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float single = (float)value;
            return Unsafe.As<float, T>(ref single);
        }
        if (typeof(T) == typeof(double)) return Unsafe.As<double, T>(ref value);
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary><paramref name="value"/> widened to double, exactly.</summary>
    public static double Widen<T>(T value) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref value);
        if (typeof(T) == typeof(double)) return Unsafe.As<T, double>(ref value);
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>NaN in <typeparamref name="T"/>.</summary>
    public static T NaN<T>() where T : unmanaged => From<T>(double.NaN);

    /// <summary>True when <paramref name="value"/> is neither NaN nor infinite.</summary>
    public static bool IsFinite<T>(T value) where T : unmanaged
    {
        double wide = Widen(value);
        return !double.IsNaN(wide) && !double.IsInfinity(wide);
    }

    /// <summary>True when <paramref name="value"/> is NaN.</summary>
    public static bool IsNaN<T>(T value) where T : unmanaged => double.IsNaN(Widen(value));

    /// <summary>True when both spans hold the same values bit for bit.</summary>
    public static bool SameBits<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged
        => System.Runtime.InteropServices.MemoryMarshal.AsBytes(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b));

    public static T[] To<T>(ReadOnlySpan<double> values) where T : unmanaged
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = From<T>(values[i]);
        }
        return result;
    }

    public static double[] ToDouble<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = Widen(values[i]);
        }
        return result;
    }

    public static double MaxAbs(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }
        return max;
    }

    /// <summary>Asserts every element of <paramref name="actual"/> is within the tolerance for T at the expected values' magnitude.</summary>
    public static void AssertClose<T>(string what, ReadOnlySpan<double> expected, ReadOnlySpan<T> actual)
        where T : unmanaged
        => AssertClose(what, expected, ToDouble(actual), Tolerance.For<T>(MaxAbs(expected)));

    /// <summary>Asserts element-wise closeness, listing the first offenders with index, expected and actual.</summary>
    public static void AssertClose(string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, Tolerance tolerance)
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{what}: expected {expected.Length} values, got {actual.Length}.");
        }
        DifferenceLog.Record(what, expected, actual);
        int failures = 0;
        var report = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!tolerance.Accepts(expected[i], actual[i]))
            {
                worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
                if (failures++ < 8)
                {
                    report.Append($"\n  [{i}] expected {expected[i]:R}, actual {actual[i]:R}, diff {actual[i] - expected[i]:E3}");
                }
            }
        }
        if (failures > 0)
        {
            throw new XunitException(
                $"{what}: {failures} of {expected.Length} values outside abs {tolerance.Abs:E1} + rel {tolerance.Rel:E1} (worst diff {worst:E3}):{report}");
        }
    }

    /// <summary>Asserts one value is within <paramref name="tolerance"/> of the expected one.</summary>
    public static void AssertClose(string what, double expected, double actual, Tolerance tolerance)
    {
        DifferenceLog.Record(what, new[] { expected }, new[] { actual });
        if (!tolerance.Accepts(expected, actual))
        {
            throw new XunitException($"{what}: expected {expected:R}, actual {actual:R} (diff {actual - expected:E3}, allowed {tolerance.Abs:E1} + rel {tolerance.Rel:E1}).");
        }
    }

    /// <summary>Asserts two arrays are identical bit for bit (NaNs included).</summary>
    public static void AssertBitwiseEqual<T>(string what, ReadOnlySpan<T> expected, ReadOnlySpan<T> actual) where T : unmanaged
    {
        if (!System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual)))
        {
            int first = 0;
            while (first < Math.Min(expected.Length, actual.Length) && expected[first].Equals(actual[first]))
            {
                first++;
            }
            throw new XunitException($"{what}: arrays differ (lengths {expected.Length} and {actual.Length}; first difference at [{first}]).");
        }
    }

    /// <summary>Deterministic test data, uniform in [-scale, scale), never within 1e-3 of zero (away from ReLU kinks).</summary>
    public static double[] Uniform(Random random, int count, double scale = 1.0)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double v;
            do
            {
                v = (2 * random.NextDouble() - 1) * scale;
            }
            while (Math.Abs(v) < 1e-3 * scale);
            values[i] = v;
        }
        return values;
    }

    public static int[] Labels(Random random, int batch, int classes)
    {
        var labels = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            labels[b] = random.Next(classes);
        }
        return labels;
    }
}
