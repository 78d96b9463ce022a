using System;
using System.Diagnostics;
using System.Globalization;
using GameLoop;

// A Unity-style game loop: a fixed 60 Hz timestep, simulated as fast as the machine goes. Every frame
// each of 1,000 agents reads its surroundings and picks a move with ForagerNet.Forward; every 500 frames
// (an episode) the shared policy learns from the episode's good moves with TrainStep. Everything is
// allocated before the loop; the loop itself must not allocate, so the GC must never run inside it.
//
// The learning is filtered imitation (self-imitation): the moves that brought an agent closer to its
// food, or onto it, are the labels; moves sampled from the policy's own probabilities keep it exploring.
// Food eaten per agent per episode is the reward, and it should rise episode after episode.
//
// Timing note: with .NET's default tiered compilation the first few hundred frames and the first
// learning steps run unoptimised (tier-0) code until the runtime recompiles the hot methods, which shows
// in p99 and max. DOTNET_TieredCompilation=0 compiles everything optimised from the first call, as an
// ahead-of-time build (Unity's IL2CPP, Native AOT) does. Run with `--frames N` for a shorter run.
const int Agents = 1_000;
const int EpisodeFrames = 500;
const double FixedDeltaTime = 1.0 / 60;
const int Capacity = 4_096;          // good moves kept per episode (a uniform reservoir sample)
const int BatchSize = 256;
const int PassesPerEpisode = 2;      // passes over the kept moves at each episode's end
const float LearningRate = 0.1f;

int frames = 10_000;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--frames" && i + 1 < args.Length
        && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out frames)
        && frames > 0 && frames % EpisodeFrames == 0)
    {
        i++;
        continue;
    }
    Console.Error.WriteLine($"usage: GameLoop [--frames N]   (N a multiple of the {EpisodeFrames}-frame episode; default 10000)");
    return 2;
}
int episodes = frames / EpisodeFrames;

// ---- Everything the loop touches, allocated up front. ----
var random = new FastRandom(2024);
var world = new World(Agents, random);
var policy = new ForagerNet();
policy.InitializeParameters(seed: 1);
var features = new float[World.FeatureCount];
var probabilities = new float[World.ActionCount];
var keptFeatures = new float[Capacity * World.FeatureCount];
var keptActions = new int[Capacity];
var frameTicks = new long[frames];
var learnTicks = new long[episodes];
var foodPerEpisode = new int[episodes];
var goodPerEpisode = new int[episodes];
var lossPerEpisode = new float[episodes];

// Warm-up, as a game does while loading. The first training call with a batch of B samples sizes the
// workspace (later calls with at most B samples allocate nothing), and the first call of each method
// is compiled just in time, which would cost one frame tens of milliseconds. A learning rate of zero
// leaves Parameters exactly as they are, so the warm-up changes no behaviour.
policy.TrainStep(keptFeatures.AsSpan(0, BatchSize * World.FeatureCount), keptActions.AsSpan(0, BatchSize), learningRate: 0f);
Shuffle(keptFeatures, keptActions, 0, random);

Console.WriteLine(ForagerNet.Describe());
Console.WriteLine($"{Agents} agents on a {World.Size}x{World.Size} grid, {frames} frames at a fixed {1 / FixedDeltaTime:F0} Hz " +
                  $"({frames * FixedDeltaTime:F1} s of game time), learning every {EpisodeFrames} frames.");

int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
long loopStart = Stopwatch.GetTimestamp();

double gameTime = 0;
int seen = 0, episode = 0;
for (int frame = 0; frame < frames; frame++)
{
    long frameStart = Stopwatch.GetTimestamp();
    gameTime += FixedDeltaTime;

    // FixedUpdate: every agent decides and moves.
    for (int agent = 0; agent < Agents; agent++)
    {
        world.Observe(agent, features);
        policy.Forward(features, probabilities);
        int action = Sample(probabilities, random);
        Outcome outcome = world.Step(agent, action);
        if (outcome == Outcome.NotCloser)
        {
            continue;
        }
        if (outcome == Outcome.Ate)
        {
            foodPerEpisode[episode]++;
        }
        goodPerEpisode[episode]++;

        // Reservoir sampling: each good move of the episode is kept with the same probability.
        int slot = seen < Capacity ? seen : random.Next(seen + 1);
        seen++;
        if (slot < Capacity)
        {
            features.CopyTo(keptFeatures.AsSpan(slot * World.FeatureCount, World.FeatureCount));
            keptActions[slot] = action;
        }
    }

    // The end of an episode: learn from its good moves, in shuffled minibatches.
    if ((frame + 1) % EpisodeFrames == 0)
    {
        long learnStart = Stopwatch.GetTimestamp();
        int kept = Math.Min(seen, Capacity);
        float lossSum = 0;
        int steps = 0;
        for (int pass = 0; pass < PassesPerEpisode; pass++)
        {
            Shuffle(keptFeatures, keptActions, kept, random);
            for (int start = 0; start + BatchSize <= kept; start += BatchSize)
            {
                lossSum += policy.TrainStep(
                    keptFeatures.AsSpan(start * World.FeatureCount, BatchSize * World.FeatureCount),
                    keptActions.AsSpan(start, BatchSize),
                    LearningRate);
                steps++;
            }
        }
        lossPerEpisode[episode] = steps > 0 ? lossSum / steps : float.NaN;
        learnTicks[episode] = Stopwatch.GetTimestamp() - learnStart;
        episode++;
        seen = 0;
    }

    frameTicks[frame] = Stopwatch.GetTimestamp() - frameStart;
}

long loopTicks = Stopwatch.GetTimestamp() - loopStart;
long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
int collections0 = GC.CollectionCount(0) - gen0, collections1 = GC.CollectionCount(1) - gen1, collections2 = GC.CollectionCount(2) - gen2;

// ---- Report (allocating freely from here on). ----
Console.WriteLine();
Console.WriteLine("episode  food/agent  good moves  training loss  learning time");
for (int e = 0; e < episodes; e++)
{
    Console.WriteLine($"{e + 1,7}  {foodPerEpisode[e] / (double)Agents,10:F2}  {goodPerEpisode[e] / (double)(Agents * EpisodeFrames),10:P1}  " +
                      $"{lossPerEpisode[e],13:F4}  {Microseconds(learnTicks[e]),10:F0} us");
}

Array.Sort(frameTicks);
Console.WriteLine();
Console.WriteLine($"Frame time over {frames} frames ({Agents} Forward calls each, the learning frames included):");
Console.WriteLine($"  p50 {Microseconds(Percentile(frameTicks, 0.50)),8:F1} us");
Console.WriteLine($"  p95 {Microseconds(Percentile(frameTicks, 0.95)),8:F1} us");
Console.WriteLine($"  p99 {Microseconds(Percentile(frameTicks, 0.99)),8:F1} us");
Console.WriteLine($"  max {Microseconds(frameTicks[^1]),8:F1} us   (the 60 Hz budget is {FixedDeltaTime * 1e6:F0} us)");
Console.WriteLine($"  {frames * FixedDeltaTime:F1} s of game time in {Microseconds(loopTicks) / 1e6:F2} s of wall time");
Console.WriteLine($"GC collections during the loop: gen0 {collections0}, gen1 {collections1}, gen2 {collections2}");
Console.WriteLine($"Bytes allocated on this thread during the loop: {allocated}");

double first = foodPerEpisode[0] / (double)Agents, last = foodPerEpisode[episodes - 1] / (double)Agents;
Console.WriteLine($"Food per agent per episode: {first:F2} in the first episode, {last:F2} in the last.");

bool failed = false;
if (collections0 + collections1 + collections2 != 0)
{
    Console.WriteLine("FAIL: the garbage collector ran during the loop.");
    failed = true;
}
if (episodes >= 2 && last < 2 * first)
{
    Console.WriteLine("FAIL: the agents did not learn (the last episode's reward is not twice the first's).");
    failed = true;
}
return failed ? 1 : 0;

// Draws an action from the policy's probabilities.
static int Sample(ReadOnlySpan<float> probabilities, FastRandom random)
{
    float u = random.NextFloat(), cumulative = 0;
    for (int k = 0; k < probabilities.Length - 1; k++)
    {
        cumulative += probabilities[k];
        if (u < cumulative)
        {
            return k;
        }
    }
    return probabilities.Length - 1;
}

// Fisher-Yates over the first count samples, moving each sample's features with its action.
static void Shuffle(float[] features, int[] actions, int count, FastRandom random)
{
    Span<float> swap = stackalloc float[World.FeatureCount];
    for (int i = count - 1; i > 0; i--)
    {
        int j = random.Next(i + 1);
        Span<float> a = features.AsSpan(i * World.FeatureCount, World.FeatureCount);
        Span<float> b = features.AsSpan(j * World.FeatureCount, World.FeatureCount);
        a.CopyTo(swap);
        b.CopyTo(a);
        swap.CopyTo(b);
        (actions[i], actions[j]) = (actions[j], actions[i]);
    }
}

// Nearest rank on sorted values.
static long Percentile(long[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

static double Microseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
