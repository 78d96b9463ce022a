// The GRU and LSTM kernels (src/NetGen/Runtime/Kernels) on their own, before the generator wires them in:
// one step of one sequence, the per-sample path that games and audio call (issue 18's bar is RTNeural's
// per-step time, about 0.1-2.6 us for hidden 8-64), and one step of 1,000 independent sequences.
//
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --filter '*RecurrentBenchmarks*'

using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Runtime;

namespace NetGen.Benchmarks;

/// <summary>One step of one sequence (time per step) and one step of 1,000 sequences (time per call), float.</summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RecurrentBenchmarks
{
    /// <summary>Steps per invocation of the one-sequence benchmarks: a short stretch of a signal, so the state moves.</summary>
    public const int StepsPerCall = 64;

    /// <summary>Sequences in the batched benchmark: the thousand agents of issue 18.</summary>
    public const int Agents = 1000;

    [Params("GRU", "LSTM")]
    public string Kind { get; set; } = "GRU";

    [Params(8, 16, 32, 64)]
    public int Hidden { get; set; } = 8;

    [Params(1, 8)]
    public int Inputs { get; set; } = 1;

    private RecurrentStepper _stepper = null!;

    [GlobalSetup]
    public void SetUp() => _stepper = RecurrentStepper.Create(Kind, Inputs, Hidden, Agents);

    /// <summary>One sequence, <see cref="StepsPerCall"/> steps of a signal: the reported time is per step.</summary>
    [Benchmark(OperationsPerInvoke = StepsPerCall)]
    [BenchmarkCategory("Step, one sequence (per step)")]
    public float StepOne() => _stepper.StepOne(StepsPerCall);

    /// <summary>One step of 1,000 independent sequences (the reported time is per call).</summary>
    [Benchmark]
    [BenchmarkCategory("Step, 1,000 sequences (per call)")]
    public float StepAgents() => _stepper.StepMany();
}

/// <summary>The kernels of one layer shape behind a virtual call, with their data: seeded weights (PyTorch's initialisation range), a signal and states.</summary>
public abstract class RecurrentStepper
{
    protected float[] Parameters = Array.Empty<float>();
    protected float[] Signal = Array.Empty<float>();
    protected float[] State = Array.Empty<float>();
    protected float[] Workspace = Array.Empty<float>();
    protected float[] AgentInputs = Array.Empty<float>();
    protected float[] AgentStates = Array.Empty<float>();
    protected float[] AgentOutputs = Array.Empty<float>();
    protected float[] AgentWorkspace = Array.Empty<float>();

    public static RecurrentStepper Create(string kind, int inputs, int hidden, int agents)
    {
        RecurrentStepper stepper = (kind, inputs, hidden) switch
        {
            ("GRU", 1, 8) => new GruStepper<In1Hidden8>(), ("GRU", 1, 16) => new GruStepper<In1Hidden16>(),
            ("GRU", 1, 32) => new GruStepper<In1Hidden32>(), ("GRU", 1, 64) => new GruStepper<In1Hidden64>(),
            ("GRU", 8, 8) => new GruStepper<In8Hidden8>(), ("GRU", 8, 16) => new GruStepper<In8Hidden16>(),
            ("GRU", 8, 32) => new GruStepper<In8Hidden32>(), ("GRU", 8, 64) => new GruStepper<In8Hidden64>(),
            ("LSTM", 1, 8) => new LstmStepper<In1Hidden8>(), ("LSTM", 1, 16) => new LstmStepper<In1Hidden16>(),
            ("LSTM", 1, 32) => new LstmStepper<In1Hidden32>(), ("LSTM", 1, 64) => new LstmStepper<In1Hidden64>(),
            ("LSTM", 8, 8) => new LstmStepper<In8Hidden8>(), ("LSTM", 8, 16) => new LstmStepper<In8Hidden16>(),
            ("LSTM", 8, 32) => new LstmStepper<In8Hidden32>(), ("LSTM", 8, 64) => new LstmStepper<In8Hidden64>(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), $"{kind}({inputs}, {hidden}) is not a benchmarked shape"),
        };
        stepper.Fill(kind == "GRU" ? 3 : 4, inputs, hidden, kind == "GRU" ? hidden : 2 * hidden, agents);
        return stepper;
    }

    private void Fill(int gates, int inputs, int hidden, int stateSize, int agents)
    {
        var random = new Random(18);
        float bound = 1f / MathF.Sqrt(hidden);
        Parameters = new float[gates * hidden * (inputs + hidden + 2)];
        for (int i = 0; i < Parameters.Length; i++)
        {
            Parameters[i] = ((float)random.NextDouble() * 2 - 1) * bound;
        }
        Signal = new float[RecurrentBenchmarks.StepsPerCall * inputs];
        for (int i = 0; i < Signal.Length; i++)
        {
            Signal[i] = MathF.Sin(i * 0.37f) * 0.8f;
        }
        State = new float[stateSize];
        AgentInputs = new float[agents * inputs];
        for (int i = 0; i < AgentInputs.Length; i++)
        {
            AgentInputs[i] = (float)random.NextDouble() * 2 - 1;
        }
        AgentStates = new float[agents * stateSize];
        AgentOutputs = new float[agents * hidden];
        Workspace = new float[StepWorkspace(1)];
        AgentWorkspace = new float[StepWorkspace(agents)];
    }

    protected abstract int StepWorkspace(int count);

    /// <summary>Runs <paramref name="steps"/> steps of the signal through one sequence; returns a state value, so the work is used.</summary>
    public abstract float StepOne(int steps);

    /// <summary>One step of every agent; returns an output value.</summary>
    public abstract float StepMany();
}

public sealed class GruStepper<TShape> : RecurrentStepper where TShape : struct, IRecurrentShape
{
    protected override int StepWorkspace(int count) => FloatKernels.GruStepWorkspaceLength<TShape>(count);

    public override float StepOne(int steps)
    {
        int inputs = default(TShape).Inputs;
        for (int t = 0; t < steps; t++)
        {
            FloatKernels.GruStep<TShape>(Parameters, Signal.AsSpan(t * inputs, inputs), State, Workspace);
        }
        return State[0];
    }

    public override float StepMany()
    {
        int inputs = default(TShape).Inputs, hidden = default(TShape).Hidden;
        FloatKernels.GruStep<TShape>(Parameters, AgentInputs, inputs, AgentStates, hidden, AgentOutputs, hidden, RecurrentBenchmarks.Agents, AgentWorkspace);
        return AgentOutputs[0];
    }
}

public sealed class LstmStepper<TShape> : RecurrentStepper where TShape : struct, IRecurrentShape
{
    protected override int StepWorkspace(int count) => FloatKernels.LstmStepWorkspaceLength<TShape>(count);

    public override float StepOne(int steps)
    {
        int inputs = default(TShape).Inputs;
        for (int t = 0; t < steps; t++)
        {
            FloatKernels.LstmStep<TShape>(Parameters, Signal.AsSpan(t * inputs, inputs), State, Workspace);
        }
        return State[0];
    }

    public override float StepMany()
    {
        int inputs = default(TShape).Inputs, hidden = default(TShape).Hidden;
        FloatKernels.LstmStep<TShape>(Parameters, AgentInputs, inputs, AgentStates, 2 * hidden, AgentOutputs, hidden, RecurrentBenchmarks.Agents, AgentWorkspace);
        return AgentOutputs[0];
    }
}

// The benchmarked shapes, as a generated network would declare them (sizes as constants, offset 0).
public readonly struct In1Hidden8 : IRecurrentShape { public int Inputs => 1; public int Hidden => 8; public int Offset => 0; }
public readonly struct In1Hidden16 : IRecurrentShape { public int Inputs => 1; public int Hidden => 16; public int Offset => 0; }
public readonly struct In1Hidden32 : IRecurrentShape { public int Inputs => 1; public int Hidden => 32; public int Offset => 0; }
public readonly struct In1Hidden64 : IRecurrentShape { public int Inputs => 1; public int Hidden => 64; public int Offset => 0; }
public readonly struct In8Hidden8 : IRecurrentShape { public int Inputs => 8; public int Hidden => 8; public int Offset => 0; }
public readonly struct In8Hidden16 : IRecurrentShape { public int Inputs => 8; public int Hidden => 16; public int Offset => 0; }
public readonly struct In8Hidden32 : IRecurrentShape { public int Inputs => 8; public int Hidden => 32; public int Offset => 0; }
public readonly struct In8Hidden64 : IRecurrentShape { public int Inputs => 8; public int Hidden => 64; public int Offset => 0; }
