using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The training workspace the generated passes use (<c>Kernels.AlignedWorkspace(_workspace)</c>): exactly the
/// length asked for, on .NET 8 and later starting on a 64-byte boundary so that 512-bit loads of its rows never
/// split across cache lines, and the same memory on every call, garbage collections included, since passes
/// of one call leave values there for the next (running statistics, masks).
/// </summary>
public class WorkspaceAlignmentTests
{
    [Theory]
    [InlineData(1, 7L, 0)]
    [InlineData(64, 468L + (4 * 128), 0)]
    [InlineData(3, 5L, 100)]
    [InlineData(300, 33L, 17)]
    public void Workspace_is_the_length_asked_for_on_a_64_byte_boundary_and_stays_put(int count, long perSample, int fixedLength)
    {
        CheckWorkspace<float, FloatArithmetic>(count, perSample, fixedLength);
        CheckWorkspace<double, DoubleArithmetic>(count, perSample, fixedLength);
    }

    [Fact]
    public void Smaller_batches_reuse_the_workspace_and_larger_ones_grow_it()
    {
        float[] workspace = Array.Empty<float>();
        int samples = 0;
        FloatKernels.EnsureWorkspace(ref workspace, ref samples, 10, 8, "labels");
        float[] first = workspace;
        FloatKernels.EnsureWorkspace(ref workspace, ref samples, 4, 8, "labels");
        Assert.Same(first, workspace);
        Assert.Equal(80, FloatKernels.AlignedWorkspace(workspace).Length);
        FloatKernels.EnsureWorkspace(ref workspace, ref samples, 11, 8, "labels");
        Assert.NotSame(first, workspace);
        Assert.Equal(88, FloatKernels.AlignedWorkspace(workspace).Length);
    }

    [Fact]
    public void Scratch_is_the_length_asked_for_from_a_64_byte_boundary_on_the_stack_and_in_arrays()
    {
        Assert.Equal(16, FloatKernels.ScratchPadding);
        Assert.Equal(8, DoubleKernels.ScratchPadding);
        for (int extra = 0; extra < 16; extra++)
        {
            // Arrays of every length, so their data starts at various offsets from a boundary as the heap fills.
            // Pinned while checked: a collection (other tests allocate on other threads) may move an array
            // between AlignedScratch and the check, which loses the alignment by design (CI saw it fail so).
            var array = new float[1000 + extra + FloatKernels.ScratchPadding];
            var doubles = new double[10 + extra + DoubleKernels.ScratchPadding];
            GCHandle pinnedFloats = GCHandle.Alloc(array, GCHandleType.Pinned);
            GCHandle pinnedDoubles = GCHandle.Alloc(doubles, GCHandleType.Pinned);
            try
            {
                Span<float> scratch = FloatKernels.AlignedScratch(array, 1000 + extra);
                Assert.Equal(1000 + extra, scratch.Length);
                Assert.Equal(0, Address(array, scratch) % 64);
                Assert.True((long)Unsafe.ByteOffset(ref array[0], ref MemoryMarshal.GetReference(scratch)) < 64);

                Span<double> doubleScratch = DoubleKernels.AlignedScratch(doubles, 10 + extra);
                Assert.Equal(10 + extra, doubleScratch.Length);
                Assert.Equal(0, Address(doubles, doubleScratch) % 64);
            }
            finally
            {
                pinnedFloats.Free();
                pinnedDoubles.Free();
            }
        }
        Span<float> onStack = stackalloc float[40 + FloatKernels.ScratchPadding];
        Span<float> aligned = FloatKernels.AlignedScratch(onStack, 40);
        Assert.Equal(40, aligned.Length);
#if NET8_0_OR_GREATER
        // The stack does not move: its address is its offset from null.
        Assert.Equal(0, (long)Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref MemoryMarshal.GetReference(aligned)) % 64);
#endif
    }

    private static void CheckWorkspace<T, TArithmetic>(int count, long perSample, int fixedLength)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        T[] workspace = Array.Empty<T>();
        int samples = 0;
        if (fixedLength == 0)
        {
            NetworkKernels<T, TArithmetic>.EnsureWorkspace(ref workspace, ref samples, count, perSample, "labels");
        }
        else
        {
            NetworkKernels<T, TArithmetic>.EnsureWorkspace(ref workspace, ref samples, count, perSample, fixedLength, "labels");
        }
        Span<T> span = NetworkKernels<T, TArithmetic>.AlignedWorkspace(workspace);
        Assert.Equal((count * perSample) + fixedLength, span.Length);
        long address = Address(workspace, span);
#if NET8_0_OR_GREATER
        Assert.Equal(0, address % 64);
#endif
        // Values written through one call's span are read through the next call's, after collections too.
        span[span.Length - 1] = default(T) is float ? (T)(object)3f : (T)(object)3d;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        _ = new byte[100_000];
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Span<T> again = NetworkKernels<T, TArithmetic>.AlignedWorkspace(workspace);
        Assert.Equal(address, Address(workspace, again));
        Assert.Equal(span[span.Length - 1], again[again.Length - 1]);
    }

    /// <summary>Where the span starts in memory: the array's address (pinned for the moment) plus the span's offset in it.</summary>
    private static long Address<T>(T[] array, Span<T> span) where T : unmanaged
    {
        GCHandle handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            return (long)handle.AddrOfPinnedObject() + (long)Unsafe.ByteOffset(ref array[0], ref MemoryMarshal.GetReference(span));
        }
        finally
        {
            handle.Free();
        }
    }
}
