using System;
using NetGen.Layouts;

namespace NetGen;

/// <summary>
/// What every trainer shares: the network, its optimizer and the options, checked once when the trainer
/// is made. The trainers themselves are <see cref="ClassifierTrainer{T}"/>, whose <c>Fit</c> takes class
/// labels, and <see cref="RegressorTrainer{T}"/>, whose <c>Fit</c> takes real-valued targets. Each is
/// made from its kind of network only, so a <c>Fit</c> that does not match the network does not compile.
/// </summary>
/// <remarks>
/// <para>
/// Both run the same training loop: mini-batches in a seeded random order, epochs, a validation set
/// (a fraction held out, or data of your own), early stopping, restoring the best epoch's parameters,
/// learning-rate schedules (which see the validation losses), a policy for non-finite losses,
/// cancellation that keeps what was done, and a report after every epoch. What differs per kind of
/// target (the loss the batches run, what is counted, the report and the result) is a task of its own.
/// </para>
/// <para>
/// Batches allocate nothing: the batch buffers are made once per <c>Fit</c>, and the only allocation per
/// epoch is its report. Not thread-safe, like the network's training methods.
/// </para>
/// </remarks>
/// <typeparam name="T">The network's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Trainer<T> where T : unmanaged
{
    // Only this library's trainers derive: the loop relies on each one's task to run the right loss.
    private protected Trainer(INetwork<T>? network, IOptimizer<T>? optimizer, TrainerOptions? options)
    {
        ElementTypes.EnsureSupported<T>();
        Network = network ?? throw new ArgumentNullException(nameof(network));
        VectorKernels.EnsureConsistent(network, nameof(network));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Options = options ?? new TrainerOptions();
        Options.Validate(nameof(options));
        EnsureUpdates(optimizer, network);
        SmallestTrainingCall = SmallestTrainingCallOf(network);
        if (Options.BatchSize < SmallestTrainingCall)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.BatchSize,
                $"BatchSize is {Options.BatchSize}, and {network.Architecture} normalises over the batch with one value per channel in a sample (BatchNorm), which needs at least {SmallestTrainingCall} samples per training call.");
        }
    }

    /// <summary>
    /// The fewest samples one training call of the network takes: 2 where a batch-norm layer has one value
    /// per channel in a sample (a BatchNorm1D over flat samples: one sample has no variance, and PyTorch
    /// refuses it too), otherwise 1. The loop never gives such a network a last batch of one: that sample joins the batch before.
    /// </summary>
    internal int SmallestTrainingCall { get; }

    private static int SmallestTrainingCallOf(INetwork<T> network)
    {
        foreach (NetworkLayer layer in NetworkArchitecture.Of(network).Layers)
        {
            // A batch-norm layer whose channel has one value per sample (a flat sample's feature, or a length or image of 1).
            if (layer.Kind is LayerLayouts.BatchNorm1D or LayerLayouts.BatchNorm2D && LayerLayouts.PerChannel(layer.InputShape) == 1)
            {
                return 2;
            }
        }
        return 1;
    }

    /// <summary>The network being trained.</summary>
    public INetwork<T> Network { get; }

    /// <summary>The optimizer that applies each batch's gradients.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>How to train.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Throws when validation data is given while <see cref="TrainerOptions.ValidationFraction"/> holds some out as well.</summary>
    private protected void EnsureNoValidationFraction()
    {
        if (Options.ValidationFraction != 0)
        {
            throw new InvalidOperationException("Validation data was given and ValidationFraction is set too; use one or the other.");
        }
    }

    /// <summary>
    /// Throws unless <paramref name="optimizer"/> updates <paramref name="network"/>: it was built for it, or
    /// for a network that hands out the same Parameters and Gradients arrays, as a wrapper around it does
    /// (a decorator that logs or records each batch), since the arrays are what the optimizer updates.
    /// An optimizer of another network would step on gradients that training never computes, report
    /// every step as applied, and leave the network being trained as it was.
    /// </summary>
    private static void EnsureUpdates(IOptimizer<T> optimizer, INetwork<T> network)
    {
        INetwork<T>? target = optimizer.Network;
        if (ReferenceEquals(target, network)) return;
        if (target is not null && ReferenceEquals(target.Parameters, network.Parameters) && ReferenceEquals(target.Gradients, network.Gradients))
        {
            return;
        }

        throw new ArgumentException(target is null
            ? "The optimizer's Network is null: the trainer cannot tell which parameters it updates."
            : $"The optimizer was built for another network ({target.Architecture}) than the one being trained ({network.Architecture}): " +
              "its steps would read gradients that training never computes, and the network being trained would not change. " +
              "Build the optimizer for the network you train, e.g. new AdamOptimizer<T>(network).", nameof(optimizer));
    }
}
