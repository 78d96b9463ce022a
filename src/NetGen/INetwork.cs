using System;

namespace NetGen;

/// <summary>
/// Implemented by every generated network, so that runtime helpers (optimizers, persistence, the
/// trainer) work with any of them.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface INetwork<T> where T : unmanaged
{
    /// <summary>Values per input sample.</summary>
    int InputSize { get; }

    /// <summary>Values per output sample.</summary>
    int OutputSize { get; }

    /// <summary>The number of trainable parameters.</summary>
    int ParameterCount { get; }

    /// <summary>The parameters: per Linear layer its weights row-major <c>[outputs, inputs]</c>, then its bias.</summary>
    T[] Parameters { get; }

    /// <summary>
    /// State that is not trained but is part of the model: per BatchNorm layer in order, its <c>running_mean</c>
    /// then its <c>running_var</c>. Empty for networks without batch normalisation.
    /// </summary>
    T[] Buffers { get; }

    /// <summary>The gradients written by <c>Backward</c>, in the layout of <see cref="Parameters"/>.</summary>
    T[] Gradients { get; }

    /// <summary>Canonical text of the declaration, e.g. <c>float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss</c>.</summary>
    string Architecture { get; }

    /// <summary>Runs one sample through the network. Allocation-free and thread-safe.</summary>
    void Forward(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>Runs a sample-major batch through the network. Allocation-free and thread-safe.</summary>
    void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize);

    /// <summary>
    /// Sets <see cref="Gradients"/> to the gradient of <c>sum over b, j of outputGradients[b, j] * outputs[b, j]</c>;
    /// the batch size is <c>outputGradients.Length / OutputSize</c>.
    /// </summary>
    void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients);

    /// <summary>
    /// As <see cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{T})"/>, and also writes the gradient with respect to
    /// the inputs into <paramref name="inputGradients"/> (<c>inputs.Length</c> values, sample-major): what a
    /// network upstream (an actor-critic chain, an encoder) needs to continue backpropagation.
    /// </summary>
    void Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients);

    /// <summary>
    /// Compiles every kernel the network runs ahead of its first use, for a loading screen, so that the first frame
    /// that calls <c>Forward</c> or a training method pays no JIT time: a generated network runs each pass once on
    /// zeros. <see cref="Parameters"/> are unchanged and <see cref="Gradients"/> restored. Allocates; not thread-safe,
    /// like training. A network with nothing to compile ahead may do nothing.
    /// </summary>
    void Prepare();
}

/// <summary>Implemented by generated networks that end in <see cref="CrossEntropyLossAttribute"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IClassifier<T> : INetwork<T> where T : unmanaged
{
    /// <summary>The index of the largest output for one sample.</summary>
    int Predict(ReadOnlySpan<T> input);

    /// <summary>The mean cross-entropy over the batch; the batch size is <c>labels.Length</c>.</summary>
    T Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels);

    /// <summary>Sets <see cref="INetwork{T}.Gradients"/> to the gradient of the mean loss and returns the loss.</summary>
    T Backward(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels);

    /// <summary>
    /// <see cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{int})"/>, then <c>Parameters -= learningRate * Gradients</c>,
    /// unless the loss or a gradient is not finite, in which case nothing changes. Returns the loss.
    /// </summary>
    T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, T learningRate);
}

/// <summary>Implemented by generated networks that end in <see cref="MSELossAttribute"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IRegressor<T> : INetwork<T> where T : unmanaged
{
    /// <summary>The mean squared error over the batch; the batch size is <c>targets.Length / OutputSize</c>.</summary>
    T Loss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets);

    /// <summary>
    /// Sets <see cref="INetwork{T}.Gradients"/> to the gradient of the mean squared error and returns it: the
    /// regression counterpart of a classifier's <c>Backward(inputs, labels)</c>, named apart because
    /// <c>Backward(inputs, outputGradients)</c> takes the same parameter types.
    /// </summary>
    T BackwardFromTargets(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets);

    /// <summary>
    /// <see cref="BackwardFromTargets"/>, then <c>Parameters -= learningRate * Gradients</c>, unless the loss or
    /// a gradient is not finite (a non-finite target makes it so), in which case nothing changes. Returns the loss.
    /// </summary>
    T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate);
}
