using System;

namespace NetGen;

/// <summary>
/// The network an optimizer is built for, and the two arrays of it that the optimizer reads and writes,
/// taken once when the optimizer is built. The optimizer's state (momentum, moment estimates) is kept
/// element by element beside those arrays, so each step first checks that the network still hands out
/// the same ones: a network that had swapped in other arrays would have them updated with the state of
/// the old, or not at all while the step reported success.
/// </summary>
internal readonly struct OptimizerTarget<T> where T : unmanaged
{
    /// <exception cref="ArgumentException">The network's arrays do not have <c>ParameterCount</c> elements.</exception>
    public OptimizerTarget(INetwork<T> network, string parameterName)
    {
        VectorKernels.EnsureConsistent(network, parameterName);
        Network = network;
        Parameters = network.Parameters;
        Gradients = network.Gradients;
    }

    public INetwork<T> Network { get; }

    public T[] Parameters { get; }

    public T[] Gradients { get; }

    /// <summary>Throws, before anything is changed, unless the network still has the arrays the optimizer was built for.</summary>
    public void EnsureUnchanged()
    {
        // Two reference comparisons per step: nothing beside the update itself.
        if (!ReferenceEquals(Network.Parameters, Parameters)) throw Replaced(nameof(INetwork<T>.Parameters), Network.Parameters);
        if (!ReferenceEquals(Network.Gradients, Gradients)) throw Replaced(nameof(INetwork<T>.Gradients), Network.Gradients);
    }

    private static InvalidOperationException Replaced(string property, T[]? now)
        => new($"The network's {property} is no longer the array this optimizer was built for " +
               $"(it now has {(now is null ? "no array" : now.Length + " elements")}): the optimizer updates only the arrays " +
               "it was built with, and keeps its state beside them. Build a new optimizer for the network as it is now.");
}
