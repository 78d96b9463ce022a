#if NET8_0_OR_GREATER
using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Runtime;

/// <summary>
/// The <see cref="Simd"/> primitives on 512-bit vectors, for the batch kernels that generated code
/// compiles for .NET 8 and later. .NET keeps <c>Vector&lt;T&gt;</c> at 256 bits on AVX-512 hardware
/// unless DOTNET_MaxVectorTBitWidth says otherwise; these kernels use the full width whenever
/// <see cref="Vector512.IsHardwareAccelerated"/> is true. Offsets are unchecked, as in <see cref="Simd"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Simd512
{
    /// <summary>Loads a vector from <paramref name="source"/> at element <paramref name="offset"/>, unaligned and unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load<T>(ReadOnlySpan<T> source, int offset) where T : struct
    {
        Debug.Assert(offset >= 0 && offset + Vector512<T>.Count <= source.Length);
        ref T start = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), offset);
        return Unsafe.ReadUnaligned<Vector512<T>>(ref Unsafe.As<T, byte>(ref start));
    }

    /// <summary>Loads a vector from <paramref name="source"/> at element <paramref name="offset"/>, unaligned and unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load<T>(Span<T> source, int offset) where T : struct
        => Load((ReadOnlySpan<T>)source, offset);

    /// <summary>Stores <paramref name="value"/> into <paramref name="destination"/> at element <paramref name="offset"/>, unaligned and unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Span<T> destination, int offset, Vector512<T> value) where T : struct
    {
        Debug.Assert(offset >= 0 && offset + Vector512<T>.Count <= destination.Length);
        ref T start = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), offset);
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref start), value);
    }

    /// <summary>A vector with every lane set to <paramref name="source"/>[<paramref name="offset"/>], unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast<T>(ReadOnlySpan<T> source, int offset) where T : struct
    {
        Debug.Assert(offset >= 0 && offset < source.Length);
        return Vector512.Create(Unsafe.Add(ref MemoryMarshal.GetReference(source), offset));
    }

    /// <summary><c>a * b + addend</c>, fused (AVX-512 always has fused multiply-add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend)
        => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, addend) : (a * b) + addend;

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> addend)
        => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, addend) : (a * b) + addend;

    /// <summary>
    /// Whether the 512-bit batch kernels should run: 512-bit vectors are accelerated and wider than
    /// <c>Vector&lt;T&gt;</c> (where DOTNET_MaxVectorTBitWidth=512 already widened it, the Vector&lt;T&gt; kernels are as wide).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWorthwhile<T>() where T : struct
        => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && System.Numerics.Vector<T>.Count < Vector512<T>.Count;
}
#endif
