using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// LayerNorm and BatchNorm. Each kernel takes the layout as two strides, as softmax does: value k of
// sample s is at s * sampleStride + k * featureStride (sample-major: width and 1; feature-major: 1 and
// count). Statistics are summed in double, in the same order (sample after sample, value after value)
// in both layouts and on every vector width, so a deterministic network gets the same bits everywhere.
// The kernels are scalar, the sums being the work and the order being the point, except LayerNorm's
// feature-major forward, which puts the samples along the lanes (NetworkKernels.NormalizationRows.cs).
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>The epsilon both normalisations add to the variance (PyTorch's 1e-5).</summary>
    private const double NormEpsilon = 1e-5;

    /// <summary>The weight of the newest batch in BatchNorm's running statistics (PyTorch's momentum 0.1).</summary>
    private const double Momentum = 0.1;

    /// <summary>LayerNorm forward, sample-major: see <see cref="LayerNorm"/>.</summary>
    [MethodImpl(Optimized)]
    public static void LayerNormForward(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> x, Span<T> y, Span<T> statistics, int count, int width)
        => LayerNorm(p, offset, x, y, statistics, count, width, width, 1);

    /// <summary>LayerNorm forward, feature-major: see <see cref="LayerNorm"/>; up to <see cref="ColumnStatisticsLimit"/> samples walk the rows of features contiguously.</summary>
    [MethodImpl(Optimized)]
    public static void LayerNormForwardColumns(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> x, Span<T> y, Span<T> statistics, int count, int width)
    {
        if (count > ColumnStatisticsLimit)
        {
            LayerNorm(p, offset, x, y, statistics, count, width, 1, count);
            return;
        }
        Span<double> means = stackalloc double[count];
        Span<double> squares = stackalloc double[count];
        Span<T> mean = stackalloc T[count];
        Span<T> inverse = stackalloc T[count];
        LayerNormColumns(p, offset, x, y, statistics, count, width, means, squares, mean, inverse);
    }

    /// <summary>
    /// Feature-major batches up to this many samples take each sample's statistics with the samples in the
    /// inner loop (contiguous in that layout), their running sums on the stack; the order of every sample's
    /// sum is the same as sample-major, so the bits are too.
    /// </summary>
    private const int ColumnStatisticsLimit = 256;

    /// <summary><see cref="LayerNorm"/> feature-major with the samples innermost: the same sums in the same order per sample.</summary>
    [MethodImpl(Block)]
    private static void LayerNormColumns(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> x, Span<T> y, Span<T> statistics, int count, int width, Span<double> means, Span<double> squares, Span<T> mean, Span<T> inverse)
    {
        ReadOnlySpan<T> weight = p.Slice(offset, width), bias = p.Slice(offset + width, width);
        means.Clear();
        squares.Clear();
        for (int k = 0; k < width; k++)
        {
            AddRowInDouble(x.Slice(k * count, count), means);
        }
        for (int s = 0; s < count; s++)
        {
            means[s] /= width;
        }
        for (int k = 0; k < width; k++)
        {
            AddCentredSquaresInDouble(x.Slice(k * count, count), means, squares);
        }
        for (int s = 0; s < count; s++)
        {
            mean[s] = A.FromDouble(means[s]);
            inverse[s] = A.FromDouble(1.0 / Math.Sqrt((squares[s] / width) + NormEpsilon));
            if (!statistics.IsEmpty)
            {
                statistics[2 * s] = mean[s];
                statistics[(2 * s) + 1] = inverse[s];
            }
        }
        for (int k = 0; k < width; k++)
        {
            NormaliseRow(x.Slice(k * count, count), mean, inverse, weight[k], bias[k], y.Slice(k * count, count));
        }
    }

    /// <summary>LayerNorm backward, sample-major: see <see cref="LayerNormGradient"/>.</summary>
    [MethodImpl(Optimized)]
    public static void LayerNormBackward(ReadOnlySpan<T> p, Span<T> g, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> statistics, ReadOnlySpan<T> delta, Span<T> dx, int count, int width)
        => LayerNormGradient(p, g, offset, x, statistics, delta, dx, count, width, width, 1);

    /// <summary>LayerNorm backward, feature-major: see <see cref="LayerNormGradient"/>; up to <see cref="ColumnStatisticsLimit"/> samples walk the rows of features contiguously.</summary>
    [MethodImpl(Optimized)]
    public static void LayerNormBackwardColumns(ReadOnlySpan<T> p, Span<T> g, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> statistics, ReadOnlySpan<T> delta, Span<T> dx, int count, int width)
    {
        if (count > ColumnStatisticsLimit)
        {
            LayerNormGradient(p, g, offset, x, statistics, delta, dx, count, width, 1, count);
            return;
        }
        Span<double> sumU = stackalloc double[count];
        Span<double> sumUXh = stackalloc double[count];
        Span<T> mean = stackalloc T[count];
        Span<T> inverse = stackalloc T[count];
        Span<T> normalised = stackalloc T[count];
        LayerNormGradientColumns(p, g, offset, x, statistics, delta, dx, count, width, sumU, sumUXh, mean, inverse, normalised);
    }

    /// <summary>
    /// <see cref="LayerNormGradient"/> feature-major with the samples innermost: every per-sample sum and every
    /// parameter gradient adds its terms in the same order as sample-major, so the bits are the same. The
    /// per-sample sums and dx put the samples along the vector lanes (NetworkKernels.NormalizationRows.cs); the
    /// parameter gradients, sums over the samples, stay scalar to keep their order.
    /// </summary>
    [MethodImpl(Block)]
    private static void LayerNormGradientColumns(ReadOnlySpan<T> p, Span<T> g, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> statistics, ReadOnlySpan<T> delta, Span<T> dx, int count, int width,
        Span<double> sumU, Span<double> sumUXh, Span<T> mean, Span<T> inverse, Span<T> normalised)
    {
        ReadOnlySpan<T> weight = p.Slice(offset, width);
        sumU.Clear();
        sumUXh.Clear();
        for (int s = 0; s < count; s++)
        {
            mean[s] = statistics[2 * s];
            inverse[s] = statistics[(2 * s) + 1];
        }
        for (int k = 0; k < width; k++)
        {
            ReadOnlySpan<T> d = delta.Slice(k * count, count);
            NormalisedRow(x.Slice(k * count, count), mean, inverse, normalised);
            AddGradientSumsInDouble(d, normalised, A.ToDouble(weight[k]), sumU, sumUXh);
            if (!g.IsEmpty)
            {
                T weightGradient = A.Zero, biasGradient = A.Zero;
                for (int s = 0; s < count; s++)
                {
                    weightGradient = A.MultiplyAdd(d[s], normalised[s], weightGradient);
                    biasGradient = A.Add(biasGradient, d[s]);
                }
                g[offset + k] = weightGradient;
                g[offset + width + k] = biasGradient;
            }
        }
        if (dx.IsEmpty)
        {
            return;
        }
        for (int s = 0; s < count; s++)
        {
            sumU[s] /= width;      // from here on the means of u and of u xh, as the scalar kernel divides them
            sumUXh[s] /= width;
        }
        for (int k = 0; k < width; k++)
        {
            NormalisedRow(x.Slice(k * count, count), mean, inverse, normalised);
            LayerNormInputGradientRow(delta.Slice(k * count, count), normalised, inverse, A.ToDouble(weight[k]), sumU, sumUXh, dx.Slice(k * count, count));
        }
    }

    /// <summary>
    /// Layer normalisation of each sample's <paramref name="width"/> values:
    /// <c>y = (x - mean) / sqrt(var + 1e-5) * weight + bias</c>, with the sample's mean and biased variance, the
    /// weight at <c>p[offset..]</c> and the bias after it. Where <paramref name="statistics"/> is not empty
    /// (training), each sample's mean and 1/sqrt(var + eps) are kept there, two values per sample, for the
    /// backward. y may be x itself: a sample's statistics are taken before any of its values is written.
    /// </summary>
    [MethodImpl(Block)]
    private static void LayerNorm(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> x, Span<T> y, Span<T> statistics, int count, int width, int sampleStride, int featureStride)
    {
        ReadOnlySpan<T> weight = p.Slice(offset, width), bias = p.Slice(offset + width, width);
        if (featureStride == 1 && !A.IsDeterministic && Vector.IsHardwareAccelerated && width >= Vector<T>.Count)
        {
            // Sample-major in the default arithmetic (one sample, small batches): each sample's values in vectors.
            for (int s = 0; s < count; s++)
            {
                LayerNormSample(weight, bias, x.Slice(s * width, width), y.Slice(s * width, width), statistics.IsEmpty ? default : statistics.Slice(2 * s, 2));
            }
            return;
        }
        for (int s = 0; s < count; s++)
        {
            int start = s * sampleStride;
            double sum = 0;
            for (int k = 0; k < width; k++)
            {
                sum += A.ToDouble(x[start + (k * featureStride)]);
            }
            double mean = sum / width;
            double squares = 0;
            for (int k = 0; k < width; k++)
            {
                double centred = A.ToDouble(x[start + (k * featureStride)]) - mean;
                squares += centred * centred;
            }
            T m = A.FromDouble(mean), inverse = A.FromDouble(1.0 / Math.Sqrt((squares / width) + NormEpsilon));
            if (!statistics.IsEmpty)
            {
                statistics[2 * s] = m;
                statistics[(2 * s) + 1] = inverse;
            }
            for (int k = 0; k < width; k++)
            {
                int at = start + (k * featureStride);
                y[at] = A.MultiplyAdd(A.Multiply(A.Subtract(x[at], m), inverse), weight[k], bias[k]);
            }
        }
    }

    /// <summary>
    /// LayerNorm backward in one pass per sample over its kept statistics, with <c>xh = (x - mean) r</c>
    /// (r = 1/sqrt(var + eps)) and <c>u = delta * weight</c>:
    /// <c>dweight = sum_s delta xh</c>, <c>dbias = sum_s delta</c> (overwriting g's range; skipped where
    /// g is empty), <c>dx = r (u - mean(u) - xh mean(u xh))</c> (skipped where dx is empty). dx may be delta.
    /// </summary>
    [MethodImpl(Block)]
    private static void LayerNormGradient(ReadOnlySpan<T> p, Span<T> g, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> statistics, ReadOnlySpan<T> delta, Span<T> dx, int count, int width, int sampleStride, int featureStride)
    {
        ReadOnlySpan<T> weight = p.Slice(offset, width);
        Span<T> weightGradient = g.IsEmpty ? default : g.Slice(offset, width);
        Span<T> biasGradient = g.IsEmpty ? default : g.Slice(offset + width, width);
        weightGradient.Clear();
        biasGradient.Clear();
        for (int s = 0; s < count; s++)
        {
            int start = s * sampleStride;
            T m = statistics[2 * s], inverse = statistics[(2 * s) + 1];
            double sumU = 0, sumUXh = 0;
            for (int k = 0; k < width; k++)
            {
                int at = start + (k * featureStride);
                T xh = A.Multiply(A.Subtract(x[at], m), inverse);
                double u = A.ToDouble(delta[at]) * A.ToDouble(weight[k]);
                sumU += u;
                sumUXh += u * A.ToDouble(xh);
                if (!g.IsEmpty)
                {
                    weightGradient[k] = A.MultiplyAdd(delta[at], xh, weightGradient[k]);
                    biasGradient[k] = A.Add(biasGradient[k], delta[at]);
                }
            }
            if (dx.IsEmpty)
            {
                continue;
            }
            double meanU = sumU / width, meanUXh = sumUXh / width, r = A.ToDouble(inverse);
            for (int k = 0; k < width; k++)
            {
                int at = start + (k * featureStride);
                double xh = A.ToDouble(A.Multiply(A.Subtract(x[at], m), inverse));
                double u = A.ToDouble(delta[at]) * A.ToDouble(weight[k]);
                dx[at] = A.FromDouble(r * (u - meanU - (xh * meanUXh)));
            }
        }
    }

    /// <summary>BatchNorm's training forward, sample-major: see <see cref="BatchNormTraining"/>.</summary>
    [MethodImpl(Optimized)]
    public static void BatchNormForwardTraining(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> x, Span<T> y, Span<T> statistics, int count, int channels, int perChannel)
        => BatchNormTraining(p, offset, x, y, statistics, count, channels, perChannel, channels * perChannel, 1);

    /// <summary>BatchNorm's training forward, feature-major: see <see cref="BatchNormTraining"/>.</summary>
    [MethodImpl(Optimized)]
    public static void BatchNormForwardTrainingColumns(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> x, Span<T> y, Span<T> statistics, int count, int channels, int perChannel)
        => BatchNormTraining(p, offset, x, y, statistics, count, channels, perChannel, 1, count);

    /// <summary>BatchNorm's inference forward, sample-major: see <see cref="BatchNormInference"/>.</summary>
    [MethodImpl(Optimized)]
    public static void BatchNormForward(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> b, int bufferOffset, ReadOnlySpan<T> x, Span<T> y, int count, int channels, int perChannel)
        => BatchNormInference(p, offset, b, bufferOffset, x, y, count, channels, perChannel, channels * perChannel, 1);

    /// <summary>BatchNorm's inference forward, feature-major: see <see cref="BatchNormInference"/>.</summary>
    [MethodImpl(Optimized)]
    public static void BatchNormForwardColumns(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> b, int bufferOffset, ReadOnlySpan<T> x, Span<T> y, int count, int channels, int perChannel)
        => BatchNormInference(p, offset, b, bufferOffset, x, y, count, channels, perChannel, 1, count);

    /// <summary>BatchNorm backward, sample-major: see <see cref="BatchNormGradient"/>.</summary>
    [MethodImpl(Optimized)]
    public static void BatchNormBackward(ReadOnlySpan<T> p, Span<T> g, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> statistics, ReadOnlySpan<T> delta, Span<T> dx, int count, int channels, int perChannel)
        => BatchNormGradient(p, g, offset, x, statistics, delta, dx, count, channels, perChannel, channels * perChannel, 1);

    /// <summary>BatchNorm backward, feature-major: see <see cref="BatchNormGradient"/>.</summary>
    [MethodImpl(Optimized)]
    public static void BatchNormBackwardColumns(ReadOnlySpan<T> p, Span<T> g, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> statistics, ReadOnlySpan<T> delta, Span<T> dx, int count, int channels, int perChannel)
        => BatchNormGradient(p, g, offset, x, statistics, delta, dx, count, channels, perChannel, 1, count);

    /// <summary>
    /// Batch normalisation with the batch's statistics, per channel over its <c>count * perChannel</c>
    /// values (value l of channel c is feature <c>c * perChannel + l</c>):
    /// <c>y = (x - mean) / sqrt(var + 1e-5) * weight + bias</c> with the biased variance. Keeps, per channel,
    /// the mean at <c>statistics[c]</c>, the biased variance at <c>[channels + c]</c> and 1/sqrt(var + eps)
    /// at <c>[2 channels + c]</c>, for the backward and the running statistics' update. y may be x itself.
    /// </summary>
    [MethodImpl(Block)]
    private static void BatchNormTraining(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> x, Span<T> y, Span<T> statistics, int count, int channels, int perChannel, int sampleStride, int featureStride)
    {
        double n = (double)count * perChannel;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int s = 0; s < count; s++)
            {
                for (int l = 0, at = (s * sampleStride) + (c * perChannel * featureStride); l < perChannel; l++, at += featureStride)
                {
                    sum += A.ToDouble(x[at]);
                }
            }
            double mean = sum / n;
            double squares = 0;
            for (int s = 0; s < count; s++)
            {
                for (int l = 0, at = (s * sampleStride) + (c * perChannel * featureStride); l < perChannel; l++, at += featureStride)
                {
                    double centred = A.ToDouble(x[at]) - mean;
                    squares += centred * centred;
                }
            }
            double variance = squares / n;
            T m = A.FromDouble(mean), inverse = A.FromDouble(1.0 / Math.Sqrt(variance + NormEpsilon));
            statistics[c] = m;
            statistics[channels + c] = A.FromDouble(variance);
            statistics[(2 * channels) + c] = inverse;
            Normalize(x, y, count, c, perChannel, sampleStride, featureStride, m, inverse, p[offset + c], p[offset + channels + c]);
        }
    }

    /// <summary>
    /// Batch normalisation with the running statistics (evaluation mode): per channel
    /// <c>y = (x - running_mean) / sqrt(running_var + 1e-5) * weight + bias</c>, running_mean at
    /// <c>b[bufferOffset..]</c> and running_var after it. y may be x itself.
    /// </summary>
    [MethodImpl(Block)]
    private static void BatchNormInference(ReadOnlySpan<T> p, int offset, ReadOnlySpan<T> b, int bufferOffset, ReadOnlySpan<T> x, Span<T> y, int count, int channels, int perChannel, int sampleStride, int featureStride)
    {
        for (int c = 0; c < channels; c++)
        {
            T inverse = A.FromDouble(1.0 / Math.Sqrt(A.ToDouble(b[bufferOffset + channels + c]) + NormEpsilon));
            Normalize(x, y, count, c, perChannel, sampleStride, featureStride, b[bufferOffset + c], inverse, p[offset + c], p[offset + channels + c]);
        }
    }

    /// <summary><c>y = (x - mean) inverse weight + bias</c> over channel c's values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalize(ReadOnlySpan<T> x, Span<T> y, int count, int c, int perChannel, int sampleStride, int featureStride, T mean, T inverse, T weight, T bias)
    {
        for (int s = 0; s < count; s++)
        {
            for (int l = 0, at = (s * sampleStride) + (c * perChannel * featureStride); l < perChannel; l++, at += featureStride)
            {
                y[at] = A.MultiplyAdd(A.Multiply(A.Subtract(x[at], mean), inverse), weight, bias);
            }
        }
    }

    /// <summary>
    /// BatchNorm backward over the batch statistics its training forward kept, per channel with
    /// <c>xh = (x - mean) r</c> over its N = count * perChannel values:
    /// <c>dweight = sum delta xh</c>, <c>dbias = sum delta</c> (overwriting; skipped where g is empty),
    /// <c>dx = weight r (delta - sum(delta) / N - xh sum(delta xh) / N)</c> (skipped where dx is empty).
    /// dx may be delta itself.
    /// </summary>
    [MethodImpl(Block)]
    private static void BatchNormGradient(ReadOnlySpan<T> p, Span<T> g, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> statistics, ReadOnlySpan<T> delta, Span<T> dx, int count, int channels, int perChannel, int sampleStride, int featureStride)
    {
        double n = (double)count * perChannel;
        for (int c = 0; c < channels; c++)
        {
            T m = statistics[c], inverse = statistics[(2 * channels) + c];
            double sumDelta = 0, sumDeltaXh = 0;
            for (int s = 0; s < count; s++)
            {
                for (int l = 0, at = (s * sampleStride) + (c * perChannel * featureStride); l < perChannel; l++, at += featureStride)
                {
                    double d = A.ToDouble(delta[at]);
                    sumDelta += d;
                    sumDeltaXh += d * A.ToDouble(A.Multiply(A.Subtract(x[at], m), inverse));
                }
            }
            if (!g.IsEmpty)
            {
                g[offset + c] = A.FromDouble(sumDeltaXh);
                g[offset + channels + c] = A.FromDouble(sumDelta);
            }
            if (dx.IsEmpty)
            {
                continue;
            }
            double scale = A.ToDouble(p[offset + c]) * A.ToDouble(inverse), meanDelta = sumDelta / n, meanDeltaXh = sumDeltaXh / n;
            for (int s = 0; s < count; s++)
            {
                for (int l = 0, at = (s * sampleStride) + (c * perChannel * featureStride); l < perChannel; l++, at += featureStride)
                {
                    double xh = A.ToDouble(A.Multiply(A.Subtract(x[at], m), inverse));
                    dx[at] = A.FromDouble(scale * (A.ToDouble(delta[at]) - meanDelta - (xh * meanDeltaXh)));
                }
            }
        }
    }

    /// <summary>
    /// One update of a BatchNorm layer's running statistics from the batch statistics its training forward
    /// kept: <c>running_mean = 0.9 running_mean + 0.1 mean</c> and
    /// <c>running_var = 0.9 running_var + 0.1 var N / (N - 1)</c> (the unbiased variance of the N =
    /// count * perChannel values per channel), as PyTorch's momentum 0.1. Needs N &gt; 1.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void BatchNormUpdateRunning(Span<T> b, int bufferOffset, ReadOnlySpan<T> statistics, int count, int channels, int perChannel)
    {
        double n = (double)count * perChannel;
        for (int c = 0; c < channels; c++)
        {
            int mean = bufferOffset + c, variance = bufferOffset + channels + c;
            b[mean] = A.FromDouble(((1 - Momentum) * A.ToDouble(b[mean])) + (Momentum * A.ToDouble(statistics[c])));
            b[variance] = A.FromDouble(((1 - Momentum) * A.ToDouble(b[variance])) + (Momentum * A.ToDouble(statistics[channels + c]) * n / (n - 1)));
        }
    }

    /// <summary>
    /// The exception for a training call on a batch too small for batch statistics: PyTorch's BatchNorm
    /// refuses one value per channel in training too, since its unbiased variance divides by N - 1.
    /// </summary>
    public static ArgumentException TooFewForBatchNorm(string parameterName, int count, int perChannel)
        => new($"A training call on a network with BatchNorm needs more than one value per channel, but the batch has {count} sample{(count == 1 ? "" : "s")} of {perChannel} value{(perChannel == 1 ? "" : "s")} per channel: train on batches of at least 2 samples.", parameterName);
}
