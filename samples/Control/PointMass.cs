using System;

namespace Control;

/// <summary>
/// The task: a hover-puck on a rail (a point mass in one dimension), pushed by one thruster, to be
/// brought to a target marker and held there. It is the physics of a lot of game objects (a camera rig,
/// a docking ship, a character's root motion) reduced to one axis: the controller sets a force, never
/// the position, so it has to brake before it arrives.
/// <para>
/// Fixed timestep, semi-implicit Euler (velocity first, then position), as a game engine's physics step
/// does. Walls at <see cref="WallPosition"/> stop the puck dead, so that even the worst policy keeps the
/// state (and the rewards the critic learns from) bounded. Everything is in fields: nothing allocates.
/// </para>
/// </summary>
public sealed class PointMass
{
    /// <summary>What the controller sees: the distance to the target (target - position) and the velocity.</summary>
    public const int ObservationSize = 2;

    /// <summary>Seconds per step: the controller acts at 20 Hz.</summary>
    public const float TimeStep = 0.05f;

    /// <summary>Steps per episode: 5 seconds.</summary>
    public const int EpisodeSteps = 100;

    /// <summary>The acceleration at full thrust (action 1 or -1), in m/s^2.</summary>
    public const float MaxAcceleration = 4f;

    /// <summary>The rail's ends, in m. Starts and targets are drawn well inside them.</summary>
    public const float WallPosition = 2f;

    /// <summary>The weight of the squared thrust in the cost: small, so that getting there matters most, but
    /// enough to prefer a smooth hold over buzzing the thruster at full power.</summary>
    public const float ActionCost = 0.1f;

    public float Position { get; private set; }

    public float Velocity { get; private set; }

    public float Target { get; private set; }

    /// <summary>Starts an episode from a given state.</summary>
    public void Reset(float position, float velocity, float target)
    {
        Position = position;
        Velocity = velocity;
        Target = target;
    }

    /// <summary>Starts an episode from a random state: position and target anywhere in [-1, 1] m, a velocity in [-1, 1] m/s.</summary>
    public void Reset(Random random)
    {
        Reset(Uniform(random), Uniform(random), Uniform(random));

        static float Uniform(Random random) => (float)(2 * random.NextDouble() - 1);
    }

    /// <summary>Writes what the controller sees into <paramref name="observation"/>.</summary>
    public void Observe(Span<float> observation)
    {
        observation[0] = Target - Position;
        observation[1] = Velocity;
    }

    /// <summary>
    /// Applies thrust <paramref name="action"/> (clamped to [-1, 1]) for one time step and returns the reward:
    /// minus the distance to the target, minus a small cost for the squared thrust.
    /// <para>
    /// The distance, not its square: a squared distance is flat at the target (5 cm off costs 0.0025 a step),
    /// finer than the critic resolves, and with it trained policies parked 5 to 20 cm short on most seeds.
    /// The plain distance pulls just as hard on the last centimetre as on the first metre.
    /// </para>
    /// </summary>
    public float Step(float action)
    {
        action = Math.Clamp(action, -1f, 1f);
        Velocity += MaxAcceleration * action * TimeStep;
        Position += Velocity * TimeStep;
        if (Math.Abs(Position) > WallPosition)
        {
            Position = Math.Clamp(Position, -WallPosition, WallPosition);
            Velocity = 0;
        }

        return -(Math.Abs(Target - Position) + (ActionCost * action * action));
    }
}
