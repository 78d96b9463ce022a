using System.Runtime.CompilerServices;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>Conversions between a network's element type and double, for test code written once for float and double.</summary>
internal static class Scalar
{
    public static double ToDouble<T>(T value) where T : unmanaged
        => typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : Unsafe.As<T, double>(ref value);

    public static T FromDouble<T>(double value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float f = (float)value;
            return Unsafe.As<float, T>(ref f);
        }

        return Unsafe.As<double, T>(ref value);
    }
}
