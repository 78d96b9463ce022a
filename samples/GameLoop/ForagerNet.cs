using NetGen;

namespace GameLoop;

/// <summary>
/// An agent's policy: six features of where it stands and where its food is, in; a probability for each
/// of the five actions (left, right, down, up, stay), out. One network is shared by every agent.
/// </summary>
[Network]
[Linear(World.FeatureCount, 16)]
[ReLU]
[Linear(16, World.ActionCount)]
[Softmax]
[CrossEntropyLoss]
public partial class ForagerNet { }
