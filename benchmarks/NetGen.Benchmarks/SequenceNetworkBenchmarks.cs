// Generated sequence networks stepped through their public Step, one sample per step, as an audio
// callback or a game agent calls them: the recurrent kernels of RecurrentBenchmarks plus what the
// generated code adds (argument checks, the step block's stack scratch, the Linear head). Beside them,
// ONNX Runtime stepping the same network (the same weights: models/make_recurrent_step_models.py writes
// a one-step model with its state passed in and out, and the state_dict NetGen loads).
//
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --filter '*SequenceNetworkBenchmarks*'

using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Onnx;

namespace NetGen.Benchmarks;

/// <summary>Step of one sequence (time per step) and of 1,000 sequences (time per call) through generated networks, float.</summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SequenceNetworkBenchmarks
{
    private const int StepsPerCall = 64;
    private const int Agents = 1000;

    [Params("GRU", "LSTM")]
    public string Kind { get; set; } = "GRU";

    [Params(8, 16, 32, 64)]
    public int Hidden { get; set; } = 8;

    private ISequenceNetwork<float> _network = null!;
    private float[] _signal = Array.Empty<float>();
    private float[] _state = Array.Empty<float>();
    private float[] _output = new float[1];
    private float[] _agentInputs = Array.Empty<float>();
    private float[] _agentOutputs = Array.Empty<float>();
    private float[] _agentStates = Array.Empty<float>();
    private OnnxStepRunner _onnx = null!;

    [GlobalSetup]
    public void SetUp()
    {
        _network = (Kind, Hidden) switch
        {
            ("GRU", 8) => new SequenceGru8(), ("GRU", 16) => new SequenceGru16(), ("GRU", 32) => new SequenceGru32(), ("GRU", 64) => new SequenceGru64(),
            ("LSTM", 8) => new SequenceLstm8(), ("LSTM", 16) => new SequenceLstm16(), ("LSTM", 32) => new SequenceLstm32(), ("LSTM", 64) => new SequenceLstm64(),
            _ => throw new ArgumentOutOfRangeException(nameof(Hidden)),
        };
        var random = new Random(1);
        _signal = new float[StepsPerCall];
        for (int i = 0; i < _signal.Length; i++) _signal[i] = (float)Math.Sin(i * 0.3) * 0.8f;
        _state = new float[_network.StateSize];
        _agentInputs = new float[Agents];
        for (int i = 0; i < Agents; i++) _agentInputs[i] = (float)((random.NextDouble() * 2) - 1);
        _agentOutputs = new float[Agents];
        _agentStates = new float[Agents * _network.StateSize];

        // The same weights in both, then the same outputs at every step of the signal, before any timing.
        string model = Path.Combine(AppContext.BaseDirectory, "models", $"{Kind.ToLowerInvariant()}{Hidden}-step");
        _network.LoadSafetensors(model + ".safetensors");
        _onnx = new OnnxStepRunner(model + ".onnx", Hidden, Kind == "LSTM");
        foreach (float x in _signal)
        {
            _network.Step(new[] { x }, _output, _state);
            float expected = _onnx.Step(x);
            if (Math.Abs(expected - _output[0]) > 1e-5f * (1 + Math.Abs(expected)))
            {
                throw new InvalidOperationException($"{Kind}({Hidden}): NetGen steps to {_output[0]:R}, ONNX Runtime to {expected:R}.");
            }
        }
        Array.Clear(_state);
        _onnx.ResetState();
    }

    [GlobalCleanup]
    public void CleanUp() => _onnx.Dispose();

    /// <summary>One sequence, <see cref="StepsPerCall"/> steps of a signal: the reported time is per step.</summary>
    [Benchmark(OperationsPerInvoke = StepsPerCall, Baseline = true)]
    [BenchmarkCategory("Step, one sequence (per step)")]
    public float StepOne()
    {
        float[] signal = _signal, output = _output;
        for (int t = 0; t < signal.Length; t++)
        {
            _network.Step(signal.AsSpan(t, 1), output, _state);
        }
        return output[0];
    }

    /// <summary>ONNX Runtime on the same network and signal, one run per step: the reported time is per step.</summary>
    [Benchmark(OperationsPerInvoke = StepsPerCall)]
    [BenchmarkCategory("Step, one sequence (per step)")]
    public float OnnxStepOne()
    {
        float[] signal = _signal;
        float y = 0;
        for (int t = 0; t < signal.Length; t++)
        {
            y = _onnx.Step(signal[t]);
        }
        return y;
    }

    /// <summary>One step of 1,000 independent sequences (the reported time is per call).</summary>
    [Benchmark]
    [BenchmarkCategory("Generated Step, 1,000 sequences (per call)")]
    public float StepAgents()
    {
        _network.Step(_agentInputs, _agentOutputs, _agentStates, Agents);
        return _agentOutputs[0];
    }
}

[Network] [GRU(1, 8)] [Linear(8, 1)] public partial class SequenceGru8 { }
[Network] [GRU(1, 16)] [Linear(16, 1)] public partial class SequenceGru16 { }
[Network] [GRU(1, 32)] [Linear(32, 1)] public partial class SequenceGru32 { }
[Network] [GRU(1, 64)] [Linear(64, 1)] public partial class SequenceGru64 { }
[Network] [LSTM(1, 8)] [Linear(8, 1)] public partial class SequenceLstm8 { }
[Network] [LSTM(1, 16)] [Linear(16, 1)] public partial class SequenceLstm16 { }
[Network] [LSTM(1, 32)] [Linear(32, 1)] public partial class SequenceLstm32 { }
[Network] [LSTM(1, 64)] [Linear(64, 1)] public partial class SequenceLstm64 { }
