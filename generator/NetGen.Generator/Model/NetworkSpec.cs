using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>The element types a network may compute in.</summary>
internal enum ElementType
{
    Float,
    Double,
}

/// <summary>A type that encloses the network class, outermost first (e.g. <c>partial class Outer</c>).</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>
/// Everything the emitter needs to know about one valid network declaration, and nothing that ties it
/// to a compilation: strings, numbers and equatable arrays only, so that the incremental pipeline can
/// compare two parses by value and skip regeneration when they are equal. <see cref="Weights"/> is the
/// <c>[Network(Weights = ...)]</c> path as the rule of <c>WeightsPath</c> reads it (separators '/'),
/// or null for a network without baked weights; the file's contents are not in the spec, but in a step
/// of their own (<c>BakeOutcome</c>), so that an edit to the class never re-reads the file.
/// <see cref="WeightsModuleNames"/> is <c>[Network(WeightsModuleNames = ...)]</c>, the module of each
/// Linear layer in the file, or empty where the names and shapes decide. <see cref="InputShape"/> is the
/// shape <c>[Input(...)]</c> states, or unknown where the first layer that states its inputs fixes it.
/// </summary>
internal sealed record NetworkSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string ClassName,
    string Accessibility,
    string FullyQualifiedMetadataName,
    ElementType ElementType,
    bool FullUnroll,
    EquatableArray<LayerSpec> Layers,
    LossSpec? Loss,
    bool Deterministic = false,
    string? Weights = null,
    EquatableArray<StringValue> WeightsModuleNames = default,
    NetGen.Layouts.Shape InputShape = default)
{
    /// <summary>The C# keyword of the element type.</summary>
    public string ElementKeyword => ElementType == ElementType.Float ? "float" : "double";
}
