namespace NetGen.Generator.Model;

/// <summary>
/// The losses a network may end in. A loss is not a layer: it computes nothing in inference, it decides
/// which training members the network has and which interface it implements. What each is lives in one
/// type per kind under Kinds/Losses, found through <c>LossCatalog</c>.
/// </summary>
internal enum LossKind
{
    CrossEntropy,
    MeanSquaredError,
}

/// <summary>The loss a network ends in, with the width of the values it compares.</summary>
internal sealed record LossSpec(LossKind Kind, int Width);
