using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The GRU and LSTM kernels against PyTorch (tests/fixtures/pytorch/make_recurrent_reference.py: nn.GRU
/// and nn.LSTM in float64, single and stacked, odd sizes), against finite differences in double, stepping
/// against the whole-sequence forward bit for bit, and the deterministic mode against pinned hashes, which
/// every vector configuration of CI must reproduce.
/// </summary>
public class RecurrentKernelTests(ITestOutputHelper output)
{
    // Element types and arithmetics: the default mode in float and double, and the deterministic mode.
    public const string Float = "float";
    public const string Double = "double";
    public const string DeterministicFloat = "deterministic float";
    public const string DeterministicDouble = "deterministic double";

    public static TheoryData<string, string> CasesAndModes()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in RecurrentCase.Names())
        {
            foreach (string mode in new[] { Float, Double, DeterministicFloat, DeterministicDouble })
            {
                data.Add(name, mode);
            }
        }
        return data;
    }

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string name in RecurrentCase.Names())
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CasesAndModes))]
    public void Outputs_final_states_and_gradients_agree_with_PyTorch(string name, string mode)
    {
        switch (mode)
        {
            case Float: AgreesWithPyTorch<float, FloatArithmetic>(name, 2e-5); break;
            case Double: AgreesWithPyTorch<double, DoubleArithmetic>(name, 1e-12); break;
            case DeterministicFloat: AgreesWithPyTorch<float, DeterministicFloatArithmetic>(name, 2e-5); break;
            default: AgreesWithPyTorch<double, DeterministicDoubleArithmetic>(name, 1e-12); break;
        }
    }

    [Theory]
    [MemberData(nameof(CasesAndModes))]
    public void Stepping_gives_the_sequence_forward_bit_for_bit(string name, string mode)
    {
        switch (mode)
        {
            case Float: SteppingEqualsForward<float, FloatArithmetic>(name); break;
            case Double: SteppingEqualsForward<double, DoubleArithmetic>(name); break;
            case DeterministicFloat: SteppingEqualsForward<float, DeterministicFloatArithmetic>(name); break;
            default: SteppingEqualsForward<double, DeterministicDoubleArithmetic>(name); break;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_agree_with_finite_differences(string name)
    {
        RecurrentCase c = RecurrentCase.Load(name);
        var stack = new RecurrentStack<double>(c.CreateLayers<double, DoubleArithmetic>());
        double[] p = (double[])c.Parameters.Clone();
        double[] x = (double[])c.X.Clone();
        double[][] initial = Enumerable.Range(0, c.Layers).Select(c.InitialState).ToArray();
        (double[] g, double[] dx, double[][] dInitial) = stack.Backward(p, x, c.Upstream, c.Batch, c.Steps, initial);

        double Loss() => Dot(stack.Forward(p, x, c.Batch, c.Steps, initial, save: false).Outputs[c.Layers - 1], c.Upstream);
        double worst = 0;
        void Check(double[] values, int index, double analytic, string what)
        {
            const double Epsilon = 1e-6;
            double kept = values[index];
            values[index] = kept + Epsilon;
            double up = Loss();
            values[index] = kept - Epsilon;
            double down = Loss();
            values[index] = kept;
            double numeric = (up - down) / (2 * Epsilon);
            double error = Math.Abs(numeric - analytic) / (1 + Math.Abs(analytic));
            worst = Math.Max(worst, error);
            Assert.True(error < 1e-7, $"{name}: d/d({what}[{index}]) = {analytic:R} by back-propagation, {numeric:R} by finite differences");
        }

        // Every value of the small cases; every 7th of the wide ones (a prime stride, so it falls on every
        // gate, row and column), which keeps the suite's Mono run without hardware vectors to seconds.
        int stride = c.Hidden > 16 ? 7 : 1;
        for (int i = 0; i < p.Length; i += stride)
        {
            Check(p, i, g[i], "parameters");
        }
        for (int i = 0; i < x.Length; i += stride)
        {
            Check(x, i, dx[i], "inputs");
        }
        for (int l = 0; l < c.Layers; l++)
        {
            for (int i = 0; i < initial[l].Length; i += stride)
            {
                Check(initial[l], i, dInitial[l][i], $"initial state of layer {l}");
            }
        }
        output.WriteLine($"{name}: largest relative difference from finite differences {worst:E2}");
    }

    // The deterministic mode's golden hashes (see DeterministicHash): SHA-256 of the outputs from the given
    // state and from zero, of the stepped outputs one by one and as a batch, and of every gradient. One
    // pinned value per case and type, so every vector configuration (16, 8, 4 lanes, none) and Mono must
    // compute these same bits.
    private static readonly Dictionary<string, string> GoldenHashes = new()
    {
        ["gru_3_5 float"] = "33e49cf45ff7df0a",
        ["gru_3_5 double"] = "a7746439503899bf",
        ["gru_3_7_stacked float"] = "0a1755ffbf65b7ef",
        ["gru_3_7_stacked double"] = "267c49dc6ba904b3",
        ["gru_9_19_wide float"] = "0a161884381a92ef",
        ["gru_9_19_wide double"] = "5510f857317c8eb5",
        ["lstm_3_5 float"] = "9afe1331e34c34ee",
        ["lstm_3_5 double"] = "1894495904cd6115",
        ["lstm_3_7_stacked float"] = "b31c9dc541658dc9",
        ["lstm_3_7_stacked double"] = "4d6ba72c5deed222",
        ["lstm_9_19_wide float"] = "f9fb3333ecdb2c28",
        ["lstm_9_19_wide double"] = "d11df76b159e4b4d",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Deterministic_mode_gives_the_pinned_bits(string name)
    {
        string single = DeterministicHash<float, DeterministicFloatArithmetic>(name);
        string twice = DeterministicHash<double, DeterministicDoubleArithmetic>(name);
        output.WriteLine($"[\"{name} float\"] = \"{single}\",");
        output.WriteLine($"[\"{name} double\"] = \"{twice}\",");
        Assert.Equal(GoldenHashes[name + " float"], single);
        Assert.Equal(GoldenHashes[name + " double"], twice);
    }

#if NET
    [Theory]
    [MemberData(nameof(Cases))]
    public void A_step_allocates_nothing(string name)
    {
        RecurrentCase c = RecurrentCase.Load(name);
        RecurrentLayer<float> layer = c.CreateLayers<float, FloatArithmetic>()[0];
        float[] p = Convert<float>(c.Parameters);
        var x = new float[layer.Inputs];
        var state = new float[layer.StateSize];
        var states = new float[c.Batch * layer.StateSize];
        var inputs = new float[c.Batch * layer.Inputs];
        var workspace = new float[layer.StepWorkspace(c.Batch)];
        layer.Step(p, x, state, workspace);
        layer.Step(p, inputs, layer.Inputs, states, layer.StateSize, default, 0, c.Batch, workspace);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            layer.Step(p, x, state, workspace);
            layer.Step(p, inputs, layer.Inputs, states, layer.StateSize, default, 0, c.Batch, workspace);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
#endif

    private void AgreesWithPyTorch<T, TArithmetic>(string name, double tolerance)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        RecurrentCase c = RecurrentCase.Load(name);
        var stack = new RecurrentStack<T>(c.CreateLayers<T, TArithmetic>());
        Assert.Equal(c.Parameters.Length, stack.ParameterCount);
        T[] p = Convert<T>(c.Parameters);
        T[] x = Convert<T>(c.X);
        T[][] initial = Enumerable.Range(0, c.Layers).Select(l => Convert<T>(c.InitialState(l))).ToArray();
        var worst = new List<string>();
        void Compare(string what, double[] expected, T[] actual)
        {
            Assert.Equal(expected.Length, actual.Length);
            double scale = Math.Max(1, expected.Max(Math.Abs));
            double largest = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double difference = Math.Abs(Scalar.ToDouble(actual[i]) - expected[i]);
                largest = Math.Max(largest, difference);
                Assert.True(difference <= tolerance * scale,
                    $"{name}: {what}[{i}] is {Scalar.ToDouble(actual[i]):R}, PyTorch has {expected[i]:R} (|difference| {difference:E2} > {tolerance:E0} x {scale:G3})");
            }
            worst.Add($"{what} {largest:E1}");
        }

        (T[][] outputs, _) = stack.Forward(p, x, c.Batch, c.Steps, initial, save: false);
        Compare("outputs", c.Outputs, outputs[c.Layers - 1]);
        (T[][] zeroOutputs, _) = stack.Forward(p, x, c.Batch, c.Steps, null, save: false);
        Compare("outputs from zero state", c.ZeroStateOutputs, zeroOutputs[c.Layers - 1]);

        (T[] g, T[] dx, T[][] dInitial) = stack.Backward(p, x, Convert<T>(c.Upstream), c.Batch, c.Steps, initial);
        int at = 0;
        for (int t = 0; t < c.ParameterNames.Length; t++)
        {
            Compare(c.ParameterNames[t] + " gradient", c.ParameterGradients.Skip(at).Take(c.ParameterLengths[t]).ToArray(), g.Skip(at).Take(c.ParameterLengths[t]).ToArray());
            at += c.ParameterLengths[t];
        }
        Compare("input gradient", c.XGrad, dx);
        for (int l = 0; l < c.Layers; l++)
        {
            Compare($"initial state gradient (layer {l})", c.InitialStateGradient(l), dInitial[l]);
        }
        output.WriteLine($"{name}, {typeof(T).Name} {typeof(TArithmetic).Name}: largest |difference| from PyTorch: {string.Join("; ", worst)}");
    }

    /// <summary>
    /// Steps the stack one step at a time, as a generated network's Step would (every layer's state in one
    /// row per sequence), and checks each layer's outputs at every step against the whole-sequence forward,
    /// bit for bit: the batched step against the batched forward, and each sequence's lone step against a
    /// forward of that sequence alone. The final states agree with PyTorch's h_n and c_n.
    /// </summary>
    private void SteppingEqualsForward<T, TArithmetic>(string name)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        RecurrentCase c = RecurrentCase.Load(name);
        RecurrentLayer<T>[] layers = c.CreateLayers<T, TArithmetic>();
        var stack = new RecurrentStack<T>(layers);
        T[] p = Convert<T>(c.Parameters);
        T[] x = Convert<T>(c.X);
        T[][] initial = Enumerable.Range(0, c.Layers).Select(l => Convert<T>(c.InitialState(l))).ToArray();
        (T[][] expected, _) = stack.Forward(p, x, c.Batch, c.Steps, initial, save: false);

        // The batch: one row of states per sequence, the layers' states side by side in it.
        int stateSize = layers.Sum(l => l.StateSize);
        var states = new T[c.Batch * stateSize];
        for (int b = 0; b < c.Batch; b++)
        {
            int offset = 0;
            for (int l = 0; l < layers.Length; l++)
            {
                Array.Copy(initial[l], b * layers[l].StateSize, states, (b * stateSize) + offset, layers[l].StateSize);
                offset += layers[l].StateSize;
            }
        }
        var workspace = new T[layers.Max(l => l.StepWorkspace(c.Batch))];
        for (int t = 0; t < c.Steps; t++)
        {
            T[] stepInputs = Enumerable.Range(0, c.Batch).SelectMany(b => x.Skip(((b * c.Steps) + t) * c.Inputs).Take(c.Inputs)).ToArray();
            int offset = 0;
            for (int l = 0; l < layers.Length; l++)
            {
                var stepOutputs = new T[c.Batch * layers[l].Hidden];
                layers[l].Step(p, stepInputs, layers[l].Inputs, states.AsSpan(offset), stateSize, stepOutputs, layers[l].Hidden, c.Batch, workspace);
                for (int b = 0; b < c.Batch; b++)
                {
                    for (int k = 0; k < layers[l].Hidden; k++)
                    {
                        T want = expected[l][(((b * c.Steps) + t) * layers[l].Hidden) + k];
                        Assert.True(want.Equals(stepOutputs[(b * layers[l].Hidden) + k]),
                            $"{name}: layer {l}, sequence {b}, step {t}, value {k}: batched step {Scalar.ToDouble(stepOutputs[(b * layers[l].Hidden) + k]):R}, forward {Scalar.ToDouble(want):R}");
                    }
                }
                offset += layers[l].StateSize;
                stepInputs = stepOutputs;
            }
        }
        // The final states, against PyTorch's.
        int at = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            double[] final = c.FinalState(l);
            for (int b = 0; b < c.Batch; b++)
            {
                for (int k = 0; k < layers[l].StateSize; k++)
                {
                    double actual = Scalar.ToDouble(states[(b * stateSize) + at + k]);
                    double tolerance = typeof(T) == typeof(float) ? 2e-5 : 1e-11;
                    Assert.True(Math.Abs(actual - final[(b * layers[l].StateSize) + k]) <= tolerance,
                        $"{name}: final state of layer {l}, sequence {b}, value {k}: {actual:R}, PyTorch {final[(b * layers[l].StateSize) + k]:R}");
                }
            }
            at += layers[l].StateSize;
        }

        // Each sequence alone: the one-sequence step against a forward of a batch of one.
        var one = new T[layers.Max(l => l.StepWorkspace(1))];
        for (int b = 0; b < c.Batch; b++)
        {
            T[] sequence = x.Skip(b * c.Steps * c.Inputs).Take(c.Steps * c.Inputs).ToArray();
            T[][] alone = initial.Select((s, l) => s.Skip(b * layers[l].StateSize).Take(layers[l].StateSize).ToArray()).ToArray();
            (T[][] forward, _) = stack.Forward(p, sequence, 1, c.Steps, alone, save: false);
            T[][] state = alone.Select(s => (T[])s.Clone()).ToArray();
            for (int t = 0; t < c.Steps; t++)
            {
                T[] input = sequence.Skip(t * c.Inputs).Take(c.Inputs).ToArray();
                for (int l = 0; l < layers.Length; l++)
                {
                    layers[l].Step(p, input, state[l], one);
                    for (int k = 0; k < layers[l].Hidden; k++)
                    {
                        T want = forward[l][(t * layers[l].Hidden) + k];
                        Assert.True(want.Equals(state[l][k]),
                            $"{name}: layer {l}, sequence {b} alone, step {t}, value {k}: step {Scalar.ToDouble(state[l][k]):R}, forward {Scalar.ToDouble(want):R}");
                    }
                    input = state[l].Take(layers[l].Hidden).ToArray();
                }
            }
        }
    }

    private static string DeterministicHash<T, TArithmetic>(string name)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        RecurrentCase c = RecurrentCase.Load(name);
        RecurrentLayer<T>[] layers = c.CreateLayers<T, TArithmetic>();
        var stack = new RecurrentStack<T>(layers);
        T[] p = ExactlyParsed<T>(c.Parameters);
        T[] x = ExactlyParsed<T>(c.X);
        T[][] initial = Enumerable.Range(0, c.Layers).Select(l => ExactlyParsed<T>(c.InitialState(l))).ToArray();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (T[] outputs in stack.Forward(p, x, c.Batch, c.Steps, initial, save: false).Outputs)
        {
            Append(sha, outputs);
        }
        Append(sha, stack.Forward(p, x, c.Batch, c.Steps, null, save: false).Outputs[c.Layers - 1]);
        (T[] g, T[] dx, T[][] dInitial) = stack.Backward(p, x, ExactlyParsed<T>(c.Upstream), c.Batch, c.Steps, initial);
        Append(sha, g);
        Append(sha, dx);
        foreach (T[] d in dInitial)
        {
            Append(sha, d);
        }
        // One step of every sequence at once and of the first alone, from the given state.
        RecurrentLayer<T> first = layers[0];
        T[] states = (T[])initial[0].Clone();
        var stepOutputs = new T[c.Batch * first.Hidden];
        T[] stepInputs = Enumerable.Range(0, c.Batch).SelectMany(b => x.Skip(b * c.Steps * c.Inputs).Take(c.Inputs)).ToArray();
        first.Step(p, stepInputs, first.Inputs, states, first.StateSize, stepOutputs, first.Hidden, c.Batch, new T[first.StepWorkspace(c.Batch)]);
        Append(sha, states);
        T[] state = initial[0].Take(first.StateSize).ToArray();
        first.Step(p, x.Take(c.Inputs).ToArray(), state, new T[first.StepWorkspace(1)]);
        Append(sha, state);
        return Portable.LowerHex(sha.GetHashAndReset()).Substring(0, 16);
    }

    // Through an array: .NET Framework's IncrementalHash (which the Mono run uses) takes no spans.
    private static void Append<T>(IncrementalHash sha, T[] values) where T : unmanaged
        => sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static T[] Convert<T>(double[] values) where T : unmanaged => values.Select(Scalar.FromDouble<T>).ToArray();

    /// <summary>
    /// The fixture's values rounded to float first, for the pinned hashes: .NET Framework and Mono parse
    /// some of the JSON's 17-digit doubles an ulp away from .NET (seen: the wide cases' double hashes
    /// differed on Mono, with and without its SIMD, and nowhere else), which would move every bit after
    /// them; rounded to float, every runtime reads the same numbers.
    /// </summary>
    private static T[] ExactlyParsed<T>(double[] values) where T : unmanaged => values.Select(v => Scalar.FromDouble<T>((float)v)).ToArray();

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
