using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Layouts;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Blocks;

/// <summary>
/// PyTorch's nn.LayerNorm over each sample's whole incoming shape, eps 1e-5: <c>weight</c> (1s) then
/// <c>bias</c> (0s), each of the sample's shape. The training forward keeps each sample's mean and
/// 1/sqrt(var + eps), so that the backward is one pass per sample over them and its input.
/// </summary>
internal sealed class LayerNormLayer : LayerDefinition
{
    public static readonly LayerNormLayer Instance = new();

    public override LayerKind Kind => LayerKind.LayerNorm;

    public override string Name => "LayerNorm";

    public override string Formula => "y = (x - mean) / sqrt(var + 1e-5) * weight + bias over each sample; dx = r (u - mean(u) - xh mean(u xh)), u = delta * weight";

    /// <summary>The backward rebuilds the normalised values from the input and the kept statistics.</summary>
    public override SavedValues Saves => SavedValues.Input;

    /// <summary>Each sample's statistics are taken before any of its values is written; the backward likewise.</summary>
    public override bool MayRunInPlace => true;

    public override IReadOnlyList<TensorLayout> ParameterTensors(LayerSpec layer) => LayerLayouts.LayerNormTensors(layer.InputShape);

    /// <summary>Each sample's mean and 1/sqrt(var + eps).</summary>
    public override IReadOnlyList<SavedExtra> SavedExtras(LayerSpec layer) => new[] { new SavedExtra("statistics", 2) };

    public override long ForwardFlops(LayerSpec layer) => 8L * layer.Outputs;

    public override string Forward(ForwardCall call) => Call(call, "default");

    public override string ForwardTraining(ForwardCall call) => Call(call, call.Plan.ExtraSpan(call.Layer, "statistics", call.Count));

    private static string Call(ForwardCall call, string statistics)
        => Invariant($"{KernelNames.InLayout(KernelNames.LayerNormForward, call.Layout)}(p, {call.Layer.ParameterOffset}, {call.Source}, {call.Destination}, {statistics}, {call.Count}, {call.Layer.Outputs});");

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        PlannedLayer layer = call.Layer;
        string statistics = call.Plan.ExtraSpan(layer, "statistics", call.Count);
        string parameters = call.InputGradientOnly ? "" : "dweight = sum delta xh, dbias = sum delta";
        string input = call.InputGradient is null ? "" : "dx = r (u - mean(u) - xh mean(u xh))";
        writer.Line(Invariant($"// Layer {layer.Number}, LayerNorm: {string.Join(", ", new[] { parameters, input }.Where(s => s.Length > 0))}."));
        writer.Line(Invariant($"{KernelNames.InLayout(KernelNames.LayerNormBackward, call.Layout)}(p, {(call.InputGradientOnly ? "default" : "g")}, {layer.ParameterOffset}, {call.Input}, {statistics}, {call.Delta}, {call.InputGradient ?? "default"}, {call.Count}, {layer.Outputs});"));
    }
}
