using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds.Losses;

/// <summary>Every loss NetGen knows: what the parser recognises and the emitter asks.</summary>
internal static class LossCatalog
{
    /// <summary>One entry per <see cref="LossKind"/>; a test checks that none is missing.</summary>
    public static readonly IReadOnlyList<LossDefinition> All = new LossDefinition[]
    {
        CrossEntropyLoss.Instance,
        MeanSquaredErrorLoss.Instance,
    };

    private static readonly Dictionary<string, LossDefinition> ByAttribute = All.ToDictionary(d => d.AttributeMetadataName);

    private static readonly Dictionary<LossKind, LossDefinition> ByKind = All.ToDictionary(d => d.Kind);

    public static LossDefinition For(LossKind kind)
        => ByKind.TryGetValue(kind, out LossDefinition? definition)
            ? definition
            : throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "A loss without a definition: add it to LossCatalog.All.");

    /// <summary>The loss declared by the attribute with this metadata name, if it is one of NetGen's.</summary>
    public static bool TryGetByAttribute(string metadataName, out LossDefinition definition) => ByAttribute.TryGetValue(metadataName, out definition!);
}
