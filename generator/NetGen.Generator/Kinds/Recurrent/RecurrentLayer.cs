using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Layouts;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Recurrent;

/// <summary>
/// What GRU and LSTM share: both are declared <c>(inputs, hidden)</c>, state their inputs (so that
/// <c>[Network] [GRU(8, 8)]</c> alone is a network), make <c>hidden</c> features per step, own PyTorch's four
/// tensors (from the shared layout table), keep per step what their back-propagation through time reads
/// (one saved extra), and carry a state per sequence. A network with one is a sequence network: its passes
/// are written by the sequence emitter, which asks this class for the calls of each layer's kernels
/// (step, whole sequence, BPTT) rather than for the per-sample calls the other kinds give.
/// </summary>
internal abstract class RecurrentLayer : LayerDefinition
{
    /// <summary>Gates per hidden value: GRU 3, LSTM 4.</summary>
    public int Gates => LayerLayouts.RecurrentGates(Name);

    /// <summary>The kernels' prefix in NetGen.Runtime: <c>Gru</c> or <c>Lstm</c>.</summary>
    protected abstract string KernelPrefix { get; }

    /// <summary>Values a step keeps per sequence for BPTT, per hidden value (the kernels' GruSaved / LstmSaved).</summary>
    protected abstract int SavedPerHidden { get; }

    /// <summary>The state's parts, for comments: <c>h</c> or <c>h then c</c>.</summary>
    public abstract string StateText { get; }

    /// <summary>BPTT reads the layer's input (for W_ih's gradient); its output is the state it keeps itself.</summary>
    public override SavedValues Saves => SavedValues.Input;

    /// <summary>Every hidden value reads every input: never in place.</summary>
    public override bool MayRunInPlace => false;

    /// <summary>A recurrent layer's state per sequence: a GRU's h, an LSTM's h then c.</summary>
    public int StateSize(LayerSpec layer) => LayerLayouts.RecurrentStateSize(Name, layer.Outputs);

    public override LayerSpec? Read(ImmutableArray<TypedConstant> arguments, DeclarationSite site)
    {
        if (arguments.Length != 2 || arguments[0].Value is not int inputs || arguments[1].Value is not int hidden)
        {
            return null;
        }
        var layer = new LayerSpec(Kind, Shape.Features(inputs), Shape.Features(hidden), Arguments: new EquatableArray<int>(new[] { inputs, hidden }));
        if (inputs < 1 || hidden < 1)
        {
            site.Report(DiagnosticDescriptors.NonPositiveSize, DisplayText(layer), "inputs and hidden size");
            return layer;
        }
        // Every tensor, and every kernel's offsets into them, must be int: the largest is G * hidden rows
        // of (inputs + hidden + 2) values all told.
        long rows = (long)Gates * hidden;
        long values = rows * ((long)inputs + hidden + 2);
        if (values > NetworkPlan.MaxArrayLength)
        {
            site.Report(DiagnosticDescriptors.RecurrentTooLarge, DisplayText(layer), Gates, hidden.ToString(CultureInfo.InvariantCulture),
                rows.ToString("N0", CultureInfo.InvariantCulture), inputs.ToString(CultureInfo.InvariantCulture),
                NetworkPlan.MaxArrayLength.ToString("N0", CultureInfo.InvariantCulture));
            return null;
        }
        return layer;
    }

    /// <summary>A recurrent layer states its inputs per step: the first layer that states one fixes the network's input.</summary>
    public override Shape StatedInput(LayerSpec declared) => declared.InputShape;

    /// <summary>NG0066 for a shaped (rank 2 or 3) step, NG0065 for a width that differs from the declared inputs.</summary>
    public override LayerSpec WithIncoming(LayerSpec declared, Shape incoming, string from, DeclarationSite site)
    {
        if (!incoming.IsKnown || declared.Inputs < 1 || declared.Outputs < 1)
        {
            return declared;
        }
        if (incoming.Rank != 1)
        {
            site.Report(DiagnosticDescriptors.RecurrentAfterShapedLayer, DisplayText(declared), declared.Inputs, from, incoming.ToString());
        }
        else if (incoming.Size != declared.Inputs)
        {
            site.Report(DiagnosticDescriptors.RecurrentWidthMismatch, DisplayText(declared), declared.Inputs, incoming.Size, from,
                DisplayText(declared with { InputShape = incoming }));
        }
        return declared;
    }

    public override IReadOnlyList<TensorLayout> ParameterTensors(LayerSpec layer) => LayerLayouts.RecurrentTensors(Gates, layer.Inputs, layer.Outputs);

    /// <summary>Per step of each sequence, what the BPTT kernel reads back (the state the step started from and its gates).</summary>
    public override IReadOnlyList<SavedExtra> SavedExtras(LayerSpec layer) => new[] { new SavedExtra("steps", SavedPerHidden * layer.Outputs) };

    public override string CanonicalText(LayerSpec layer) => Invariant($"{Name}({layer.Inputs},{layer.Outputs})");

    public override string DisplayText(LayerSpec layer) => Invariant($"{Name}({layer.Inputs}, {layer.Outputs})");

    /// <summary>Per step: two products of G * hidden rows, and the gate arithmetic (a rough count).</summary>
    public override long ForwardFlops(LayerSpec layer) => (2L * Gates * layer.Outputs * (layer.Inputs + layer.Outputs)) + (8L * layer.Outputs);

    private static string ShapeStruct(PlannedLayer layer) => Invariant($"Layer{layer.Number}");

    /// <summary>Not a per-sample layer: the sequence emitter calls <see cref="Step"/> and <see cref="ForwardSequence"/> instead.</summary>
    public override string Forward(ForwardCall call)
        => throw new System.InvalidOperationException($"{Name} runs over steps: only the sequence passes call it.");

    /// <summary>Not a per-sample layer: the sequence emitter calls <see cref="EmitBackwardSequence"/> instead.</summary>
    public override void EmitBackward(CodeWriter writer, BackwardCall call)
        => throw new System.InvalidOperationException($"{Name} runs over steps: only the sequence passes call it.");

    /// <summary>The workspace one step of <paramref name="count"/> sequences needs, as a generated expression.</summary>
    public string StepWorkspaceLength(PlannedLayer layer, string count) => $"{KernelNames.Recurrent(KernelPrefix, KernelNames.RecurrentStepWorkspaceLength)}<{ShapeStruct(layer)}>({count})";

    /// <summary>
    /// One step of <c>count</c> sequences: inputs contiguous <c>[count, Inputs]</c>, the layer's state at
    /// <paramref name="states"/> with a stride of the network's whole state, outputs contiguous <c>[count, Hidden]</c>.
    /// </summary>
    public string Step(PlannedLayer layer, string source, string states, string stateStride, string destination, string count, string workspace)
        => Invariant($"{KernelNames.Recurrent(KernelPrefix, KernelNames.RecurrentStep)}<{ShapeStruct(layer)}>(p, {source}, {layer.Inputs}, {states}, {stateStride}, {destination}, {layer.Outputs}, {count}, {workspace});");

    /// <summary>
    /// One step of one sequence, the layer's state at <paramref name="state"/> (its own <see cref="StateSize"/>
    /// values, h first): the kernel that <see cref="Step"/> runs for each sequence of a block that does not
    /// fill the vector lanes, so the same bits, without the block's strides or the copy of h to an output.
    /// </summary>
    public string StepOne(PlannedLayer layer, string source, string state, string workspace)
        => Invariant($"{KernelNames.Recurrent(KernelPrefix, KernelNames.RecurrentStep)}<{ShapeStruct(layer)}>(p, {source}, {state}, {workspace});");

    /// <summary>
    /// One step of one sequence over a frozen copy whose weight matrices for this layer are transposed
    /// (<see cref="TransposeForColumns"/>): each h value broadcast into whole vectors of gate outputs. No
    /// workspace: the kernel keeps its own (in registers, or on its stack unzeroed).
    /// </summary>
    public string StepOneColumns(PlannedLayer layer, string source, string state)
        => Invariant($"{KernelNames.Recurrent(KernelPrefix, KernelNames.RecurrentStepColumns)}<{ShapeStruct(layer)}>(p, {source}, {state});");

    /// <summary>Writes this layer's tensors into a frozen copy, its two weight matrices transposed (input-major).</summary>
    public string TransposeForColumns(PlannedLayer layer, string parameters, string columns)
        => Invariant($"{KernelNames.TransposeRecurrentLayer}({parameters}, {columns}, {layer.Tensors[0].Offset}, {layer.Inputs}, {layer.Outputs}, {Gates});");

    /// <summary>The layer over whole sequences from the zero state, keeping what BPTT reads in <paramref name="saved"/>.</summary>
    public string ForwardSequence(PlannedLayer layer, string source, string destination, string saved, string workspace)
        => $"{KernelNames.Recurrent(KernelPrefix, KernelNames.RecurrentForwardSequence)}<{ShapeStruct(layer)}>(p, {source}, {destination}, batch, steps, default, {saved}, {workspace});";

    /// <summary>Back-propagation through time: the layer's four gradients over g, and the input gradient unless <paramref name="inputGradient"/> is null.</summary>
    public void EmitBackwardSequence(CodeWriter writer, PlannedLayer layer, string input, string delta, string? inputGradient, string saved, string workspace)
    {
        writer.Line(Invariant($"// Layer {layer.Number}, {DisplayText(layer.Layer)}: back-propagation through time, the four tensors' gradients{(inputGradient is null ? "" : " and d(inputs)")}."));
        writer.Line($"{KernelNames.Recurrent(KernelPrefix, KernelNames.RecurrentBackwardSequence)}<{ShapeStruct(layer)}>(p, {input}, {delta}, {inputGradient ?? "default"}, g, batch, steps, {saved}, default, {workspace});");
    }

    public override void EmitMembers(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
        string text = DisplayText(layer.Layer);
        PlannedTensor weightIh = layer.Tensors[0], biasHh = layer.Tensors[3];
        writer.Line(Invariant($"/// <summary>Layer {layer.Number}, {text}: weight_ih, weight_hh, bias_ih, bias_hh are Parameters[{weightIh.Offset}..{biasHh.End}), gates {GateOrder}.</summary>"));
        writer.Line(Invariant($"private readonly struct {ShapeStruct(layer)} : global::NetGen.Runtime.IRecurrentShape {{ public int Inputs => {layer.Inputs}; public int Hidden => {layer.Outputs}; public int Offset => {weightIh.Offset}; }}"));
    }

    /// <summary>PyTorch's gate order, for comments: <c>r, z, n</c> or <c>i, f, g, o</c>.</summary>
    public abstract string GateOrder { get; }
}
