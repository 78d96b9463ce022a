using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Runtime;

/// <summary>
/// The kernels every generated network shares, written once here rather than once per network. A
/// generated network has a nested class deriving from <see cref="FloatKernels"/> or
/// <see cref="DoubleKernels"/>, so that its straight-line passes call these by their short names.
/// <para>
/// What must be specialised to one layer is: each Linear kernel takes the layer's shape as a struct type
/// argument (<see cref="ILinearShape"/>), so the JIT compiles one copy per layer with its sizes and
/// offsets as constants. Width-keeping layers (activations, softmax) and the loss take their width as an
/// argument: they have no weight layout to specialise. Every kernel is right for any
/// <c>Vector&lt;T&gt;.Count</c>: values that do not fill a whole vector run in scalar tails, and where
/// vectors are not hardware-accelerated (older Unity, Mono) scalar twins run instead, since emulated
/// vectors are far slower than scalars.
/// </para>
/// <para>
/// The kernels trust their arguments: the generated public members check every span before any kernel
/// runs, so loads and stores here skip bounds checks.
/// </para>
/// </summary>
/// <typeparam name="T">The element type, float or double.</typeparam>
/// <typeparam name="TArithmetic">Its arithmetic (<see cref="FloatArithmetic"/> or <see cref="DoubleArithmetic"/>).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract partial class NetworkKernels<T, TArithmetic>
    where T : unmanaged
    where TArithmetic : struct, IArithmetic<T>
{
    /// <summary>
    /// MethodImplOptions.AggressiveOptimization, which netstandard2.1 cannot name: the kernels compile fully
    /// optimised at their first call instead of running the JIT's quick tier during a game's first frames.
    /// Mono ignores it.
    /// </summary>
    internal const MethodImplOptions Optimized = (MethodImplOptions)512;

    /// <summary>
    /// For the register blocks behind a kernel: a method of their own, compiled fully optimised. Not
    /// inlined: a kernel that inlined its 512-bit and its Vector&lt;T&gt; block would hold both blocks'
    /// accumulators and temporaries in one method, past what the JIT keeps in registers (seen: batch
    /// forward 40% slower). Not left to tiering either: a block run at the JIT's quick tier calls every
    /// Load and FMA (seen: 14 us instead of 0.3 us per forward for the first hundreds of calls).
    /// </summary>
    internal const MethodImplOptions Block = Optimized | MethodImplOptions.NoInlining;

    /// <summary>Only derived (generated) classes exist, and they hold only static members.</summary>
    protected NetworkKernels()
    {
    }

    private static TArithmetic A => default;

    /// <summary>
    /// Whether a batch runs feature-major: with at least one vector of samples, samples fill the vector
    /// lanes and each weight is loaded once per block of samples; below that, and without hardware
    /// vectors, sample by sample.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool UseColumns(int count) => Vector.IsHardwareAccelerated && count >= Vector<T>.Count;

    /// <summary>
    /// Whether a layer with this many inputs runs the shared vector kernel rather than its written-out
    /// scalar forward: vectors are accelerated, and the inputs fill at least one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool PreferVectors(int inputs) => Vector.IsHardwareAccelerated && inputs >= Vector<T>.Count;

    /// <summary>Sample-major to feature-major and back: see <see cref="Simd.Transpose{T}"/>.</summary>
    public static void Transpose(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
        => Simd.Transpose(source, destination, rows, columns);

    /// <summary>The index of the largest value (the first, on a tie).</summary>
    public static int ArgMax(ReadOnlySpan<T> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (A.LessThan(values[best], values[k]))
            {
                best = k;
            }
        }
        return best;
    }

    /// <summary>
    /// Grows a network's training workspace to hold <paramref name="count"/> samples; smaller batches
    /// reuse it, so that training allocates nothing in steady state.
    /// </summary>
    public static void EnsureWorkspace(ref T[] workspace, ref int samples, int count, long perSample, string parameterName)
    {
        if (count <= samples)
        {
            return;
        }
        long length = count * perSample;
        if (length + WorkspacePadding > ArrayLimits.MaxLength)
        {
            throw new ArgumentOutOfRangeException(parameterName, count,
                "The batch is too large: its training workspace would exceed the largest array .NET can allocate.");
        }
        workspace = AllocateWorkspace(length);
        samples = count;
    }

    /// <summary>
    /// As <see cref="EnsureWorkspace(ref T[], ref int, int, long, string)"/>, with <paramref name="fixedLength"/>
    /// values after the per-sample part for the kernels' scratch (a convolution's window matrix), which
    /// does not grow with the batch.
    /// </summary>
    public static void EnsureWorkspace(ref T[] workspace, ref int samples, int count, long perSample, int fixedLength, string parameterName)
    {
        if (count <= samples)
        {
            return;
        }
        long length = (count * perSample) + fixedLength;
        if (length + WorkspacePadding > ArrayLimits.MaxLength)
        {
            throw new ArgumentOutOfRangeException(parameterName, count,
                "The batch is too large: its training workspace would exceed the largest array .NET can allocate.");
        }
        workspace = AllocateWorkspace(length);
        samples = count;
    }

    /// <summary>
    /// The values past a workspace's length that let <see cref="AlignedWorkspace"/> start it on a 64-byte
    /// boundary (on .NET 8 and later; nothing elsewhere).
    /// </summary>
#if NET8_0_OR_GREATER
    private static int WorkspacePadding => 64 / Unsafe.SizeOf<T>();
#else
    private static int WorkspacePadding => 0;
#endif

    /// <summary>
    /// The values a pass's scratch is allocated longer by, so that <see cref="AlignedScratch"/> can start it
    /// on a 64-byte boundary: 64 bytes' worth (every build: the generated code is the same for all).
    /// </summary>
    public static int ScratchPadding => 64 / Unsafe.SizeOf<T>();

    /// <summary>
    /// The first <paramref name="length"/> values of <paramref name="scratch"/> (allocated
    /// <see cref="ScratchPadding"/> longer) from its first value on a 64-byte boundary. For the feature-major
    /// inference passes, whose 512-bit loads of a row split across two cache lines where the scratch started
    /// mid-line: with the array pool's arrays that depended on the process (mnist's batch-64 forward over three
    /// processes: 78.6 us on average with an 8.8 us spread; aligned, 65.5 us with 0.2 us). Scratch on the stack stays where it is; a pooled array
    /// the collector moves during the call only loses the alignment, never a value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> AlignedScratch(Span<T> scratch, int length)
    {
        int misalignment;
        unsafe
        {
            misalignment = (int)((nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(scratch)) & 63);
        }
        return scratch.Slice(((64 - misalignment) & 63) / Unsafe.SizeOf<T>(), length);
    }

    /// <summary>
    /// A training workspace of <paramref name="length"/> values. On .NET 8 and later it lives on the pinned
    /// heap, so its address never changes and <see cref="AlignedWorkspace"/> finds the same start on every
    /// call, and it has room to start on a 64-byte boundary: the feature-major passes load whole 512-bit rows
    /// of it, and where the array happened to start mid-line every load split across two cache lines (the
    /// digits network's training step took 39 or 55 us depending on the process).
    /// </summary>
    private static T[] AllocateWorkspace(long length)
    {
#if NET8_0_OR_GREATER
        return GC.AllocateArray<T>((int)length + WorkspacePadding, pinned: true);
#else
        return new T[length];
#endif
    }

    /// <summary>
    /// The part of a workspace from <see cref="EnsureWorkspace(ref T[], ref int, int, long, string)"/> that the
    /// passes use: its requested length, from the first value on a 64-byte boundary (on .NET 8 and later;
    /// the whole array elsewhere). The same span on every call, since the array is pinned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> AlignedWorkspace(T[] workspace)
    {
#if NET8_0_OR_GREATER
        if (workspace.Length < WorkspacePadding)
        {
            return workspace;
        }
        int misalignment;
        unsafe
        {
            misalignment = (int)((nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(workspace)) & 63);
        }
        int skip = ((64 - misalignment) & 63) / Unsafe.SizeOf<T>();
        return workspace.AsSpan(skip, workspace.Length - WorkspacePadding);
#else
        return workspace;
#endif
    }

    /// <summary>Checks a labelled batch (lengths and every label) and returns its size.</summary>
    public static int CheckLabeledBatch(int inputsLength, ReadOnlySpan<int> labels, int inputSize, int outputSize)
    {
        int count = labels.Length;
        if (count < 1)
        {
            throw ArgumentErrors.EmptyBatch("labels", count);
        }
        if (inputsLength != (long)count * inputSize)
        {
            throw ArgumentErrors.WrongLength("inputs", (long)count * inputSize, inputsLength, "labels.Length * InputSize");
        }
        for (int s = 0; s < count; s++)
        {
            if ((uint)labels[s] >= (uint)outputSize)
            {
                throw ArgumentErrors.LabelOutOfRange("labels", s, labels[s], outputSize);
            }
        }
        return count;
    }

    /// <summary>Throws unless <paramref name="learningRate"/> is finite and at least 0 (see <see cref="ArgumentErrors.NegativeLearningRate"/>).</summary>
    public static void CheckLearningRate(T learningRate)
    {
        if (!A.IsFinite(learningRate))
        {
            throw ArgumentErrors.NonFiniteLearningRate("learningRate", A.ToDouble(learningRate));
        }
        if (A.LessThan(learningRate, A.Zero))
        {
            throw ArgumentErrors.NegativeLearningRate("learningRate", A.ToDouble(learningRate));
        }
    }

    /// <summary>
    /// One step of gradient descent, <c>parameters -= learningRate * gradients</c>, unless the loss or any
    /// gradient is not finite: a step through NaN or infinity would ruin every parameter it touches, so
    /// it is skipped whole. Returns whether the step was taken, so that a network commits the rest of the
    /// training call (running statistics) only then.
    /// </summary>
    [MethodImpl(Optimized)]
    public static bool ApplyStep(Span<T> parameters, ReadOnlySpan<T> gradients, T loss, T learningRate)
    {
        if (!A.IsFinite(loss) || !Simd.AllFinite(gradients))
        {
            return false;
        }
        // parameters += (-learningRate) * gradients: fused where the arithmetic fuses (the default mode on
        // FMA hardware), a multiply then an add where it must not (the deterministic mode).
        T step = A.Subtract(A.Zero, learningRate);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var steps = new Vector<T>(step);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Simd.Store(parameters, i, A.MultiplyAdd(steps, Simd.Load(gradients, i), Simd.Load(parameters, i)));
            }
        }
        for (; i < parameters.Length; i++)
        {
            parameters[i] = A.MultiplyAdd(step, gradients[i], parameters[i]);
        }
        return true;
    }

    /// <summary>A span of the wrong length: see <see cref="ArgumentErrors.WrongLength"/>.</summary>
    public static ArgumentException WrongLength(string parameterName, long expected, int actual, string meaning)
        => ArgumentErrors.WrongLength(parameterName, expected, actual, meaning);

    /// <summary>A batch size below one: see <see cref="ArgumentErrors.EmptyBatch"/>.</summary>
    public static ArgumentOutOfRangeException EmptyBatch(string parameterName, int batchSize)
        => ArgumentErrors.EmptyBatch(parameterName, batchSize);

    /// <summary>An output-gradient span that is not a whole number of samples: see <see cref="ArgumentErrors.PartialSample"/>.</summary>
    public static ArgumentException PartialSample(string parameterName, int outputSize, int actual)
        => ArgumentErrors.PartialSample(parameterName, outputSize, actual);
}

/// <summary>The shared kernels on float: the base of a float network's nested <c>Kernels</c> class.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract partial class FloatKernels : NetworkKernels<float, FloatArithmetic>
{
    /// <summary>Only generated classes derive from this.</summary>
    protected FloatKernels()
    {
    }
}

/// <summary>The shared kernels on double: the base of a double network's nested <c>Kernels</c> class.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class DoubleKernels : NetworkKernels<double, DoubleArithmetic>
{
    /// <summary>Only generated classes derive from this.</summary>
    protected DoubleKernels()
    {
    }
}

/// <summary>
/// The shared kernels on float for <c>[Network(Deterministic = true)]</c>: bit-identical results on every
/// vector width, with or without FMA and hardware vectors, on any OS. Three things make it so: arithmetic
/// that never fuses and computes exp itself (<see cref="DeterministicFloatArithmetic"/>); every batch,
/// one sample included, running feature-major, where each output is a sum over its inputs in input order
/// whatever the lane count (the sample-major kernels split that sum across lanes); and the scalar and
/// vector paths of every kernel adding in that same order.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class DeterministicFloatKernels : NetworkKernels<float, DeterministicFloatArithmetic>
{
    /// <summary>Only generated classes derive from this.</summary>
    protected DeterministicFloatKernels()
    {
    }

    /// <summary>Always: the feature-major kernels' order of additions does not depend on the vector width.</summary>
    public static new bool UseColumns(int count) => true;
}

/// <summary>The deterministic kernels on double: see <see cref="DeterministicFloatKernels"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class DeterministicDoubleKernels : NetworkKernels<double, DeterministicDoubleArithmetic>
{
    /// <summary>Only generated classes derive from this.</summary>
    protected DeterministicDoubleKernels()
    {
    }

    /// <inheritdoc cref="DeterministicFloatKernels.UseColumns(int)"/>
    public static new bool UseColumns(int count) => true;
}

/// <summary>The one array-length limit every size check uses.</summary>
internal static class ArrayLimits
{
    /// <summary>The longest array .NET allocates (Array.MaxLength), which netstandard2.1 cannot name.</summary>
    public const long MaxLength = 0x7FFFFFC7;
}
