using System;

namespace NetGen;

/// <summary>
/// Implemented by generated networks with a recurrent layer (<see cref="GRUAttribute"/>,
/// <see cref="LSTMAttribute"/>): networks that run over sequences, one step at a time or a whole sequence
/// at once. The recurrent state belongs to the caller, so that a game can keep one per agent, store it in
/// a save or a replay, and step many agents in one call.
/// <para>
/// Sequences are batch-first, as PyTorch's <c>batch_first=True</c>: a batch of sequences is
/// <c>[batch, steps, InputSize]</c> in row-major order, its outputs <c>[batch, steps, OutputSize]</c>.
/// Non-recurrent layers act on each step alone. <see cref="INetwork{T}.Forward(ReadOnlySpan{T}, Span{T})"/>
/// runs each sample as a sequence of one step from the zero state.
/// </para>
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ISequenceNetwork<T> : INetwork<T> where T : unmanaged
{
    /// <summary>
    /// State values per sequence: per recurrent layer in declaration order, a GRU's <c>h</c> [hidden], an
    /// LSTM's <c>h</c> [hidden] then <c>c</c> [hidden].
    /// </summary>
    int StateSize { get; }

    /// <summary>
    /// Sets the state of <c>states.Length / StateSize</c> sequences to zero, PyTorch's default initial
    /// state. <paramref name="states"/> holds whole states only.
    /// </summary>
    void ResetState(Span<T> states);

    /// <summary>
    /// One step of one sequence: reads <paramref name="input"/> (<c>InputSize</c> values) and
    /// <paramref name="state"/> (<c>StateSize</c> values), writes <paramref name="output"/>
    /// (<c>OutputSize</c> values) and the new state over <paramref name="state"/>. Allocates nothing, and
    /// is thread-safe across distinct states.
    /// </summary>
    void Step(ReadOnlySpan<T> input, Span<T> output, Span<T> state);

    /// <summary>
    /// One step of <paramref name="batchSize"/> independent sequences: <paramref name="inputs"/>
    /// <c>[batchSize, InputSize]</c>, <paramref name="outputs"/> <c>[batchSize, OutputSize]</c> and
    /// <paramref name="states"/> <c>[batchSize, StateSize]</c>, each row-major; every state is read and
    /// updated. Allocation-free once warm, and thread-safe across distinct states.
    /// </summary>
    void Step(ReadOnlySpan<T> inputs, Span<T> outputs, Span<T> states, int batchSize);

    /// <summary>
    /// Runs <paramref name="batchSize"/> whole sequences of <paramref name="steps"/> steps from the zero
    /// state: <paramref name="inputs"/> <c>[batchSize, steps, InputSize]</c> to <paramref name="outputs"/>
    /// <c>[batchSize, steps, OutputSize]</c>. Each step's outputs are those that <see cref="Step(ReadOnlySpan{T}, Span{T}, Span{T}, int)"/>
    /// gives from the zero state.
    /// </summary>
    void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize, int steps);

    /// <summary>
    /// Back-propagation through time over <paramref name="batchSize"/> sequences of
    /// <paramref name="steps"/> steps from the zero state: sets <see cref="INetwork{T}.Gradients"/> to the
    /// gradient of <c>sum of outputGradients * outputs</c> (both <c>[batchSize, steps, OutputSize]</c>) with
    /// respect to the parameters, and writes its gradient with respect to the inputs into
    /// <paramref name="inputGradients"/> (<c>[batchSize, steps, InputSize]</c>).
    /// </summary>
    void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients, int batchSize, int steps);
}

/// <summary>
/// A sequence network ending in <c>[MSELoss]</c>: its loss over sequences, which the
/// <see cref="SequenceRegressorTrainer{T}"/> and loops of your own call through this interface.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ISequenceRegressor<T> : ISequenceNetwork<T> where T : unmanaged
{
    /// <summary>The mean squared error over every value of every step of targets <c>[batch, steps, OutputSize]</c>, from the zero state.</summary>
    T Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int steps);

    /// <summary>Sets <see cref="INetwork{T}.Gradients"/> to the loss's gradient by back-propagation through time, and returns the loss.</summary>
    T BackwardFromTargets(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int steps);

    /// <summary><see cref="BackwardFromTargets"/>, then <c>Parameters -= learningRate * Gradients</c> unless the loss or a gradient is not finite.</summary>
    T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int steps, T learningRate);
}

/// <summary>A sequence network ending in <c>[CrossEntropyLoss]</c>: its loss over labels <c>[batch, steps]</c>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ISequenceClassifier<T> : ISequenceNetwork<T> where T : unmanaged
{
    /// <summary>The mean cross-entropy over every step of every sequence, from the zero state.</summary>
    T Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int steps);

    /// <summary>Sets <see cref="INetwork{T}.Gradients"/> to the loss's gradient by back-propagation through time, and returns the loss.</summary>
    T Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int steps);

    /// <summary><see cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{int}, int)"/>, then <c>Parameters -= learningRate * Gradients</c> unless the loss or a gradient is not finite.</summary>
    T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int steps, T learningRate);
}
