using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emission.Layers;

/// <summary>
/// Everything one layer kind is, in one place: the attribute that declares it and how its widths follow
/// from the width flowing in (the parser reads both through <see cref="LayerCatalog"/>), its FLOPs, the
/// calls its forward and backward make in each layout, and any members it adds to the generated file.
/// Adding a layer kind is its attribute, a subclass of this, and one catalogue entry.
/// </summary>
internal abstract class LayerDefinition
{
    /// <summary>The kind this definition describes.</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>The attribute's name without "Attribute", which is also the layer's token in the architecture text.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the README's layer table and the generated comments: what the layer computes.</summary>
    public abstract string Formula { get; }

    /// <summary>The metadata name of the attribute that declares this layer.</summary>
    public string AttributeMetadataName => "NetGen." + Name + "Attribute";

    /// <summary>True for layers with trainable parameters (they fix the width; the others keep it).</summary>
    public virtual bool HasParameters => false;

    /// <summary>
    /// The declared layer, from its attribute's constructor arguments, before widths are known; null when
    /// the arguments are not what the attribute's constructors allow (the compiler already reports that).
    /// </summary>
    public virtual LayerSpec? Read(ImmutableArray<TypedConstant> arguments) => arguments.IsEmpty ? new LayerSpec(Kind, 0, 0) : null;

    /// <summary>The layer with its widths filled in, given the width flowing into it.</summary>
    public virtual LayerSpec WithInputWidth(LayerSpec declared, int width) => declared with { Inputs = width, Outputs = width };

    /// <summary>The layer in the canonical architecture text, e.g. <c>Linear(4,16)</c>.</summary>
    public virtual string CanonicalText(LayerSpec layer) => Name;

    /// <summary>The layer as a reader writes it, e.g. <c>Linear(4, 16)</c>.</summary>
    public virtual string DisplayText(LayerSpec layer) => Name;

    /// <summary>Floating-point operations per sample, forward (a rough count for activations).</summary>
    public abstract long ForwardFlops(LayerSpec layer);

    /// <summary>The statement that runs the layer forward.</summary>
    public abstract string Forward(ForwardCall call);

    /// <summary>Writes the statements that backpropagate through the layer (and, for Linear, its parameter gradients).</summary>
    public abstract void EmitBackward(CodeWriter writer, BackwardCall call);

    /// <summary>Members the layer adds to the network's nested Kernels class (a Linear layer's shape).</summary>
    public virtual void EmitMembers(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
    }
}

/// <summary>One forward call: the layer, the layout, the buffers it reads and writes, and the sample count's name.</summary>
internal sealed record ForwardCall(PlannedLayer Layer, Layout Layout, string Source, string Destination, string Count, NetworkPlan Plan);

/// <summary>
/// One backward step. <see cref="Input"/> and <see cref="Output"/> are the layer's activations in the
/// pass's layout, <see cref="Delta"/> the gradient on its output, and <see cref="InputGradient"/> where
/// the gradient on its input goes (null where nothing below needs it: the first layer).
/// <see cref="SampleMajorInput"/> is the layer's input in sample-major form where the pass has it for free
/// (the caller's inputs for the first layer), else null; feature-major passes may use the two scratch
/// buffers t1 and t2 for sample-major copies. With <see cref="InputGradientOnly"/>, a layer with
/// parameters writes only the input gradient: its parameter gradients were written by an earlier step.
/// </summary>
internal sealed record BackwardCall(PlannedLayer Layer, Layout Layout, string Input, string Output, string Delta, string? InputGradient, string? SampleMajorInput, string Count, NetworkPlan Plan, bool InputGradientOnly = false);
