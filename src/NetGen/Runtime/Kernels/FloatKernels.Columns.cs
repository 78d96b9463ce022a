#if NET8_0_OR_GREATER
using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

// What a frozen network (the generated Freeze() and its Frozen class) keeps beside its copy of the
// parameters on .NET 8+ with AVX-512: the same values at the same offsets, except that the weight
// matrices its one-sample code reads input-major are stored transposed ("columns"). Input-major weights
// let the code broadcast each input and multiply it into whole vectors of outputs, with no sum across
// lanes per output, which is how RTNeural lays out its weights. `Parameters` cannot be kept so: it is a
// public array in PyTorch's layout that callers write at any time, so the transposed copy lives in a
// snapshot that says when it was taken.
public abstract partial class FloatKernels
{
    /// <summary>
    /// An array of <paramref name="length"/> values starting at <paramref name="start"/> on a 64-byte
    /// boundary, on the pinned heap so that the boundary never moves: a frozen network's 512-bit weight loads
    /// then never split across cache lines (a misaligned copy made one-sample calls vary up to 2.5x between
    /// processes in the prototype that measured this layout).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static float[] AllocateAlignedColumns(int length, out int start)
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The length must not be negative.");
        }
        float[] array = GC.AllocateArray<float>(length + 16, pinned: true);
        int misalignment;
        unsafe
        {
            misalignment = (int)((nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) & 63);
        }
        start = ((64 - misalignment) & 63) / sizeof(float);
        return array;
    }

    /// <summary>
    /// Writes the <paramref name="rows"/> x <paramref name="columns"/> row-major matrix that starts at
    /// <paramref name="offset"/> in <paramref name="source"/> transposed (<paramref name="columns"/> x
    /// <paramref name="rows"/>) at the same offset in <paramref name="destination"/>: a Linear layer's weight
    /// [outputs, inputs] becomes [inputs, outputs], each input's weights to every output consecutive.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void TransposeMatrix(ReadOnlySpan<float> source, Span<float> destination, int offset, int rows, int columns)
    {
        ReadOnlySpan<float> from = source.Slice(offset, rows * columns);
        Span<float> to = destination.Slice(offset, rows * columns);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                to[(c * rows) + r] = from[(r * columns) + c];
            }
        }
    }
}
#endif
