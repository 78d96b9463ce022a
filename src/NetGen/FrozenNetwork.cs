using System;

namespace NetGen;

/// <summary>
/// A snapshot of a network's parameters for inference, from the generated <c>Freeze()</c> (small float
/// networks whose one-sample forward is written out). Its one-sample <see cref="Forward(ReadOnlySpan{T}, Span{T})"/>
/// reads a copy whose Linear weights are laid out input-major, each input broadcast into whole vectors of
/// outputs with no sums across lanes, which the network itself cannot keep: <c>Parameters</c> is a public
/// array in PyTorch's layout that any code may write at any time. Writes to the network's parameters reach
/// the snapshot only through <see cref="Refresh"/>. Calls allocate nothing and are thread-safe;
/// <see cref="Refresh"/> must not run while another thread calls the snapshot.
/// </summary>
/// <typeparam name="T">The network's element type.</typeparam>
public abstract class FrozenNetwork<T> where T : unmanaged
{
    /// <summary>For the generated snapshot classes.</summary>
    /// <param name="network">The network the snapshot is taken from.</param>
    protected FrozenNetwork(INetwork<T> network) => Network = network ?? throw new ArgumentNullException(nameof(network));

    /// <summary>The network this snapshot was taken from.</summary>
    public INetwork<T> Network { get; }

    /// <summary>Values per input sample, as the network's.</summary>
    public int InputSize => Network.InputSize;

    /// <summary>Values per output sample, as the network's.</summary>
    public int OutputSize => Network.OutputSize;

    /// <summary>Takes the snapshot again from the network's current parameters. Allocation-free; not while another thread calls this snapshot.</summary>
    public abstract void Refresh();

    /// <summary>Runs one sample through the snapshot: the network's outputs, to rounding (the sums run in another order).</summary>
    /// <param name="input">InputSize values.</param>
    /// <param name="output">Receives OutputSize values.</param>
    public abstract void Forward(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>Runs a sample-major batch through the snapshot with the network's batch passes: the network's bits.</summary>
    /// <param name="inputs">batchSize * InputSize values, sample after sample.</param>
    /// <param name="outputs">Receives batchSize * OutputSize values, sample after sample.</param>
    /// <param name="batchSize">The number of samples, at least 1.</param>
    public abstract void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize);
}

/// <summary>The snapshot of a classifier (a network ending in <c>CrossEntropyLoss</c>): <see cref="FrozenNetwork{T}"/> with <see cref="Predict"/>.</summary>
/// <typeparam name="T">The network's element type.</typeparam>
public abstract class FrozenClassifier<T> : FrozenNetwork<T> where T : unmanaged
{
    /// <summary>For the generated snapshot classes.</summary>
    /// <param name="network">The classifier the snapshot is taken from.</param>
    protected FrozenClassifier(IClassifier<T> network) : base(network)
    {
    }

    /// <summary>The index of the largest output for one sample (the first, on a tie). Allocation-free and thread-safe.</summary>
    /// <param name="input">InputSize values.</param>
    public abstract int Predict(ReadOnlySpan<T> input);
}

/// <summary>
/// A snapshot of a sequence network's parameters for stepping, from the generated <c>Freeze()</c> (float
/// networks with a recurrent layer whose hidden size is a multiple of 8). Its one-sequence
/// <see cref="Step(ReadOnlySpan{T}, Span{T}, Span{T})"/> reads a copy whose recurrent weight matrices are
/// input-major, each input and h value broadcast into whole vectors of gate outputs. Writes to the network's
/// parameters reach it only through <see cref="Refresh"/>. Steps allocate nothing and are thread-safe across
/// distinct states; <see cref="Refresh"/> must not run while another thread calls the snapshot.
/// </summary>
/// <typeparam name="T">The network's element type.</typeparam>
public abstract class FrozenSequenceNetwork<T> where T : unmanaged
{
    /// <summary>For the generated snapshot classes.</summary>
    /// <param name="network">The network the snapshot is taken from.</param>
    protected FrozenSequenceNetwork(ISequenceNetwork<T> network) => Network = network ?? throw new ArgumentNullException(nameof(network));

    /// <summary>The network this snapshot was taken from.</summary>
    public ISequenceNetwork<T> Network { get; }

    /// <summary>Values per step of a sequence flowing in, as the network's.</summary>
    public int InputSize => Network.InputSize;

    /// <summary>Values per step of a sequence flowing out, as the network's.</summary>
    public int OutputSize => Network.OutputSize;

    /// <summary>State values per sequence, as the network's.</summary>
    public int StateSize => Network.StateSize;

    /// <summary>Takes the snapshot again from the network's current parameters. Allocation-free; not while another thread calls this snapshot.</summary>
    public abstract void Refresh();

    /// <summary>One step of one sequence: the network's Step, to rounding (the sums run in another order).</summary>
    /// <param name="input">InputSize values: this step's input.</param>
    /// <param name="output">Receives OutputSize values.</param>
    /// <param name="state">StateSize values, read and updated (zero at a sequence's start).</param>
    public abstract void Step(ReadOnlySpan<T> input, Span<T> output, Span<T> state);

    /// <summary>One step of batchSize sequences with the network's batched kernels: the network's bits.</summary>
    /// <param name="inputs">batchSize * InputSize values, sequence after sequence.</param>
    /// <param name="outputs">Receives batchSize * OutputSize values.</param>
    /// <param name="states">batchSize * StateSize values, read and updated.</param>
    /// <param name="batchSize">The number of sequences, at least 1.</param>
    public abstract void Step(ReadOnlySpan<T> inputs, Span<T> outputs, Span<T> states, int batchSize);
}
