using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds;

/// <summary>The logistic sigmoid, elementwise; its derivative comes from its output.</summary>
internal sealed class SigmoidLayer : ElementwiseLayer
{
    public static readonly SigmoidLayer Instance = new();

    public override LayerKind Kind => LayerKind.Sigmoid;

    public override string Name => "Sigmoid";

    public override string Formula => "y = 1 / (1 + e^-x); dx = delta * y (1 - y)";

    public override long ForwardFlops(LayerSpec layer) => 20L * layer.Outputs;

    protected override bool BackwardFromOutput => true;

    protected override string BackwardFormula => "dx = delta * y (1 - y)";
}
