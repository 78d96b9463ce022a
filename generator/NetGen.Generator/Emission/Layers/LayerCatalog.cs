using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emission.Layers;

/// <summary>Every layer kind NetGen knows: what the parser recognises and the emitter asks.</summary>
internal static class LayerCatalog
{
    /// <summary>One entry per <see cref="LayerKind"/>; a test checks that none is missing.</summary>
    public static readonly IReadOnlyList<LayerDefinition> All = new LayerDefinition[]
    {
        LinearLayer.Instance,
        ReLULayer.Instance,
        SoftmaxLayer.Instance,
        TanhLayer.Instance,
        SigmoidLayer.Instance,
        LeakyReLULayer.Instance,
        SiLULayer.Instance,
    };

    private static readonly Dictionary<string, LayerDefinition> ByAttribute = All.ToDictionary(d => d.AttributeMetadataName);

    /// <summary>The definition of <paramref name="kind"/>.</summary>
    public static LayerDefinition For(LayerKind kind) => kind switch
    {
        LayerKind.Linear => LinearLayer.Instance,
        LayerKind.ReLU => ReLULayer.Instance,
        LayerKind.Softmax => SoftmaxLayer.Instance,
        LayerKind.Tanh => TanhLayer.Instance,
        LayerKind.Sigmoid => SigmoidLayer.Instance,
        LayerKind.LeakyReLU => LeakyReLULayer.Instance,
        LayerKind.SiLU => SiLULayer.Instance,
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "A layer kind without a definition: add it to LayerCatalog."),
    };

    /// <summary>The layer declared by the attribute with this metadata name, if it is one of NetGen's.</summary>
    public static bool TryGetByAttribute(string metadataName, out LayerDefinition definition) => ByAttribute.TryGetValue(metadataName, out definition!);

    /// <summary>The definition of <paramref name="layer"/>'s kind.</summary>
    public static LayerDefinition Definition(this LayerSpec layer) => For(layer.Kind);
}
