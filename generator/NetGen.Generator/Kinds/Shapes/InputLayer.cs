using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Layouts;

namespace NetGen.Generator.Kinds.Shapes;

/// <summary>
/// <c>[Input(...)]</c>: the shape of one sample, (features), (channels, length) or (channels, height,
/// width). Not a layer that computes: the chain takes the network's input shape from it and leaves it out
/// of the layers (NetworkSpec.InputShape), and the architecture text writes it first. Were it ever planned
/// as a node, it would pass its values through unchanged.
/// </summary>
internal sealed class InputLayer : LayerDefinition
{
    public static readonly InputLayer Instance = new();

    public override LayerKind Kind => LayerKind.Input;

    public override string Name => LayerLayouts.Input;

    public override string Formula => "the sample's shape: (features), (channels, length) or (channels, height, width)";

    public override SavedValues Saves => SavedValues.None;

    public override bool MayRunInPlace => true;

    public override LayerSpec? Read(ImmutableArray<TypedConstant> arguments, DeclarationSite site)
    {
        int[]? sizes = arguments.Length is >= 1 and <= 3 ? ShapeRules.Integers(arguments, arguments.Length) : null;
        if (sizes is null)
        {
            return null;
        }
        Shape shape = sizes.Length switch
        {
            1 => Shape.Features(sizes[0]),
            2 => Shape.ChannelsByLength(sizes[0], sizes[1]),
            _ => Shape.ChannelsByHeightByWidth(sizes[0], sizes[1], sizes[2]),
        };
        var layer = new LayerSpec(Kind, shape, shape, Arguments: new EquatableArray<int>(sizes));
        if (System.Array.Exists(sizes, s => s < 1))
        {
            site.Report(DiagnosticDescriptors.NonPositiveInputSize, DisplayText(layer));
            return layer with { InputShape = Shape.Unknown, OutputShape = Shape.Unknown };
        }
        return layer;
    }

    /// <summary>The shape it states, where its sizes are valid.</summary>
    public override Shape StatedInput(LayerSpec declared) => declared.InputShape;

    public override long ForwardFlops(LayerSpec layer) => 0;

    public override string CanonicalText(LayerSpec layer) => Text(layer, ",");

    public override string DisplayText(LayerSpec layer) => Text(layer, ", ");

    private string Text(LayerSpec layer, string separator)
    {
        var sizes = new string[layer.Arguments.Count];
        for (int i = 0; i < sizes.Length; i++)
        {
            sizes[i] = layer.Arguments[i].ToString(CultureInfo.InvariantCulture);
        }
        return Name + "(" + string.Join(separator, sizes) + ")";
    }

    /// <summary>The architecture text's first token for a network whose input is <paramref name="shape"/>.</summary>
    public static string CanonicalText(Shape shape) => shape.Rank switch
    {
        1 => string.Format(CultureInfo.InvariantCulture, "Input({0})", shape.Width),
        2 => string.Format(CultureInfo.InvariantCulture, "Input({0},{1})", shape.Channels, shape.Width),
        _ => string.Format(CultureInfo.InvariantCulture, "Input({0},{1},{2})", shape.Channels, shape.Height, shape.Width),
    };

    public override string Forward(ForwardCall call) => FlattenLayer.Copy(call.Source, call.Destination);

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        if (call.InputGradient is not null)
        {
            writer.Line(FlattenLayer.Copy(call.Delta, call.InputGradient));
        }
    }
}
