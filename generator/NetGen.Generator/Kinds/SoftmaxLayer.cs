using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds;

/// <summary>Softmax over each sample's values; works per sample, so each layout has its kernel.</summary>
internal sealed class SoftmaxLayer : LayerDefinition
{
    public static readonly SoftmaxLayer Instance = new();

    public override LayerKind Kind => LayerKind.Softmax;

    /// <summary>A flat sample only: after a convolution or pool, a Flatten first (NG0053).</summary>
    public override bool TakesFlatInput => true;

    public override string Name => "Softmax";

    public override string Formula => "y_i = e^(x_i - max) / sum_j e^(x_j - max); dx_i = y_i (delta_i - sum_k delta_k y_k)";

    /// <summary>dx comes from the output alone.</summary>
    public override SavedValues Saves => SavedValues.Output;

    /// <summary>Each sample's values are read whole (the maximum, the sum) before any is written, so the kernels may work in place.</summary>
    public override bool MayRunInPlace => true;

    public override long ForwardFlops(LayerSpec layer) => 5L * layer.Outputs;

    public override string Forward(ForwardCall call)
        => Invariant($"{KernelNames.InLayout(KernelNames.SoftmaxForward, call.Layout)}({call.Source}, {call.Destination}, {call.Count}, {call.Layer.Outputs});");

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        writer.Line(Invariant($"// Layer {call.Layer.Number}, Softmax: dx_i = y_i (delta_i - sum_k delta_k y_k)."));
        writer.Line(Invariant($"{KernelNames.InLayout(KernelNames.SoftmaxBackward, call.Layout)}({call.Output}, {call.Delta}, {call.InputGradient}, {call.Count}, {call.Layer.Outputs});"));
    }
}
