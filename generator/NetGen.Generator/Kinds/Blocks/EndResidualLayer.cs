using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Blocks;

/// <summary>
/// The join that closes a residual block: <c>y = f(x) + x</c>, a node with two inputs (the block's last
/// layer and the block's input). Forward it costs one add per value (in place over f(x) where that dies
/// here); backward the delta flows on unchanged into the block, and a copy of it is kept for the path
/// around the block, which <see cref="ResidualLayer"/> adds back at the block's input.
/// </summary>
internal sealed class EndResidualLayer : LayerDefinition
{
    public static readonly EndResidualLayer Instance = new();

    public override LayerKind Kind => LayerKind.EndResidual;

    public override string Name => "EndResidual";

    public override string Formula => "y = f(x) + x; the delta flows into f unchanged and around the block to x";

    public override SavedValues Saves => SavedValues.None;

    public override bool MayRunInPlace => true;

    public override int InputCount => 2;

    public override bool PassesDeltaThrough => true;

    public override long ForwardFlops(LayerSpec layer) => layer.Outputs;

    public override string Forward(ForwardCall call) => $"{KernelNames.ResidualJoin}({call.Source}, {call.SecondSource ?? call.Source}, {call.Destination});";

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        string skip = call.Plan.SkipBuffer(call.Layer.SkipDepth, call.Layer.Outputs);
        writer.Line(Invariant($"// Layer {call.Layer.Number}, EndResidual: the delta goes on into the block unchanged; a copy is kept for the path around it."));
        writer.Line($"{call.Delta}.CopyTo({skip});");
        if (call.InputGradient is not null && call.InputGradient != call.Delta)
        {
            writer.Line($"{call.Delta}.CopyTo({call.InputGradient});");
        }
    }
}
