using System;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime set up for the fairest single-thread comparison: one intra-op and one inter-op thread,
/// sequential execution, all graph optimisations, and input and output tensors allocated once and bound
/// through <see cref="OrtIoBinding"/>, so that a timed <see cref="Run"/> does no managed allocation of
/// tensors and no name lookups. The models take <c>x</c> [batch, inputs] and give <c>y</c> [batch, outputs].
/// </summary>
public sealed class OnnxModelRunner : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly OrtIoBinding _binding;

    public OnnxModelRunner(string modelPath, int inputSize, int outputSize, int batchSize)
        : this(modelPath, [inputSize], outputSize, batchSize)
    {
    }

    /// <summary>A model whose input <c>x</c> is [batch, ..<paramref name="sampleShape"/>] (a convolutional model's channels, length or height and width).</summary>
    public OnnxModelRunner(string modelPath, long[] sampleShape, int outputSize, int batchSize)
    {
        int inputSize = 1;
        foreach (long size in sampleShape)
        {
            inputSize *= (int)size;
        }
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };

        // Never busy-wait: with one thread there is no pool to spin, and on a shared machine a spinning
        // thread would steal the core another benchmark is measured on.
        _options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        _session = new InferenceSession(modelPath, _options);
        _runOptions = new RunOptions();

        Input = new float[batchSize * inputSize];
        Output = new float[batchSize * outputSize];
        _input = OrtValue.CreateTensorValueFromMemory(Input, [batchSize, .. sampleShape]);
        _output = OrtValue.CreateTensorValueFromMemory(Output, [batchSize, outputSize]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("x", _input);
        _binding.BindOutput("y", _output);
    }

    /// <summary>The pinned input tensor's memory: write the batch here before <see cref="Run"/>.</summary>
    public float[] Input { get; }

    /// <summary>The pinned output tensor's memory: <see cref="Run"/> writes the probabilities here.</summary>
    public float[] Output { get; }

    /// <summary>Runs the model on <see cref="Input"/>, writing <see cref="Output"/>.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
