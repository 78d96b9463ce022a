using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Layouts;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Blocks;

/// <summary>
/// PyTorch's nn.Dropout(p). Training: each value of each sample is kept with probability 1 - p and scaled
/// by 1/(1 - p), else zeroed, by a mask drawn fresh each call from the network's own generator and kept in
/// the workspace for the backward (<c>dx = delta * mask</c>). Inference passes values through (in place:
/// nothing at all).
/// </summary>
internal sealed class DropoutLayer : LayerDefinition
{
    public static readonly DropoutLayer Instance = new();

    public override LayerKind Kind => LayerKind.Dropout;

    public override string Name => "Dropout";

    public override string Formula => "training: y = x * mask, mask 0 with probability p else 1/(1-p), dx = delta * mask; inference: y = x";

    public override SavedValues Saves => SavedValues.None;

    public override bool MayRunInPlace => true;

    public override bool TrainingDiffers => true;

    public override LayerSpec? Read(ImmutableArray<TypedConstant> arguments, DeclarationSite site)
    {
        if (arguments.Length != 1 || arguments[0].Value is not double p)
        {
            return null;
        }
        if (double.IsNaN(p) || p < 0 || p >= 1)
        {
            site.Report(DiagnosticDescriptors.DropoutOutOfRange, LayerLayouts.ProbabilityText(p));
        }
        return new LayerSpec(LayerKind.Dropout, Shape.Unknown, Shape.Unknown, p);
    }

    /// <summary>The mask, one value per value of the sample.</summary>
    public override IReadOnlyList<SavedExtra> SavedExtras(LayerSpec layer) => new[] { new SavedExtra("mask", layer.Outputs) };

    public override string CanonicalText(LayerSpec layer) => $"Dropout({LayerLayouts.ProbabilityText(layer.Slope)})";

    public override string DisplayText(LayerSpec layer) => CanonicalText(layer);

    public override long ForwardFlops(LayerSpec layer) => layer.Outputs;

    /// <summary>Inference: the values pass through, which costs nothing where the planner works in place.</summary>
    public override string Forward(ForwardCall call) => call.Source == call.Destination
        ? "// Inference passes the values through: nothing to do in place."
        : $"{call.Source}.CopyTo({call.Destination});";

    public override string ForwardTraining(ForwardCall call)
        => Invariant($"{KernelNames.InLayout(KernelNames.DropoutForward, call.Layout)}({call.Source}, {call.Destination}, {Mask(call.Layer, call.Plan, call.Count)}, {call.Count}, {call.Layer.Outputs}, {Literal(call.Layer.Layer.Slope)}, ref random);");

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        writer.Line(Invariant($"// Layer {call.Layer.Number}, {DisplayText(call.Layer.Layer)}: dx = delta * mask, the mask its forward drew."));
        writer.Line($"{KernelNames.DropoutBackward}({Mask(call.Layer, call.Plan, call.Count)}, {call.Delta}, {call.InputGradient});");
    }

    private static string Mask(Planning.PlannedLayer layer, Planning.NetworkPlan plan, string count) => plan.ExtraSpan(layer, "mask", count);

    /// <summary>p as a C# double literal.</summary>
    private static string Literal(double p)
    {
        string text = LayerLayouts.ProbabilityText(p);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }
}
