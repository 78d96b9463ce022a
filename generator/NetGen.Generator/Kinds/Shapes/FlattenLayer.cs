using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Layouts;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Shapes;

/// <summary>
/// <c>(C, L)</c> or <c>(C, H, W)</c> to its values in the same order, as nn.Flatten: a sample is already
/// stored flat in that order, sample-major and feature-major alike, so the layer moves nothing where it
/// runs in place, and copies where the pass keeps its output apart (training).
/// </summary>
internal sealed class FlattenLayer : LayerDefinition
{
    public static readonly FlattenLayer Instance = new();

    public override LayerKind Kind => LayerKind.Flatten;

    public override string Name => LayerLayouts.Flatten;

    public override string Formula => "y = x, read as C*H*W features; dx = delta";

    public override SavedValues Saves => SavedValues.None;

    public override bool MayRunInPlace => true;

    public override bool KeepsShape => false;

    public override LayerSpec WithIncoming(LayerSpec declared, Shape incoming, string from, DeclarationSite site)
        => declared with { InputShape = incoming, OutputShape = incoming.IsKnown ? Shape.Features((int)incoming.Size) : incoming };

    /// <summary>Moves values at most: no arithmetic.</summary>
    public override long ForwardFlops(LayerSpec layer) => 0;

    public override string Forward(ForwardCall call) => Copy(call.Source, call.Destination);

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        if (call.InputGradient is null)
        {
            return;
        }
        writer.Line(Invariant($"// Layer {call.Layer.Number}, Flatten: dx = delta."));
        writer.Line(Copy(call.Delta, call.InputGradient));
    }

    /// <summary>Nothing to do where the values already are in place; else a copy.</summary>
    internal static string Copy(string source, string destination)
        => source == destination ? "// The values stay where they are: a sample is stored flat." : $"{source}.CopyTo({destination});";
}
