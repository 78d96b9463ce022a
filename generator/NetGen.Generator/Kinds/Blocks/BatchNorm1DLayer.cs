using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Layouts;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Blocks;

/// <summary>
/// PyTorch's nn.BatchNorm1d(numFeatures): per feature of a flat sample, per channel of (channels, length).
/// Training normalises by the batch's mean and biased variance and keeps them (with 1/sqrt(var + eps)) for
/// the backward and for the running statistics, which are updated once the training call is kept;
/// inference normalises by the running statistics, which live in <c>Buffers</c>.
/// </summary>
internal class BatchNorm1DLayer : LayerDefinition
{
    public static readonly BatchNorm1DLayer Instance = new();

    public override LayerKind Kind => LayerKind.BatchNorm1D;

    public override string Name => "BatchNorm1D";

    public override string Formula => "training: y = (x - mean_B) / sqrt(var_B + 1e-5) * weight + bias per channel over the batch; inference: the running statistics";

    public override SavedValues Saves => SavedValues.Input;

    /// <summary>Each channel's statistics are taken before any of its values is written; channels are disjoint.</summary>
    public override bool MayRunInPlace => true;

    public override bool TrainingDiffers => true;

    public override LayerSpec? Read(ImmutableArray<TypedConstant> arguments, DeclarationSite site)
    {
        if (arguments.Length != 1 || arguments[0].Value is not int features)
        {
            return null;
        }
        var layer = new LayerSpec(Kind, Shape.Unknown, Shape.Unknown, Arguments: new EquatableArray<int>(new[] { features }));
        if (features < 1)
        {
            site.Report(DiagnosticDescriptors.NonPositiveSize, DisplayText(layer), "numFeatures");
        }
        return layer;
    }

    /// <summary>The features (or channels) the declaration names.</summary>
    public static int Features(LayerSpec layer) => layer.Arguments.Count > 0 ? layer.Arguments[0] : 0;

    /// <summary>NG0084 where the shape flowing in has other features (or channels) than declared.</summary>
    public override LayerSpec WithIncoming(LayerSpec declared, Shape incoming, string from, DeclarationSite site)
    {
        int features = Features(declared);
        if (incoming.IsKnown && features >= 1 && Mismatch(features, incoming))
        {
            site.Report(DiagnosticDescriptors.NormFeaturesMismatch, DisplayText(declared), What(features, incoming), incoming.ToString(), from, Fix(incoming));
        }
        return declared with { InputShape = incoming, OutputShape = incoming };
    }

    /// <summary>Whether the shape flowing in has other features (or channels, or rank) than the kind normalises.</summary>
    protected virtual bool Mismatch(int features, Shape incoming) => LayerLayouts.BatchNorm1DMismatch(features, incoming) is not null;

    /// <summary>What the declaration normalises, as NG0084 says it.</summary>
    protected virtual string What(int features, Shape incoming) => incoming.Rank == 2 ? Invariant($"{features} channels") : Invariant($"{features} features");

    /// <summary>What to write instead, as NG0084 says it.</summary>
    protected virtual string Fix(Shape incoming) => incoming.Rank == 3
        ? Invariant($"BatchNorm2D({incoming.Channels})")
        : Invariant($"BatchNorm1D({LayerLayouts.NormChannels(incoming)})");

    public override IReadOnlyList<TensorLayout> ParameterTensors(LayerSpec layer) => LayerLayouts.BatchNormTensors(Features(layer));

    public override IReadOnlyList<TensorLayout> BufferTensors(LayerSpec layer) => LayerLayouts.BatchNormBuffers(Features(layer));

    /// <summary>Per channel, the batch's mean, biased variance and 1/sqrt(var + eps): 3 values per channel, kept in a per-sample range (a batch has at least one sample).</summary>
    public override IReadOnlyList<SavedExtra> SavedExtras(LayerSpec layer) => new[] { new SavedExtra("statistics", 3 * Features(layer)) };

    public override int TrainingValuesPerChannel(LayerSpec layer) => LayerLayouts.PerChannel(layer.InputShape);

    public override string CanonicalText(LayerSpec layer) => Invariant($"{Name}({Features(layer)})");

    public override string DisplayText(LayerSpec layer) => CanonicalText(layer);

    public override long ForwardFlops(LayerSpec layer) => 4L * layer.Outputs;

    private static string Sizes(PlannedLayer layer, string count)
        => Invariant($"{count}, {Features(layer.Layer)}, {LayerLayouts.PerChannel(layer.Layer.InputShape)}");

    /// <summary>Evaluation mode: the running statistics, from b.</summary>
    public override string Forward(ForwardCall call)
        => Invariant($"{KernelNames.InLayout(KernelNames.BatchNormForward, call.Layout)}(p, {call.Layer.ParameterOffset}, b, {call.Layer.BufferOffset}, {call.Source}, {call.Destination}, {Sizes(call.Layer, call.Count)});");

    public override string ForwardTraining(ForwardCall call)
        => Invariant($"{KernelNames.InLayout(KernelNames.BatchNormForwardTraining, call.Layout)}(p, {call.Layer.ParameterOffset}, {call.Source}, {call.Destination}, {call.Plan.ExtraSpan(call.Layer, "statistics", call.Count)}, {Sizes(call.Layer, call.Count)});");

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        PlannedLayer layer = call.Layer;
        string parameters = call.InputGradientOnly ? "" : "dweight = sum delta xh, dbias = sum delta";
        string input = call.InputGradient is null ? "" : "dx = weight r (delta - mean(delta) - xh mean(delta xh))";
        writer.Line(Invariant($"// Layer {layer.Number}, {DisplayText(layer.Layer)}, per channel over the batch: {string.Join(", ", new[] { parameters, input }.Where(s => s.Length > 0))}."));
        writer.Line(Invariant($"{KernelNames.InLayout(KernelNames.BatchNormBackward, call.Layout)}(p, {(call.InputGradientOnly ? "default" : "g")}, {layer.ParameterOffset}, {call.Input}, {call.Plan.ExtraSpan(layer, "statistics", call.Count)}, {call.Delta}, {call.InputGradient ?? "default"}, {Sizes(layer, call.Count)});"));
    }

    public override void EmitCommitTraining(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
        writer.Line(Invariant($"// Layer {layer.Number}, {DisplayText(layer.Layer)}: running_mean is Buffers[{layer.BufferOffset}..{layer.BufferOffset + Features(layer.Layer)}), running_var follows."));
        writer.Line(Invariant($"{KernelNames.BatchNormUpdateRunning}(b, {layer.BufferOffset}, {plan.ExtraSpan(layer, "statistics", "count")}, {Sizes(layer, "count")});"));
    }
}
