namespace NetGen;

/// <summary>
/// Updates a network's <see cref="INetwork{T}.Parameters"/> from its <see cref="INetwork{T}.Gradients"/>.
/// An optimizer is bound to one network when constructed (<see cref="Network"/>) and keeps its own state
/// (momentum, moment estimates), element by element in the layout of that network's parameters, between steps.
/// </summary>
/// <typeparam name="T">The network's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example><code>
/// var optimizer = new AdamOptimizer&lt;float&gt;(network);
/// network.Backward(inputs, labels);
/// if (!optimizer.Step()) { /* a gradient was NaN or infinite: nothing changed */ }
/// </code></example>
public interface IOptimizer<T> where T : unmanaged
{
    /// <summary>
    /// The network this optimizer was built for: <see cref="Step"/> updates its <see cref="INetwork{T}.Parameters"/>
    /// from its <see cref="INetwork{T}.Gradients"/>, and no other network's. The <see cref="Trainer{T}"/> reads
    /// it to refuse an optimizer of another network, which would otherwise step on gradients nobody computes
    /// while the network being trained never changes.
    /// </summary>
    INetwork<T> Network { get; }

    /// <summary>
    /// The step size. Settable between steps, so that a schedule can change it. Finite and at least 0,
    /// the rule for every learning rate in NetGen: the library's optimizers refuse anything else with an
    /// <see cref="System.ArgumentOutOfRangeException"/> and keep the rate they had.
    /// </summary>
    double LearningRate { get; set; }

    /// <summary>The number of steps applied since construction or the last <see cref="Reset"/>; refused steps do not count.</summary>
    long StepCount { get; }

    /// <summary>
    /// Applies one update from the current gradients. If any gradient is NaN or infinite, it changes
    /// nothing (neither the parameters nor the optimizer's state) and returns false. Allocation-free.
    /// </summary>
    /// <exception cref="System.InvalidOperationException">
    /// The network's <see cref="INetwork{T}.Parameters"/> or <see cref="INetwork{T}.Gradients"/> is no longer the
    /// array the optimizer was built for; nothing is changed.
    /// </exception>
    /// <returns>True if the update was applied; false if it was refused because of a non-finite gradient.</returns>
    bool Step();

    /// <summary>Forgets the optimizer's state (momentum, moment estimates, step count); the parameters are left alone.</summary>
    void Reset();
}
