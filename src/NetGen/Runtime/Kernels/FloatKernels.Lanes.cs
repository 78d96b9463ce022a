#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Runtime;

/// <summary>
/// The pieces of the written-out single-sample forward that small float networks get on .NET 8+ with
/// AVX-512 (see the generator's LaneForwardEmitter): the network's whole forward is one generated
/// method that keeps every activation in vector registers, each vector holding consecutive outputs of a
/// layer ("output lanes"). The generated method loads weights itself (plain vector loads, so that the
/// JIT's inlining budget is not spent on them); what it calls here is small and inlined.
/// </summary>
public abstract partial class FloatKernels
{
    /// <summary>
    /// Whether the written-out forward may run: 512-bit vectors accelerated (which on x64 means
    /// AVX-512F with its 256-bit VL forms, and FMA). Otherwise the shared kernels run, as for every
    /// other network.
    /// </summary>
    public static bool LanesAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated && Avx512F.VL.IsSupported && Fma.IsSupported;
    }

    /// <summary>
    /// One step of a transposing sum. <paramref name="a"/> and <paramref name="b"/> each hold partial sums
    /// of n outputs (16 / n lanes per output, an output's lanes adjacent); the result holds the same
    /// outputs, a's then b's, with half as many lanes each, adjacent lanes added. Sixteen rows of
    /// products, one per output, become one vector of sixteen sums in four such steps, without a
    /// horizontal sum per output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LaneSum(Vector512<float> a, Vector512<float> b)
        => Avx512F.PermuteVar16x32x2(a, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), b)
         + Avx512F.PermuteVar16x32x2(a, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), b);

    /// <summary>The 256-bit <see cref="LaneSum(Vector512{float}, Vector512{float})"/>: eight rows become one vector of eight sums in three steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneSum(Vector256<float> a, Vector256<float> b)
        => Avx512F.VL.PermuteVar8x32x2(a, Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14), b)
         + Avx512F.VL.PermuteVar8x32x2(a, Vector256.Create(1, 3, 5, 7, 9, 11, 13, 15), b);

    /// <summary>The last step where eight outputs hold two lanes each in a 512-bit vector: their eight sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneSumToHalf(Vector512<float> pairs) => LaneSum(pairs, pairs).GetLower();

    // The sum across lanes that the written-out forward and the recurrent step use: a group of rows (one
    // accumulator of products per output) becomes one vector of the rows' sums, in order. Its first two
    // levels shuffle within 128-bit blocks (unpack, then shufps: cheap, and short in latency), and only the
    // last levels move whole 128-bit blocks; a tree of LaneSum's two-source permutes does the same with
    // thirty full permutes per sixteen rows instead of six block shuffles. Measured on AMD EPYC (Zen 5):
    // a GRU step of 16 hidden values 66 -> 58 ns.

    /// <summary>First level: two rows' accumulators; each 128-bit block of the result holds a's two partial sums (elements 0 and 2) and b's (1 and 3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LanePairSums(Vector512<float> a, Vector512<float> b)
        => Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);

    /// <inheritdoc cref="LanePairSums(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LanePairSums(Vector256<float> a, Vector256<float> b)
        => Avx.UnpackLow(a, b) + Avx.UnpackHigh(a, b);

    /// <summary>Second level: from the pair sums of rows 0-1 and 2-3, each 128-bit block holds the four rows' sums over that block, in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LaneQuadSums(Vector512<float> rows01, Vector512<float> rows23)
        => Avx512F.Shuffle(rows01, rows23, 0x44) + Avx512F.Shuffle(rows01, rows23, 0xEE);

    /// <inheritdoc cref="LaneQuadSums(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneQuadSums(Vector256<float> rows01, Vector256<float> rows23)
        => Avx.Shuffle(rows01, rows23, 0x44) + Avx.Shuffle(rows01, rows23, 0xEE);

    /// <summary>Last levels, sixteen rows: four vectors of four rows' per-block sums (rows 0-3, 4-7, 8-11, 12-15) to the sixteen sums, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LaneBlockSums(Vector512<float> rows0, Vector512<float> rows4, Vector512<float> rows8, Vector512<float> rows12)
    {
        Vector512<float> low = Avx512F.Shuffle4x128(rows0, rows4, 0x88) + Avx512F.Shuffle4x128(rows0, rows4, 0xDD);
        Vector512<float> high = Avx512F.Shuffle4x128(rows8, rows12, 0x88) + Avx512F.Shuffle4x128(rows8, rows12, 0xDD);
        return Avx512F.Shuffle4x128(low, high, 0x88) + Avx512F.Shuffle4x128(low, high, 0xDD);
    }

    /// <summary>Last levels, eight rows of 512-bit products: two vectors of four rows' per-block sums to the eight sums, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneBlockSums(Vector512<float> rows0, Vector512<float> rows4)
    {
        Vector512<float> pairs = Avx512F.Shuffle4x128(rows0, rows4, 0x88) + Avx512F.Shuffle4x128(rows0, rows4, 0xDD);
        return (Avx512F.Shuffle4x128(pairs, pairs, 0x88) + Avx512F.Shuffle4x128(pairs, pairs, 0xDD)).GetLower();
    }

    /// <summary>Last level, eight rows of 256-bit products: two vectors of four rows' per-half sums to the eight sums, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneBlockSums(Vector256<float> rows0, Vector256<float> rows4)
        => Avx.Permute2x128(rows0, rows4, 0x20) + Avx.Permute2x128(rows0, rows4, 0x31);

    /// <summary>
    /// The sum of a vector's lanes by halving: 512 to 256 to 128 bits, then two in-register swaps. Where
    /// <c>Vector512.Sum</c> compiled (.NET 10) to four separate 128-bit reductions and their scalar sums (about
    /// 26 instructions), this is 9: a one-output layer of the written-out forward is one such sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LaneTotal(Vector512<float> x) => LaneTotal(x.GetLower() + x.GetUpper());

    /// <inheritdoc cref="LaneTotal(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LaneTotal(Vector256<float> x)
    {
        Vector128<float> quarter = x.GetLower() + x.GetUpper();
        quarter += Avx.Permute(quarter, 0b01_00_11_10);
        quarter += Avx.Permute(quarter, 0b10_11_00_01);
        return quarter.ToScalar();
    }

    /// <summary>
    /// ReLU, <c>x &lt; 0 ? 0 : x</c>, as the shared kernels compute it: NaN and -0 pass through
    /// (maxps returns its second operand when the two are unordered or equal).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LaneReLU(Vector512<float> x) => Avx512F.Max(Vector512<float>.Zero, x);

    /// <inheritdoc cref="LaneReLU(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneReLU(Vector256<float> x) => Avx.Max(Vector256<float>.Zero, x);

    /// <summary>
    /// tanh for the written-out forward: <c>x P(x^2) / Q(x^2)</c>, P of degree 6 and Q of degree 3 fitted
    /// for relative error on [0, 9] (6.6e-9 at most in exact arithmetic), x first clamped to ±8.9, where the
    /// rational rounds to exactly 1 (tanh is within half an ulp of 1 from 8.67 on), and the result kept
    /// within [-1, 1]. P and Q are evaluated in powers of x^2 (Estrin's scheme: four independent
    /// multiply-adds, then two) rather than one multiply-add after another, which shortens the chain each
    /// activation waits on; with the clamp in place of a select for |x| past 9 this took a 16-16-16-16 tanh
    /// network's call from 59 to about 50 ns (AMD EPYC, Zen 5). About half the cost of the shared kernels'
    /// two-branch method (no exp, no second branch, one divide). Its float roundings make it at most 6 ulps
    /// from the correctly rounded tanh (tests/NetGen.Runtime.Tests, LaneTanhTests, prints the maximum),
    /// against 1.5 for the shared kernels: well inside what PyTorch agreement asks (1e-4 relative). NaN
    /// stays NaN (the clamps return their second operand when unordered), -0 stays -0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LaneTanh(Vector512<float> x)
    {
        x = Avx512F.Min(Vector512.Create(TanhClamp), Avx512F.Max(Vector512.Create(-TanhClamp), x));
        Vector512<float> z = x * x;
        Vector512<float> z2 = z * z;
        Vector512<float> z4 = z2 * z2;
        Vector512<float> p01 = Avx512F.FusedMultiplyAdd(Vector512.Create(TanhP1), z, Vector512.Create(TanhP0));
        Vector512<float> p23 = Avx512F.FusedMultiplyAdd(Vector512.Create(TanhP3), z, Vector512.Create(TanhP2));
        Vector512<float> p45 = Avx512F.FusedMultiplyAdd(Vector512.Create(TanhP5), z, Vector512.Create(TanhP4));
        Vector512<float> p456 = Avx512F.FusedMultiplyAdd(Vector512.Create(TanhP6), z2, p45);
        Vector512<float> p = Avx512F.FusedMultiplyAdd(z4, p456, Avx512F.FusedMultiplyAdd(z2, p23, p01));
        Vector512<float> q01 = Avx512F.FusedMultiplyAdd(Vector512.Create(TanhQ1), z, Vector512<float>.One);
        Vector512<float> q23 = Avx512F.FusedMultiplyAdd(Vector512.Create(TanhQ3), z, Vector512.Create(TanhQ2));
        Vector512<float> q = Avx512F.FusedMultiplyAdd(z2, q23, q01);
        return Avx512F.Min(Vector512<float>.One, Avx512F.Max(Vector512.Create(-1f), (x * p) / q));
    }

    /// <inheritdoc cref="LaneTanh(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LaneTanh(Vector256<float> x)
    {
        x = Avx.Min(Vector256.Create(TanhClamp), Avx.Max(Vector256.Create(-TanhClamp), x));
        Vector256<float> z = x * x;
        Vector256<float> z2 = z * z;
        Vector256<float> z4 = z2 * z2;
        Vector256<float> p01 = Fma.MultiplyAdd(Vector256.Create(TanhP1), z, Vector256.Create(TanhP0));
        Vector256<float> p23 = Fma.MultiplyAdd(Vector256.Create(TanhP3), z, Vector256.Create(TanhP2));
        Vector256<float> p45 = Fma.MultiplyAdd(Vector256.Create(TanhP5), z, Vector256.Create(TanhP4));
        Vector256<float> p456 = Fma.MultiplyAdd(Vector256.Create(TanhP6), z2, p45);
        Vector256<float> p = Fma.MultiplyAdd(z4, p456, Fma.MultiplyAdd(z2, p23, p01));
        Vector256<float> q01 = Fma.MultiplyAdd(Vector256.Create(TanhQ1), z, Vector256<float>.One);
        Vector256<float> q23 = Fma.MultiplyAdd(Vector256.Create(TanhQ3), z, Vector256.Create(TanhQ2));
        Vector256<float> q = Fma.MultiplyAdd(z2, q23, q01);
        return Avx.Min(Vector256<float>.One, Avx.Max(Vector256.Create(-1f), (x * p) / q));
    }

    // Where tanh's input is clamped: the rational there rounds to exactly 1 (checked by LaneTanhTests), and
    // tanh itself rounds to 1 from 8.67 on, so every larger |x| gives exactly ±1.
    private const float TanhClamp = 8.9f;

    // The rational's coefficients in z = x^2 (weighted least squares refined towards minimax relative
    // error on [0, 9]; P(0) / Q(0) = 1 - 6.6e-9).
    private const float TanhP0 = 0.9999999934142105f;
    private const float TanhP1 = 0.13084009260878215f;
    private const float TanhP2 = 0.003103955134005678f;
    private const float TanhP3 = 1.1154292901622063e-05f;
    private const float TanhP4 = -2.022513812332141e-08f;
    private const float TanhP5 = 5.2778921328840685e-11f;
    private const float TanhP6 = -8.488529567005253e-14f;
    private const float TanhQ1 = 0.46417336369273426f;
    private const float TanhQ2 = 0.02449517448577986f;
    private const float TanhQ3 = 0.00025461434101881866f;
}
#endif
