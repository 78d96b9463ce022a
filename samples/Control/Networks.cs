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
public partial class ActorNet { }

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
public partial class CriticNet { }
