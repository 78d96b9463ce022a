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
    public static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns) where T : struct
    {
        if (source.Length < (long)rows * columns || destination.Length < (long)rows * columns)
        {
            throw new ArgumentException("The spans are shorter than rows * columns.");
        }
        ref T from = ref MemoryMarshal.GetReference(source);
        ref T to = ref MemoryMarshal.GetReference(destination);
        const int Tile = 8;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < columns; c0 += Tile)
            {
                int c1 = Math.Min(columns, c0 + Tile);
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
    public static float Sum(Vector<float> value) => Vector.Dot(value, Vector<float>.One);

    /// <summary>The sum of a vector's elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector<double> value) => Vector.Dot(value, Vector<double>.One);

    /// <summary>True when every value is finite (no NaN, no infinity).</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x * 0 is 0 for finite x and NaN for NaN or infinity, so one NaN poisons the accumulator.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var poison = Vector<float>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                poison += Load(values, i) * Vector<float>.Zero;
            }
            if (!Vector.EqualsAll(poison, Vector<float>.Zero))
            {
                return false;
            }
        }
        float tail = 0f;
        for (; i < values.Length; i++)
        {
            tail += values[i] * 0f;
        }
        return tail == 0f;
    }

    /// <inheritdoc cref="AllFinite(ReadOnlySpan{float})"/>
    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var poison = Vector<double>.Zero;
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                poison += Load(values, i) * Vector<double>.Zero;
            }
            if (!Vector.EqualsAll(poison, Vector<double>.Zero))
            {
                return false;
            }
        }
        double tail = 0d;
        for (; i < values.Length; i++)
        {
            tail += values[i] * 0d;
        }
        return tail == 0d;
    }

    /// <summary><c>target -= scale * values</c>, elementwise: the plain gradient-descent update.</summary>
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
