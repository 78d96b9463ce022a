using NetGen.Generator.Model;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Emission.Layers;

/// <summary>ReLU: elementwise, so one shared kernel serves both layouts.</summary>
internal sealed class ReLULayer : LayerDefinition
{
    public static readonly ReLULayer Instance = new();

    public override LayerKind Kind => LayerKind.ReLU;

    public override string Name => "ReLU";

    public override string Formula => "y = max(x, 0); dx = delta * 1(x >= 0)";

    public override long ForwardFlops(LayerSpec layer) => layer.Outputs;

    public override string Forward(ForwardCall call) => $"ReLUForward({call.Source}, {call.Destination});";

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        writer.Line(Invariant($"// Layer {call.Layer.Number}, ReLU: dx = delta * 1(x >= 0)."));
        writer.Line($"ReLUBackward({call.Input}, {call.Delta}, {call.InputGradient});");
    }
}
