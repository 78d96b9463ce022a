using NetGen.Generator.Kinds;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission;

/// <summary>
/// The training passes every network has: the forward that keeps each activation, the walk back through
/// the layers, and Backward from upstream output gradients. Each pass exists in both layouts:
/// feature-major for batches of at least one vector of samples, sample-major below that and without
/// hardware vectors. A loss adds its own members on top (Kinds/Losses).
/// </summary>
internal sealed partial class NetworkEmitter
{
    private void EmitOutputGradientBackward()
    {
        _w.Line("/// <summary>");
        _w.Line("/// Sets Gradients to d(sum over b, j of outputGradients[b, j] * outputs[b, j]) / d(Parameters), overwriting");
        _w.Line("/// them; the batch size is outputGradients.Length / OutputSize. Not thread-safe.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"inputs\">batch * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"outputGradients\">batch * OutputSize values: the upstream gradient on the outputs.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Backward({_names.ReadOnlySpan} inputs, {_names.ReadOnlySpan} outputGradients)"))
        {
            _w.Line("if (outputGradients.Length == 0) throw Kernels.EmptyBatch(nameof(outputGradients), 0);");
            _w.Line("if (outputGradients.Length % OutputSize != 0) throw Kernels.PartialSample(nameof(outputGradients), OutputSize, outputGradients.Length);");
            _w.Line("int count = outputGradients.Length / OutputSize;");
            _w.Line("if (inputs.Length != (long)count * InputSize) throw Kernels.WrongLength(nameof(inputs), (long)count * InputSize, inputs.Length, \"(outputGradients.Length / OutputSize) * InputSize\");");
            EmitTrainingCheck("outputGradients");
            _w.Line(_plan.EnsureWorkspaceStatement("outputGradients"));
            _w.Line($"Kernels.BackwardFromOutputGradients(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, outputGradients, default, count{TrainingArguments});");
            EmitCommitTraining();
        }
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// As <see cref=\"Backward(global::System.ReadOnlySpan{" + _names.Element + "}, global::System.ReadOnlySpan{" + _names.Element + "})\"/>, and also writes d/d(inputs) of the same");
        _w.Line("/// sum into <paramref name=\"inputGradients\"/>: what a network upstream needs to continue backpropagation. Not thread-safe.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"inputs\">batch * InputSize values, sample after sample.</param>");
        _w.Line("/// <param name=\"outputGradients\">batch * OutputSize values: the upstream gradient on the outputs.</param>");
        _w.Line("/// <param name=\"inputGradients\">Receives batch * InputSize values, sample after sample.</param>");
        _w.Line(GeneratedCode);
        using (_w.Block($"public void Backward({_names.ReadOnlySpan} inputs, {_names.ReadOnlySpan} outputGradients, {_names.Span} inputGradients)"))
        {
            _w.Line("if (outputGradients.Length == 0) throw Kernels.EmptyBatch(nameof(outputGradients), 0);");
            _w.Line("if (outputGradients.Length % OutputSize != 0) throw Kernels.PartialSample(nameof(outputGradients), OutputSize, outputGradients.Length);");
            _w.Line("int count = outputGradients.Length / OutputSize;");
            _w.Line("if (inputs.Length != (long)count * InputSize) throw Kernels.WrongLength(nameof(inputs), (long)count * InputSize, inputs.Length, \"(outputGradients.Length / OutputSize) * InputSize\");");
            _w.Line("if (inputGradients.Length != inputs.Length) throw Kernels.WrongLength(nameof(inputGradients), inputs.Length, inputGradients.Length, \"inputs.Length\");");
            EmitTrainingCheck("outputGradients");
            _w.Line(_plan.EnsureWorkspaceStatement("outputGradients"));
            _w.Line($"Kernels.BackwardFromOutputGradients(Parameters, Gradients, Kernels.AlignedWorkspace(_workspace), inputs, outputGradients, inputGradients, count{TrainingArguments});");
            EmitCommitTraining();
        }
        _w.Line();
    }

    private void EmitBackwardFromOutputGradients()
    {
        string rs = _names.ReadOnlySpan, span = _names.Span;
        _w.Line("/// <summary>Backpropagates upstream output gradients through the whole network into g, and on into the inputs where inputGradients is not empty.</summary>");
        _w.Line(Optimized);
        using (_w.Block($"public static void BackwardFromOutputGradients({rs} p, {span} g, {span} w, {rs} inputs, {rs} outputGradients, {span} inputGradients, int count{TrainingParameters})"))
        {
            EmitBackwardLocals();
            using (_w.Block($"if ({KernelNames.UseColumns}(count))"))
            {
                _w.Line(ForwardTrainingCall(Layout.Columns, training: true));
                _w.Line("// The upstream gradient, transposed to feature-major.");
                _w.Line(Invariant($"{KernelNames.Transpose}(outputGradients, d1.Slice(0, count * {_plan.OutputSize}), count, {_plan.OutputSize});"));
                DeltaBuffer atBackwardStop = EmitBackPropagation(_plan.Layers.Count - 1, DeltaBuffer.D1, Layout.Columns);
                using (_w.Block("if (!inputGradients.IsEmpty)"))
                {
                    DeltaBuffer last = EmitInputGradientTail(atBackwardStop, Layout.Columns);
                    _w.Line("// The input gradient, back to sample-major in the caller's span.");
                    _w.Line(Invariant($"{KernelNames.Transpose}({Delta(last, _plan.InputSize)}, inputGradients, {_plan.InputSize}, count);"));
                }
                _w.Line("return;");
            }
            _w.Line(ForwardTrainingCall(Layout.Rows, training: true));
            DeltaBuffer current = EmitBackPropagation(_plan.Layers.Count - 1, DeltaBuffer.Caller, Layout.Rows);
            using (_w.Block("if (!inputGradients.IsEmpty)"))
            {
                EmitInputGradientTail(current, Layout.Rows);
            }
        }
    }

    /// <summary>
    /// From the delta at the output of the first layer with parameters on into the network's inputs: that
    /// layer's input gradient, then every layer below it. Sample-major, the last step writes straight into the caller's
    /// inputGradients; feature-major, into a delta buffer, which it returns.
    /// </summary>
    private DeltaBuffer EmitInputGradientTail(DeltaBuffer current, Layout layout)
    {
        for (int index = _plan.BackwardStopIndex; index >= 0; index--)
        {
            PlannedLayer layer = _plan.Layers[index];
            LayerDefinition definition = LayerCatalog.For(layer.Layer.Kind);
            DeltaBuffer next = index == 0 && layout == Layout.Rows
                ? DeltaBuffer.Inputs
                : NextDelta(definition, current);
            definition.EmitBackward(_w, new BackwardCall(
                layer,
                layout,
                Input: ActivationIn(index, layout),
                Output: ActivationOut(index),
                Delta: Delta(current, layer.Outputs),
                InputGradient: Delta(next, layer.Inputs),
                SampleMajorInput: ReadsNetworkInput(index) ? "inputs" : null,
                Count: "count",
                Plan: _plan,
                InputGradientOnly: index == _plan.BackwardStopIndex));
            current = next;
        }
        return current;
    }

    /// <summary>
    /// The training workspace's layout as named constants of the kernels class, so that the passes read
    /// <c>w.Slice(count * Layer3Output, count * 16)</c> rather than a bare offset: per sample, every activation
    /// (a residual block's start names the value it keeps), then what layers keep for their backward, then the
    /// deltas and copies.
    /// </summary>
    private void EmitWorkspaceOffsets(string count)
    {
        _w.Line();
        _w.Line(count == "rows"
            ? "// The training workspace, per row (one step of one sequence): the rows' values of each start at rows times its"
            : "// The training workspace, per sample: count samples' values of each start at count times its offset. First");
        _w.Line(count == "rows"
            ? "// offset. First every activation, kept for backpropagation, and what layers keep for it; then the deltas."
            : "// every activation, kept for backpropagation, and what layers keep for their backward; then the deltas.");
        foreach (PlannedLayer layer in _plan.Layers)
        {
            string what = LayerCatalog.For(layer.Layer.Kind).AliasesSource
                ? "the block's input, where the layer before it left it"
                : Invariant($"{layer.Outputs} {(layer.Outputs == 1 ? "value" : "values")}");
            _w.Line(Invariant($"private const int {NetworkPlan.OffsetName(layer)} = {layer.ActivationOffset};   // {CommentText(layer.DisplayText)}: {what}"));
        }
        foreach (PlannedExtra extra in _plan.Extras)
        {
            _w.Line(Invariant($"private const int {NetworkPlan.OffsetName(extra)} = {extra.Offset};   // layer {extra.LayerNumber}'s {extra.Extra.Name}: {extra.Extra.PerSample} {(extra.Extra.PerSample == 1 ? "value" : "values")}"));
        }
        _w.Line(Invariant($"private const int Deltas = {_plan.ActivationEnd};   // the delta buffers and copies, MaxWidth values each"));
    }

    /// <summary>The delta buffers inside the workspace, as locals of a backward pass.</summary>
    public void EmitBackwardLocals()
    {
        string span = _names.Span;
        _w.Line($"{span} d1 = w.Slice(count * Deltas, count * MaxWidth);");
        _w.Line($"{span} d2 = w.Slice(count * (Deltas + MaxWidth), count * MaxWidth);");
        _w.Line("// Sample-major copies of an activation and a delta, which the parameter-gradient kernels read.");
        EmitSampleMajorCopyLocals();
        EmitKernelWorkspaceLocal();
    }

    /// <summary>t1 and t2 over the training workspace, after the two delta buffers.</summary>
    private void EmitSampleMajorCopyLocals()
    {
        string span = _names.Span;
        _w.Line($"{span} t1 = w.Slice(count * (Deltas + (2 * MaxWidth)), count * MaxWidth);");
        _w.Line($"{span} t2 = w.Slice(count * (Deltas + (3 * MaxWidth)), count * MaxWidth);");
        if (_plan.SkipBuffers > 0)
        {
            _w.Line("// The deltas the residual joins pass around their blocks, one per level of nesting.");
            for (int depth = 1; depth <= _plan.SkipBuffers; depth++)
            {
                _w.Line(Invariant($"{span} s{depth} = w.Slice(count * (Deltas + ({3 + depth} * MaxWidth)), count * MaxWidth);"));
            }
        }
    }

    /// <summary>Where a layer's kernels need scratch (a convolution's window matrices), kw: the region after the per-sample workspace.</summary>
    private void EmitKernelWorkspaceLocal()
    {
        if (_plan.KernelWorkspace > 0)
        {
            _w.Line("// The convolutions' window matrices: after every sample's part of the workspace, whatever the batch.");
            _w.Line(Invariant($"{_names.Span} kw = w.Slice(count * {_plan.WorkspacePerSample}, KernelWorkspace);"));
        }
    }

    private enum DeltaBuffer
    {
        /// <summary>The caller's read-only upstream gradient on the outputs.</summary>
        Caller,
        D1,
        D2,

        /// <summary>The caller's span for the gradient on the inputs.</summary>
        Inputs,
    }

    private static string Delta(DeltaBuffer buffer, int width) => buffer switch
    {
        DeltaBuffer.Caller => "outputGradients",
        DeltaBuffer.D1 => Invariant($"d1.Slice(0, count * {width})"),
        DeltaBuffer.D2 => Invariant($"d2.Slice(0, count * {width})"),
        DeltaBuffer.Inputs => "inputGradients",
        _ => throw new System.ArgumentOutOfRangeException(nameof(buffer), buffer, "No such delta buffer."),
    };

    /// <summary>
    /// Backpropagates from the delta at the output of layer index <paramref name="from"/> down to the
    /// plan's backward stop, the first layer with parameters; nothing below it has parameters, so no
    /// gradient is computed there unless the caller asks for the input gradient
    /// (<see cref="EmitInputGradientTail"/>). Kinds that may not run in place move the delta to the other
    /// buffer; the others work in place (leaving the caller's read-only upstream gradient for d1). Returns
    /// the buffer holding the delta at the backward stop's output.
    /// </summary>
    private DeltaBuffer EmitBackPropagation(int from, DeltaBuffer current, Layout layout)
    {
        for (int index = from; index >= _plan.BackwardStopIndex; index--)
        {
            PlannedLayer layer = _plan.Layers[index];
            LayerDefinition definition = LayerCatalog.For(layer.Layer.Kind);
            bool needsInputGradient = index > _plan.BackwardStopIndex;
            DeltaBuffer next = NextDelta(definition, current);
            definition.EmitBackward(_w, new BackwardCall(
                layer,
                layout,
                Input: ActivationIn(index, layout),
                Output: ActivationOut(index),
                Delta: Delta(current, layer.Outputs),
                InputGradient: needsInputGradient ? Delta(next, layer.Inputs) : null,
                SampleMajorInput: ReadsNetworkInput(index) ? "inputs" : null,
                Count: "count",
                Plan: _plan));
            if (needsInputGradient)
            {
                current = next;
            }
        }
        return current;
    }

    /// <summary>
    /// Where the delta goes after a layer's backward: a kind that passes it through leaves it where it is; a
    /// kind that may not run in place moves it to the other buffer; the others work in place (leaving the
    /// caller's read-only upstream gradient for d1).
    /// </summary>
    private static DeltaBuffer NextDelta(LayerDefinition definition, DeltaBuffer current)
        => definition.PassesDeltaThrough
            ? current
            : !definition.MayRunInPlace
                ? (current == DeltaBuffer.D1 ? DeltaBuffer.D2 : DeltaBuffer.D1)
                : (current == DeltaBuffer.Caller ? DeltaBuffer.D1 : current);

    /// <summary>The node whose value <paramref name="node"/> is: itself, or for a residual marker, its source's (the network's input is <see cref="NetworkPlan.NetworkInput"/>).</summary>
    private int ValueOf(int node)
    {
        while (node != NetworkPlan.NetworkInput && LayerCatalog.For(_plan.Layers[node].Layer.Kind).AliasesSource)
        {
            node = _plan.Layers[node].Sources[0];
        }
        return node;
    }

    /// <summary>Whether layer index <paramref name="index"/> reads the network's input itself (the caller's inputs are its sample-major input).</summary>
    private bool ReadsNetworkInput(int index) => ValueOf(_plan.Layers[index].Sources[0]) == NetworkPlan.NetworkInput;

    /// <summary>
    /// The activation flowing into layer index <paramref name="index"/> in the training workspace: its
    /// source's; for the network's input the caller's inputs, or, feature-major, their transposed copy at
    /// the workspace's start.
    /// </summary>
    private string ActivationIn(int index, Layout layout) => ValueIn(_plan.Layers[index].Sources[0], layout);

    /// <summary>The value of node <paramref name="node"/> in the training workspace, a marker's being its source's.</summary>
    private string ValueIn(int node, Layout layout)
    {
        int value = ValueOf(node);
        return value != NetworkPlan.NetworkInput
            ? ActivationOut(value)
            : layout == Layout.Columns ? Invariant($"w.Slice(0, count * {_plan.InputSize})") : "inputs";
    }

    /// <summary>The activation layer index <paramref name="index"/> writes in the training workspace.</summary>
    public string ActivationOut(int index)
    {
        PlannedLayer layer = _plan.Layers[index];
        return Invariant($"w.Slice(count * {NetworkPlan.OffsetName(layer)}, count * {layer.Outputs})");
    }

    private void EmitForwardTraining(Layout layout)
    {
        string rs = _names.ReadOnlySpan, span = _names.Span;
        string name = "ForwardTraining" + layout.Suffix();
        _w.Line(layout == Layout.Rows
            ? "/// <summary>The forward pass for training, sample-major: every activation kept in the workspace for backpropagation.</summary>"
            : "/// <summary>The forward pass for training, feature-major: the input transposed, then every activation kept in the workspace.</summary>");
        _w.Line(Optimized);
        string parameters = _plan.ModeDiffers ? $"{rs} p, {rs} b, {span} w, {rs} inputs, int count, bool training, ref ulong random" : $"{rs} p, {span} w, {rs} inputs, int count";
        using (_w.Block($"public static void {name}({parameters})"))
        {
            EmitKernelWorkspaceLocal();
            if (layout == Layout.Columns && _plan.ForwardNeedsSampleMajorCopies)
            {
                _w.Line("// Sample-major copies for the layers whose forward runs between transposes.");
                EmitSampleMajorCopyLocals();
            }
            if (layout == Layout.Columns)
            {
                _w.Line(Invariant($"{KernelNames.Transpose}(inputs, w.Slice(0, count * {_plan.InputSize}), count, {_plan.InputSize});"));
            }
            for (int index = 0; index < _plan.Layers.Count; index++)
            {
                PlannedLayer layer = _plan.Layers[index];
                LayerDefinition definition = LayerCatalog.For(layer.Layer.Kind);
                if (definition.AliasesSource)
                {
                    _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}: the block's input, kept where it is for its join."));
                    continue;
                }
                _w.Line(Invariant($"// Layer {layer.Number}, {layer.DisplayText}"));
                string? second = layer.Sources.Count > 1 ? ValueIn(layer.Sources[1], layout) : null;
                var call = new ForwardCall(layer, layout, ActivationIn(index, layout), ActivationOut(index), "count", _plan, second);
                if (!definition.TrainingDiffers)
                {
                    _w.Lines(definition.ForwardTraining(call));
                    continue;
                }
                using (_w.Block("if (training)"))
                {
                    _w.Lines(definition.ForwardTraining(call));
                }
                using (_w.Block("else"))
                {
                    _w.Lines(definition.Forward(call));
                }
            }
        }
    }
}
