using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Recurrent;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// The passes of a sequence network, in its nested Kernels class. Inference steps: a block of sequences
/// goes through every layer one step at a time (a recurrent layer's batched step kernel reads and updates
/// its part of each sequence's state), with scratch on the stack, so Step and whole-sequence Forward share
/// one path and give the same bits. Training runs layer by layer over whole sequences: a recurrent layer
/// runs its sequence kernel (keeping per step what back-propagation through time reads), every other layer
/// runs once over the <c>batch * steps</c> rows, as a batch of samples; backward walks the layers back the
/// same way. Sample-major throughout; in the deterministic mode every non-recurrent layer runs feature-major
/// between two transposes, as a deterministic network's layers do, so that no sum depends on the vector width.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>Buffers of <c>rows * MaxWidth</c> in the training workspace after the activations: d1 and d2, and in the deterministic mode t1, t2 and four feature-major copies c1 to c4.</summary>
    private int SequenceRowBuffers => Spec.Deterministic ? 8 : 2;

    /// <summary>Where the recurrent kernels' own workspace starts, per row of the training workspace.</summary>
    private long RecurrentWorkspaceStart => _plan.ActivationEnd + ((long)SequenceRowBuffers * _plan.MaxWidth);

    /// <summary>
    /// Values per row of the training workspace: activations and saved steps, the row buffers, and a bound on
    /// the recurrent kernels' workspace per row (Inputs + 12 * Hidden covers both kernels' forward and BPTT
    /// for any batch and step count: the GRU needs at most max(Inputs + 8 H, 11 H), the LSTM max(Inputs + 12 H, 10 H)).
    /// </summary>
    private long SequenceWorkspacePerRow => RecurrentWorkspaceStart
        + _plan.Layers.Where(l => RecurrentKind(l) is not null).Select(l => (long)l.Inputs + (12L * l.Outputs)).DefaultIfEmpty(0).Max();

    /// <summary>Buffers of <c>count * MaxWidth</c> a step block uses: two activations, and two feature-major copies in the deterministic mode.</summary>
    private int StepBuffers => Spec.Deterministic ? 4 : 2;

    private void EmitSequenceKernels()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        _w.Line("// The network's sizes, for the passes below (the class's own constants, repeated so that the passes read only their own).");
        _w.Line(Invariant($"private const int InputSize = {_plan.InputSize}, OutputSize = {_plan.OutputSize}, StateSize = {StateSize};"));
        _w.Line();
        _w.Line("// The widest activation, the input included: the size of each scratch buffer per sequence.");
        _w.Line(Invariant($"public const int MaxWidth = {_plan.MaxWidth};"));
        EmitWorkspaceOffsets("rows");
        _w.Line();
        _w.Line("// Stack scratch a step block may take; past it, the array pool.");
        _w.Line(Invariant($"private const int StackBudgetBytes = {NetworkPlan.StackBudgetBytes};"));
        _w.Line();
        _w.Line("// Most sequences stepped together: enough to fill the vector lanes of the batched step kernels.");
        _w.Line(Invariant($"private const int MaxStepBlock = {NetworkPlan.MaxInferenceChunk};"));
        _w.Line();
        _w.Line("// Per row (one step of one sequence) of the training workspace: where the recurrent kernels' workspace starts.");
        _w.Line(Invariant($"public const int RecurrentWorkspaceStart = {RecurrentWorkspaceStart};"));
        foreach (PlannedLayer layer in _plan.Layers)
        {
            var members = new CodeWriter();
            LayerCatalog.For(layer.Layer.Kind).EmitMembers(members, layer, _plan);
            string text = members.ToString();
            if (text.Length > 0)
            {
                _w.Line();
                _w.Lines(text.TrimEnd('\n', '\r'));
            }
        }
        _w.Line();
        EmitStepScratch();
        _w.Line();
        EmitStepEntry("Step", $"{rs} inputs, {span} outputs, {span} states, int count", "count", "StepBlocks(p, inputs, outputs, states, count, block, scratch);",
            "/// <summary>One step of count sequences, in blocks of at most MaxStepBlock, with stack scratch (or pooled, for a very wide network).</summary>");
        _w.Line();
        EmitStepOne();
        _w.Line();
        if (Freezes)
        {
            EmitStepOne(columns: true);
            _w.Line();
            EmitSequenceFillColumns();
            _w.Line();
        }
        EmitStepBlocks();
        _w.Line();
        EmitStepEntry("ForwardSequences", $"{rs} inputs, {span} outputs, int batch, int steps", "batch", "SequenceBlocks(p, inputs, outputs, batch, steps, block, scratch);",
            "/// <summary>Whole sequences from the zero state, each block of sequences stepped as Step steps it, so that the bits are Step's.</summary>");
        _w.Line();
        EmitSequenceBlocks();
        _w.Line();
        EmitStepBlock();
        _w.Line();
        EmitSequenceForwardTraining();
        _w.Line();
        EmitSequenceBackward();
        if (Spec.Loss is not null)
        {
            _w.Line();
            EmitSequenceLossKernels();
        }
    }

    /// <summary>The scratch per sequence of a step block, and how many sequences a block holds.</summary>
    private void EmitStepScratch()
    {
        string t = _names.Element;
        IEnumerable<string> workspaces = _plan.Layers.Where(l => RecurrentKind(l) is not null).Select(l => RecurrentKind(l)!.StepWorkspaceLength(l, "1"));
        string workspace = workspaces.Aggregate((a, b) => $"global::System.Math.Max({a}, {b})");
        _w.Line("/// <summary>");
        _w.Line(Invariant($"/// Scratch per sequence of a step block: its state, input and output while whole sequences are stepped, {StepBuffers} buffers"));
        _w.Line("/// of MaxWidth for the activations, and the largest recurrent step's workspace.");
        _w.Line("/// </summary>");
        _w.Line(Invariant($"private static int StepScratchPerSequence => StateSize + InputSize + OutputSize + ({StepBuffers} * MaxWidth) + {workspace};"));
        _w.Line();
        _w.Line("/// <summary>Sequences per step block: at most MaxStepBlock, as many as the stack budget holds, at least one.</summary>");
        using (_w.Block("private static int StepBlockSize(int perSequence, int count)"))
        {
            _w.Line($"int fits = StackBudgetBytes / (perSequence * sizeof({t}));");
            _w.Line("int block = fits < MaxStepBlock ? fits : MaxStepBlock;");
            _w.Line("block = block < 1 ? 1 : block;");
            _w.Line("return count < block ? count : block;");
        }
    }

    /// <summary>A pass's entry: its scratch on the stack when it fits the budget, else rented from the array pool.</summary>
    private void EmitStepEntry(string name, string parameters, string count, string call, string summary)
    {
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        _w.Line(summary);
        _w.Line(Optimized);
        using (_w.Block($"public static void {name}({rs} p, {parameters})"))
        {
            _w.Line("int perSequence = StepScratchPerSequence;");
            _w.Line($"int block = StepBlockSize(perSequence, {count});");
            using (_w.Block($"if ((long)block * perSequence * sizeof({t}) <= StackBudgetBytes)"))
            {
                _w.Line($"{span} scratch = stackalloc {t}[block * perSequence];");
                _w.Line(call);
                _w.Line("return;");
            }
            _w.Line($"{t}[] rented = {TypeNames.ArrayPool}<{t}>.Shared.Rent(block * perSequence);");
            using (_w.Block("try"))
            {
                _w.Line($"{span} scratch = new {span}(rented, 0, block * perSequence);");
                _w.Line(call);
            }
            using (_w.Block("finally"))
            {
                _w.Line($"{TypeNames.ArrayPool}<{t}>.Shared.Return(rented);");
            }
        }
    }

    /// <summary>
    /// One step of one sequence, the call a game agent or an audio callback makes every frame or sample: the
    /// layers as a step block of one runs them (the same kernels, so the same bits), but each recurrent
    /// layer steps its part of the caller's state in place and the next layer reads the new h from there,
    /// so there are no block strides and no copy of h; the scratch is a stack buffer of a size the JIT
    /// knows. A network too wide for the stack takes Step's pooled path.
    /// </summary>
    private void EmitStepOne(bool columns = false)
    {
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        IReadOnlyList<int> stateOffsets = StateOffsets;
        if (columns)
        {
            _w.Line("#if NET8_0_OR_GREATER");
            _w.Line("/// <summary>");
            _w.Line("/// StepOne over a frozen copy (FillColumns): the recurrent layers that step in registers read their weight matrices");
            _w.Line("/// input-major, each h value broadcast into whole vectors of gate outputs. On AVX-512 only; a network too wide for the");
            _w.Line("/// stack steps the plain copy instead.");
            _w.Line("/// </summary>");
            _w.Line(Optimized);
        }
        else
        {
            _w.Line("/// <summary>One step of one sequence: each recurrent layer steps its part of the state in place (the kernel a step block of one runs, so the same bits).</summary>");
            _w.Line(Optimized);
        }
        using (_w.Block(columns ? $"public static void StepOneColumns({rs} p, {rs} plain, {rs} input, {span} output, {span} state)" : $"public static void StepOne({rs} p, {rs} input, {span} output, {span} state)"))
        {
            using (_w.Block($"if (StepScratchPerSequence * sizeof({t}) > StackBudgetBytes)"))
            {
                _w.Line(columns ? "StepOne(plain, input, output, state);" : "Step(p, input, output, state, 1);");
                _w.Line("return;");
            }
            // Only the buffers the layers below use: a layer that acts on each step alone writes a or b by
            // its position (as in StepBlock), or the output if it is the last.
            int last = _plan.Layers.Count - 1;
            bool[] stepped = _plan.Layers.Select((l, i) => RecurrentKind(l) is null && i < last).ToArray();
            bool usesA = stepped.Where((s, i) => s && i % 2 == 0).Any(), usesB = stepped.Where((s, i) => s && i % 2 == 1).Any();
            bool usesPairs = Spec.Deterministic && _plan.Layers.Any(l => RecurrentKind(l) is null);
            // The recurrent layers' workspace, r. Over columns only the layers that do not step in columns read
            // one: the columns kernels keep theirs in registers or on their own stack, unzeroed. The user's
            // assembly zeroes every stackalloc here on every step (localsinit), and that cost more than the kernels
            // saved: the whole StepScratchPerSequence took lstm16 from 72 to 83 ns, and 2 * G * hidden at hidden
            // 32 cost 30-40 ns a step.
            string[] workspaces = _plan.Layers.Where(l => RecurrentKind(l) is not null && !(columns && StepsInColumns(l)))
                .Select(l => RecurrentKind(l)!.StepWorkspaceLength(l, "1")).ToArray();
            bool usesWorkspace = workspaces.Length > 0;
            if (!columns)
            {
                _w.Line($"{span} scratch = stackalloc {t}[StepScratchPerSequence];");
            }
            else if (usesWorkspace)
            {
                string own = workspaces.Aggregate((a, b) => $"global::System.Math.Max({a}, {b})");
                _w.Line(Invariant($"{span} scratch = stackalloc {t}[({StepBuffers} * MaxWidth) + {own}];"));
            }
            else if (usesA || usesB || usesPairs)
            {
                _w.Line(Invariant($"{span} scratch = stackalloc {t}[{StepBuffers} * MaxWidth];"));
            }
            if (usesA)
            {
                _w.Line($"{span} a = scratch.Slice(0, MaxWidth);");
            }
            if (usesB)
            {
                _w.Line($"{span} b = scratch.Slice(MaxWidth, MaxWidth);");
            }
            if (usesPairs)
            {
                _w.Line($"{span} c1 = scratch.Slice(2 * MaxWidth, MaxWidth);");
                _w.Line($"{span} c2 = scratch.Slice(3 * MaxWidth, MaxWidth);");
            }
            if (usesWorkspace)
            {
                _w.Line(Invariant($"{span} r = scratch.Slice({StepBuffers} * MaxWidth);"));
            }
            string previous = "input";
            for (int index = 0; index <= last; index++)
            {
                PlannedLayer layer = _plan.Layers[index];
                RecurrentLayer? recurrent = RecurrentKind(layer);
                if (recurrent is not null)
                {
                    string part = Invariant($"state.Slice({stateOffsets[index]}, {recurrent.StateSize(layer.Layer)})");
                    _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: its {recurrent.StateText} at state[{stateOffsets[index]}..], updated in place; the new h is its output."));
                    _w.Line(columns && StepsInColumns(layer) ? recurrent.StepOneColumns(layer, previous, part) : recurrent.StepOne(layer, previous, part, "r"));
                    previous = Invariant($"state.Slice({stateOffsets[index]}, {layer.Outputs})");
                    if (index == last)
                    {
                        _w.Line($"{previous}.CopyTo(output);");
                    }
                    continue;
                }
                string destination = index == last ? "output" : Invariant($"{(index % 2 == 0 ? "a" : "b")}.Slice(0, {layer.Outputs})");
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}"));
                EmitStepLayerForward(layer, previous, destination, "1");
                previous = destination;
            }
        }
        if (columns)
        {
            _w.Line("#endif");
        }
    }

    private void EmitStepBlocks()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span;
        _w.Line("/// <summary>One step of count sequences, block after block.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"private static void StepBlocks({rs} p, {rs} inputs, {span} outputs, {span} states, int count, int block, {span} scratch)"))
        {
            using (_w.Block("for (int start = 0; start < count; start += block)"))
            {
                _w.Line("int n = count - start < block ? count - start : block;");
                _w.Line("StepBlock(p, inputs.Slice(start * InputSize, n * InputSize), outputs.Slice(start * OutputSize, n * OutputSize), states.Slice(start * StateSize, n * StateSize), n, scratch);");
            }
        }
    }

    private void EmitSequenceBlocks()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span;
        _w.Line("/// <summary>Whole sequences, block after block: each block's states start at zero and every step is a step block.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"private static void SequenceBlocks({rs} p, {rs} inputs, {span} outputs, int batch, int steps, int block, {span} scratch)"))
        {
            _w.Line($"{span} states = scratch.Slice(0, block * StateSize);");
            _w.Line($"{span} x = scratch.Slice(block * StateSize, block * InputSize);");
            _w.Line($"{span} y = scratch.Slice(block * (StateSize + InputSize), block * OutputSize);");
            _w.Line($"{span} rest = scratch.Slice(block * (StateSize + InputSize + OutputSize));");
            using (_w.Block("for (int start = 0; start < batch; start += block)"))
            {
                _w.Line("int n = batch - start < block ? batch - start : block;");
                _w.Line("states.Slice(0, n * StateSize).Clear();");
                using (_w.Block("for (int t = 0; t < steps; t++)"))
                {
                    _w.Line("// Step t of each sequence of the block, gathered from [batch, steps, InputSize].");
                    using (_w.Block("for (int s = 0; s < n; s++)"))
                    {
                        _w.Line("inputs.Slice((((start + s) * steps) + t) * InputSize, InputSize).CopyTo(x.Slice(s * InputSize, InputSize));");
                    }
                    _w.Line("StepBlock(p, x.Slice(0, n * InputSize), y.Slice(0, n * OutputSize), states.Slice(0, n * StateSize), n, rest);");
                    using (_w.Block("for (int s = 0; s < n; s++)"))
                    {
                        _w.Line("y.Slice(s * OutputSize, OutputSize).CopyTo(outputs.Slice((((start + s) * steps) + t) * OutputSize, OutputSize));");
                    }
                }
            }
        }
    }

    /// <summary>One step of a block of sequences through every layer: recurrent layers update their part of each state.</summary>
    private void EmitStepBlock()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span;
        IReadOnlyList<int> stateOffsets = StateOffsets;
        _w.Line("/// <summary>One step of count sequences through every layer; activations alternate between a and b.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"private static void StepBlock({rs} p, {rs} inputs, {span} outputs, {span} states, int count, {span} scratch)"))
        {
            _w.Line($"{span} a = scratch.Slice(0, count * MaxWidth);");
            _w.Line($"{span} b = scratch.Slice(count * MaxWidth, count * MaxWidth);");
            if (Spec.Deterministic)
            {
                _w.Line("// Feature-major copies for the layers that act on each step alone.");
                _w.Line($"{span} c1 = scratch.Slice(2 * count * MaxWidth, count * MaxWidth);");
                _w.Line($"{span} c2 = scratch.Slice(3 * count * MaxWidth, count * MaxWidth);");
            }
            _w.Line(Invariant($"{span} r = scratch.Slice({StepBuffers} * count * MaxWidth);"));
            int last = _plan.Layers.Count - 1;
            for (int index = 0; index <= last; index++)
            {
                PlannedLayer layer = _plan.Layers[index];
                string source = index == 0 ? "inputs" : StepBuffer(index - 1);
                string destination = index == last ? "outputs" : StepBuffer(index);
                RecurrentLayer? recurrent = RecurrentKind(layer);
                if (recurrent is not null)
                {
                    _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: its {recurrent.StateText} at states[{stateOffsets[index]}..] of each sequence's state."));
                    _w.Line(recurrent.Step(layer, source, Invariant($"states.Slice({stateOffsets[index]})"), "StateSize", destination, "count", "r"));
                    continue;
                }
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}"));
                EmitStepLayerForward(layer, source, destination, "count");
            }
        }
    }

    private string StepBuffer(int index)
    {
        PlannedLayer layer = _plan.Layers[index];
        return Invariant($"{(index % 2 == 0 ? "a" : "b")}.Slice(0, count * {layer.Outputs})");
    }

    /// <summary>A layer that acts on each row alone, forward: sample-major, or in the deterministic mode feature-major between two transposes.</summary>
    private void EmitStepLayerForward(PlannedLayer layer, string source, string destination, string count)
    {
        LayerDefinition definition = layer.Layer.Definition();
        if (!Spec.Deterministic)
        {
            _w.Line(definition.Forward(new ForwardCall(layer, Layout.Rows, source, destination, count, _plan)));
            return;
        }
        string columnsIn = Invariant($"c1.Slice(0, {count} * {layer.Inputs})"), columnsOut = Invariant($"c2.Slice(0, {count} * {layer.Outputs})");
        _w.Line(Invariant($"{KernelNames.Transpose}({source}, {columnsIn}, {count}, {layer.Inputs});"));
        _w.Line(definition.Forward(new ForwardCall(layer, Layout.Columns, columnsIn, columnsOut, count, _plan)));
        _w.Line(Invariant($"{KernelNames.Transpose}({columnsOut}, {destination}, {layer.Outputs}, {count});"));
    }

    /// <summary>The activation layer index <paramref name="index"/> writes in the training workspace, for all rows.</summary>
    private string SequenceActivation(int index)
    {
        PlannedLayer layer = _plan.Layers[index];
        return Invariant($"w.Slice(rows * {NetworkPlan.OffsetName(layer)}, rows * {layer.Outputs})");
    }

    private string SequenceActivationIn(int index) => index == 0 ? "inputs" : SequenceActivation(index - 1);

    /// <summary>What a recurrent layer's forward keeps per row for its BPTT.</summary>
    private string SequenceSaved(PlannedLayer layer)
    {
        PlannedExtra extra = _plan.Extras.Single(e => e.LayerNumber == layer.Number);
        return Invariant($"w.Slice(rows * {NetworkPlan.OffsetName(extra)}, rows * {extra.Extra.PerSample})");
    }

    /// <summary>The locals of the training passes: the recurrent kernels' workspace, and in the deterministic mode the feature-major copies.</summary>
    private void EmitSequenceTrainingLocals(bool backward)
    {
        string span = _names.Span;
        if (backward)
        {
            _w.Line($"{span} d1 = w.Slice(rows * Deltas, rows * MaxWidth);");
            _w.Line($"{span} d2 = w.Slice(rows * (Deltas + MaxWidth), rows * MaxWidth);");
        }
        if (Spec.Deterministic)
        {
            if (backward)
            {
                // The feature-major backward of a Linear layer transposes its delta back into t2 for the
                // parameter-gradient kernel (sample-major passes need neither copy).
                _w.Line("// Sample-major copies of an activation and a delta, which the parameter-gradient kernels read.");
                _w.Line($"{span} t1 = w.Slice(rows * (Deltas + (2 * MaxWidth)), rows * MaxWidth);");
                _w.Line($"{span} t2 = w.Slice(rows * (Deltas + (3 * MaxWidth)), rows * MaxWidth);");
            }
            _w.Line("// Feature-major copies for the layers that act on each step alone.");
            for (int c = 1; c <= (backward ? 4 : 2); c++)
            {
                _w.Line(Invariant($"{span} c{c} = w.Slice(rows * (Deltas + ({3 + c} * MaxWidth)), rows * MaxWidth);"));
            }
        }
        _w.Line($"{span} r = w.Slice(rows * RecurrentWorkspaceStart);");
    }

    private void EmitSequenceForwardTraining()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span;
        _w.Line("/// <summary>The forward pass for training over whole sequences from the zero state: every activation and every recurrent step's saved values kept in the workspace.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"public static void ForwardTraining({rs} p, {span} w, {rs} inputs, int batch, int steps)"))
        {
            _w.Line("int rows = batch * steps;");
            EmitSequenceTrainingLocals(backward: false);
            for (int index = 0; index < _plan.Layers.Count; index++)
            {
                PlannedLayer layer = _plan.Layers[index];
                RecurrentLayer? recurrent = RecurrentKind(layer);
                if (recurrent is not null)
                {
                    _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: every step of every sequence, keeping what BPTT reads."));
                    _w.Line(recurrent.ForwardSequence(layer, SequenceActivationIn(index), SequenceActivation(index), SequenceSaved(layer), "r"));
                    continue;
                }
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: each step alone, batch * steps rows."));
                EmitStepLayerForward(layer, SequenceActivationIn(index), SequenceActivation(index), "rows");
            }
        }
    }

    private void EmitSequenceBackward()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span;
        _w.Line("/// <summary>Back-propagation through time of upstream output gradients into g, and on into the inputs where inputGradients is not empty.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"public static void BackwardFromOutputGradients({rs} p, {span} g, {span} w, {rs} inputs, {rs} outputGradients, {span} inputGradients, int batch, int steps)"))
        {
            _w.Line("int rows = batch * steps;");
            EmitSequenceTrainingLocals(backward: true);
            _w.Line("ForwardTraining(p, w, inputs, batch, steps);");
            using (_w.Block("if (inputGradients.IsEmpty)"))
            {
                EmitSequenceBackPropagation(_plan.Layers.Count - 1, DeltaBuffer.Caller, toInputs: false);
                _w.Line("return;");
            }
            EmitSequenceBackPropagation(_plan.Layers.Count - 1, DeltaBuffer.Caller, toInputs: true);
        }
    }

    private string SequenceDelta(DeltaBuffer buffer, int width) => buffer switch
    {
        DeltaBuffer.Caller => "outputGradients",
        DeltaBuffer.D1 => Invariant($"d1.Slice(0, rows * {width})"),
        DeltaBuffer.D2 => Invariant($"d2.Slice(0, rows * {width})"),
        DeltaBuffer.Inputs => "inputGradients",
        _ => throw new System.ArgumentOutOfRangeException(nameof(buffer), buffer, "No such delta buffer."),
    };

    /// <summary>
    /// From the delta at layer <paramref name="from"/>'s output back to the first layer with parameters, or
    /// with <paramref name="toInputs"/> on into the caller's inputGradients. Recurrent layers run BPTT over
    /// all steps; the others run once over all rows. A kind that may run in place keeps its delta buffer
    /// (the caller's read-only gradient excepted); the others move to the other buffer.
    /// </summary>
    private void EmitSequenceBackPropagation(int from, DeltaBuffer current, bool toInputs)
    {
        int stop = toInputs ? 0 : _plan.BackwardStopIndex;
        for (int index = from; index >= stop; index--)
        {
            PlannedLayer layer = _plan.Layers[index];
            LayerDefinition definition = layer.Layer.Definition();
            bool writesInputGradient = toInputs || index > stop;
            DeltaBuffer next = index == 0 && toInputs
                ? DeltaBuffer.Inputs
                : !definition.MayRunInPlace
                    ? (current == DeltaBuffer.D1 ? DeltaBuffer.D2 : DeltaBuffer.D1)
                    : (current == DeltaBuffer.Caller ? DeltaBuffer.D1 : current);
            string delta = SequenceDelta(current, layer.Outputs);
            string? inputGradient = writesInputGradient ? SequenceDelta(next, layer.Inputs) : null;
            string input = SequenceActivationIn(index);
            RecurrentLayer? recurrent = RecurrentKind(layer);
            if (recurrent is not null)
            {
                recurrent.EmitBackwardSequence(_w, layer, input, delta, inputGradient, SequenceSaved(layer), "r");
            }
            else if (!Spec.Deterministic)
            {
                definition.EmitBackward(_w, new BackwardCall(layer, Layout.Rows, input, SequenceActivation(index), delta, inputGradient,
                    SampleMajorInput: index == 0 ? "inputs" : null, Count: "rows", Plan: _plan));
            }
            else
            {
                EmitDeterministicBackward(layer, definition, input, SequenceActivation(index), delta, inputGradient);
            }
            if (writesInputGradient)
            {
                current = next;
            }
        }
    }

    /// <summary>A non-recurrent layer's backward in the deterministic mode: feature-major between transposes, as a deterministic network runs it.</summary>
    private void EmitDeterministicBackward(PlannedLayer layer, LayerDefinition definition, string input, string output, string delta, string? inputGradient)
    {
        string columnsIn = Invariant($"c1.Slice(0, rows * {layer.Inputs})"), columnsOut = Invariant($"c2.Slice(0, rows * {layer.Outputs})");
        string columnsDelta = Invariant($"c3.Slice(0, rows * {layer.Outputs})"), columnsGradient = Invariant($"c4.Slice(0, rows * {layer.Inputs})");
        _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}, feature-major: its delta{((definition.Saves & SavedValues.Input) != 0 ? ", input" : "")}{((definition.Saves & SavedValues.Output) != 0 ? ", output" : "")} transposed."));
        _w.Line(Invariant($"{KernelNames.Transpose}({delta}, {columnsDelta}, rows, {layer.Outputs});"));
        if ((definition.Saves & SavedValues.Input) != 0)
        {
            _w.Line(Invariant($"{KernelNames.Transpose}({input}, {columnsIn}, rows, {layer.Inputs});"));
        }
        if ((definition.Saves & SavedValues.Output) != 0)
        {
            _w.Line(Invariant($"{KernelNames.Transpose}({output}, {columnsOut}, rows, {layer.Outputs});"));
        }
        definition.EmitBackward(_w, new BackwardCall(layer, Layout.Columns, columnsIn, columnsOut, columnsDelta, inputGradient is null ? null : columnsGradient,
            SampleMajorInput: input, Count: "rows", Plan: _plan));
        if (inputGradient is not null)
        {
            _w.Line(Invariant($"{KernelNames.Transpose}({columnsGradient}, {inputGradient}, {layer.Inputs}, rows);"));
        }
    }

    /// <summary>The loss over whole sequences and its back-propagation through time.</summary>
    private void EmitSequenceLossKernels()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span, t = _names.Element;
        int last = _plan.Layers.Count - 1;
        bool labels = Spec.Loss!.Kind switch
        {
            LossKind.CrossEntropy => true,
            LossKind.MeanSquaredError => false,
            _ => throw new System.ArgumentOutOfRangeException(nameof(Spec), Spec.Loss.Kind, "A loss the sequence emitter does not know: add its passes here."),
        };
        string targetParameter = labels ? "global::System.ReadOnlySpan<int> labels" : $"{rs} targets";
        int width = _plan.OutputSize;
        string loss = labels
            ? Invariant($"{KernelNames.CrossEntropy}({SequenceActivation(last - 1)}, labels, {width})")
            : Invariant($"{KernelNames.MeanSquaredError}({SequenceActivation(last)}, targets, rows, {width})");
        _w.Line(labels
            ? "/// <summary>The mean cross-entropy over every step of checked sequences, from the logits (the layer before the softmax).</summary>"
            : "/// <summary>The mean squared error over every value of every step of checked sequences.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"public static {t} SequenceLoss({rs} p, {span} w, {rs} inputs, {targetParameter}, int batch, int steps)"))
        {
            _w.Line("int rows = batch * steps;");
            _w.Line("ForwardTraining(p, w, inputs, batch, steps);");
            _w.Line($"return {loss};");
        }
        _w.Line();
        _w.Line("/// <summary>Back-propagates the loss of checked sequences through time into g and returns the loss.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"public static {t} SequenceLossBackward({rs} p, {span} g, {span} w, {rs} inputs, {targetParameter}, int batch, int steps)"))
        {
            _w.Line("int rows = batch * steps;");
            EmitSequenceTrainingLocals(backward: true);
            _w.Line("ForwardTraining(p, w, inputs, batch, steps);");
            _w.Line($"{t} loss = {loss};");
            if (labels)
            {
                _w.Line(Invariant($"// Layer {_plan.Layers[last].Number}, Softmax, and the loss together: dz = (y - onehot(labels)) / (batch * steps)."));
                _w.Line(Invariant($"{KernelNames.CrossEntropyBackward}({SequenceActivation(last)}, labels, d1.Slice(0, rows * {width}), {width});"));
                EmitSequenceBackPropagation(last - 1, DeltaBuffer.D1, toInputs: false);
            }
            else
            {
                _w.Line("// The loss's gradient on the outputs: dy = 2 (y - t) / (batch * steps * OutputSize).");
                _w.Line(Invariant($"{KernelNames.MeanSquaredErrorBackward}({SequenceActivation(last)}, targets, d1.Slice(0, rows * {width}), rows, {width});"));
                EmitSequenceBackPropagation(last, DeltaBuffer.D1, toInputs: false);
            }
            _w.Line("return loss;");
        }
    }
}
