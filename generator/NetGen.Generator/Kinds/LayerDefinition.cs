using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Layouts;

namespace NetGen.Generator.Kinds;

/// <summary>
/// Everything one layer kind is, in one place, so that the parser and the planner ask instead of
/// guessing: the attribute that declares it and how it reads and checks its arguments; the shape it makes
/// from the shape flowing in; its parameter tensors (from the layout table shared with the library); the
/// values its backward needs kept; whether it may run in place; how many inputs it takes; whether training
/// and inference differ; its FLOPs; and the calls its forward and backward make in each layout.
/// Adding a layer kind is its attribute, a subclass of this, and one entry in <see cref="LayerCatalog.All"/>.
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

    // ---- Reading and checking the declaration ----

    /// <summary>
    /// The declared layer from its attribute's constructor arguments, before the shapes flowing in are
    /// known. Arguments whose values break a rule of the kind are reported on <paramref name="site"/> (the
    /// layer is still returned, so that the rest of the chain is checked too). Null only with a diagnostic
    /// on <paramref name="site"/>; where a kind returns null without one, the parser reports NG0045.
    /// </summary>
    public virtual LayerSpec? Read(ImmutableArray<TypedConstant> arguments, DeclarationSite site)
        => arguments.IsEmpty ? new LayerSpec(Kind, Shape.Unknown, Shape.Unknown) : null;

    /// <summary>
    /// The declared layer from its attribute's constructor and named arguments (a convolution's
    /// <c>Stride</c>, <c>Padding</c>, ...); by default the named arguments are not the kind's and the
    /// constructor's alone are read.
    /// </summary>
    public virtual LayerSpec? Read(ImmutableArray<TypedConstant> arguments, ImmutableArray<KeyValuePair<string, TypedConstant>> namedArguments, DeclarationSite site)
        => Read(arguments, site);

    /// <summary>
    /// Whether the layer takes a flat sample only (a Linear layer, Softmax): after a shape of rank 2 or 3
    /// it needs a Flatten or GlobalAvgPool first (NG0053). False by default.
    /// </summary>
    public virtual bool TakesFlatInput => false;

    /// <summary>Whether the layer's output has the shape of its input (true by default: an activation).</summary>
    public virtual bool KeepsShape => true;

    /// <summary>
    /// Values the layer's kernels need as scratch per call, whatever the batch (a convolution's window
    /// matrix); 0 by default. The passes hold one region of the largest such size for every layer.
    /// </summary>
    public virtual int KernelWorkspace(LayerSpec layer) => 0;

    /// <summary>
    /// Whether the layer's forward reads that scratch in a feature-major pass too; by default whenever it has
    /// any. Feature-major inference reserves it only when some layer does.
    /// </summary>
    public virtual bool FeatureMajorForwardUsesKernelWorkspace(PlannedLayer layer) => KernelWorkspace(layer.Layer) > 0;

    /// <summary>
    /// Whether the layer works on channels and positions and its main kernels run sample-major
    /// (convolutions, pools): such a layer is never in a sequence network, and what it cannot do
    /// feature-major (a convolution's weight gradient) runs between transposes through two buffers as wide
    /// as the widest activation (t1 and t2). False by default.
    /// </summary>
    public virtual bool RunsSampleMajorOnly => false;

    /// <summary>
    /// Whether the layer's forward in a feature-major pass runs between transposes, through the sample-major
    /// buffers t1 and t2, for want of a feature-major kernel of its own: only then does feature-major
    /// inference reserve those two buffers. False by default.
    /// </summary>
    public virtual bool ForwardRunsBetweenTransposes(PlannedLayer layer) => false;

    /// <summary>
    /// The shape of the values this layer takes, where the declaration states it (a Linear's inputs):
    /// the first layer that states one fixes the network's input. Unknown for kinds that take any shape.
    /// </summary>
    public virtual Shape StatedInput(LayerSpec declared) => Shape.Unknown;

    /// <summary>
    /// The layer with its shapes filled in from the shape flowing into it, <paramref name="incoming"/>
    /// (made by <paramref name="from"/>, as a diagnostic names it); a shape that does not fit is reported
    /// on <paramref name="site"/>. By default the layer keeps the shape (an activation).
    /// </summary>
    public virtual LayerSpec WithIncoming(LayerSpec declared, Shape incoming, string from, DeclarationSite site)
        => declared with { InputShape = incoming, OutputShape = incoming };

    /// <summary>Checks a layer whose shapes are known against the network's options (FullUnroll's limit); by default nothing to check.</summary>
    public virtual void CheckOptions(LayerSpec layer, DeclarationSite site)
    {
    }

    // ---- What the planner asks ----

    /// <summary>
    /// The layer's parameter tensors in PyTorch's state_dict order (none by default), from the table shared
    /// with the library (src/NetGen/Layouts): a kind whose tensors depend on more than its two sizes (a
    /// convolution's kernel and groups) overrides this to call its own function there.
    /// </summary>
    public virtual IReadOnlyList<TensorLayout> ParameterTensors(LayerSpec layer) => LayerLayouts.Tensors(Name, layer.Inputs, layer.Outputs);

    /// <summary>The layer's trainable values: the sum over its tensors.</summary>
    public long ParameterCount(LayerSpec layer) => LayerLayouts.CountOf(ParameterTensors(layer));

    /// <summary>Which of its activations the layer's backward reads: its input, its output, or neither.</summary>
    public abstract SavedValues Saves { get; }

    /// <summary>
    /// Values beyond its input and output that the layer's training forward keeps for its backward (a
    /// dropout mask, per-sample statistics), each with its size per sample; none by default. The planner
    /// gives each its own range of the training workspace.
    /// </summary>
    public virtual IReadOnlyList<SavedExtra> SavedExtras(LayerSpec layer) => System.Array.Empty<SavedExtra>();

    /// <summary>
    /// Whether the layer may write its output over its input, forward and backward (the delta over the
    /// delta): true for values computed each from its own input position; false where an output reads
    /// several inputs that a write in place would already have overwritten (a Linear layer, a pooling).
    /// </summary>
    public abstract bool MayRunInPlace { get; }

    /// <summary>How many values flow into the layer: 1, or 2 for a join such as a residual's sum.</summary>
    public virtual int InputCount => 1;

    /// <summary>
    /// Whether the layer computes differently in training (dropout, batch statistics); false by default.
    /// Such a kind writes its training forward in <see cref="ForwardTraining"/>, and <see cref="Forward"/>
    /// is its evaluation mode.
    /// </summary>
    public virtual bool TrainingDiffers => false;

    /// <summary>
    /// Whether the node computes nothing because its value is its source's, where that already is: the
    /// start of a residual block, which only marks the value its join adds back. No call, no copy, no
    /// workspace of its own.
    /// </summary>
    public virtual bool AliasesSource => false;

    /// <summary>
    /// Whether the node's backward leaves the delta where it is (a residual marker or join, whose
    /// derivative is 1): the walk back keeps the delta's buffer, and the kind writes only its side work
    /// (keeping the delta for the skip path, or adding it back) into <see cref="BackwardCall.InputGradient"/>,
    /// which is the delta itself except where the caller's span takes the input gradient.
    /// </summary>
    public virtual bool PassesDeltaThrough => false;

    /// <summary>
    /// The layer's buffers: state that is not trained but is part of the model (BatchNorm's running
    /// statistics), from the layout table shared with the library; none by default.
    /// </summary>
    public virtual IReadOnlyList<TensorLayout> BufferTensors(LayerSpec layer) => System.Array.Empty<TensorLayout>();

    /// <summary>
    /// For a kind whose training needs more than one value per channel (BatchNorm's unbiased variance),
    /// the values per channel one sample gives; 0 where any batch will do.
    /// </summary>
    public virtual int TrainingValuesPerChannel(LayerSpec layer) => 0;

    /// <summary>The statement that runs the layer forward in training mode; <see cref="Forward"/> for kinds that train as they infer.</summary>
    public virtual string ForwardTraining(ForwardCall call) => Forward(call);

    /// <summary>
    /// Writes what a training call commits once it is kept (BatchNorm's running-statistics update from the
    /// batch statistics its forward left in the workspace, w, for count samples); nothing by default.
    /// </summary>
    public virtual void EmitCommitTraining(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
    }

    /// <summary>
    /// Whether this layer's sample-major forward is written out in full in the generated file (a tiny
    /// Linear layer); false by default.
    /// </summary>
    public virtual bool WritesOutForward(LayerSpec layer, bool fullUnroll) => false;

    /// <summary>
    /// Whether the kind's feature-major forward can apply a ReLU that follows it as it stores its sums
    /// (<see cref="ForwardCall.FusedReLU"/>): the ReLU layer then needs no pass of its own in inference.
    /// </summary>
    public virtual bool FusesReLUInColumns => false;

    // ---- Text ----

    /// <summary>The layer in the canonical architecture text, e.g. <c>Linear(4,16)</c>.</summary>
    public virtual string CanonicalText(LayerSpec layer) => Name;

    /// <summary>The layer as a reader writes it, e.g. <c>Linear(4, 16)</c>.</summary>
    public virtual string DisplayText(LayerSpec layer) => Name;

    /// <summary>Floating-point operations per sample, forward (a rough count for activations).</summary>
    public abstract long ForwardFlops(LayerSpec layer);

    // ---- Emission ----

    /// <summary>The statement that runs the layer forward.</summary>
    public abstract string Forward(ForwardCall call);

    /// <summary>Writes the statements that backpropagate through the layer (and, for a layer with parameters, its parameter gradients).</summary>
    public abstract void EmitBackward(CodeWriter writer, BackwardCall call);

    /// <summary>Members the layer adds to the network's nested Kernels class (a Linear layer's shape).</summary>
    public virtual void EmitMembers(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
    }
}

/// <summary>The activations a layer's backward reads.</summary>
[System.Flags]
internal enum SavedValues
{
    None = 0,
    Input = 1,
    Output = 2,
}

/// <summary>A value a layer's training forward keeps for its backward beside its input and output, e.g. a dropout mask.</summary>
internal sealed record SavedExtra(string Name, int PerSample);

/// <summary>
/// One forward call: the layer, the layout, the buffers it reads and writes, and the sample count's name;
/// for a join, <see cref="SecondSource"/> is the value it adds (a residual block's input). With
/// <see cref="FusedReLU"/> (feature-major inference, a kind whose <see cref="LayerDefinition.FusesReLUInColumns"/>),
/// the layer stores its outputs through the ReLU that follows it.
/// </summary>
internal sealed record ForwardCall(PlannedLayer Layer, Layout Layout, string Source, string Destination, string Count, NetworkPlan Plan, string? SecondSource = null, bool FusedReLU = false);

/// <summary>
/// One backward step. <see cref="Input"/> and <see cref="Output"/> are the layer's activations in the
/// pass's layout, <see cref="Delta"/> the gradient on its output, and <see cref="InputGradient"/> where
/// the gradient on its input goes (null where nothing below needs it: the first layer with parameters).
/// <see cref="SampleMajorInput"/> is the layer's input in sample-major form where the pass has it for free
/// (the caller's inputs for the first layer), else null; feature-major passes may use the two scratch
/// buffers t1 and t2 for sample-major copies. With <see cref="InputGradientOnly"/>, a layer with
/// parameters writes only the input gradient: its parameter gradients were written by an earlier step.
/// </summary>
internal sealed record BackwardCall(PlannedLayer Layer, Layout Layout, string Input, string Output, string Delta, string? InputGradient, string? SampleMajorInput, string Count, NetworkPlan Plan, bool InputGradientOnly = false);
