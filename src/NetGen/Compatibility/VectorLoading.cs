using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// A <see cref="Vector{T}"/> from the first <see cref="Vector{T}.Count"/> elements of a span, on every
/// target: netstandard2.0's System.Numerics.Vectors has no span constructor, so there it is an unaligned
/// read of the span's first bytes (what the constructor does), and elsewhere the constructor itself.
/// </summary>
internal static class VectorLoading
{
    /// <summary>The vector of <paramref name="values"/>' first lanes; the span must hold at least <see cref="Vector{T}.Count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(Span<T> values) where T : unmanaged
    {
#if NETSTANDARD2_0
        if (values.Length < Vector<T>.Count) throw new ArgumentOutOfRangeException(nameof(values));
        return Unsafe.ReadUnaligned<Vector<T>>(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)));
#else
        return new Vector<T>(values);
#endif
    }
}
