using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// The cross-entropy loss of a softmax, in both layouts: its mean over the batch from the logits, and
// the fused backward of softmax and loss together.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>The mean cross-entropy of the softmax of sample-major <paramref name="logits"/>: see <see cref="MeanCrossEntropy"/>.</summary>
    [MethodImpl(Optimized)]
    public static T CrossEntropy(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int width)
        => MeanCrossEntropy(logits, labels, width, width, 1);

    /// <summary>The mean cross-entropy of the softmax of feature-major <paramref name="logits"/>: see <see cref="MeanCrossEntropy"/>.</summary>
    [MethodImpl(Optimized)]
    public static T CrossEntropyColumns(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int width)
        => MeanCrossEntropy(logits, labels, width, 1, labels.Length);

    /// <summary>
    /// Mean cross-entropy through log-sum-exp: <c>-log y[t] = log(sum_j e^(z_j - m)) - (z_t - m)</c>, so a
    /// confident wrong answer costs a large finite loss instead of log(0). Summed in double, so long batches
    /// lose no precision. Value k of sample s at <c>s * sampleStride + k * featureStride</c>.
    /// </summary>
    [MethodImpl(Block)]
    private static T MeanCrossEntropy(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int width, int sampleStride, int featureStride)
    {
        int count = labels.Length;
        double total = 0d;
        int s = 0;
#if NET8_0_OR_GREATER
        if (typeof(T) == typeof(float) && !A.IsDeterministic && sampleStride == 1 && featureStride == count)
        {
            // Feature-major floats: the samples four at a time with a vector e^x (see there). Where the logits hold a
            // NaN or an infinity, the batch goes through the loop below instead, whose NaN rules are the layer's.
            s = CrossEntropyTotalOfVectors(MemoryMarshal.Cast<T, float>(logits), labels, width, ref total);
            if (!double.IsFinite(total))
            {
                s = 0;
                total = 0d;
            }
        }
#endif
        for (; s < count; s++)
        {
            int start = s * sampleStride;
            T max = logits[start];
            for (int k = 1; k < width; k++)
            {
                T value = logits[start + (k * featureStride)];
                if (A.LessThan(max, value))
                {
                    max = value;
                }
            }
            double sum = 0d;
            for (int k = 0; k < width; k++)
            {
                sum += A.ExpDouble(A.ToDouble(A.Subtract(logits[start + (k * featureStride)], max)));
            }
            total += A.LogDouble(sum) - A.ToDouble(A.Subtract(logits[start + (labels[s] * featureStride)], max));
        }
        return A.FromDouble(total / count);
    }

    /// <summary>
    /// Softmax and mean cross-entropy backward, fused, sample-major: <c>dz = (y - onehot(t)) / N</c>. This is
    /// exactly the two layers' gradients composed, without dividing by a probability that may be tiny.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void CrossEntropyBackward(ReadOnlySpan<T> y, ReadOnlySpan<int> labels, Span<T> dz, int width)
    {
        T scale = A.Divide(A.One, A.FromDouble(labels.Length));
        Scale(y.Slice(0, labels.Length * width), dz, scale);
        for (int s = 0; s < labels.Length; s++)
        {
            int at = (s * width) + labels[s];
            dz[at] = A.Subtract(dz[at], scale);
        }
    }

    /// <summary>Softmax and mean cross-entropy backward, fused, feature-major: <c>dzT = (yT - onehot(t)) / N</c>.</summary>
    [MethodImpl(Optimized)]
    public static void CrossEntropyBackwardColumns(ReadOnlySpan<T> yT, ReadOnlySpan<int> labels, Span<T> dzT, int width)
    {
        int count = labels.Length;
        T scale = A.Divide(A.One, A.FromDouble(count));
        Scale(yT.Slice(0, width * count), dzT, scale);
        for (int s = 0; s < count; s++)
        {
            int at = (labels[s] * count) + s;
            dzT[at] = A.Subtract(dzT[at], scale);
        }
    }

    /// <summary><c>target = source * scale</c>, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(ReadOnlySpan<T> source, Span<T> target, T scale)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<T>(scale);
            for (; k <= source.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Simd.Store(target, k, Simd.Load(source, k) * factor);
            }
        }
        for (; k < source.Length; k++)
        {
            target[k] = A.Multiply(source[k], scale);
        }
    }
}
