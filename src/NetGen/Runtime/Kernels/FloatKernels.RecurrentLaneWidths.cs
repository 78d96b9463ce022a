#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Runtime;

// The two widths of the recurrent step (FloatKernels.RecurrentLanes.cs): 16 lanes at 512 bits, 8 at 256.
// One generic step body takes either as a struct type argument; the JIT specialises it per struct and
// inlines these, so the body's vectors stay in registers.
public abstract partial class FloatKernels
{
    /// <summary>The vector operations of the recurrent step at one width.</summary>
    private interface IRecurrentLanes<TVector> where TVector : struct
    {
        /// <summary>Lanes per vector, and gate rows per <see cref="RowSums"/>.</summary>
        int Count { get; }

        TVector One { get; }

        TVector Load(ref float source, int offset);

        void Store(ref float destination, int offset, TVector value);

        TVector Broadcast(float value);

        TVector Add(TVector a, TVector b);

        TVector Subtract(TVector a, TVector b);

        TVector Multiply(TVector a, TVector b);

        /// <summary><c>a * b + addend</c>, fused.</summary>
        TVector MultiplyAdd(TVector a, TVector b, TVector addend);

        /// <summary>The shared kernels' sigmoid (<see cref="LaneSigmoid(Vector512{float})"/>).</summary>
        TVector Sigmoid(TVector x);

        /// <summary>The written-out forward's tanh (<see cref="LaneTanh(Vector512{float})"/>).</summary>
        TVector Tanh(TVector x);

        /// <summary>
        /// <see cref="Count"/> consecutive rows' dot products with <paramref name="vector"/>, in one vector:
        /// row j starts at <c>weights[start + j * length]</c>; length a multiple of <see cref="Count"/>. One
        /// accumulator per row, summed across lanes by a transposing tree of shuffles (mostly within 128-bit blocks).
        /// </summary>
        TVector RowSums(ref float weights, ref float vector, int start, int length);
    }

    private readonly struct Lanes512 : IRecurrentLanes<Vector512<float>>
    {
        public int Count => 16;

        public Vector512<float> One => Vector512<float>.One;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Load(ref float source, int offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(ref float destination, int offset, Vector512<float> value) => value.StoreUnsafe(ref destination, (nuint)offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Broadcast(float value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) => Avx512F.FusedMultiplyAdd(a, b, addend);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Sigmoid(Vector512<float> x) => LaneSigmoid(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Tanh(Vector512<float> x) => LaneTanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> RowSums(ref float weights, ref float vector, int start, int length)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            ref float w = ref Unsafe.Add(ref weights, start);
            for (int i = 0; i < length; i += 16)
            {
                Vector512<float> x = Vector512.LoadUnsafe(ref vector, (nuint)i);
                ref float column = ref Unsafe.Add(ref w, i);
                s0 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column), s0);
                s1 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)length), s1);
                s2 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(2 * length)), s2);
                s3 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(3 * length)), s3);
                s4 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(4 * length)), s4);
                s5 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(5 * length)), s5);
                s6 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(6 * length)), s6);
                s7 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(7 * length)), s7);
                s8 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(8 * length)), s8);
                s9 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(9 * length)), s9);
                s10 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(10 * length)), s10);
                s11 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(11 * length)), s11);
                s12 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(12 * length)), s12);
                s13 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(13 * length)), s13);
                s14 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(14 * length)), s14);
                s15 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(15 * length)), s15);
            }
            return BlockSums(
                QuadSums(PairSums(s0, s1), PairSums(s2, s3)), QuadSums(PairSums(s4, s5), PairSums(s6, s7)),
                QuadSums(PairSums(s8, s9), PairSums(s10, s11)), QuadSums(PairSums(s12, s13), PairSums(s14, s15)));
        }

        /// <summary>
        /// The first step of the sum across lanes, within each 128-bit block (cheap in-block shuffles): each
        /// block of the result holds a's two partial sums (elements 0 and 2) and b's (1 and 3).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> PairSums(Vector512<float> a, Vector512<float> b)
            => Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);

        /// <summary>
        /// The second step, still within blocks: from two first steps (rows 0-1 and 2-3 of a group of four),
        /// each block holds the four rows' sums over that block, in row order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> QuadSums(Vector512<float> rows01, Vector512<float> rows23)
            => Avx512F.Shuffle(rows01, rows23, 0x44) + Avx512F.Shuffle(rows01, rows23, 0xEE);

        /// <summary>
        /// The last two steps, across blocks (two 128-bit block shuffles each, six for the group in all rather
        /// than the thirty full permutes of <see cref="LaneSum(Vector512{float}, Vector512{float})"/>'s tree):
        /// four vectors of four rows' per-block sums become one vector of the sixteen rows' sums, in order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> BlockSums(Vector512<float> rows0, Vector512<float> rows4, Vector512<float> rows8, Vector512<float> rows12)
        {
            Vector512<float> low = Avx512F.Shuffle4x128(rows0, rows4, 0x88) + Avx512F.Shuffle4x128(rows0, rows4, 0xDD);
            Vector512<float> high = Avx512F.Shuffle4x128(rows8, rows12, 0x88) + Avx512F.Shuffle4x128(rows8, rows12, 0xDD);
            return Avx512F.Shuffle4x128(low, high, 0x88) + Avx512F.Shuffle4x128(low, high, 0xDD);
        }
    }

    private readonly struct Lanes256 : IRecurrentLanes<Vector256<float>>
    {
        public int Count => 8;

        public Vector256<float> One => Vector256<float>.One;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Load(ref float source, int offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(ref float destination, int offset, Vector256<float> value) => value.StoreUnsafe(ref destination, (nuint)offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Broadcast(float value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) => Fma.MultiplyAdd(a, b, addend);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Sigmoid(Vector256<float> x) => LaneSigmoid(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Tanh(Vector256<float> x) => LaneTanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> RowSums(ref float weights, ref float vector, int start, int length)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            ref float w = ref Unsafe.Add(ref weights, start);
            for (int i = 0; i < length; i += 8)
            {
                Vector256<float> x = Vector256.LoadUnsafe(ref vector, (nuint)i);
                ref float column = ref Unsafe.Add(ref w, i);
                s0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column), s0);
                s1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)length), s1);
                s2 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(2 * length)), s2);
                s3 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(3 * length)), s3);
                s4 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(4 * length)), s4);
                s5 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(5 * length)), s5);
                s6 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(6 * length)), s6);
                s7 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(7 * length)), s7);
            }
            return Halves(QuadSums(PairSums(s0, s1), PairSums(s2, s3)), QuadSums(PairSums(s4, s5), PairSums(s6, s7)));
        }

        /// <summary>The 256-bit <see cref="Lanes512"/>'s first step, within each 128-bit half.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> PairSums(Vector256<float> a, Vector256<float> b)
            => Avx.UnpackLow(a, b) + Avx.UnpackHigh(a, b);

        /// <summary>The second step, within halves: each half holds four rows' sums over that half.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> QuadSums(Vector256<float> rows01, Vector256<float> rows23)
            => Avx.Shuffle(rows01, rows23, 0x44) + Avx.Shuffle(rows01, rows23, 0xEE);

        /// <summary>The last step, across the halves: two vectors of four rows' per-half sums become the eight rows' sums, in order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Halves(Vector256<float> rows0, Vector256<float> rows4)
            => Avx.Permute2x128(rows0, rows4, 0x20) + Avx.Permute2x128(rows0, rows4, 0x31);
    }
}
#endif
