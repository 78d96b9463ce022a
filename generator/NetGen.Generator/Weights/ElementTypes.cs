using System;

namespace NetGen;

/// <summary>
/// The generator's counterpart of the library's <c>ElementTypes</c>, which the linked
/// <c>StoredElements.Convert</c> calls: the same conversions (a double rounded to float, or copied; a value
/// finite when <c>x - x == 0</c>), written with casts through object because the library's version needs
/// <c>MemoryMarshal.CreateSpan</c>, which netstandard2.0 lacks. Boxing costs nothing that matters at
/// compile time; the rounding is the same IEEE conversion either way, so baked weights are the bits
/// <c>LoadSafetensors</c> would load.
/// </summary>
internal static class ElementTypes
{
    /// <summary>The C# keyword of <typeparamref name="T"/>, for messages.</summary>
    public static string Name<T>() where T : unmanaged
        => typeof(T) == typeof(float) ? "float" : typeof(T) == typeof(double) ? "double" : typeof(T).Name;

    /// <summary><paramref name="value"/> widened (float) or copied (double) to double.</summary>
    public static double ToDouble<T>(T value) where T : unmanaged => value switch
    {
        float single => single,
        double d => d,
        _ => throw new NotSupportedException(typeof(T).Name),
    };

    /// <summary><paramref name="value"/> rounded to <typeparamref name="T"/> (float) or copied (double).</summary>
    public static T FromDouble<T>(double value) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return (T)(object)(float)value;
        if (typeof(T) == typeof(double)) return (T)(object)value;
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>Whether <paramref name="value"/> is neither infinite nor NaN.</summary>
    public static bool IsFinite<T>(T value) where T : unmanaged
    {
        double x = ToDouble(value);
        return x - x == 0;
    }
}
