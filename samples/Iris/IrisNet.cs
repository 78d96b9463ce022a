using NetGen;

namespace Iris;

/// <summary>
/// Four measurements of a flower in, three species out. NetGen generates everything else: read it in
/// obj/generated/NetGen.Generator/NetGen.Generator.NetworkGenerator/Iris.IrisNet.g.cs after a build.
/// </summary>
[Network]
[Linear(4, 16)]
[ReLU]
[Linear(16, 3)]
[Softmax]
[CrossEntropyLoss]
public partial class IrisNet { }
