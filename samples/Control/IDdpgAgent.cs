using System;
using NetGen;

namespace Control;

/// <summary>
/// What the training loop needs of a <see cref="DdpgAgent{TActor, TCritic}"/>, whichever networks it
/// trains, so that Program.cs chooses the pair once and runs one loop.
/// </summary>
public interface IDdpgAgent
{
    /// <summary>Transitions per update.</summary>
    int BatchSize { get; }

    /// <summary>The trained actor, the policy: run it with <see cref="ActorController"/>.</summary>
    INetwork<float> Actor { get; }

    /// <summary>Runs every network call of an update once, so that no later update allocates.</summary>
    void WarmUp();

    /// <summary>One learning step on a minibatch drawn from <paramref name="replay"/>. Returns the critic's TD loss.</summary>
    float Update(ReplayBuffer replay, Random random);
}
