using System;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime stepping one sequence as a game loop or an audio callback would: a one-step GRU or LSTM
/// model (models/make_recurrent_step_models.py) whose state goes in as <c>h</c> (and <c>c</c>) and comes out
/// as <c>h_out</c> (and <c>c_out</c>), run once per sample. Set up as <see cref="OnnxModelRunner"/> is (one
/// thread, no spinning, tensors bound once through <see cref="OrtIoBinding"/>); the state is copied from the
/// outputs back to the inputs after each run, which is part of what a caller pays.
/// </summary>
public sealed class OnnxStepRunner : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtValue[] _values;
    private readonly OrtIoBinding _binding;
    private readonly float[] _x = new float[1];
    private readonly float[] _y = new float[1];
    private readonly float[] _h, _hOut, _c, _cOut;

    public OnnxStepRunner(string modelPath, int hidden, bool lstm)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        _session = new InferenceSession(modelPath, _options);
        _runOptions = new RunOptions();
        _h = new float[hidden];
        _hOut = new float[hidden];
        _c = lstm ? new float[hidden] : Array.Empty<float>();
        _cOut = lstm ? new float[hidden] : Array.Empty<float>();
        long[] scalar = [1, 1, 1], state = [1, 1, hidden];
        var x = OrtValue.CreateTensorValueFromMemory(_x, scalar);
        var y = OrtValue.CreateTensorValueFromMemory(_y, scalar);
        var h = OrtValue.CreateTensorValueFromMemory(_h, state);
        var hOut = OrtValue.CreateTensorValueFromMemory(_hOut, state);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("x", x);
        _binding.BindInput("h", h);
        _binding.BindOutput("y", y);
        _binding.BindOutput("h_out", hOut);
        if (lstm)
        {
            var c = OrtValue.CreateTensorValueFromMemory(_c, state);
            var cOut = OrtValue.CreateTensorValueFromMemory(_cOut, state);
            _binding.BindInput("c", c);
            _binding.BindOutput("c_out", cOut);
            _values = [x, y, h, hOut, c, cOut];
        }
        else
        {
            _values = [x, y, h, hOut];
        }
    }

    /// <summary>One step: the model on <paramref name="input"/> and the state, which becomes the new state; returns the head's output.</summary>
    public float Step(float input)
    {
        _x[0] = input;
        _session.RunWithBinding(_runOptions, _binding);
        _hOut.AsSpan().CopyTo(_h);
        _cOut.AsSpan().CopyTo(_c);
        return _y[0];
    }

    /// <summary>Back to the zero state, PyTorch's default.</summary>
    public void ResetState()
    {
        Array.Clear(_h);
        Array.Clear(_c);
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values)
        {
            value.Dispose();
        }
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
