// The frozen copy's helpers exist only in the library's net8.0 build (pinned arrays, Vector512), so the .NET
// Framework build of this suite, run on Mono, has nothing here to test.
#if NET8_0_OR_GREATER
using System;
using System.Runtime.InteropServices;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// What a frozen snapshot (the generated Freeze()) builds its input-major copy with: a pinned array whose
/// values start on a 64-byte boundary, and a weight matrix transposed into it at its own offset.
/// </summary>
public class FrozenCopyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(12_289)]
    public void The_copy_starts_on_a_64_byte_boundary_with_room_for_every_value(int length)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            float[] array = FloatKernels.AllocateAlignedColumns(length, out int start);
            Assert.InRange(start, 0, 15);
            Assert.True(array.Length >= start + length, $"{array.Length} values cannot hold {length} from {start}");
            // The array is on the pinned heap, so its address holds between the call and this check (the
            // handle pins nothing new; it only reads the address).
            GCHandle handle = GCHandle.Alloc(array, GCHandleType.Pinned);
            try
            {
                long address = handle.AddrOfPinnedObject().ToInt64();
                Assert.Equal(0, (address + (start * sizeof(float))) % 64);
            }
            finally
            {
                handle.Free();
            }
        }
    }

    [Fact]
    public void A_negative_length_is_refused_naming_it()
        => Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => FloatKernels.AllocateAlignedColumns(-1, out _)).ParamName);

    /// <summary>Row r, column c of the source lands at (c, r) of the destination, at the same offset; nothing else is written.</summary>
    [Fact]
    public void A_matrix_is_transposed_in_place_of_its_offset_and_nothing_else_is_written()
    {
        const int offset = 7, rows = 5, columns = 3;
        var source = new float[offset + (rows * columns) + 4];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = i + 1;
        }
        var destination = new float[source.Length];
        destination.AsSpan().Fill(-1);
        FloatKernels.TransposeMatrix(source, destination, offset, rows, columns);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                Assert.Equal(source[offset + (r * columns) + c], destination[offset + (c * rows) + r]);
            }
        }
        for (int i = 0; i < destination.Length; i++)
        {
            if (i < offset || i >= offset + (rows * columns))
            {
                Assert.Equal(-1, destination[i]);
            }
        }
    }

    [Fact]
    public void A_matrix_past_the_end_is_refused()
        => Assert.ThrowsAny<ArgumentException>(() => FloatKernels.TransposeMatrix(new float[10], new float[10], 4, 2, 4));
}
#endif
