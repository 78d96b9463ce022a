using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
#endif

namespace NetGen.Runtime;

/// <summary>
/// Vector primitives for generated network code. Loads and stores take offsets the generator has
/// already proven in range (every span is validated before a kernel runs), so they skip bounds
/// checks; everything here is inlined by the JIT, so calling it from a hot loop costs no call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Simd
{
    /// <summary>Loads a vector from <paramref name="source"/> at element <paramref name="offset"/>, unaligned and unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(ReadOnlySpan<T> source, int offset) where T : struct
    {
        Debug.Assert(offset >= 0 && offset + Vector<T>.Count <= source.Length);
        ref T start = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), offset);
        return Unsafe.ReadUnaligned<Vector<T>>(ref Unsafe.As<T, byte>(ref start));
    }

    /// <summary>Loads a vector from <paramref name="source"/> at element <paramref name="offset"/>, unaligned and unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(Span<T> source, int offset) where T : struct
    {
        Debug.Assert(offset >= 0 && offset + Vector<T>.Count <= source.Length);
        ref T start = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), offset);
        return Unsafe.ReadUnaligned<Vector<T>>(ref Unsafe.As<T, byte>(ref start));
    }

    /// <summary>Stores <paramref name="value"/> into <paramref name="destination"/> at element <paramref name="offset"/>, unaligned and unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Span<T> destination, int offset, Vector<T> value) where T : struct
    {
        Debug.Assert(offset >= 0 && offset + Vector<T>.Count <= destination.Length);
        ref T start = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), offset);
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref start), value);
    }

    /// <summary>A vector with every lane set to <paramref name="source"/>[<paramref name="offset"/>], unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Broadcast<T>(ReadOnlySpan<T> source, int offset) where T : struct
    {
        Debug.Assert(offset >= 0 && offset < source.Length);
        return new Vector<T>(Unsafe.Add(ref MemoryMarshal.GetReference(source), offset));
    }

    /// <summary>
    /// Writes the <paramref name="rows"/> x <paramref name="columns"/> row-major matrix in
    /// <paramref name="source"/> to <paramref name="destination"/> transposed (<paramref name="columns"/> x
    /// <paramref name="rows"/>): how batched kernels switch between sample-major and feature-major.
    /// Works in 8 x 8 tiles so that both sides stay in cache.
    /// </summary>
    // Hot in every training step: compiled fully optimised at its first call (see NetworkKernels.Optimized).
    [MethodImpl((MethodImplOptions)512)]
    public static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns) where T : struct
    {
        if (source.Length < (long)rows * columns || destination.Length < (long)rows * columns)
        {
            throw new ArgumentException("The spans are shorter than rows * columns.");
        }
        ref T from = ref MemoryMarshal.GetReference(source);
        ref T to = ref MemoryMarshal.GetReference(destination);
#if NET8_0_OR_GREATER
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            TransposeFloatAvx(ref Unsafe.As<T, float>(ref from), ref Unsafe.As<T, float>(ref to), rows, columns);
            return;
        }
#endif
        TransposeTiles(ref from, ref to, 0, rows, 0, columns, rows, columns);
    }

    /// <summary>Scalar transpose of the tile rows [r0, r1) x columns [c0, c1), 8 x 8 at a time so both sides stay in cache.</summary>
    // Hot in every training step: compiled fully optimised at its first call (see NetworkKernels.Optimized).
    [MethodImpl((MethodImplOptions)512)]
    private static void TransposeTiles<T>(ref T from, ref T to, int rowStart, int rowEnd, int columnStart, int columnEnd, int rows, int columns)
    {
        const int Tile = 8;
        for (int r0 = rowStart; r0 < rowEnd; r0 += Tile)
        {
            int r1 = Math.Min(rowEnd, r0 + Tile);
            for (int c0 = columnStart; c0 < columnEnd; c0 += Tile)
            {
                int c1 = Math.Min(columnEnd, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    for (int c = c0; c < c1; c++)
                    {
                        Unsafe.Add(ref to, (c * rows) + r) = Unsafe.Add(ref from, (r * columns) + c);
                    }
                }
            }
        }
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// The float transpose in 8 x 8 blocks of AVX registers (unpack, shuffle, swap halves: 24 shuffles
    /// per 64 values instead of 64 scalar moves); the ragged edges go through the scalar tiles.
    /// </summary>
    // Hot in every training step: compiled fully optimised at its first call (see NetworkKernels.Optimized).
    [MethodImpl((MethodImplOptions)512)]
    private static void TransposeFloatAvx(ref float from, ref float to, int rows, int columns)
    {
        const int RowBand = 64;
        int wholeRows = rows & ~7;
        int wholeColumns = columns & ~7;
        // Bands of 64 rows; in each, column blocks outside and row blocks inside. A pass over the band
        // writes 64 consecutive values (whole cache lines) of 8 destination rows, and the 64 source lines it
        // reads (8 of their columns each) are read again, still in L1, by the next pass. Row blocks outside
        // instead wrote each destination line in halves a whole pass apart, so the destination went through
        // L2 twice: a sample-major 64 x 784 batch took 7.0 us to transpose, 3.8 us now.
        for (int band = 0; band < wholeRows; band += RowBand)
        {
            int bandEnd = Math.Min(wholeRows, band + RowBand);
            for (int c = 0; c < wholeColumns; c += 8)
            {
                for (int r = band; r < bandEnd; r += 8)
                {
                    ref float source = ref Unsafe.Add(ref from, (r * columns) + c);
                    var r0 = Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.As<float, byte>(ref source));
                    var r1 = Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, columns)));
                    var r2 = Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, 2 * columns)));
                    var r3 = Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, 3 * columns)));
                    var r4 = Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, 4 * columns)));
                    var r5 = Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, 5 * columns)));
                    var r6 = Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, 6 * columns)));
                    var r7 = Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, 7 * columns)));

                    // Pairs of rows interleaved, then pairs of pairs: each 128-bit half holds a 4 x 4 block.
                    var t0 = Avx.UnpackLow(r0, r1);
                    var t1 = Avx.UnpackHigh(r0, r1);
                    var t2 = Avx.UnpackLow(r2, r3);
                    var t3 = Avx.UnpackHigh(r2, r3);
                    var t4 = Avx.UnpackLow(r4, r5);
                    var t5 = Avx.UnpackHigh(r4, r5);
                    var t6 = Avx.UnpackLow(r6, r7);
                    var t7 = Avx.UnpackHigh(r6, r7);
                    var u0 = Avx.Shuffle(t0, t2, 0x44);
                    var u1 = Avx.Shuffle(t0, t2, 0xEE);
                    var u2 = Avx.Shuffle(t1, t3, 0x44);
                    var u3 = Avx.Shuffle(t1, t3, 0xEE);
                    var u4 = Avx.Shuffle(t4, t6, 0x44);
                    var u5 = Avx.Shuffle(t4, t6, 0xEE);
                    var u6 = Avx.Shuffle(t5, t7, 0x44);
                    var u7 = Avx.Shuffle(t5, t7, 0xEE);

                    // Low halves of rows 0-3 with low halves of rows 4-7, then the high halves.
                    ref float target = ref Unsafe.Add(ref to, (c * rows) + r);
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref target), Avx.Permute2x128(u0, u4, 0x20));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, rows)), Avx.Permute2x128(u1, u5, 0x20));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, 2 * rows)), Avx.Permute2x128(u2, u6, 0x20));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, 3 * rows)), Avx.Permute2x128(u3, u7, 0x20));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, 4 * rows)), Avx.Permute2x128(u0, u4, 0x31));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, 5 * rows)), Avx.Permute2x128(u1, u5, 0x31));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, 6 * rows)), Avx.Permute2x128(u2, u6, 0x31));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, 7 * rows)), Avx.Permute2x128(u3, u7, 0x31));
                }
            }
        }
        // The ragged right edge of the whole rows, then the ragged bottom rows.
        TransposeTiles(ref from, ref to, 0, wholeRows, wholeColumns, columns, rows, columns);
        TransposeTiles(ref from, ref to, wholeRows, rows, 0, columns, rows, columns);
    }
#endif

    /// <summary>
    /// <c>a * b + addend</c>, fused into one instruction where the hardware has fused multiply-add,
    /// and a plain multiply then add elsewhere (never the slow software emulation of a fused one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> addend)
    {
#if NET8_0_OR_GREATER
        if (Vector<float>.Count == 8 && Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a.AsVector256(), b.AsVector256(), addend.AsVector256()).AsVector();
        }
        if (Vector<float>.Count == 16 && Avx512F.IsSupported)
        {
            return Avx512F.FusedMultiplyAdd(a.AsVector512(), b.AsVector512(), addend.AsVector512()).AsVector();
        }
        if (Vector<float>.Count == 4 && Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a.AsVector128(), b.AsVector128(), addend.AsVector128()).AsVector();
        }
        if (Vector<float>.Count == 4 && AdvSimd.IsSupported)
        {
            return AdvSimd.FusedMultiplyAdd(addend.AsVector128(), a.AsVector128(), b.AsVector128()).AsVector();
        }
#endif
        return a * b + addend;
    }

    /// <inheritdoc cref="MultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> MultiplyAdd(Vector<double> a, Vector<double> b, Vector<double> addend)
    {
#if NET8_0_OR_GREATER
        if (Vector<double>.Count == 4 && Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a.AsVector256(), b.AsVector256(), addend.AsVector256()).AsVector();
        }
        if (Vector<double>.Count == 8 && Avx512F.IsSupported)
        {
            return Avx512F.FusedMultiplyAdd(a.AsVector512(), b.AsVector512(), addend.AsVector512()).AsVector();
        }
        if (Vector<double>.Count == 2 && Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a.AsVector128(), b.AsVector128(), addend.AsVector128()).AsVector();
        }
        if (Vector<double>.Count == 2 && AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.FusedMultiplyAdd(addend.AsVector128(), a.AsVector128(), b.AsVector128()).AsVector();
        }
#endif
        return a * b + addend;
    }

    /// <summary>The sum of a vector's elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(Vector<T> value) where T : struct => Vector.Dot(value, Vector<T>.One);

    /// <summary>The sum of a vector's elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector<float> value) => Vector.Dot(value, Vector<float>.One);

    /// <summary>The sum of a vector's elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector<double> value) => Vector.Dot(value, Vector<double>.One);

    /// <summary>
    /// The sums of eight vectors' lanes, as one vector (lane r holds the sum of <paramref name="a0"/>'s...
    /// <paramref name="a7"/>'s r-th argument). With AVX, a transpose-and-add of seven instructions instead
    /// of eight separate horizontal sums. Only for <c>Vector&lt;float&gt;.Count == 8</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> SumEach8(Vector<float> a0, Vector<float> a1, Vector<float> a2, Vector<float> a3,
        Vector<float> a4, Vector<float> a5, Vector<float> a6, Vector<float> a7)
    {
        if (Vector<float>.Count != 8)
        {
            throw new NotSupportedException("SumEach8 needs Vector<float>.Count == 8.");
        }
#if NET8_0_OR_GREATER
        if (Avx.IsSupported)
        {
            // Pairwise sums of pairs of vectors, twice: each 128-bit half then holds four partial sums.
            var h01 = Avx.HorizontalAdd(a0.AsVector256(), a1.AsVector256());
            var h23 = Avx.HorizontalAdd(a2.AsVector256(), a3.AsVector256());
            var h45 = Avx.HorizontalAdd(a4.AsVector256(), a5.AsVector256());
            var h67 = Avx.HorizontalAdd(a6.AsVector256(), a7.AsVector256());
            var h0123 = Avx.HorizontalAdd(h01, h23);
            var h4567 = Avx.HorizontalAdd(h45, h67);
            // The low halves (lanes 0-3 of every input) plus the high halves (lanes 4-7).
            return (Avx.Permute2x128(h0123, h4567, 0x20) + Avx.Permute2x128(h0123, h4567, 0x31)).AsVector();
        }
#endif
        Span<float> sums = stackalloc float[8];
        sums[0] = Sum(a0);
        sums[1] = Sum(a1);
        sums[2] = Sum(a2);
        sums[3] = Sum(a3);
        sums[4] = Sum(a4);
        sums[5] = Sum(a5);
        sums[6] = Sum(a6);
        sums[7] = Sum(a7);
        return VectorLoading.Load<float>(sums);
    }

    /// <summary>True when every value is finite (no NaN, no infinity).</summary>
    public static bool AllFinite(ReadOnlySpan<float> values) => AllFinite<float>(values);

    /// <inheritdoc cref="AllFinite(ReadOnlySpan{float})"/>
    public static bool AllFinite(ReadOnlySpan<double> values) => AllFinite<double>(values);

    /// <summary>
    /// True when every value is finite: <c>x - x</c> is 0 exactly for finite x, NaN otherwise. Whole
    /// vectors first (where vectors are hardware-accelerated), then the rest one by one.
    /// </summary>
    // Hot in every training step: compiled fully optimised at its first call (see NetworkKernels.Optimized).
    [MethodImpl((MethodImplOptions)512)]
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<T>> blocks = MemoryMarshal.Cast<T, Vector<T>>(values);
            for (int b = 0; b < blocks.Length; b++)
            {
                Vector<T> v = blocks[b];
                if (!Vector.EqualsAll(v - v, Vector<T>.Zero))
                {
                    return false;
                }
            }
            i = blocks.Length * Vector<T>.Count;
        }
        for (; i < values.Length; i++)
        {
            if (!ElementTypes.IsFinite(values[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>target -= scale * values</c>, elementwise: the plain gradient-descent update.</summary>
    // Hot in every training step: compiled fully optimised at its first call (see NetworkKernels.Optimized).
    [MethodImpl((MethodImplOptions)512)]
    public static void SubtractScaled(Span<float> target, ReadOnlySpan<float> values, float scale)
    {
        if (target.Length != values.Length)
        {
            throw new ArgumentException($"Expected {target.Length} values, got {values.Length}.", nameof(values));
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var step = new Vector<float>(-scale);
            for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Store(target, i, MultiplyAdd(step, Load(values, i), Load(target, i)));
            }
        }
        for (; i < target.Length; i++)
        {
            target[i] -= scale * values[i];
        }
    }

    /// <inheritdoc cref="SubtractScaled(Span{float}, ReadOnlySpan{float}, float)"/>
    // Hot in every training step: compiled fully optimised at its first call (see NetworkKernels.Optimized).
    [MethodImpl((MethodImplOptions)512)]
    public static void SubtractScaled(Span<double> target, ReadOnlySpan<double> values, double scale)
    {
        if (target.Length != values.Length)
        {
            throw new ArgumentException($"Expected {target.Length} values, got {values.Length}.", nameof(values));
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var step = new Vector<double>(-scale);
            for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                Store(target, i, MultiplyAdd(step, Load(values, i), Load(target, i)));
            }
        }
        for (; i < target.Length; i++)
        {
            target[i] -= scale * values[i];
        }
    }
}
