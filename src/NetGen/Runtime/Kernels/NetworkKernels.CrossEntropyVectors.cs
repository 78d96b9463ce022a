#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Runtime;

// The feature-major cross-entropy of float logits, four samples at a time. The loss is summed in double through
// e^x of each logit less the sample's largest; one libm exp per logit was 4-5% of the digits CNN's training step at
// batch 64 (640 calls a step). Here the same sums run in 256-bit vectors of doubles with an e^x good to a few ulps
// of double, every value in the order of the scalar loop's, so the loss, rounded to float at the end, is the one
// the scalar loop gives (both are within about 1e-15 of each other before that rounding).
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// Adds to <paramref name="total"/> the cross-entropy of each whole group of four samples of the feature-major
    /// float <paramref name="logits"/>, in sample order, as <see cref="MeanCrossEntropy"/>'s loop does, and returns
    /// how many samples it took (none where 256-bit vectors are not accelerated).
    /// </summary>
    [MethodImpl(Block)]
    private static int CrossEntropyTotalOfVectors(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int width, ref double total)
    {
        int count = labels.Length;
        if (!Vector256.IsHardwareAccelerated || count < 4)
        {
            return 0;
        }
        ref float z = ref MemoryMarshal.GetReference(logits);
        Span<float> largest = stackalloc float[4];
        Span<double> sums = stackalloc double[4];
        int s = 0;
        for (; s + 4 <= count; s += 4)
        {
            // Each lane's largest logit by the scalar loop's rule (a later value replaces it only when greater).
            Vector128<float> max = Vector128.LoadUnsafe(ref z, (nuint)s);
            for (int k = 1; k < width; k++)
            {
                Vector128<float> value = Vector128.LoadUnsafe(ref z, (nuint)((k * count) + s));
                max = Vector128.ConditionalSelect(Vector128.LessThan(max, value), value, max);
            }
            Vector256<double> sum = Vector256<double>.Zero;
            for (int k = 0; k < width; k++)
            {
                // The difference in float, then widened, as the scalar loop computes it.
                Vector128<float> difference = Vector128.LoadUnsafe(ref z, (nuint)((k * count) + s)) - max;
                sum += ExpOfNonPositive(Vector256.Create(Vector128.WidenLower(difference), Vector128.WidenUpper(difference)));
            }
            max.CopyTo(largest);
            sum.CopyTo(sums);
            for (int lane = 0; lane < 4; lane++)
            {
                float label = Unsafe.Add(ref z, (labels[s + lane] * count) + s + lane);
                total += Math.Log(sums[lane]) - (double)(label - largest[lane]);
            }
        }
        return s;
    }

    /// <summary>
    /// e^x for x &lt;= 0 in doubles: x = k ln 2 + r with |r| &lt;= ln 2 / 2 (ln 2 in two parts, so r is exact to
    /// about 1e-19), e^r by its Taylor series to the 13th power (truncation 4e-18), times 2^k built in the exponent
    /// bits. Below -708, where e^x is under 3e-308 and cannot change a sum that holds 1, x is taken as -708 (k stays
    /// a normal number's exponent); a NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpOfNonPositive(Vector256<double> x)
    {
        Vector256<double> floor = Vector256.Create(-708d);
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, floor), floor, x);
        Vector256<double> k = Vector256.Floor((x * Vector256.Create(1.4426950408889634)) + Vector256.Create(0.5));
        Vector256<double> r = (x - (k * Vector256.Create(6.93147180369123816490e-01))) - (k * Vector256.Create(1.90821492927058770002e-10));
        Vector256<double> p = Vector256.Create(1d / 6227020800d);
        p = (p * r) + Vector256.Create(1d / 479001600d);
        p = (p * r) + Vector256.Create(1d / 39916800d);
        p = (p * r) + Vector256.Create(1d / 3628800d);
        p = (p * r) + Vector256.Create(1d / 362880d);
        p = (p * r) + Vector256.Create(1d / 40320d);
        p = (p * r) + Vector256.Create(1d / 5040d);
        p = (p * r) + Vector256.Create(1d / 720d);
        p = (p * r) + Vector256.Create(1d / 120d);
        p = (p * r) + Vector256.Create(1d / 24d);
        p = (p * r) + Vector256.Create(1d / 6d);
        p = (p * r) + Vector256.Create(0.5d);
        p = (p * r) + Vector256<double>.One;
        p = (p * r) + Vector256<double>.One;
        // 2^k: k (an integer in [-1022, 0]) lands in the low bits of k + 1.5 * 2^52; shifted into the exponent with its bias.
        Vector256<long> bits = (k + Vector256.Create(6755399441055744d)).AsInt64();
        Vector256<double> scale = Vector256.ShiftLeft(bits + Vector256.Create(1023L), 52).AsDouble();
        return p * scale;
    }
}
#endif
