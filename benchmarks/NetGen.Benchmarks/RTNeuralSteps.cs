// Issue 18's per-step table against RTNeural: NetGen's side, one step of one sequence per call, as an audio
// callback steps a recurrent model sample by sample. The networks are SequenceNetworkBenchmarks' ([GRU(1, h)]
// or [LSTM(1, h)], then [Linear(h, 1)], h = 8 to 64) with the weights of models/<kind><h>-step.safetensors,
// which ONNX Runtime's row of that benchmark runs too. The native harness (built out of tree, see
// benchmarks/README.md) reads what --rtneural-step-export prints: the state_dict as PyTorch names it and the
// test signal, so both sides compute with the same numbers and their outputs can be compared.

using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen.Benchmarks;

/// <summary>The per-step RTNeural comparison's NetGen side: export, outputs and time per step.</summary>
public static class RTNeuralSteps
{
    /// <summary>Samples in the test signal; the timed loop steps through it again and again, the state running on.</summary>
    public const int SignalLength = 64;

    /// <summary>The networks by name: gru8 ... gru64, lstm8 ... lstm64.</summary>
    public static readonly string[] Names = { "gru8", "gru16", "gru32", "gru64", "lstm8", "lstm16", "lstm32", "lstm64" };

    /// <summary>A new network of that name with the committed weights.</summary>
    public static ISequenceNetwork<float> CreateLoaded(string name)
    {
        ISequenceNetwork<float> network = name switch
        {
            "gru8" => new SequenceGru8(), "gru16" => new SequenceGru16(), "gru32" => new SequenceGru32(), "gru64" => new SequenceGru64(),
            "lstm8" => new SequenceLstm8(), "lstm16" => new SequenceLstm16(), "lstm32" => new SequenceLstm32(), "lstm64" => new SequenceLstm64(),
            _ => throw new ArgumentException($"Unknown network \"{name}\"; the names are {string.Join(", ", Names)}.", nameof(name)),
        };
        network.LoadSafetensors(Path.Combine(AppContext.BaseDirectory, "models", $"{name}-step.safetensors"));
        return network;
    }

    /// <summary>The test signal: a sine that a pedal or a synthesiser might see, in [-0.8, 0.8].</summary>
    /// <summary>One step of one sequence, through the network or a frozen snapshot of it.</summary>
    public delegate void OneStep(ReadOnlySpan<float> input, Span<float> output, Span<float> state);

    /// <summary>The network's one-sequence Step, or its Freeze() snapshot's (input-major recurrent weights) when <paramref name="frozen"/> is set.</summary>
    public static OneStep Stepper(ISequenceNetwork<float> network, bool frozen) => !frozen ? network.Step : network switch
    {
        SequenceGru8 n => n.Freeze().Step, SequenceGru16 n => n.Freeze().Step, SequenceGru32 n => n.Freeze().Step, SequenceGru64 n => n.Freeze().Step,
        SequenceLstm8 n => n.Freeze().Step, SequenceLstm16 n => n.Freeze().Step, SequenceLstm32 n => n.Freeze().Step, SequenceLstm64 n => n.Freeze().Step,
        _ => throw new ArgumentException($"{network.GetType().Name} is not one of the per-step table's networks.", nameof(network)),
    };

    public static float[] Signal()
        => Enumerable.Range(0, SignalLength).Select(i => (float)Math.Sin(i * 0.3) * 0.8f).ToArray();

    /// <summary>
    /// The text the native harness reads, one item per line: "network NAME KIND HIDDEN", then per tensor
    /// "tensor NAME ROWS COLUMNS" (NetGen's name within the layer: <c>weight_ih</c>, <c>weight_hh</c>, <c>bias_ih</c>, <c>bias_hh</c>, then
    /// <c>dense.weight</c>, <c>dense.bias</c>; a vector has 1 row) and its values row-major, then "signal N" and
    /// N values. Values have 9 significant digits, which read back to the same float.
    /// </summary>
    public static void Export(string name, TextWriter writer)
    {
        ISequenceNetwork<float> network = CreateLoaded(name);
        NetworkArchitecture architecture = NetworkArchitecture.Parse(network.Architecture);
        NetworkLayer recurrent = architecture.ParameterLayers[0], dense = architecture.ParameterLayers[1];
        string kind = name.StartsWith("gru", StringComparison.Ordinal) ? "gru" : "lstm";
        writer.WriteLine(FormattableString.Invariant($"network {name} {kind} {recurrent.Outputs}"));
        ReadOnlySpan<float> parameters = network.Parameters;
        foreach ((NetworkTensor tensor, string prefix) in recurrent.Tensors.Select(t => (t, "")).Concat(dense.Tensors.Select(t => (t, "dense."))))
        {
            int rows = tensor.Shape.Count == 2 ? tensor.Shape[0] : 1;
            writer.WriteLine(FormattableString.Invariant($"tensor {prefix}{tensor.Name} {rows} {tensor.Count / rows}"));
            foreach (float value in parameters.Slice(tensor.Offset, tensor.Count))
            {
                writer.WriteLine(value.ToString("G9", CultureInfo.InvariantCulture));
            }
        }
        float[] signal = Signal();
        writer.WriteLine(FormattableString.Invariant($"signal {signal.Length}"));
        foreach (float value in signal)
        {
            writer.WriteLine(value.ToString("G9", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The outputs of stepping the signal twice from a zero state, one a line (the harness prints the same).</summary>
    public static void WriteOutputs(string name, TextWriter writer, bool frozen)
    {
        ISequenceNetwork<float> network = CreateLoaded(name);
        OneStep step = Stepper(network, frozen);
        float[] state = new float[network.StateSize], output = new float[1], signal = Signal();
        for (int t = 0; t < 2 * signal.Length; t++)
        {
            step(signal.AsSpan(t % signal.Length, 1), output, state);
            writer.WriteLine(output[0].ToString("G9", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Nanoseconds per step: <paramref name="steps"/> steps through the signal over and over (the state
    /// running on, as in a stream), repeated <paramref name="repeats"/> times after two warm-up repeats; the
    /// median repeat, in process CPU time. The native harness runs the same loop.
    /// </summary>
    public static double TimePerStep(string name, int steps, int repeats, bool frozen)
    {
        ISequenceNetwork<float> network = CreateLoaded(name);
        OneStep step = Stepper(network, frozen);
        float[] state = new float[network.StateSize], output = new float[1], signal = Signal();
        float sink = 0;
        var times = new double[repeats];
        for (int r = -2; r < repeats; r++)
        {
            TimeSpan start = Environment.CpuUsage.TotalTime;
            for (int t = 0; t < steps; t++)
            {
                step(signal.AsSpan(t & (SignalLength - 1), 1), output, state);
                sink += output[0];
            }
            TimeSpan elapsed = Environment.CpuUsage.TotalTime - start;
            if (r >= 0)
            {
                times[r] = elapsed.Ticks * 100.0 / steps;
            }
        }
        if (float.IsNaN(sink))
        {
            Console.Error.WriteLine("NaN output");
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
