using NetGen.Generator.Emission;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Shapes;

/// <summary>
/// A layer over channels and positions (a convolution, a pool, the global average pool): each output reads
/// a window of one sample's channels, so its main kernels walk one sample at a time with the positions
/// along the vector lanes. In a feature-major pass (a batch of at least one vector of samples, and every
/// deterministic batch) a layer with feature-major kernels of its own (<see cref="ColumnsForward"/> and
/// <see cref="ColumnsInputGradient"/>: a convolution's forward and input gradient and the pools, whose window
/// values are then whole vectors of samples) runs them; the rest (a convolution's weight gradient) runs
/// between transposes through the pass's sample-major buffers t1 and t2. Never in place: every output
/// reads several inputs.
/// </summary>
internal abstract class SampleMajorLayer : LayerDefinition
{
    public override bool MayRunInPlace => false;

    public override bool RunsSampleMajorOnly => true;

    public override bool ForwardRunsBetweenTransposes(PlannedLayer layer) => ColumnsForward(layer, "x", "y", "count") is null;

    /// <summary>Only the sample-major kernels (im2col) use the scratch: a feature-major forward reads the windows in place.</summary>
    public override bool FeatureMajorForwardUsesKernelWorkspace(PlannedLayer layer)
        => ForwardRunsBetweenTransposes(layer) && KernelWorkspace(layer.Layer) > 0;

    public override bool KeepsShape => false;

    /// <summary>Whether the parameter gradients read the layer's input (a convolution's dW).</summary>
    protected virtual bool ParameterGradientsReadInput => false;

    /// <summary>Whether the input gradient reads the layer's input (a max pool finds each window's maximum again).</summary>
    protected virtual bool InputGradientReadsInput => false;

    /// <summary>The sample-major forward over <paramref name="count"/> samples from x into y.</summary>
    protected abstract string RowsForward(PlannedLayer layer, string x, string y, string count);

    /// <summary>The parameter gradients' statements (none for a layer without parameters), sample-major.</summary>
    protected virtual void EmitParameterGradients(CodeWriter writer, PlannedLayer layer, string x, string delta, string count)
    {
    }

    /// <summary>The statement that writes the input gradient over dx, sample-major.</summary>
    protected abstract string RowsInputGradient(PlannedLayer layer, string x, string delta, string dx, string count);

    /// <summary>What the backward computes, for the generated comment.</summary>
    protected abstract string BackwardFormula(bool parameters, bool inputGradient);

    /// <summary>The feature-major forward over <paramref name="count"/> samples from x into y, for a layer that has one; null: transposes around <see cref="RowsForward"/>.</summary>
    protected virtual string? ColumnsForward(PlannedLayer layer, string x, string y, string count) => null;

    /// <summary>The feature-major forward storing through the ReLU that follows, for a kind whose <see cref="LayerDefinition.FusesReLUInColumns"/>.</summary>
    protected virtual string? ColumnsForwardThenReLU(PlannedLayer layer, string x, string y, string count) => null;

    /// <summary>
    /// The feature-major parameter gradients, for a layer that has them: a call that returns whether it ran
    /// (it declines where it would not give the sample-major kernel's order, which the deterministic mode
    /// promises), so the sample-major kernel between transposes runs only when it did not. Null: always the
    /// sample-major kernel.
    /// </summary>
    protected virtual string? ColumnsParameterGradients(PlannedLayer layer, string x, string delta, string count) => null;

    /// <summary>The feature-major statement that writes the input gradient over dx, for a layer that has one; null: a sample-major kernel between transposes.</summary>
    protected virtual string? ColumnsInputGradient(PlannedLayer layer, string x, string delta, string dx, string count) => null;

    public override string Forward(ForwardCall call)
    {
        PlannedLayer layer = call.Layer;
        if (call.Layout == Layout.Rows)
        {
            return RowsForward(layer, call.Source, call.Destination, call.Count);
        }
        if (call.FusedReLU)
        {
            return ColumnsForwardThenReLU(layer, call.Source, call.Destination, call.Count)
                ?? throw new System.InvalidOperationException(Name + " has no feature-major forward with ReLU.");
        }
        if (ColumnsForward(layer, call.Source, call.Destination, call.Count) is string columns)
        {
            return columns;
        }
        string x = Invariant($"t1.Slice(0, {call.Count} * {layer.Inputs})"), y = Invariant($"t2.Slice(0, {call.Count} * {layer.Outputs})");
        return "// Sample-major kernels: the chunk's values transposed into t1, the layer into t2, and back.\n"
            + Invariant($"{KernelNames.Transpose}({call.Source}, {x}, {layer.Inputs}, {call.Count});\n")
            + RowsForward(layer, x, y, call.Count) + "\n"
            + Invariant($"{KernelNames.Transpose}({y}, {call.Destination}, {call.Count}, {layer.Outputs});");
    }

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        PlannedLayer layer = call.Layer;
        bool parameters = layer.Tensors.Count > 0 && !call.InputGradientOnly;
        bool inputGradient = call.InputGradient is not null;
        if (!parameters && !inputGradient)
        {
            return;
        }
        writer.Line(Invariant($"// Layer {layer.Number}, {DisplayText(layer.Layer)}: {BackwardFormula(parameters, inputGradient)}."));
        if (call.Layout == Layout.Rows)
        {
            if (parameters)
            {
                EmitParameterGradients(writer, layer, call.SampleMajorInput ?? call.Input, call.Delta, call.Count);
            }
            if (inputGradient)
            {
                writer.Line(RowsInputGradient(layer, call.Input, call.Delta, call.InputGradient!, call.Count));
            }
            return;
        }

        string? columnsGradient = inputGradient ? ColumnsInputGradient(layer, call.Input, call.Delta, call.InputGradient!, call.Count) : null;
        if (!parameters && columnsGradient is not null)
        {
            writer.Line(columnsGradient);
            return;
        }

        // The parameter gradients feature-major where the kind has them (and the input gradient is
        // feature-major too, or not needed): the transposes below run only when that kernel declines.
        string count = call.Count;
        if (parameters && (columnsGradient is not null || !inputGradient) && !call.Plan.Spec.Deterministic
            && ColumnsParameterGradients(layer, call.Input, call.Delta, count) is string columnsParameters)
        {
            using (writer.Block($"if (!{columnsParameters})"))
            {
                EmitTransposedBackward(writer, layer, call, parameters, inputGradient: false, columnsGradient: null);
            }
            if (columnsGradient is not null)
            {
                writer.Line(columnsGradient);
            }
            return;
        }
        EmitTransposedBackward(writer, layer, call, parameters, inputGradient, columnsGradient);
    }

    /// <summary>The feature-major backward through the sample-major kernels: transposes around them.</summary>
    private void EmitTransposedBackward(CodeWriter writer, PlannedLayer layer, BackwardCall call, bool parameters, bool inputGradient, string? columnsGradient)
    {
        // Feature-major: sample-major copies of what the sample-major kernels read (a convolution's weight
        // gradient sums over the samples first). The input's copy goes to t1 for the parameter gradients;
        // where a sample-major input gradient reads it too, to the input gradient's own buffer, which the
        // result overwrites last. A feature-major input gradient reads the delta where it is.
        string count = call.Count;
        string delta = Invariant($"t2.Slice(0, {count} * {layer.Outputs})");
        string dx = Invariant($"t1.Slice(0, {count} * {layer.Inputs})");
        string? x = null;
        bool rowsGradient = inputGradient && columnsGradient is null;
        bool needsInput = (parameters && ParameterGradientsReadInput) || (rowsGradient && InputGradientReadsInput);
        if (needsInput)
        {
            x = call.SampleMajorInput
                ?? (rowsGradient && InputGradientReadsInput ? call.InputGradient! : dx);
            if (call.SampleMajorInput is null)
            {
                writer.Line(Invariant($"{KernelNames.Transpose}({call.Input}, {x}, {layer.Inputs}, {count});"));
            }
        }
        writer.Line(Invariant($"{KernelNames.Transpose}({call.Delta}, {delta}, {layer.Outputs}, {count});"));
        if (parameters)
        {
            EmitParameterGradients(writer, layer, x ?? dx, delta, count);
        }
        if (columnsGradient is not null)
        {
            writer.Line(columnsGradient);
        }
        else if (inputGradient)
        {
            writer.Line(RowsInputGradient(layer, x ?? dx, delta, dx, count));
            writer.Line(Invariant($"{KernelNames.Transpose}({dx}, {call.InputGradient}, {count}, {layer.Inputs});"));
        }
    }
}
