using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Blocks;

/// <summary>
/// The start of a residual block, <c>y = x + f(x)</c>: a marker that computes nothing. Its value is the
/// block's input where that already is (no copy: the planner keeps that buffer alive until the join, which
/// reads it); backward, it is where the gradient that went around the block (kept by the join) is added to
/// the gradient that came back through it.
/// </summary>
internal sealed class ResidualLayer : LayerDefinition
{
    public static readonly ResidualLayer Instance = new();

    public override LayerKind Kind => LayerKind.Residual;

    public override string Name => "Residual";

    public override string Formula => "marks the block's input x, which [EndResidual] adds back: y = x + f(x); dx = delta through f + delta around it";

    public override SavedValues Saves => SavedValues.None;

    public override bool MayRunInPlace => true;

    public override bool AliasesSource => true;

    public override bool PassesDeltaThrough => true;

    /// <summary>Nothing: the marker only names a value.</summary>
    public override long ForwardFlops(LayerSpec layer) => 0;

    public override string Forward(ForwardCall call) => "// The block's input stays where it is: its join reads it there.";

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        string skip = call.Plan.SkipBuffer(call.Layer.SkipDepth, call.Layer.Outputs);
        writer.Line(Invariant($"// Layer {call.Layer.Number}, Residual: the block's input gets both gradients, the one back through the block and the one its join passed around it."));
        writer.Line($"{KernelNames.ResidualBackward}({call.Delta}, {skip}, {call.InputGradient});");
    }
}
