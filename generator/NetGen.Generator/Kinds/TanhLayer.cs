using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds;

/// <summary>Tanh, elementwise; its derivative comes from its output.</summary>
internal sealed class TanhLayer : ElementwiseLayer
{
    public static readonly TanhLayer Instance = new();

    public override LayerKind Kind => LayerKind.Tanh;

    public override string Name => "Tanh";

    public override string Formula => "y = tanh(x); dx = delta * (1 - y^2)";

    // An exp, a division and a few multiply-adds per value: a rough count, as for the other activations.
    public override long ForwardFlops(LayerSpec layer) => 20L * layer.Outputs;

    protected override bool BackwardFromOutput => true;

    protected override string BackwardFormula => "dx = delta * (1 - y^2)";
}
