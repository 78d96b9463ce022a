// The five dense networks of issue 21's table against RTNeural (the C++ library audio plug-ins run per
// sample): NetGen's side of that comparison, timed one sample per call. Their parameters and test inputs
// are fixed in models/rtneural-shapes.txt, which a native harness built beside NetGen reads too, so that
// both compute with the same numbers and their outputs can be compared (benchmarks/README.md).

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks;

[Network]
[Linear(1, 16)]
[ReLU]
[Linear(16, 16)]
[ReLU]
[Linear(16, 1)]
public partial class Dense1x16x16x1 { }

[Network]
[Linear(8, 8)]
[Tanh]
[Linear(8, 8)]
[Tanh]
[Linear(8, 8)]
public partial class Dense8x8x8x8 { }

[Network]
[Linear(16, 16)]
[Tanh]
[Linear(16, 16)]
[Tanh]
[Linear(16, 16)]
public partial class Dense16x16x16x16 { }

[Network]
[Linear(32, 32)]
[Tanh]
[Linear(32, 32)]
[Tanh]
[Linear(32, 32)]
public partial class Dense32x32x32x32 { }

[Network]
[Linear(64, 64)]
[Tanh]
[Linear(64, 64)]
[Tanh]
[Linear(64, 64)]
public partial class Dense64x64x64x64 { }

/// <summary>One network of the RTNeural table: its name, its NetGen class, and its fixed parameters and inputs.</summary>
/// <summary>One sample through a network or its frozen snapshot (Freeze()): what the per-call timing calls.</summary>
public delegate void OneSample(ReadOnlySpan<float> input, Span<float> output);

public sealed record RTNeuralShape(string Name, Func<INetwork<float>> Create, float[] Parameters, float[] Inputs)
{
    /// <summary>Test inputs per network in the file: the timed loops cycle through them.</summary>
    public const int InputCount = 16;

    /// <summary>The file both sides read, next to the binary (copied from models/).</summary>
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "models", "rtneural-shapes.txt");

    private static readonly (string Name, Func<INetwork<float>> Create)[] Networks =
    {
        ("1-16-16-1", () => new Dense1x16x16x1()),
        ("8-8-8-8", () => new Dense8x8x8x8()),
        ("16-16-16-16", () => new Dense16x16x16x16()),
        ("32-32-32-32", () => new Dense32x32x32x32()),
        ("64-64-64-64", () => new Dense64x64x64x64()),
    };

    /// <summary>
    /// The one-sample call of <paramref name="network"/> (one of this table's), or of a frozen snapshot of it
    /// (<c>Freeze()</c>: input-major weights) when <paramref name="frozen"/> is set.
    /// </summary>
    public static OneSample Caller(INetwork<float> network, bool frozen) => !frozen ? network.Forward : network switch
    {
        Dense1x16x16x1 n => n.Freeze().Forward,
        Dense8x8x8x8 n => n.Freeze().Forward,
        Dense16x16x16x16 n => n.Freeze().Forward,
        Dense32x32x32x32 n => n.Freeze().Forward,
        Dense64x64x64x64 n => n.Freeze().Forward,
        _ => throw new ArgumentException($"{network.GetType().Name} is not one of the RTNeural table's networks.", nameof(network)),
    };

    public static IEnumerable<string> Names => Networks.Select(n => n.Name);

    /// <summary>A new network of this shape, with the file's parameters.</summary>
    public INetwork<float> CreateLoaded()
    {
        INetwork<float> network = Create();
        Parameters.CopyTo(network.Parameters, 0);
        return network;
    }

    /// <summary>
    /// The file's format, one item per line: "network NAME", "parameters N" then N values (NetGen's and
    /// PyTorch's layout: per Linear layer, weights row-major [outputs, inputs], then bias), "inputs N"
    /// then N values (<see cref="InputCount"/> samples). Values are printed with 9 significant digits,
    /// which reads back to the same float.
    /// </summary>
    public static IReadOnlyList<RTNeuralShape> ReadAll(string path)
    {
        string[] lines = File.ReadAllLines(path);
        var shapes = new List<RTNeuralShape>();
        int at = 0;
        float[] ReadValues(string keyword)
        {
            string[] header = lines[at++].Split(' ');
            if (header[0] != keyword)
            {
                throw new InvalidDataException($"{path}, line {at}: expected \"{keyword} N\", found \"{lines[at - 1]}\".");
            }
            int count = int.Parse(header[1], CultureInfo.InvariantCulture);
            float[] values = lines.Skip(at).Take(count).Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray();
            at += count;
            return values;
        }
        while (at < lines.Length && lines[at].StartsWith("network ", StringComparison.Ordinal))
        {
            string name = lines[at++].Substring("network ".Length);
            (string _, Func<INetwork<float>> create) = Networks.Single(n => n.Name == name);
            float[] parameters = ReadValues("parameters");
            float[] inputs = ReadValues("inputs");
            INetwork<float> probe = create();
            if (parameters.Length != probe.ParameterCount || inputs.Length != InputCount * probe.InputSize)
            {
                throw new InvalidDataException($"{path}: network {name} has {parameters.Length} parameters and {inputs.Length} input values; its class wants {probe.ParameterCount} and {InputCount * probe.InputSize}.");
            }
            shapes.Add(new RTNeuralShape(name, create, parameters, inputs));
        }
        return shapes;
    }

    public static RTNeuralShape Named(string name) => ReadAll(FilePath).Single(s => s.Name == name);

    /// <summary>
    /// Writes the file: parameters as a new NetGen network starts (PyTorch's nn.Linear default, seed 0),
    /// inputs uniform in [-1, 1). Run once to make models/rtneural-shapes.txt, which is committed.
    /// </summary>
    public static void Write(TextWriter writer)
    {
        var random = new Random(21);
        foreach ((string name, Func<INetwork<float>> create) in Networks)
        {
            INetwork<float> network = create();
            writer.WriteLine($"network {name}");
            writer.WriteLine(FormattableString.Invariant($"parameters {network.ParameterCount}"));
            foreach (float value in network.Parameters)
            {
                writer.WriteLine(value.ToString("G9", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(FormattableString.Invariant($"inputs {InputCount * network.InputSize}"));
            for (int i = 0; i < InputCount * network.InputSize; i++)
            {
                writer.WriteLine(((float)((random.NextDouble() * 2) - 1)).ToString("G9", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Every network's outputs for every test input, one value a line with 9 significant digits, for comparing with the native harness's.</summary>
    public static void WriteOutputs(TextWriter writer, bool frozen)
    {
        foreach (RTNeuralShape shape in ReadAll(FilePath))
        {
            INetwork<float> network = shape.CreateLoaded();
            OneSample forward = Caller(network, frozen);
            var output = new float[network.OutputSize];
            writer.WriteLine($"network {shape.Name}");
            for (int s = 0; s < InputCount; s++)
            {
                forward(shape.Inputs.AsSpan(s * network.InputSize, network.InputSize), output);
                foreach (float value in output)
                {
                    writer.WriteLine(value.ToString("G9", CultureInfo.InvariantCulture));
                }
            }
        }
    }

    /// <summary>
    /// Nanoseconds per Forward call, for runs interleaved with the native harness: <paramref name="calls"/>
    /// calls cycling through the test inputs, repeated <paramref name="repeats"/> times after a warm-up;
    /// the median repeat. The same loop as the harness's, so the two figures compare.
    /// </summary>
    public static double TimePerCall(string name, int calls, int repeats, bool frozen)
    {
        RTNeuralShape shape = Named(name);
        INetwork<float> network = shape.CreateLoaded();
        OneSample forward = Caller(network, frozen);
        int inputSize = network.InputSize;
        var output = new float[network.OutputSize];
        float sink = 0;
        var times = new double[repeats];
        for (int r = -2; r < repeats; r++)
        {
            // Process CPU time rather than wall-clock time: on a shared machine the process is often
            // descheduled, which wall-clock time would count (the native harness measures the same way).
            TimeSpan start = Environment.CpuUsage.TotalTime;
            for (int c = 0; c < calls; c++)
            {
                forward(shape.Inputs.AsSpan((c & (InputCount - 1)) * inputSize, inputSize), output);
                sink += output[0];
            }
            TimeSpan elapsed = Environment.CpuUsage.TotalTime - start;
            if (r >= 0)
            {
                times[r] = elapsed.Ticks * 100.0 / calls;
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

/// <summary>
/// NetGen per call on the RTNeural table's networks: one Forward of one sample, cycling through the
/// file's test inputs. The RTNeural column was measured out of tree (benchmarks/README.md).
/// </summary>
public class RTNeuralShapeBenchmarks
{
    private INetwork<float> _network = null!;
    private float[] _inputs = null!;
    private float[] _output = null!;
    private int _inputSize;
    private int _next;

    public static IEnumerable<string> ShapeNames => RTNeuralShape.Names;

    [ParamsSource(nameof(ShapeNames))]
    public string Shape { get; set; } = "8-8-8-8";

    [GlobalSetup]
    public void SetUp()
    {
        RTNeuralShape shape = RTNeuralShape.Named(Shape);
        _network = shape.CreateLoaded();
        _inputs = shape.Inputs;
        _inputSize = _network.InputSize;
        _output = new float[_network.OutputSize];
    }

    [Benchmark]
    public float NetGenForwardOneSample()
    {
        _next = (_next + 1) & (RTNeuralShape.InputCount - 1);
        _network.Forward(_inputs.AsSpan(_next * _inputSize, _inputSize), _output);
        return _output[0];
    }
}
