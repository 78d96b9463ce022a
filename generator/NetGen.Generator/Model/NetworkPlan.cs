using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>
/// Where each piece of the network lives: parameter offsets per Linear layer, the width of every
/// activation, and which buffer each layer reads and writes during inference and training. Derived
/// from a <see cref="NetworkSpec"/> alone, inside the emitter, so that it never enters the cached model.
/// </summary>
internal sealed class NetworkPlan
{
    /// <summary>Stack space the inference scratch may take per call; beyond it, the array pool is used.</summary>
    public const int StackBudgetBytes = 64 * 1024;

    /// <summary>Most samples processed per inference chunk: enough to stream each weight once per chunk.</summary>
    public const int MaxInferenceChunk = 64;

    public NetworkPlan(NetworkSpec spec)
    {
        Spec = spec;
        HasLoss = spec.Loss is not null;
        Names = new Emission.TypeNames(spec.ElementType, spec.Deterministic);

        var steps = new List<PlannedLayer>();
        // int suffices: the parser rejects a network whose parameters (NG0010) or one sample's
        // workspace (NG0013) would not fit in an array.
        int parameterOffset = 0;
        // The workspace starts with the batch's input, transposed for the feature-major kernels.
        int activationOffset = spec.Layers.First(l => l.IsLinear).Inputs;
        int position = 0;
        foreach (LayerSpec layer in spec.Layers)
        {
            position++;
            int weights = layer.IsLinear ? layer.Inputs * layer.Outputs : 0;
            steps.Add(new PlannedLayer(
                Number: position,
                Layer: layer,
                WeightOffset: parameterOffset,
                BiasOffset: parameterOffset + weights,
                ActivationOffset: activationOffset,
                // A deterministic network runs feature-major only, so a written-out sample-major forward would never run.
                WrittenOut: layer.IsLinear && !spec.Deterministic && Emission.Layers.LinearLayer.IsWrittenOut(layer, spec.FullUnroll)));
            parameterOffset += layer.IsLinear ? weights + layer.Outputs : 0;
            activationOffset += layer.Outputs;
        }
        Layers = steps;
        ParameterCount = parameterOffset;
        ActivationEnd = activationOffset;
        InputSize = spec.Layers.First(l => l.IsLinear).Inputs;
        OutputSize = steps[steps.Count - 1].Layer.Outputs;
        MaxWidth = Math.Max(InputSize, steps.Max(s => s.Layer.Outputs));
        FirstLinearIndex = steps.FindIndex(s => s.Layer.IsLinear);
        LastLinearIndex = steps.FindLastIndex(s => s.Layer.IsLinear);
        PlanInferenceBuffers();
    }

    public NetworkSpec Spec { get; }

    public string T => Spec.ElementKeyword;

    /// <summary>The type names the generated code spells for this element type.</summary>
    public Emission.TypeNames Names { get; }

    public int ElementBytes => Spec.ElementType == ElementType.Float ? 4 : 8;

    public bool HasLoss { get; }

    /// <summary>The layers that compute (the loss is folded into the training code), numbered from 1.</summary>
    public IReadOnlyList<PlannedLayer> Layers { get; }

    public int ParameterCount { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>The widest activation, the input included: the size of a delta buffer per sample.</summary>
    public int MaxWidth { get; }

    /// <summary>Values per sample of the transposed input and all activations stored for backpropagation.</summary>
    public int ActivationEnd { get; }

    public int FirstLinearIndex { get; }

    public int LastLinearIndex { get; }

    /// <summary>
    /// The training workspace per sample: the transposed input and every activation, then two delta
    /// buffers and two buffers for sample-major copies (the parameter-gradient kernel reads those).
    /// </summary>
    public long WorkspacePerSample => WorkspaceFormula(ActivationEnd, MaxWidth);

    /// <summary>
    /// One sample's training workspace from the values kept for backpropagation (the input and every
    /// activation) and the widest of them: the parser checks declarations against the same formula.
    /// </summary>
    public static long WorkspaceFormula(long keptValues, long widest) => keptValues + (4L * widest);

    /// <summary>
    /// Samples per chunk of feature-major batched inference: enough that a block of weight rows, once in
    /// cache, serves many samples (64), fewer only where one sample's activations are enormous.
    /// </summary>
    public int ColumnChunk => (int)Math.Max(1, Math.Min(64, (1 << 24) / MaxWidth));

    /// <summary>Inference: where each layer writes (index parallel to <see cref="Layers"/>).</summary>
    public IReadOnlyList<Buffer> InferenceTargets { get; private set; } = Array.Empty<Buffer>();

    /// <summary>Inference: values per sample of each scratch buffer.</summary>
    public int ScratchWidth { get; private set; }

    /// <summary>Inference: how many scratch buffers the layers need (0, 1 or 2).</summary>
    public int ScratchBuffers { get; private set; }

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

    /// <summary>
    /// Assigns buffers for inference. The last Linear writes straight into the caller's output, and the
    /// activations after it work in place there; before it, Linear layers alternate between two scratch
    /// buffers, and activations work in place (or copy out of the read-only input into scratch).
    /// </summary>
    private void PlanInferenceBuffers()
    {
        var targets = new Buffer[Layers.Count];
        Buffer current = Buffer.Input;
        int width = 0;
        int used = 0;
        for (int index = 0; index < Layers.Count; index++)
        {
            LayerSpec layer = Layers[index].Layer;
            Buffer target;
            if (index >= LastLinearIndex)
            {
                target = Buffer.Output;
            }
            else if (layer.IsLinear)
            {
                target = current == Buffer.ScratchA ? Buffer.ScratchB : Buffer.ScratchA;
            }
            else
            {
                target = current == Buffer.Input ? Buffer.ScratchA : current;
            }
            if (target is Buffer.ScratchA or Buffer.ScratchB)
            {
                width = Math.Max(width, layer.Outputs);
                used = Math.Max(used, target == Buffer.ScratchB ? 2 : 1);
            }
            targets[index] = target;
            current = target;
        }
        InferenceTargets = targets;
        ScratchWidth = width;
        ScratchBuffers = used;
    }
}

/// <summary>Where an activation lives during inference.</summary>
internal enum Buffer
{
    Input,
    ScratchA,
    ScratchB,
    Output,
}

/// <summary>One computing layer with its place in the parameters and in the training workspace.</summary>
internal sealed record PlannedLayer(int Number, LayerSpec Layer, int WeightOffset, int BiasOffset, int ActivationOffset, bool WrittenOut)
{
    public int Inputs => Layer.Inputs;

    public int Outputs => Layer.Outputs;

    public int WeightCount => Layer.Inputs * Layer.Outputs;

    /// <summary>Floating-point operations per sample, forward: 2 per weight (multiply and add), and a rough count for activations.</summary>
    public long ForwardFlops => Emission.Layers.LayerCatalog.For(Layer.Kind).ForwardFlops(Layer);

    /// <summary>The layer as a reader writes it, e.g. <c>Linear(4, 16)</c>.</summary>
    public string DisplayText => Emission.Layers.LayerCatalog.For(Layer.Kind).DisplayText(Layer);
}
