using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// The per-row steps of LayerNorm's feature-major forward (LayerNormColumns), with the samples along the
// vector lanes. Each sample's double sum still adds its values in feature order, one row after another,
// and every lane does the same IEEE operations as the scalar loop (a float widens to double exactly; no
// multiply-add is fused), so the vector lanes, the scalar tail and the sample-major kernel give the same
// bits: deterministic networks keep their hashes. Without hardware vectors (Mono without SIMD, .NET with
// HWIntrinsic off) the scalar loops run, as Vector<T> would be emulated there.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary><c>sums[s] += row[s]</c> in double for every sample s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRowInDouble(ReadOnlySpan<T> row, Span<double> sums)
    {
        int s = 0;
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> values = MemoryMarshal.Cast<T, float>(row);
            for (; s <= values.Length - Vector<float>.Count; s += Vector<float>.Count)
            {
                Vector.Widen(Simd.Load(values, s), out Vector<double> low, out Vector<double> high);
                Simd.Store(sums, s, Simd.Load(sums, s) + low);
                Simd.Store(sums, s + Vector<double>.Count, Simd.Load(sums, s + Vector<double>.Count) + high);
            }
        }
        else if (Vector.IsHardwareAccelerated && typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> values = MemoryMarshal.Cast<T, double>(row);
            for (; s <= values.Length - Vector<double>.Count; s += Vector<double>.Count)
            {
                Simd.Store(sums, s, Simd.Load(sums, s) + Simd.Load(values, s));
            }
        }
        for (; s < row.Length; s++)
        {
            sums[s] += A.ToDouble(row[s]);
        }
    }

    /// <summary><c>squares[s] += (row[s] - means[s])^2</c> in double for every sample s, the square rounded before the add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddCentredSquaresInDouble(ReadOnlySpan<T> row, ReadOnlySpan<double> means, Span<double> squares)
    {
        int s = 0;
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> values = MemoryMarshal.Cast<T, float>(row);
            for (; s <= values.Length - Vector<float>.Count; s += Vector<float>.Count)
            {
                Vector.Widen(Simd.Load(values, s), out Vector<double> low, out Vector<double> high);
                Vector<double> centredLow = low - Simd.Load(means, s);
                Vector<double> centredHigh = high - Simd.Load(means, s + Vector<double>.Count);
                Simd.Store(squares, s, Simd.Load(squares, s) + (centredLow * centredLow));
                Simd.Store(squares, s + Vector<double>.Count, Simd.Load(squares, s + Vector<double>.Count) + (centredHigh * centredHigh));
            }
        }
        else if (Vector.IsHardwareAccelerated && typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> values = MemoryMarshal.Cast<T, double>(row);
            for (; s <= values.Length - Vector<double>.Count; s += Vector<double>.Count)
            {
                Vector<double> centred = Simd.Load(values, s) - Simd.Load(means, s);
                Simd.Store(squares, s, Simd.Load(squares, s) + (centred * centred));
            }
        }
        for (; s < row.Length; s++)
        {
            double centred = A.ToDouble(row[s]) - means[s];
            squares[s] += centred * centred;
        }
    }

    /// <summary><c>output[s] = ((row[s] - mean[s]) * inverse[s]) * weight + bias</c> in T for every sample s, each operation rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NormaliseRow(ReadOnlySpan<T> row, ReadOnlySpan<T> mean, ReadOnlySpan<T> inverse, T weight, T bias, Span<T> output)
    {
        int s = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<T>(weight);
            var b = new Vector<T>(bias);
            for (; s <= row.Length - Vector<T>.Count; s += Vector<T>.Count)
            {
                Simd.Store(output, s, (((Simd.Load(row, s) - Simd.Load(mean, s)) * Simd.Load(inverse, s)) * w) + b);
            }
        }
        for (; s < row.Length; s++)
        {
            output[s] = A.MultiplyAdd(A.Multiply(A.Subtract(row[s], mean[s]), inverse[s]), weight, bias);
        }
    }
}
