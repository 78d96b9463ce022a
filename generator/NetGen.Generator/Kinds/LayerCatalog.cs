using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds;

/// <summary>Every layer kind NetGen knows: what the parser recognises and the planner and emitter ask.</summary>
internal static class LayerCatalog
{
    /// <summary>The one list of kinds; the look-ups below are derived from it, and a test checks that every <see cref="LayerKind"/> is here once.</summary>
    public static readonly IReadOnlyList<LayerDefinition> All = new LayerDefinition[]
    {
        LinearLayer.Instance,
        ReLULayer.Instance,
        SoftmaxLayer.Instance,
        TanhLayer.Instance,
        SigmoidLayer.Instance,
        LeakyReLULayer.Instance,
        SiLULayer.Instance,
        Recurrent.GruLayer.Instance,
        Recurrent.LstmLayer.Instance,
        Shapes.InputLayer.Instance,
        Shapes.ConvolutionLayer.OneDimensional,
        Shapes.ConvolutionLayer.TwoDimensional,
        Shapes.PoolLayer.MaxPool1D,
        Shapes.PoolLayer.MaxPool2D,
        Shapes.PoolLayer.AvgPool1D,
        Shapes.PoolLayer.AvgPool2D,
        Shapes.GlobalAvgPoolLayer.Instance,
        Shapes.FlattenLayer.Instance,
        Blocks.ResidualLayer.Instance,
        Blocks.EndResidualLayer.Instance,
        Blocks.LayerNormLayer.Instance,
        Blocks.BatchNorm1DLayer.Instance,
        Blocks.BatchNorm2DLayer.Instance,
        Blocks.DropoutLayer.Instance,
    };

    private static readonly Dictionary<string, LayerDefinition> ByAttribute = All.ToDictionary(d => d.AttributeMetadataName);

    private static readonly Dictionary<LayerKind, LayerDefinition> ByKind = All.ToDictionary(d => d.Kind);

    /// <summary>The definition of <paramref name="kind"/>.</summary>
    public static LayerDefinition For(LayerKind kind)
        => ByKind.TryGetValue(kind, out LayerDefinition? definition)
            ? definition
            : throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "A layer kind without a definition: add it to LayerCatalog.All.");

    /// <summary>The layer declared by the attribute with this metadata name, if it is one of NetGen's.</summary>
    public static bool TryGetByAttribute(string metadataName, out LayerDefinition definition) => ByAttribute.TryGetValue(metadataName, out definition!);

    /// <summary>The definition of <paramref name="layer"/>'s kind.</summary>
    public static LayerDefinition Definition(this LayerSpec layer) => For(layer.Kind);
}
