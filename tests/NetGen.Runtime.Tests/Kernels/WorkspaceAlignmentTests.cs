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
