using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds;

/// <summary>SiLU (Swish), <c>x * sigmoid(x)</c>, elementwise; its derivative comes from its input.</summary>
internal sealed class SiLULayer : ElementwiseLayer
{
    public static readonly SiLULayer Instance = new();

    public override LayerKind Kind => LayerKind.SiLU;

    public override string Name => "SiLU";

    public override string Formula => "y = x * sigmoid(x); dx = delta * (s + x s (1 - s)), s = sigmoid(x)";

    public override long ForwardFlops(LayerSpec layer) => 21L * layer.Outputs;

    protected override bool BackwardFromOutput => false;

    protected override string BackwardFormula => "dx = delta * (s + x s (1 - s)), s = sigmoid(x)";
}
