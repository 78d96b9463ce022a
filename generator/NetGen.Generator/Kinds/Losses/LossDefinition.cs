using NetGen.Generator.Emission;
using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds.Losses;

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

    /// <summary>
    /// True when the outputs are class scores, so that <c>int Predict(input)</c>, the index of the largest
    /// output, means something (IClassifier). A regressor's outputs are values: the index of the largest
    /// is no answer (for one output, always 0), so it gets no Predict.
    /// </summary>
    public virtual bool Classifies => false;

    /// <summary>The layer kind that must come directly before the loss, if any.</summary>
    public abstract LayerKind? RequiredBefore { get; }

    /// <summary>Writes the loss's public members (Loss, its Backward, TrainStep) on the network class.</summary>
    public abstract void EmitMembers(ILossWriter emitter);

    /// <summary>
    /// Writes Prepare()'s calls of the loss's members, each once for one sample and once for the batch of
    /// one vector of samples (<c>one</c>, <c>inputs</c>, <c>outputs</c> and <c>batch</c> are in scope), with a
    /// learning rate of 0 so that the parameters stay as they were.
    /// </summary>
    public abstract void EmitPrepare(ILossWriter emitter);

    /// <summary>Writes the passes behind them, in the network's nested Kernels class.</summary>
    public abstract void EmitKernels(ILossWriter emitter);
}
