using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Layouts;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Shapes;

/// <summary>
/// The mean of each channel over every position: <c>(C, L)</c> or <c>(C, H, W)</c> to C features, as
/// PyTorch's AdaptiveAvgPool(1) then Flatten. No parameters.
/// </summary>
internal sealed class GlobalAvgPoolLayer : SampleMajorLayer
{
    public static readonly GlobalAvgPoolLayer Instance = new();

    public override LayerKind Kind => LayerKind.GlobalAvgPool;

    public override string Name => LayerLayouts.GlobalAvgPool;

    public override string Formula => "y[c] = mean of x[c, every position]; dx[c, j] = delta[c] / positions";

    public override SavedValues Saves => SavedValues.None;

    public override LayerSpec WithIncoming(LayerSpec declared, Shape incoming, string from, DeclarationSite site)
    {
        if (!incoming.IsKnown)
        {
            return declared;
        }
        if (incoming.Rank < 2)
        {
            site.Report(Diagnostics.DiagnosticDescriptors.WrongRank, Name, "(channels, length) or (channels, height, width)", incoming.ToString(), from,
                ": a flat sample has no channels to average over");
            return declared with { InputShape = incoming };
        }
        return declared with { InputShape = incoming, OutputShape = Shape.Features(incoming.Channels) };
    }

    private static int Positions(LayerSpec layer) => layer.InputShape.Height * layer.InputShape.Width;

    /// <summary>An addition per value and a division per channel.</summary>
    public override long ForwardFlops(LayerSpec layer) => layer.Inputs + layer.Outputs;

    protected override string RowsForward(PlannedLayer layer, string x, string y, string count)
        => Invariant($"{KernelNames.GlobalAvgPoolForward}({x}, {y}, {layer.Outputs}, {Positions(layer.Layer)}, {count});");

    protected override string RowsInputGradient(PlannedLayer layer, string x, string delta, string dx, string count)
        => Invariant($"{KernelNames.GlobalAvgPoolBackward}({delta}, {dx}, {layer.Outputs}, {Positions(layer.Layer)}, {count});");

    protected override string ColumnsForward(PlannedLayer layer, string x, string y, string count)
        => Invariant($"{KernelNames.InLayout(KernelNames.GlobalAvgPoolForward, Layout.Columns)}({x}, {y}, {layer.Outputs}, {Positions(layer.Layer)}, {count});");

    protected override string ColumnsInputGradient(PlannedLayer layer, string x, string delta, string dx, string count)
        => Invariant($"{KernelNames.InLayout(KernelNames.GlobalAvgPoolBackward, Layout.Columns)}({delta}, {dx}, {layer.Outputs}, {Positions(layer.Layer)}, {count});");

    protected override string BackwardFormula(bool parameters, bool inputGradient) => "dx[c, j] = delta[c] / positions";
}
