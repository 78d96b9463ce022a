using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds;

/// <summary>ReLU: elementwise, so one shared kernel serves both layouts.</summary>
internal sealed class ReLULayer : ElementwiseLayer
{
    public static readonly ReLULayer Instance = new();

    public override LayerKind Kind => LayerKind.ReLU;

    public override string Name => "ReLU";

    public override string Formula => "y = max(x, 0); dx = delta * 1(x >= 0)";

    public override long ForwardFlops(LayerSpec layer) => layer.Outputs;

    protected override bool BackwardFromOutput => false;

    protected override string BackwardFormula => "dx = delta * 1(x >= 0)";
}
