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
    /// The sums of the 16 vectors of 16 floats in <paramref name="vectors"/> (each vector's lanes added), written
    /// over its first 16 values in the vectors' order. A transpose as a tree of additions: pairs of vectors
    /// interleaved and added within each 128-bit quarter, then pairs of those, then the quarters crossed over,
    /// 45 vector operations for the 16 sums where adding each vector's lanes one after another took 15 dependent
    /// scalar additions apiece (a quarter of the digits CNN's second weight gradient). Each sum adds its lanes as
    /// a tree ((l0 + l2) + (l1 + l3)) per quarter, then the quarters (q0 + q1) + (q2 + q3), the same on every
    /// machine with AVX-512. Requires <see cref="Avx512F.IsSupported"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SumsOfSixteen(Span<float> vectors)
    {
        Debug.Assert(Avx512F.IsSupported && vectors.Length >= 256);
        ref float start = ref MemoryMarshal.GetReference(vectors);
        // Pairs interleaved: [x0 y0 x1 y1] + [x2 y2 x3 y3] in each quarter: x's two partial sums at 0 and 2, y's at 1 and 3.
        Vector512<float> p0 = Pair(ref start, 0), p1 = Pair(ref start, 2), p2 = Pair(ref start, 4), p3 = Pair(ref start, 6);
        Vector512<float> p4 = Pair(ref start, 8), p5 = Pair(ref start, 10), p6 = Pair(ref start, 12), p7 = Pair(ref start, 14);
        // Pairs of pairs: each quarter of f_q holds its quarter's sum of vectors 4q, 4q + 1, 4q + 2 and 4q + 3.
        Vector512<float> f0 = Quad(p0, p1), f1 = Quad(p2, p3), f2 = Quad(p4, p5), f3 = Quad(p6, p7);
        // The quarters crossed over: quarter m of the result gathers f_m's four quarters.
        Vector512<float> h01 = Avx512F.Shuffle4x128(f0, f1, 0b10_00_10_00) + Avx512F.Shuffle4x128(f0, f1, 0b11_01_11_01);
        Vector512<float> h23 = Avx512F.Shuffle4x128(f2, f3, 0b10_00_10_00) + Avx512F.Shuffle4x128(f2, f3, 0b11_01_11_01);
        Vector512<float> sums = Avx512F.Shuffle4x128(h01, h23, 0b10_00_10_00) + Avx512F.Shuffle4x128(h01, h23, 0b11_01_11_01);
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref start), sums);

        static Vector512<float> Pair(ref float start, int first)
        {
            Vector512<float> x = Unsafe.ReadUnaligned<Vector512<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, first * 16)));
            Vector512<float> y = Unsafe.ReadUnaligned<Vector512<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, (first + 1) * 16)));
            return Avx512F.UnpackLow(x, y) + Avx512F.UnpackHigh(x, y);
        }

        static Vector512<float> Quad(Vector512<float> a, Vector512<float> b)
            => Avx512F.Shuffle(a, b, 0b01_00_01_00) + Avx512F.Shuffle(a, b, 0b11_10_11_10);
    }

    /// <summary>
    /// Whether the 512-bit batch kernels should run: 512-bit vectors are accelerated and wider than
    /// <c>Vector&lt;T&gt;</c> (where DOTNET_MaxVectorTBitWidth=512 already widened it, the Vector&lt;T&gt; kernels are as wide).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWorthwhile<T>() where T : struct
        => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && System.Numerics.Vector<T>.Count < Vector512<T>.Count;
}
#endif
