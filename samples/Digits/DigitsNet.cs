using NetGen;

namespace Digits;

/// <summary>
/// An 8x8 handwritten digit (64 grey levels scaled to [0, 1]) in, ten class probabilities out. NetGen
/// generates the rest: read it in obj/generated/NetGen.Generator/NetGen.Generator.NetworkGenerator/Digits.DigitsNet.g.cs
/// after a build.
/// </summary>
[Network]
[Linear(64, 128)]
[ReLU]
[Linear(128, 64)]
[ReLU]
[Linear(64, 10)]
[Softmax]
[CrossEntropyLoss]
public partial class DigitsNet { }
