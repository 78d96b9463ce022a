using System;
using NetGen;

namespace Control;

/// <summary>
/// Deep deterministic policy gradient (DDPG, Lillicrap et al. 2015), the actor-critic behind a lot of
/// continuous control: the critic learns Q(observation, action) from replayed transitions by temporal
/// differences, and the actor learns to output the action the critic rates highest, by following the
/// critic's gradient with respect to the action. Slowly trailing copies of both networks (the targets)
/// provide the TD targets, so that the critic is not fitting a target that moves with every step.
/// <para>
/// Every buffer is allocated in the constructor; <see cref="Update"/> allocates
/// nothing once <see cref="WarmUp"/> has run each network call once at the minibatch size.
/// </para>
/// <para>
/// Generic over the two networks, so that the same algorithm trains the plain pair
/// (<see cref="ActorNet"/>, <see cref="CriticNet"/>) and the pair with LayerNorm and a residual block
/// (<see cref="BlockActorNet"/>, <see cref="BlockCriticNet"/>): the actor is any network with one output,
/// the critic any regressor with one output. Neither may have <c>Buffers</c> (running statistics): the
/// targets trail <c>Parameters</c> only, and a buffer would be left behind (the constructor checks).
/// </para>
/// </summary>
public sealed class DdpgAgent<TActor, TCritic> : IDdpgAgent
    where TActor : class, INetwork<float>, ISeededNetwork, new()
    where TCritic : class, IRegressor<float>, ISeededNetwork, new()
{
    private const int ObservationSize = PointMass.ObservationSize;
    private const int CriticInputSize = ObservationSize + 1;   // the observation, then the action

    private readonly TActor _actor = new(), _targetActor = new();
    private readonly TCritic _critic = new(), _targetCritic = new();
    private readonly AdamOptimizer<float> _actorOptimizer, _criticOptimizer;
    private readonly float _discount, _targetRate;

    // The minibatch, and the scratch of one update, sample-major.
    private readonly float[] _observations, _actions, _rewards, _nextObservations;
    private readonly float[] _criticInputs, _nextCriticInputs, _nextActions, _nextValues, _targets;
    private readonly float[] _policyActions, _valueWeights, _criticInputGradients, _actionGradients;

    /// <param name="seed">Initialises the four networks (each target starts as a copy of its network).</param>
    /// <param name="batchSize">Transitions per update.</param>
    /// <param name="discount">gamma: how much a reward one step later is worth (0.95 looks about 20 steps, 1 s, ahead).</param>
    /// <param name="targetRate">tau: how far the target networks move towards the trained ones per update (Polyak averaging).</param>
    /// <param name="actorLearningRate">Adam's step size for the actor.</param>
    /// <param name="criticLearningRate">Adam's step size for the critic.</param>
    public DdpgAgent(int seed, int batchSize, float discount, float targetRate, double actorLearningRate, double criticLearningRate)
    {
        if (_actor.InputSize != ObservationSize || _actor.OutputSize != 1 || _actor.Buffers.Length != 0)
        {
            throw new ArgumentException($"The actor must take {ObservationSize} values, give one, and have no buffers: {_actor.Architecture}.", nameof(TActor));
        }

        if (_critic.InputSize != CriticInputSize || _critic.OutputSize != 1 || _critic.Buffers.Length != 0)
        {
            throw new ArgumentException($"The critic must take {CriticInputSize} values, give one, and have no buffers: {_critic.Architecture}.", nameof(TCritic));
        }

        BatchSize = batchSize;
        _discount = discount;
        _targetRate = targetRate;

        _actor.InitializeParameters(seed);
        _critic.InitializeParameters(seed + 1);
        _actor.Parameters.CopyTo(_targetActor.Parameters, 0);
        _critic.Parameters.CopyTo(_targetCritic.Parameters, 0);
        _actorOptimizer = new AdamOptimizer<float>(_actor, actorLearningRate);
        _criticOptimizer = new AdamOptimizer<float>(_critic, criticLearningRate);

        _observations = new float[batchSize * ObservationSize];
        _actions = new float[batchSize];
        _rewards = new float[batchSize];
        _nextObservations = new float[batchSize * ObservationSize];
        _criticInputs = new float[batchSize * CriticInputSize];
        _nextCriticInputs = new float[batchSize * CriticInputSize];
        _nextActions = new float[batchSize];
        _nextValues = new float[batchSize];
        _targets = new float[batchSize];
        _policyActions = new float[batchSize];
        _criticInputGradients = new float[batchSize * CriticInputSize];
        _actionGradients = new float[batchSize];

        // The actor maximises the mean of Q over the minibatch: its gradient on each sample's Q is 1/N.
        _valueWeights = new float[batchSize];
        _valueWeights.AsSpan().Fill(1f / batchSize);
    }

    public int BatchSize { get; }

    /// <inheritdoc/>
    public INetwork<float> Actor => _actor;

    /// <summary>
    /// Runs every network call of <see cref="Update"/> once at the minibatch size, without changing any
    /// parameter, as a game does while loading: the first call at a batch size sizes the network's
    /// workspace and is compiled just in time; from then on nothing allocates.
    /// </summary>
    public void WarmUp()
    {
        _actor.Prepare();
        _critic.Prepare();
        _targetActor.Prepare();
        _targetCritic.Prepare();
        _targetActor.Forward(_nextObservations, _nextActions, BatchSize);
        _targetCritic.Forward(_nextCriticInputs, _nextValues, BatchSize);
        _critic.BackwardFromTargets(_criticInputs, _targets);
        _actor.Forward(_observations, _policyActions, BatchSize);
        _critic.Backward(_criticInputs, _valueWeights, _criticInputGradients);
        _actor.Backward(_observations, _actionGradients);
    }

    /// <summary>One learning step on a minibatch drawn from <paramref name="replay"/>. Returns the critic's TD loss.</summary>
    public float Update(ReplayBuffer replay, Random random)
    {
        replay.Sample(random, _observations, _actions, _rewards, _nextObservations);
        float criticLoss = UpdateCritic();
        UpdateActor();

        // The targets trail the trained networks: target = tau * trained + (1 - tau) * target.
        Blend(_targetActor.Parameters, _actor.Parameters, _targetRate);
        Blend(_targetCritic.Parameters, _critic.Parameters, _targetRate);
        return criticLoss;
    }

    /// <summary>
    /// Moves Q(s, a) towards the TD target r + gamma * Q'(s', mu'(s')): the reward now, plus what the
    /// target networks expect from the next state on. There is no terminal state to stop the bootstrap:
    /// an episode ends only because time is up, which the puck cannot see, so the value goes on.
    /// </summary>
    private float UpdateCritic()
    {
        _targetActor.Forward(_nextObservations, _nextActions, BatchSize);
        Join(_nextObservations, _nextActions, _nextCriticInputs);
        _targetCritic.Forward(_nextCriticInputs, _nextValues, BatchSize);
        for (int b = 0; b < BatchSize; b++)
        {
            _targets[b] = _rewards[b] + _discount * _nextValues[b];
        }

        Join(_observations, _actions, _criticInputs);
        float loss = _critic.BackwardFromTargets(_criticInputs, _targets);
        _criticOptimizer.Step();
        return loss;
    }

    /// <summary>
    /// Moves the actor's actions up the critic's slope. The chain rule runs through both networks: the
    /// critic's Backward with input gradients gives d(mean Q)/d(input) per sample, whose last column is
    /// d(mean Q)/d(action); the actor's Backward takes minus that as its output gradient (descending -Q
    /// is ascending Q), and Adam applies the actor's Gradients. The critic's own Gradients are written
    /// too, but they are not used: the critic stepped already.
    /// </summary>
    private void UpdateActor()
    {
        _actor.Forward(_observations, _policyActions, BatchSize);
        Join(_observations, _policyActions, _criticInputs);
        _critic.Backward(_criticInputs, _valueWeights, _criticInputGradients);
        for (int b = 0; b < BatchSize; b++)
        {
            _actionGradients[b] = -_criticInputGradients[(b * CriticInputSize) + ObservationSize];
        }

        _actor.Backward(_observations, _actionGradients);
        _actorOptimizer.Step();
    }

    /// <summary>The critic's input rows: each sample's observation followed by its action.</summary>
    private void Join(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, Span<float> criticInputs)
    {
        for (int b = 0; b < BatchSize; b++)
        {
            observations.Slice(b * ObservationSize, ObservationSize).CopyTo(criticInputs.Slice(b * CriticInputSize, ObservationSize));
            criticInputs[(b * CriticInputSize) + ObservationSize] = actions[b];
        }
    }

    private static void Blend(float[] target, float[] source, float rate)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += rate * (source[i] - target[i]);
        }
    }
}
