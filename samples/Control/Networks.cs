using NetGen;

namespace Control;

/// <summary>
/// The actor (the policy): what the puck sees in, the thrust out. The last layer is a tanh, so the
/// action is always in [-1, 1], the thruster's range, whatever the weights do. NetGen generates the
/// rest: read it in obj/generated/NetGen.Generator/NetGen.Generator.NetworkGenerator/Control.ActorNet.g.cs
/// after a build.
/// </summary>
[Network]
[Linear(PointMass.ObservationSize, 32)]
[SiLU]
[Linear(32, 32)]
[SiLU]
[Linear(32, 1)]
[Tanh]
public partial class ActorNet : ISeededNetwork { }

/// <summary>
/// The critic (the value head): an observation and an action in, Q out, the return expected from
/// taking that action there and following the actor afterwards. It ends in MSELoss, so it is an
/// <see cref="IRegressor{T}"/> trained towards targets; its input gradient, d Q / d action, is what
/// teaches the actor.
/// </summary>
[Network]
[Linear(PointMass.ObservationSize + 1, 64)]
[LeakyReLU]
[Linear(64, 64)]
[LeakyReLU]
[Linear(64, 1)]
[MSELoss]
public partial class CriticNet : ISeededNetwork { }

/// <summary>
/// The actor again, built as current reinforcement-learning recipes build it: a LayerNorm after the
/// first layer, so that what the hidden layers see keeps one scale however the observation's scale
/// drifts, and a residual block, y = x + f(x), so that the block starts near the identity and its
/// gradient has a short path. <c>--networks blocks</c> trains this pair instead of the plain one.
/// </summary>
[Network]
[Linear(PointMass.ObservationSize, 32)]
[LayerNorm]
[SiLU]
[Residual] [Linear(32, 32)] [SiLU] [Linear(32, 32)] [EndResidual]
[SiLU]
[Linear(32, 1)]
[Tanh]
public partial class BlockActorNet : ISeededNetwork { }

/// <summary>The critic in the same spirit: LayerNorm after the first layer, a residual block in the middle.</summary>
[Network]
[Linear(PointMass.ObservationSize + 1, 64)]
[LayerNorm]
[LeakyReLU]
[Residual] [Linear(64, 64)] [LeakyReLU] [Linear(64, 64)] [EndResidual]
[LeakyReLU]
[Linear(64, 1)]
[MSELoss]
public partial class BlockCriticNet : ISeededNetwork { }
