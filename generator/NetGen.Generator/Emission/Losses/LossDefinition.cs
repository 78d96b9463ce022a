using NetGen.Generator.Model;

namespace NetGen.Generator.Emission.Losses;

/// <summary>
/// Everything one loss is: its attribute, what must come before it, the interface a network ending in
/// it implements, and the training members it adds (Loss, its Backward, TrainStep). Adding a loss is its
/// attribute, a subclass of this, and one catalogue entry.
/// </summary>
internal abstract class LossDefinition
{
    public abstract LossKind Kind { get; }

    /// <summary>The attribute's name without "Attribute", and the loss's token in the architecture text.</summary>
    public abstract string Name { get; }

    /// <summary>The metadata name of the attribute that declares this loss.</summary>
    public string AttributeMetadataName => "NetGen." + Name + "Attribute";

    /// <summary>The interface (in namespace NetGen) a network ending in this loss implements, e.g. IClassifier.</summary>
    public abstract string Contract { get; }

    /// <summary>The layer kind that must come directly before the loss, if any.</summary>
    public abstract LayerKind? RequiredBefore { get; }

    /// <summary>Writes the loss's public members (Loss, its Backward, TrainStep) on the network class.</summary>
    public abstract void EmitMembers(NetworkEmitter emitter);

    /// <summary>Writes the passes behind them, in the network's nested Kernels class.</summary>
    public abstract void EmitKernels(NetworkEmitter emitter);
}
