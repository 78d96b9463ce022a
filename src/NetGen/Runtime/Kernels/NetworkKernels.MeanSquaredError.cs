using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// The mean squared error of a regression, PyTorch's mse_loss with reduction "mean": the mean over all
// count * width values, L = (1 / (count * width)) * sum over s, k of (y[s, k] - t[s, k])^2. Targets are
// always sample-major (as the user passes them); the outputs are sample-major or, for the batch kernels'
// feature-major layout, transposed (value k of sample s at [k * count + s]).
//
// Differences and sums are taken in double, also for float networks: a float sum over a large batch
// would lose the small terms, and (y - t) in float can round or overflow where in double it does not.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// Checks a regression batch's lengths and returns its size, <c>targets.Length / outputSize</c>.
    /// Non-finite targets are not an error: the loss is then not finite and the training step is skipped.
    /// </summary>
    [MethodImpl(Optimized)]
    public static int CheckTargets(int inputsLength, ReadOnlySpan<T> targets, int inputSize, int outputSize)
    {
        if (targets.Length == 0)
        {
            throw ArgumentErrors.EmptyBatch("targets", 0);
        }
        if (targets.Length % outputSize != 0)
        {
            throw ArgumentErrors.PartialSample("targets", outputSize, targets.Length);
        }
        int count = targets.Length / outputSize;
        if (inputsLength != (long)count * inputSize)
        {
            throw ArgumentErrors.WrongLength("inputs", (long)count * inputSize, inputsLength, "(targets.Length / OutputSize) * InputSize");
        }
        return count;
    }

    /// <summary>The mean squared error of sample-major outputs <paramref name="y"/> against <paramref name="targets"/>, summed in double.</summary>
    [MethodImpl(Optimized)]
    public static T MeanSquaredError(ReadOnlySpan<T> y, ReadOnlySpan<T> targets, int count, int width)
    {
        int length = count * width;
        return A.FromDouble(SumOfSquaredDifferences(y.Slice(0, length), targets.Slice(0, length)) / length);
    }

    /// <summary>
    /// The mean squared error of feature-major outputs <paramref name="yT"/> (value k of sample s at
    /// <c>[k * count + s]</c>) against sample-major <paramref name="targets"/>, summed in double.
    /// </summary>
    /// <remarks>
    /// With one output the two layouts are the same and the vector kernel runs. Otherwise one side is
    /// read with a stride, which Vector&lt;T&gt; cannot load, so this is a scalar loop: it reads each value
    /// once, next to a batch's matrix products that read each weight count times.
    /// </remarks>
    [MethodImpl(Optimized)]
    public static T MeanSquaredErrorColumns(ReadOnlySpan<T> yT, ReadOnlySpan<T> targets, int count, int width)
    {
        int length = count * width;
        if (width == 1)
        {
            return A.FromDouble(SumOfSquaredDifferences(yT.Slice(0, length), targets.Slice(0, length)) / length);
        }
        double total = 0d;
        for (int k = 0; k < width; k++)
        {
            int row = k * count;
            for (int s = 0; s < count; s++)
            {
                double difference = A.ToDouble(yT[row + s]) - A.ToDouble(targets[(s * width) + k]);
                total += difference * difference;
            }
        }
        return A.FromDouble(total / length);
    }

    /// <summary>
    /// The mean squared error's gradient, sample-major: <c>dz = 2 (y - t) / (count * width)</c>, computed in
    /// double and rounded once. dz may be y itself.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void MeanSquaredErrorBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> targets, Span<T> dz, int count, int width)
    {
        int length = count * width;
        ScaledDifferences(y.Slice(0, length), targets.Slice(0, length), dz, 2d / length);
    }

    /// <summary>
    /// The mean squared error's gradient, feature-major: <c>dzT = 2 (yT - t) / (count * width)</c> with dzT
    /// laid out like yT and the targets sample-major; dzT may be yT itself. Scalar for more than one output,
    /// as in <see cref="MeanSquaredErrorColumns"/>.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void MeanSquaredErrorBackwardColumns(ReadOnlySpan<T> yT, ReadOnlySpan<T> targets, Span<T> dzT, int count, int width)
    {
        int length = count * width;
        double scale = 2d / length;
        if (width == 1)
        {
            ScaledDifferences(yT.Slice(0, length), targets.Slice(0, length), dzT, scale);
            return;
        }
        for (int k = 0; k < width; k++)
        {
            int row = k * count;
            for (int s = 0; s < count; s++)
            {
                dzT[row + s] = A.FromDouble((A.ToDouble(yT[row + s]) - A.ToDouble(targets[(s * width) + k])) * scale);
            }
        }
    }

    /// <summary>
    /// The sum of <c>(y - t)^2</c> in double, in one order whatever the vector width and whether vectors
    /// are accelerated, and without fused multiply-adds: eight running sums, sum j of the values at
    /// indices i with i % 8 == j in index order, then added as ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)). So
    /// a deterministic network's loss has the same bits on every machine. Eight is a whole number of
    /// vectors of 2, 4 or 8 doubles: vector lanes hold the running sums.
    /// </summary>
    [MethodImpl(Block)]
    private static double SumOfSquaredDifferences(ReadOnlySpan<T> y, ReadOnlySpan<T> targets)
    {
        Span<double> sums = stackalloc double[8];
        sums.Clear();
        int k = 0;
        if (Vector.IsHardwareAccelerated && Vector<double>.Count is 2 or 4 or 8)
        {
            k = SumOfSquaredDifferencesInLanes(y, targets, sums);
        }
        for (; k < y.Length; k++)
        {
            double difference = A.ToDouble(y[k]) - A.ToDouble(targets[k]);
            sums[k & 7] += difference * difference;
        }
        return ((sums[0] + sums[1]) + (sums[2] + sums[3])) + ((sums[4] + sums[5]) + (sums[6] + sums[7]));
    }

    /// <summary>
    /// The vector part of <see cref="SumOfSquaredDifferences"/>: whole steps of <c>max(8, 2 * doubles per
    /// vector)</c> values, each vector of differences added to the running sums of its index modulo 8
    /// (vector j of a step to accumulator j % (8 / lanes)). Leaves the eight sums in
    /// <paramref name="sums"/> and returns how many values it took.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SumOfSquaredDifferencesInLanes(ReadOnlySpan<T> y, ReadOnlySpan<T> targets, Span<double> sums)
    {
        int lanes = Vector<double>.Count;
        int step = Math.Max(8, 2 * lanes);
        Vector<double> sum0 = Vector<double>.Zero;
        Vector<double> sum1 = Vector<double>.Zero;
        Vector<double> sum2 = Vector<double>.Zero;
        Vector<double> sum3 = Vector<double>.Zero;
        int k = 0;
        for (; k <= y.Length - step; k += step)
        {
            // The step's differences as vectors of doubles, in index order: 2 (8 lanes), 2 (4) or 4 (2).
            Differences(y, targets, k, out Vector<double> d0, out Vector<double> d1);
            if (lanes == 8)
            {
                sum0 += d0 * d0;
                sum0 += d1 * d1;
            }
            else if (lanes == 4)
            {
                sum0 += d0 * d0;
                sum1 += d1 * d1;
            }
            else
            {
                Differences(y, targets, k + 4, out Vector<double> d2, out Vector<double> d3);
                sum0 += d0 * d0;
                sum1 += d1 * d1;
                sum2 += d2 * d2;
                sum3 += d3 * d3;
            }
        }
        for (int j = 0; j < 8; j++)
        {
            int lane = j % lanes;
            sums[j] = (j / lanes) switch
            {
                0 => sum0[lane],
                1 => sum1[lane],
                2 => sum2[lane],
                _ => sum3[lane],
            };
        }
        return k;
    }

    /// <summary>
    /// <c>y - t</c> in double for the <c>2 * Vector&lt;double&gt;.Count</c> values from <paramref name="offset"/>,
    /// as two vectors in index order: for float, one vector widened (exactly) and then subtracted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Differences(ReadOnlySpan<T> y, ReadOnlySpan<T> targets, int offset, out Vector<double> low, out Vector<double> high)
    {
        if (typeof(T) == typeof(float))
        {
            Vector.Widen(Simd.Load(MemoryMarshal.Cast<T, float>(y), offset), out Vector<double> valueLow, out Vector<double> valueHigh);
            Vector.Widen(Simd.Load(MemoryMarshal.Cast<T, float>(targets), offset), out Vector<double> wantedLow, out Vector<double> wantedHigh);
            low = valueLow - wantedLow;
            high = valueHigh - wantedHigh;
        }
        else
        {
            ReadOnlySpan<double> values = MemoryMarshal.Cast<T, double>(y);
            ReadOnlySpan<double> wanted = MemoryMarshal.Cast<T, double>(targets);
            low = Simd.Load(values, offset) - Simd.Load(wanted, offset);
            high = Simd.Load(values, offset + Vector<double>.Count) - Simd.Load(wanted, offset + Vector<double>.Count);
        }
    }

    /// <summary>
    /// <c>dz = (y - t) * scale</c> elementwise, in double and rounded once to T; dz may be y. The vector
    /// lanes and the scalar tail do the same double operations, so they give the same bits.
    /// </summary>
    [MethodImpl(Block)]
    private static void ScaledDifferences(ReadOnlySpan<T> y, ReadOnlySpan<T> targets, Span<T> dz, double scale)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> values = MemoryMarshal.Cast<T, float>(y);
            ReadOnlySpan<float> wanted = MemoryMarshal.Cast<T, float>(targets);
            Span<float> gradients = MemoryMarshal.Cast<T, float>(dz);
            var factor = new Vector<double>(scale);
            for (; k <= values.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                Vector.Widen(Simd.Load(values, k), out Vector<double> valueLow, out Vector<double> valueHigh);
                Vector.Widen(Simd.Load(wanted, k), out Vector<double> wantedLow, out Vector<double> wantedHigh);
                Simd.Store(gradients, k, Vector.Narrow((valueLow - wantedLow) * factor, (valueHigh - wantedHigh) * factor));
            }
        }
        else if (Vector.IsHardwareAccelerated && typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> values = MemoryMarshal.Cast<T, double>(y);
            ReadOnlySpan<double> wanted = MemoryMarshal.Cast<T, double>(targets);
            Span<double> gradients = MemoryMarshal.Cast<T, double>(dz);
            var factor = new Vector<double>(scale);
            for (; k <= values.Length - Vector<double>.Count; k += Vector<double>.Count)
            {
                Simd.Store(gradients, k, (Simd.Load(values, k) - Simd.Load(wanted, k)) * factor);
            }
        }
        for (; k < y.Length; k++)
        {
            dz[k] = A.FromDouble((A.ToDouble(y[k]) - A.ToDouble(targets[k])) * scale);
        }
    }
}
