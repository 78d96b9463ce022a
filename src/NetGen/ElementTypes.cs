using System;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// The element types NetGen computes in (<see cref="float"/> and <see cref="double"/>), and the
/// conversions the runtime helpers need between them and <see cref="double"/>. netstandard has no
/// generic maths, so each conversion checks <c>typeof(T)</c>, which the JIT folds to a constant per
/// instantiation: no branch and no boxing survive in the compiled code.
/// </summary>
internal static class ElementTypes
{
    /// <summary>Throws unless <typeparamref name="T"/> is float or double.</summary>
    public static void EnsureSupported<T>() where T : unmanaged
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException(
                $"NetGen networks compute in float or double; {typeof(T).Name} is not supported.");
        }
    }

    /// <summary>The C# keyword of <typeparamref name="T"/>, for messages.</summary>
    public static string Name<T>() where T : unmanaged
        => typeof(T) == typeof(float) ? "float" : typeof(T) == typeof(double) ? "double" : typeof(T).Name;

    /// <summary><paramref name="value"/> widened (float) or copied (double) to double.</summary>
    public static double ToDouble<T>(T value) where T : unmanaged
    {
        // A reinterpretation, not a conversion: T is float or double, checked first.
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref value);
        if (typeof(T) == typeof(double)) return Unsafe.As<T, double>(ref value);
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary><paramref name="value"/> rounded to <typeparamref name="T"/> (float) or copied (double).</summary>
    public static T FromDouble<T>(double value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float single = (float)value;
            return Unsafe.As<float, T>(ref single);
        }

        if (typeof(T) == typeof(double)) return Unsafe.As<double, T>(ref value);
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>Whether <paramref name="value"/> is neither infinite nor NaN.</summary>
    public static bool IsFinite<T>(T value) where T : unmanaged
    {
        double x = ToDouble(value);
        return x - x == 0;
    }
}
