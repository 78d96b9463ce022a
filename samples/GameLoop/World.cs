using System;

namespace GameLoop;

/// <summary>
/// A square grid of agents, each foraging for its own piece of food. Each frame every agent picks a move;
/// an agent that steps onto its food eats it (reward 1) and the food reappears elsewhere. Everything is
/// allocated in the constructor: <see cref="Step"/> allocates nothing.
/// </summary>
public sealed class World
{
    public const int FeatureCount = 6;
    public const int ActionCount = 5;
    public const int Size = 20;

    // Left, right, down, up, stay. Spans over constant data, not static arrays: a static array would be
    // allocated by the type's static constructor on first use, inside the game loop.
    private static ReadOnlySpan<int> MoveX => new[] { -1, 1, 0, 0, 0 };
    private static ReadOnlySpan<int> MoveY => new[] { 0, 0, -1, 1, 0 };

    private readonly int[] _x, _y, _foodX, _foodY;
    private readonly FastRandom _random;

    public World(int agents, FastRandom random)
    {
        Agents = agents;
        _random = random;
        _x = new int[agents];
        _y = new int[agents];
        _foodX = new int[agents];
        _foodY = new int[agents];
        for (int a = 0; a < agents; a++)
        {
            _x[a] = random.Next(Size);
            _y[a] = random.Next(Size);
            PlaceFood(a);
        }
    }

    public int Agents { get; }

    /// <summary>What agent <paramref name="agent"/> sees: the signed offset to its food, scaled and as
    /// signs, and its own position relative to the centre (walls are at the edges).</summary>
    public void Observe(int agent, Span<float> features)
    {
        int dx = _foodX[agent] - _x[agent], dy = _foodY[agent] - _y[agent];
        features[0] = dx / (float)Size;
        features[1] = dy / (float)Size;
        features[2] = Math.Sign(dx);
        features[3] = Math.Sign(dy);
        features[4] = _x[agent] / (float)(Size - 1) - 0.5f;
        features[5] = _y[agent] / (float)(Size - 1) - 0.5f;
    }

    /// <summary>Moves the agent (walls stop it) and returns the outcome: whether the move brought it
    /// closer to its food, and whether it ate.</summary>
    public Outcome Step(int agent, int action)
    {
        int before = Distance(agent);
        _x[agent] = Math.Clamp(_x[agent] + MoveX[action], 0, Size - 1);
        _y[agent] = Math.Clamp(_y[agent] + MoveY[action], 0, Size - 1);
        int after = Distance(agent);
        if (after == 0)
        {
            PlaceFood(agent);
            return Outcome.Ate;
        }
        return after < before ? Outcome.Closer : Outcome.NotCloser;
    }

    private int Distance(int agent) => Math.Abs(_foodX[agent] - _x[agent]) + Math.Abs(_foodY[agent] - _y[agent]);

    private void PlaceFood(int agent)
    {
        do
        {
            _foodX[agent] = _random.Next(Size);
            _foodY[agent] = _random.Next(Size);
        }
        while (Distance(agent) == 0);
    }
}

public enum Outcome
{
    NotCloser,
    Closer,
    Ate,
}

/// <summary>xorshift64*: seeded, allocation-free, and the same sequence on every runtime.</summary>
public sealed class FastRandom
{
    private ulong _state;

    public FastRandom(ulong seed) => _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    public ulong NextULong()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>Uniform in [0, 1), from the top 24 bits.</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, n) (the modulo bias is negligible for the small n used here).</summary>
    public int Next(int n) => (int)(NextULong() % (ulong)n);
}
