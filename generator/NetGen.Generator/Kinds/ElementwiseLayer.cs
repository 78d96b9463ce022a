using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds;

/// <summary>
/// An activation applied to each value alone: one shared kernel serves both layouts, forward may run in
/// place, and the backward reads either the layer's input or its output, whichever its derivative is
/// cheapest from (tanh and sigmoid from their output, ReLU and SiLU from their input).
/// </summary>
internal abstract class ElementwiseLayer : LayerDefinition
{
    /// <summary>True when the derivative is computed from the layer's output rather than its input.</summary>
    protected abstract bool BackwardFromOutput { get; }

    /// <summary>What the backward computes, for the generated comment.</summary>
    protected abstract string BackwardFormula { get; }

    /// <summary>The backward reads the input or the output, as the derivative is cheapest from.</summary>
    public override SavedValues Saves => BackwardFromOutput ? SavedValues.Output : SavedValues.Input;

    /// <summary>Each value from its own input alone: forward and backward may work in place.</summary>
    public override bool MayRunInPlace => true;

    /// <summary>Extra arguments after the spans (LeakyReLU's slope), with a leading comma, or empty.</summary>
    protected virtual string ExtraArguments(PlannedLayer layer, NetworkPlan plan) => "";

    public override string Forward(ForwardCall call) => $"{KernelNames.ActivationForward(Name)}({call.Source}, {call.Destination}{ExtraArguments(call.Layer, call.Plan)});";

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        writer.Line(Invariant($"// Layer {call.Layer.Number}, {DisplayText(call.Layer.Layer)}: {BackwardFormula}."));
        string from = BackwardFromOutput ? call.Output : call.Input;
        writer.Line($"{KernelNames.ActivationBackward(Name)}({from}, {call.Delta}, {call.InputGradient}{ExtraArguments(call.Layer, call.Plan)});");
    }
}
