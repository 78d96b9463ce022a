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
        /// The frozen step's sigmoid: <c>0.5 + 0.5 tanh(x / 2)</c> through <see cref="Tanh"/>, an identity, not an
        /// approximation of one. Its chain is the rational tanh's (about half of <see cref="Sigmoid"/>'s e^x, select and
        /// divide), and a gate's sigmoid sits on the chain from one step's h to the next; lstm32's step measured 91 -> 75 ns
        /// in the fused kernel. Within 4e-7 of the true sigmoid absolutely (half the tanh's 6 ulps of values up to 1), which
        /// is what a gate needs (it scales values of order one); not relatively for x far below 0, where it rounds to 0
        /// sooner than <see cref="Sigmoid"/> does (the shared kernels keep that, for training and Step).
        /// </summary>
        TVector GateSigmoid(TVector x);

        /// <summary>
        /// <see cref="Count"/> consecutive rows' dot products with <paramref name="vector"/>, in one vector:
        /// row j starts at <c>weights[start + j * length]</c>. A length that is no multiple of <see cref="Count"/>
        /// ends in a part vector: <paramref name="vector"/> must then hold zeros up to the next multiple (and be
        /// readable there), and the weights' lanes past the row, the next row's, are masked off. One
        /// accumulator per row, summed across lanes by <see cref="LanePairSums(Vector512{float}, Vector512{float})"/>'s tree.
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
        public Vector512<float> GateSigmoid(Vector512<float> x)
        {
            Vector512<float> half = Vector512.Create(0.5f);
            return Avx512F.FusedMultiplyAdd(LaneTanh(x * half), half, half);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> RowSums(ref float weights, ref float vector, int start, int length)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            ref float w = ref Unsafe.Add(ref weights, start);
            int whole = length - (length % 16);
            for (int i = 0; i < whole; i += 16)
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
            if (whole < length)
            {
                // The last, part vector: the input's padding is zero, and the weights past the row are masked.
                Vector512<int> lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
                Vector512<float> mask = Vector512.LessThan(lane, Vector512.Create(length - whole)).AsSingle();
                Vector512<float> x = Vector512.LoadUnsafe(ref vector, (nuint)whole);
                ref float column = ref Unsafe.Add(ref w, whole);
                s0 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column) & mask, s0);
                s1 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)length) & mask, s1);
                s2 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(2 * length)) & mask, s2);
                s3 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(3 * length)) & mask, s3);
                s4 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(4 * length)) & mask, s4);
                s5 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(5 * length)) & mask, s5);
                s6 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(6 * length)) & mask, s6);
                s7 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(7 * length)) & mask, s7);
                s8 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(8 * length)) & mask, s8);
                s9 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(9 * length)) & mask, s9);
                s10 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(10 * length)) & mask, s10);
                s11 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(11 * length)) & mask, s11);
                s12 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(12 * length)) & mask, s12);
                s13 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(13 * length)) & mask, s13);
                s14 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(14 * length)) & mask, s14);
                s15 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref column, (nuint)(15 * length)) & mask, s15);
            }
            return LaneBlockSums(
                LaneQuadSums(LanePairSums(s0, s1), LanePairSums(s2, s3)), LaneQuadSums(LanePairSums(s4, s5), LanePairSums(s6, s7)),
                LaneQuadSums(LanePairSums(s8, s9), LanePairSums(s10, s11)), LaneQuadSums(LanePairSums(s12, s13), LanePairSums(s14, s15)));
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
        public Vector256<float> GateSigmoid(Vector256<float> x)
        {
            Vector256<float> half = Vector256.Create(0.5f);
            return Fma.MultiplyAdd(LaneTanh(x * half), half, half);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> RowSums(ref float weights, ref float vector, int start, int length)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            ref float w = ref Unsafe.Add(ref weights, start);
            int whole = length - (length % 8);
            for (int i = 0; i < whole; i += 8)
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
            if (whole < length)
            {
                // The last, part vector: the input's padding is zero, and the weights past the row are masked.
                Vector256<int> lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                Vector256<float> mask = Vector256.LessThan(lane, Vector256.Create(length - whole)).AsSingle();
                Vector256<float> x = Vector256.LoadUnsafe(ref vector, (nuint)whole);
                ref float column = ref Unsafe.Add(ref w, whole);
                s0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column) & mask, s0);
                s1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)length) & mask, s1);
                s2 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(2 * length)) & mask, s2);
                s3 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(3 * length)) & mask, s3);
                s4 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(4 * length)) & mask, s4);
                s5 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(5 * length)) & mask, s5);
                s6 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(6 * length)) & mask, s6);
                s7 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref column, (nuint)(7 * length)) & mask, s7);
            }
            return LaneBlockSums(LaneQuadSums(LanePairSums(s0, s1), LanePairSums(s2, s3)), LaneQuadSums(LanePairSums(s4, s5), LanePairSums(s6, s7)));
        }
    }
}
#endif
