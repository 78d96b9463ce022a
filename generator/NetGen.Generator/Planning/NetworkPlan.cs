using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Kinds;
using NetGen.Generator.Model;
using NetGen.Layouts;

namespace NetGen.Generator.Planning;

/// <summary>
/// Where each piece of the network lives, as a function of what each layer's kind answers: the graph of
/// nodes with their inputs, each node's parameter tensors at their offsets, each value the training pass
/// keeps at its workspace offset, which buffer each node reads and writes during inference (reused once
/// the value it held is dead), and the range the backward pass must cover. Derived from a
/// <see cref="NetworkSpec"/> alone, inside the emitter, so that it never enters the cached model.
/// </summary>
internal sealed class NetworkPlan
{
    /// <summary>Stack space the inference scratch may take per call; beyond it, the array pool is used.</summary>
    public const int StackBudgetBytes = 64 * 1024;

    /// <summary>Most samples processed per inference chunk: enough to stream each weight once per chunk.</summary>
    public const int MaxInferenceChunk = 64;

    /// <summary>The node index that stands for the network's input in <see cref="PlannedLayer.Sources"/>.</summary>
    public const int NetworkInput = -1;

    public NetworkPlan(NetworkSpec spec)
    {
        Spec = spec;
        HasLoss = spec.Loss is not null;
        Names = new Emission.TypeNames(spec.ElementType, spec.Deterministic);

        // The input: the shape [Input] states, else the one the first layer that states one takes (the
        // parser has checked there is one).
        if (spec.InputShape.IsKnown)
        {
            InputShape = spec.InputShape;
        }
        else
        {
            LayerSpec stating = spec.Layers.First(l => l.Definition().StatedInput(l).IsKnown);
            InputShape = stating.Definition().StatedInput(stating);
        }
        InputSize = (int)InputShape.Size;

        var steps = new List<PlannedLayer>();
        // int suffices: the parser rejects a network whose parameters (NG0010) or one sample's
        // workspace (NG0013) would not fit in an array.
        int parameterOffset = 0;
        int bufferOffset = 0;
        // The workspace starts with the batch's input, transposed for the feature-major kernels; then
        // every node's output, kept for the backward pass.
        int activationOffset = InputSize;
        int position = 0;
        // The residual blocks open at this point of the chain, innermost on top (their marker nodes' indexes).
        var openBlocks = new Stack<int>();
        int deepest = 0;
        foreach (LayerSpec layer in spec.Layers)
        {
            LayerDefinition definition = layer.Definition();
            var tensors = new List<PlannedTensor>();
            int layerStart = parameterOffset;
            foreach (TensorLayout tensor in definition.ParameterTensors(layer))
            {
                tensors.Add(new PlannedTensor(tensor, parameterOffset));
                parameterOffset += (int)tensor.Count;
            }
            // Each node reads the one before it (the first the input); a join also reads the value its
            // block started from, the marker that opened it; the parser has checked that blocks match.
            int[] sources;
            int depth = 0;
            if (definition.AliasesSource)
            {
                sources = new[] { position - 1 };
                openBlocks.Push(position);
                depth = openBlocks.Count;
            }
            else if (definition.InputCount == 2)
            {
                if (openBlocks.Count == 0)
                {
                    throw new InvalidOperationException("A join without an open block: the parser reports NG0080 before planning.");
                }
                depth = openBlocks.Count;
                sources = new[] { position - 1, openBlocks.Pop() };
            }
            else
            {
                sources = new[] { position - 1 };
            }
            deepest = Math.Max(deepest, depth);
            // A marker's value is its source's, where that already is.
            int kept = definition.AliasesSource ? (position == 0 ? 0 : steps[position - 1].ActivationOffset) : activationOffset;
            position++;
            steps.Add(new PlannedLayer(
                Number: position,
                Layer: layer,
                Sources: sources,
                ParameterOffset: layerStart,
                Tensors: tensors,
                ActivationOffset: kept,
                // A deterministic network runs feature-major only, so a written-out sample-major forward would never run.
                WrittenOut: !spec.Deterministic && definition.WritesOutForward(layer, spec.FullUnroll))
            {
                SkipDepth = depth,
                BufferOffset = bufferOffset,
            });
            bufferOffset += (int)LayerLayouts.CountOf(definition.BufferTensors(layer));
            if (!definition.AliasesSource)
            {
                activationOffset += layer.Outputs;
            }
        }
        if (openBlocks.Count > 0)
        {
            throw new InvalidOperationException("A residual block never closed: the parser reports NG0081 before planning.");
        }
        // Values beyond activations that a kind keeps for its backward (a dropout mask, normalisation statistics).
        var extras = new List<PlannedExtra>();
        foreach (PlannedLayer step in steps)
        {
            foreach (SavedExtra extra in step.Layer.Definition().SavedExtras(step.Layer))
            {
                extras.Add(new PlannedExtra(step.Number, extra, activationOffset));
                activationOffset += extra.PerSample;
            }
        }
        Layers = steps;
        Extras = extras;
        ParameterCount = parameterOffset;
        BufferCount = bufferOffset;
        SkipBuffers = deepest;
        ModeDiffers = steps.Any(l => l.Layer.Definition().TrainingDiffers);
        HasDropout = steps.Any(l => l.Layer.Kind == LayerKind.Dropout);
        TrainingValuesPerChannel = steps.Select(l => l.Layer.Definition().TrainingValuesPerChannel(l.Layer)).Where(v => v > 0).DefaultIfEmpty(0).Min();
        ActivationEnd = activationOffset;
        OutputSize = steps[steps.Count - 1].Layer.Outputs;
        MaxWidth = Math.Max(InputSize, steps.Max(s => s.Layer.Outputs));
        BackwardStopIndex = steps.FindIndex(s => s.Tensors.Count > 0);
        RowBuffers = BufferAllocation.Rows(steps);
        ColumnBuffers = BufferAllocation.Columns(steps);
        ScratchWidth = steps.Where((s, i) => RowBuffers[i].IsScratch).Select(s => s.Outputs).DefaultIfEmpty(0).Max();
        ScratchBuffers = RowBuffers.Where(b => b.IsScratch).Select(b => b.Scratch + 1).DefaultIfEmpty(0).Max();
        ColumnBufferCount = Math.Max(2, ColumnBuffers.Max(b => b.Scratch + 1));
        KernelWorkspace = steps.Select(s => s.Layer.Definition().KernelWorkspace(s.Layer)).DefaultIfEmpty(0).Max();
        HasSpatialLayers = steps.Any(s => s.Layer.Definition().RunsSampleMajorOnly);
        ForwardNeedsSampleMajorCopies = steps.Any(s => s.Layer.Definition().ForwardRunsBetweenTransposes(s));
        FeatureMajorInferenceNeedsKernelWorkspace = steps.Any(s => s.Layer.Definition().FeatureMajorForwardUsesKernelWorkspace(s));
    }

    /// <summary>The shape of one input sample: what [Input] states, or the first stating layer's flat width.</summary>
    public Shape InputShape { get; }

    /// <summary>
    /// Values of scratch the kernels of the largest layer need per call whatever the batch (a convolution's
    /// window matrix), held once per pass: 0 for networks whose kernels need none.
    /// </summary>
    public int KernelWorkspace { get; }

    /// <summary>Whether feature-major inference needs <see cref="KernelWorkspace"/> (a layer's forward uses it in that layout too).</summary>
    public bool FeatureMajorInferenceNeedsKernelWorkspace { get; }

    /// <summary>Whether a layer works on channels and positions (a convolution, a pool): what the generated comments describe.</summary>
    public bool HasSpatialLayers { get; }

    /// <summary>
    /// Whether a layer's forward runs between transposes in feature-major passes (one without a feature-major
    /// kernel of its own), so that feature-major inference and the training forward need the sample-major
    /// buffers t1 and t2. The backward always has them: they are two of the training workspace's four wide
    /// buffers, and a convolution's weight gradient reads them.
    /// </summary>
    public bool ForwardNeedsSampleMajorCopies { get; }

    /// <summary>
    /// The statement that grows the training workspace for <c>count</c> samples: per sample, the kept
    /// activations and four buffers; then, once, the kernels' scratch where a layer needs one.
    /// </summary>
    public string EnsureWorkspaceStatement(string parameterName) => KernelWorkspace == 0
        ? $"Kernels.EnsureWorkspace(ref _workspace, ref _workspaceSamples, count, WorkspacePerSample, nameof({parameterName}));"
        : $"Kernels.EnsureWorkspace(ref _workspace, ref _workspaceSamples, count, WorkspacePerSample, Kernels.KernelWorkspace, nameof({parameterName}));";

    public NetworkSpec Spec { get; }

    public string T => Spec.ElementKeyword;

    /// <summary>The type names the generated code spells for this element type.</summary>
    public Emission.TypeNames Names { get; }

    public int ElementBytes => Spec.ElementType == ElementType.Float ? 4 : 8;

    public bool HasLoss { get; }

    /// <summary>The layers that compute (the loss is folded into the training code), numbered from 1.</summary>
    public IReadOnlyList<PlannedLayer> Layers { get; }

    public int ParameterCount { get; }

    /// <summary>Values of state that is not trained (BatchNorm's running statistics), per node at its <see cref="PlannedLayer.BufferOffset"/>.</summary>
    public int BufferCount { get; }

    /// <summary>The deepest nesting of residual blocks: how many skip-delta buffers the backward pass holds.</summary>
    public int SkipBuffers { get; }

    /// <summary>Whether some node computes differently in training (dropout, batch statistics): then the training forward takes the mode.</summary>
    public bool ModeDiffers { get; }

    /// <summary>Whether the network draws dropout masks, from the instance's own generator.</summary>
    public bool HasDropout { get; }

    /// <summary>
    /// For a network with BatchNorm, the fewest values per channel one sample gives to a batch-norm layer
    /// (a training batch needs more than one per channel); 0 where any batch trains.
    /// </summary>
    public int TrainingValuesPerChannel { get; }

    /// <summary>Whether a training call may take one sample: not where a BatchNorm layer would see one value per channel.</summary>
    public bool TrainsOneSample => TrainingValuesPerChannel != 1;

    /// <summary>The workspace span of the value <paramref name="name"/> that <paramref name="layer"/> keeps for its backward, for <paramref name="count"/> samples.</summary>
    public string ExtraSpan(PlannedLayer layer, string name, string count)
    {
        PlannedExtra extra = Extras.First(e => e.LayerNumber == layer.Number && e.Extra.Name == name);
        return Emission.CodeWriter.Invariant($"w.Slice({count} * {OffsetName(extra)}, {count} * {extra.Extra.PerSample})");
    }

    /// <summary>The generated constant that holds where <paramref name="layer"/>'s output sits in the training workspace, per sample.</summary>
    public static string OffsetName(PlannedLayer layer) => Emission.CodeWriter.Invariant($"Layer{layer.Number}Output");

    /// <summary>The generated constant that holds where a layer's saved value (a mask, statistics) sits in the training workspace, per sample.</summary>
    public static string OffsetName(PlannedExtra extra)
        => Emission.CodeWriter.Invariant($"Layer{extra.LayerNumber}{char.ToUpperInvariant(extra.Extra.Name[0])}{extra.Extra.Name.Substring(1)}");

    /// <summary>The skip-delta buffer of the residual blocks at nesting <paramref name="depth"/> (1 for the outermost), as the backward pass names it.</summary>
    public string SkipBuffer(int depth, int width) => Emission.CodeWriter.Invariant($"s{depth}.Slice(0, count * {width})");

    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>The widest activation, the input included: the size of a delta buffer per sample.</summary>
    public int MaxWidth { get; }

    /// <summary>Values per sample of the transposed input and all activations stored for backpropagation.</summary>
    public int ActivationEnd { get; }

    /// <summary>
    /// The lowest node the backward pass must reach for parameter gradients: the first with parameters.
    /// Below it nothing is trained, so the pass goes on only when the caller asks for the input gradient.
    /// </summary>
    public int BackwardStopIndex { get; }

    /// <summary>Values a kind keeps for its backward beside the activations, each at its workspace offset.</summary>
    public IReadOnlyList<PlannedExtra> Extras { get; }

    /// <summary>Every parameter tensor in <c>Parameters</c> order, with its node.</summary>
    public IEnumerable<(PlannedLayer Layer, PlannedTensor Tensor)> ParameterTensors => Layers.SelectMany(l => l.Tensors.Select(t => (l, t)));

    /// <summary>
    /// The training workspace per sample: the transposed input, every activation and every kept extra, then
    /// two delta buffers, two buffers for sample-major copies (the parameter-gradient kernel reads those)
    /// and one skip-delta buffer per level of residual nesting.
    /// </summary>
    public long WorkspacePerSample => WorkspaceFormula(ActivationEnd, MaxWidth, SkipBuffers);

    /// <summary>
    /// One sample's training workspace from the values kept for backpropagation (the input and every
    /// activation) and the widest of them: the parser checks declarations against the same formula.
    /// </summary>
    public static long WorkspaceFormula(long keptValues, long widest, int skipBuffers = 0) => keptValues + ((4L + skipBuffers) * widest);

    /// <summary>
    /// Samples per chunk of feature-major batched inference: enough that a block of weight rows, once in
    /// cache, serves many samples (64), fewer only where one sample's activations are enormous.
    /// </summary>
    public int ColumnChunk => (int)Math.Max(1, Math.Min(64, (1 << 24) / MaxWidth));

    /// <summary>Sample-major inference: where each node writes (index parallel to <see cref="Layers"/>).</summary>
    public IReadOnlyList<InferenceBuffer> RowBuffers { get; }

    /// <summary>Feature-major inference: which of the chunk's scratch buffers each node writes (the input's transposed copy is buffer 0).</summary>
    public IReadOnlyList<InferenceBuffer> ColumnBuffers { get; }

    /// <summary>Feature-major inference: how many buffers of <c>chunk * MaxWidth</c> values the pass holds (at least the two it always had).</summary>
    public int ColumnBufferCount { get; }

    /// <summary>Sample-major inference: values per sample of each scratch buffer.</summary>
    public int ScratchWidth { get; }

    /// <summary>Sample-major inference: how many scratch buffers the nodes need.</summary>
    public int ScratchBuffers { get; }

    public long ScratchPerSample => (long)ScratchWidth * ScratchBuffers;

    /// <summary>True when even one sample's scratch exceeds the stack budget, so inference rents from the array pool.</summary>
    public bool ScratchNeedsPool => ScratchPerSample * ElementBytes > StackBudgetBytes;

    /// <summary>The longest array .NET allocates (Array.MaxLength): the one array-length limit the generator uses.</summary>
    public const long MaxArrayLength = 0x7FFFFFC7;

    /// <summary>
    /// At most this many elements of pooled scratch per chunk (64 MB of floats), unless one sample needs more:
    /// a very wide network then runs fewer samples per chunk rather than renting gigabytes.
    /// </summary>
    public const long PooledScratchElements = 1L << 24;

    /// <summary>
    /// Samples per inference chunk, chosen so that a chunk's scratch fits the stack budget, or, when
    /// it is rented, one array: the emitted <c>chunk * ScratchWidth * buffers</c> is int arithmetic.
    /// </summary>
    public int InferenceChunk => ScratchPerSample == 0
        ? MaxInferenceChunk
        : ScratchNeedsPool
            ? (int)Math.Max(1, Math.Min(MaxInferenceChunk, PooledScratchElements / ScratchPerSample))
            : (int)Math.Max(1, Math.Min(MaxInferenceChunk, StackBudgetBytes / (ScratchPerSample * ElementBytes)));
}

/// <summary>A parameter tensor of a node, at its offset in <c>Parameters</c>.</summary>
internal sealed record PlannedTensor(TensorLayout Layout, int Offset)
{
    public int Count => (int)Layout.Count;

    public int End => Offset + Count;
}

/// <summary>A value a node's training forward keeps for its backward beside the activations, at its workspace offset per sample.</summary>
internal sealed record PlannedExtra(int LayerNumber, SavedExtra Extra, int Offset);

/// <summary>
/// One node of the network's graph: its layer, the nodes it reads (<see cref="Sources"/>, by index, with
/// <see cref="NetworkPlan.NetworkInput"/> for the input; as many as its kind's InputCount), its parameter tensors, and where its output is kept in the training workspace.
/// </summary>
internal sealed record PlannedLayer(int Number, LayerSpec Layer, IReadOnlyList<int> Sources, int ParameterOffset, IReadOnlyList<PlannedTensor> Tensors, int ActivationOffset, bool WrittenOut)
{
    /// <summary>For a residual marker or join, the nesting depth of its block (1 for the outermost); 0 otherwise.</summary>
    public int SkipDepth { get; init; }

    /// <summary>Where the node's buffers (running statistics) start in <c>Buffers</c>.</summary>
    public int BufferOffset { get; init; }

    /// <summary>Values per sample flowing in.</summary>
    public int Inputs => Layer.Inputs;

    public int Outputs => Layer.Outputs;

    /// <summary>The node's parameter values, all tensors together.</summary>
    public int ParameterCount => Tensors.Sum(t => t.Count);

    /// <summary>Floating-point operations per sample, forward: 2 per weight (multiply and add), and a rough count for activations.</summary>
    public long ForwardFlops => Layer.Definition().ForwardFlops(Layer);

    /// <summary>The layer as a reader writes it, e.g. <c>Linear(4, 16)</c>.</summary>
    public string DisplayText => Layer.Definition().DisplayText(Layer);
}
