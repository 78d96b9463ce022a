using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// The per-row steps of LayerNorm's feature-major forward and backward (LayerNormColumns,
// LayerNormGradientColumns), with the samples along the vector lanes; and, at the end, its sample-major
// forward in the default arithmetic (LayerNormSample), each sample's values in vectors. Each sample's double sum still adds its values in feature order, one row after another,
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

    /// <summary><c>normalised[s] = (row[s] - mean[s]) * inverse[s]</c> in T for every sample s: the backward's xh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NormalisedRow(ReadOnlySpan<T> row, ReadOnlySpan<T> mean, ReadOnlySpan<T> inverse, Span<T> normalised)
    {
        int s = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; s <= row.Length - Vector<T>.Count; s += Vector<T>.Count)
            {
                Simd.Store(normalised, s, (Simd.Load(row, s) - Simd.Load(mean, s)) * Simd.Load(inverse, s));
            }
        }
        for (; s < row.Length; s++)
        {
            normalised[s] = A.Multiply(A.Subtract(row[s], mean[s]), inverse[s]);
        }
    }

    /// <summary>With <c>u = delta[s] * weight</c> in double: <c>sumU[s] += u</c> and <c>sumUXh[s] += u * xh[s]</c> for every sample s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddGradientSumsInDouble(ReadOnlySpan<T> delta, ReadOnlySpan<T> xh, double weight, Span<double> sumU, Span<double> sumUXh)
    {
        int s = 0;
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> d = MemoryMarshal.Cast<T, float>(delta), h = MemoryMarshal.Cast<T, float>(xh);
            var w = new Vector<double>(weight);
            for (; s <= d.Length - Vector<float>.Count; s += Vector<float>.Count)
            {
                Vector.Widen(Simd.Load(d, s), out Vector<double> dLow, out Vector<double> dHigh);
                Vector.Widen(Simd.Load(h, s), out Vector<double> hLow, out Vector<double> hHigh);
                Vector<double> uLow = dLow * w, uHigh = dHigh * w;
                int high = s + Vector<double>.Count;
                Simd.Store(sumU, s, Simd.Load(sumU, s) + uLow);
                Simd.Store(sumU, high, Simd.Load(sumU, high) + uHigh);
                Simd.Store(sumUXh, s, Simd.Load(sumUXh, s) + (uLow * hLow));
                Simd.Store(sumUXh, high, Simd.Load(sumUXh, high) + (uHigh * hHigh));
            }
        }
        else if (Vector.IsHardwareAccelerated && typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> d = MemoryMarshal.Cast<T, double>(delta), h = MemoryMarshal.Cast<T, double>(xh);
            var w = new Vector<double>(weight);
            for (; s <= d.Length - Vector<double>.Count; s += Vector<double>.Count)
            {
                Vector<double> u = Simd.Load(d, s) * w;
                Simd.Store(sumU, s, Simd.Load(sumU, s) + u);
                Simd.Store(sumUXh, s, Simd.Load(sumUXh, s) + (u * Simd.Load(h, s)));
            }
        }
        for (; s < delta.Length; s++)
        {
            double u = A.ToDouble(delta[s]) * weight;
            sumU[s] += u;
            sumUXh[s] += u * A.ToDouble(xh[s]);
        }
    }

    /// <summary>
    /// <c>dx[s] = r (u - meanU[s] - xh[s] meanUXh[s])</c> in double, rounded once to T, with <c>u = delta[s] * weight</c>
    /// and <c>r = inverse[s]</c>, for every sample s. dx may be delta.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LayerNormInputGradientRow(ReadOnlySpan<T> delta, ReadOnlySpan<T> xh, ReadOnlySpan<T> inverse, double weight, ReadOnlySpan<double> meanU, ReadOnlySpan<double> meanUXh, Span<T> dx)
    {
        int s = 0;
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> d = MemoryMarshal.Cast<T, float>(delta), h = MemoryMarshal.Cast<T, float>(xh), r = MemoryMarshal.Cast<T, float>(inverse);
            Span<float> output = MemoryMarshal.Cast<T, float>(dx);
            var w = new Vector<double>(weight);
            for (; s <= d.Length - Vector<float>.Count; s += Vector<float>.Count)
            {
                Vector.Widen(Simd.Load(d, s), out Vector<double> dLow, out Vector<double> dHigh);
                Vector.Widen(Simd.Load(h, s), out Vector<double> hLow, out Vector<double> hHigh);
                Vector.Widen(Simd.Load(r, s), out Vector<double> rLow, out Vector<double> rHigh);
                int high = s + Vector<double>.Count;
                Vector<double> low = rLow * (((dLow * w) - Simd.Load(meanU, s)) - (hLow * Simd.Load(meanUXh, s)));
                Vector<double> upper = rHigh * (((dHigh * w) - Simd.Load(meanU, high)) - (hHigh * Simd.Load(meanUXh, high)));
                Simd.Store(output, s, Vector.Narrow(low, upper));
            }
        }
        else if (Vector.IsHardwareAccelerated && typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> d = MemoryMarshal.Cast<T, double>(delta), h = MemoryMarshal.Cast<T, double>(xh), r = MemoryMarshal.Cast<T, double>(inverse);
            Span<double> output = MemoryMarshal.Cast<T, double>(dx);
            var w = new Vector<double>(weight);
            for (; s <= d.Length - Vector<double>.Count; s += Vector<double>.Count)
            {
                Simd.Store(output, s, Simd.Load(r, s) * (((Simd.Load(d, s) * w) - Simd.Load(meanU, s)) - (Simd.Load(h, s) * Simd.Load(meanUXh, s))));
            }
        }
        for (; s < delta.Length; s++)
        {
            double u = A.ToDouble(delta[s]) * weight;
            dx[s] = A.FromDouble(A.ToDouble(inverse[s]) * (u - meanU[s] - (A.ToDouble(xh[s]) * meanUXh[s])));
        }
    }

    /// <summary>
    /// One sample's LayerNorm with its values in vectors, for the sample-major passes of the default arithmetic:
    /// the sums in double as the scalar kernel's, but in vector partial sums (so in another order, a few ulps
    /// from it; deterministic networks never come here, they run feature-major), then the normalisation in T.
    /// y may be x. Where <paramref name="statistics"/> is not empty, the mean and 1/sqrt(var + eps) go there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LayerNormSample(ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> x, Span<T> y, Span<T> statistics)
    {
        int width = x.Length;
        double mean = SumInDouble(x) / width;
        double squares = CentredSquaresInDouble(x, mean);
        T m = A.FromDouble(mean), inverse = A.FromDouble(1.0 / Math.Sqrt((squares / width) + NormEpsilon));
        if (!statistics.IsEmpty)
        {
            statistics[0] = m;
            statistics[1] = inverse;
        }
        var vm = new Vector<T>(m);
        var vr = new Vector<T>(inverse);
        int k = 0;
        for (; k <= width - Vector<T>.Count; k += Vector<T>.Count)
        {
            Simd.Store(y, k, (((Simd.Load(x, k) - vm) * vr) * Simd.Load(weight, k)) + Simd.Load(bias, k));
        }
        for (; k < width; k++)
        {
            y[k] = A.MultiplyAdd(A.Multiply(A.Subtract(x[k], m), inverse), weight[k], bias[k]);
        }
    }

    /// <summary>The sum of <paramref name="values"/> in double, in vector partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumInDouble(ReadOnlySpan<T> values)
    {
        int k = 0;
        var sums = Vector<double>.Zero;
        if (typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> floats = MemoryMarshal.Cast<T, float>(values);
            for (; k <= floats.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                Vector.Widen(Simd.Load(floats, k), out Vector<double> low, out Vector<double> high);
                sums += low + high;
            }
        }
        else
        {
            ReadOnlySpan<double> doubles = MemoryMarshal.Cast<T, double>(values);
            for (; k <= doubles.Length - Vector<double>.Count; k += Vector<double>.Count)
            {
                sums += Simd.Load(doubles, k);
            }
        }
        double sum = Simd.Sum(sums);
        for (; k < values.Length; k++)
        {
            sum += A.ToDouble(values[k]);
        }
        return sum;
    }

    /// <summary>The sum of <c>(value - mean)^2</c> over <paramref name="values"/> in double, in vector partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CentredSquaresInDouble(ReadOnlySpan<T> values, double mean)
    {
        int k = 0;
        var sums = Vector<double>.Zero;
        var centre = new Vector<double>(mean);
        if (typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> floats = MemoryMarshal.Cast<T, float>(values);
            for (; k <= floats.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                Vector.Widen(Simd.Load(floats, k), out Vector<double> low, out Vector<double> high);
                low -= centre;
                high -= centre;
                sums += (low * low) + (high * high);
            }
        }
        else
        {
            ReadOnlySpan<double> doubles = MemoryMarshal.Cast<T, double>(values);
            for (; k <= doubles.Length - Vector<double>.Count; k += Vector<double>.Count)
            {
                Vector<double> centred = Simd.Load(doubles, k) - centre;
                sums += centred * centred;
            }
        }
        double squares = Simd.Sum(sums);
        for (; k < values.Length; k++)
        {
            double centred = A.ToDouble(values[k]) - mean;
            squares += centred * centred;
        }
        return squares;
    }
}
