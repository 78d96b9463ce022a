using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Benchmarks.Roofline;

/// <summary>
/// The machine's single-thread arithmetic ceiling: only fused multiply-adds on registers, no memory
/// traffic. An FMA has a latency of about 4 cycles and modern cores issue two per cycle, so at least
/// 8 independent dependency chains are needed to keep both FMA units busy; 12 leaves headroom for
/// cores with longer latency or more units, and still fits the 16 vector registers of AVX2.
/// </summary>
public static class FmaPeakKernel
{
    /// <summary>Independent accumulators: dependency chains interleaved in one loop.</summary>
    public const int Accumulators = 12;

    /// <summary>
    /// True where <see cref="Vector.FusedMultiplyAdd{T}"/> is one instruction. Elsewhere it is emulated
    /// and the figure is not a peak; <see cref="VectorT"/> then measures a separate multiply and add.
    /// </summary>
    public static bool HasHardwareFma => Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary>
    /// FLOPs of one call of either kernel: 2 per lane per FMA. The kernels take the number of floats
    /// each chain processes, not a loop count, so that the FLOPs of a call do not depend on the vector
    /// width: the benchmark process may run with another Vector&lt;T&gt; width (DOTNET_MaxVectorTBitWidth)
    /// than the process that reports.
    /// </summary>
    public static long Flops(int floatsPerChain) => 2L * Accumulators * floatsPerChain;

    /// <summary>
    /// FMAs on <see cref="Vector{T}"/>, the type NetGen generates: the ceiling its code can reach.
    /// Returns a value derived from every accumulator so that the JIT cannot drop the work.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float VectorT(int floatsPerChain)
    {
        int iterations = floatsPerChain / Vector<float>.Count;
        // Multiplier below 1 and a small addend: each chain converges to 1 and never overflows or
        // reaches denormals, which would slow the FMA units down.
        var m = new Vector<float>(0.9999f);
        var c = new Vector<float>(0.0001f);
        Vector<float> a0 = new(0.10f), a1 = new(0.11f), a2 = new(0.12f), a3 = new(0.13f);
        Vector<float> a4 = new(0.14f), a5 = new(0.15f), a6 = new(0.16f), a7 = new(0.17f);
        Vector<float> a8 = new(0.18f), a9 = new(0.19f), a10 = new(0.20f), a11 = new(0.21f);
        if (HasHardwareFma)
        {
            for (int i = 0; i < iterations; i++)
            {
                a0 = Vector.FusedMultiplyAdd(a0, m, c);
                a1 = Vector.FusedMultiplyAdd(a1, m, c);
                a2 = Vector.FusedMultiplyAdd(a2, m, c);
                a3 = Vector.FusedMultiplyAdd(a3, m, c);
                a4 = Vector.FusedMultiplyAdd(a4, m, c);
                a5 = Vector.FusedMultiplyAdd(a5, m, c);
                a6 = Vector.FusedMultiplyAdd(a6, m, c);
                a7 = Vector.FusedMultiplyAdd(a7, m, c);
                a8 = Vector.FusedMultiplyAdd(a8, m, c);
                a9 = Vector.FusedMultiplyAdd(a9, m, c);
                a10 = Vector.FusedMultiplyAdd(a10, m, c);
                a11 = Vector.FusedMultiplyAdd(a11, m, c);
            }
        }
        else
        {
            for (int i = 0; i < iterations; i++)
            {
                a0 = a0 * m + c;
                a1 = a1 * m + c;
                a2 = a2 * m + c;
                a3 = a3 * m + c;
                a4 = a4 * m + c;
                a5 = a5 * m + c;
                a6 = a6 * m + c;
                a7 = a7 * m + c;
                a8 = a8 * m + c;
                a9 = a9 * m + c;
                a10 = a10 * m + c;
                a11 = a11 * m + c;
            }
        }

        Vector<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        return Vector.Sum(sum);
    }

    /// <summary>
    /// The same on 512-bit vectors where AVX-512 exists: the hardware's ceiling when it is above what
    /// <see cref="Vector{T}"/> (256 bits by default in .NET, even on AVX-512 machines) can use.
    /// Returns NaN where 512-bit vectors are not accelerated, rather than timing an emulation.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Vector512Kernel(int floatsPerChain)
    {
        int iterations = floatsPerChain / Vector512<float>.Count;
        if (!Avx512F.IsSupported)
        {
            return float.NaN;
        }

        var m = Vector512.Create(0.9999f);
        var c = Vector512.Create(0.0001f);
        Vector512<float> a0 = Vector512.Create(0.10f), a1 = Vector512.Create(0.11f), a2 = Vector512.Create(0.12f), a3 = Vector512.Create(0.13f);
        Vector512<float> a4 = Vector512.Create(0.14f), a5 = Vector512.Create(0.15f), a6 = Vector512.Create(0.16f), a7 = Vector512.Create(0.17f);
        Vector512<float> a8 = Vector512.Create(0.18f), a9 = Vector512.Create(0.19f), a10 = Vector512.Create(0.20f), a11 = Vector512.Create(0.21f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c);
            a1 = Avx512F.FusedMultiplyAdd(a1, m, c);
            a2 = Avx512F.FusedMultiplyAdd(a2, m, c);
            a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, c);
            a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c);
            a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, c);
            a9 = Avx512F.FusedMultiplyAdd(a9, m, c);
            a10 = Avx512F.FusedMultiplyAdd(a10, m, c);
            a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
        }

        Vector512<float> sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        return Vector512.Sum(sum);
    }
}
