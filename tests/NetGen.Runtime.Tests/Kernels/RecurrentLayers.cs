using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Runtime;

namespace NetGen.Runtime.Tests.Kernels;

// The layer shapes of the PyTorch cases (tests/fixtures/pytorch/make_recurrent_reference.py), as a
// generated network would declare them: sizes and offsets as constants. A stacked case's second layer
// starts after the first layer's 4 tensors: G * H * (I + H + 2) values.
internal readonly struct Shape3x5 : IRecurrentShape { public int Inputs => 3; public int Hidden => 5; public int Offset => 0; }
internal readonly struct Shape3x7 : IRecurrentShape { public int Inputs => 3; public int Hidden => 7; public int Offset => 0; }
internal readonly struct GruShape7x7After3x7 : IRecurrentShape { public int Inputs => 7; public int Hidden => 7; public int Offset => 3 * 7 * (3 + 7 + 2); }
internal readonly struct LstmShape7x7After3x7 : IRecurrentShape { public int Inputs => 7; public int Hidden => 7; public int Offset => 4 * 7 * (3 + 7 + 2); }
internal readonly struct Shape9x19 : IRecurrentShape { public int Inputs => 9; public int Hidden => 19; public int Offset => 0; }

/// <summary>One recurrent layer's kernels, for one element type and arithmetic, behind one face for the tests.</summary>
internal abstract class RecurrentLayer<T> where T : unmanaged
{
    public abstract string Kind { get; }

    public abstract int Inputs { get; }

    public abstract int Hidden { get; }

    public abstract int Offset { get; }

    public int Gates => Kind == "GRU" ? 3 : 4;

    /// <summary>State values per sequence: h, or h then c.</summary>
    public int StateSize => Kind == "GRU" ? Hidden : 2 * Hidden;

    public int ParameterCount => Gates * Hidden * (Inputs + Hidden + 2);

    public abstract int StepWorkspace(int count);

    public abstract int SavedLength(int batch, int steps);

    public abstract int SequenceWorkspace(int batch, int steps);

    public abstract void Step(T[] p, ReadOnlySpan<T> x, Span<T> state, Span<T> workspace);

    public abstract void Step(T[] p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride, Span<T> outputs, int outputStride, int count, Span<T> workspace);

    public abstract void Forward(T[] p, ReadOnlySpan<T> inputs, Span<T> outputs, int batch, int steps, ReadOnlySpan<T> initialState, Span<T> saved, Span<T> workspace);

    public abstract void Backward(T[] p, ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients, Span<T> g, int batch, int steps,
        ReadOnlySpan<T> saved, Span<T> initialStateGradients, Span<T> workspace);
}

internal sealed class GruLayer<T, TArithmetic, TShape> : RecurrentLayer<T>
    where T : unmanaged
    where TArithmetic : struct, IArithmetic<T>
    where TShape : struct, IRecurrentShape
{
    private sealed class Kernels : NetworkKernels<T, TArithmetic> { }

    public override string Kind => "GRU";
    public override int Inputs => default(TShape).Inputs;
    public override int Hidden => default(TShape).Hidden;
    public override int Offset => default(TShape).Offset;
    public override int StepWorkspace(int count) => Kernels.GruStepWorkspaceLength<TShape>(count);
    public override int SavedLength(int batch, int steps) => Kernels.GruSavedLength<TShape>(batch, steps);
    public override int SequenceWorkspace(int batch, int steps) => Kernels.GruSequenceWorkspaceLength<TShape>(batch, steps);

    public override void Step(T[] p, ReadOnlySpan<T> x, Span<T> state, Span<T> workspace) => Kernels.GruStep<TShape>(p, x, state, workspace);

    public override void Step(T[] p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride, Span<T> outputs, int outputStride, int count, Span<T> workspace)
        => Kernels.GruStep<TShape>(p, inputs, inputStride, states, stateStride, outputs, outputStride, count, workspace);

    public override void Forward(T[] p, ReadOnlySpan<T> inputs, Span<T> outputs, int batch, int steps, ReadOnlySpan<T> initialState, Span<T> saved, Span<T> workspace)
        => Kernels.GruForwardSequence<TShape>(p, inputs, outputs, batch, steps, initialState, saved, workspace);

    public override void Backward(T[] p, ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients, Span<T> g, int batch, int steps,
        ReadOnlySpan<T> saved, Span<T> initialStateGradients, Span<T> workspace)
        => Kernels.GruBackwardSequence<TShape>(p, inputs, outputGradients, inputGradients, g, batch, steps, saved, initialStateGradients, workspace);
}

internal sealed class LstmLayer<T, TArithmetic, TShape> : RecurrentLayer<T>
    where T : unmanaged
    where TArithmetic : struct, IArithmetic<T>
    where TShape : struct, IRecurrentShape
{
    private sealed class Kernels : NetworkKernels<T, TArithmetic> { }

    public override string Kind => "LSTM";
    public override int Inputs => default(TShape).Inputs;
    public override int Hidden => default(TShape).Hidden;
    public override int Offset => default(TShape).Offset;
    public override int StepWorkspace(int count) => Kernels.LstmStepWorkspaceLength<TShape>(count);
    public override int SavedLength(int batch, int steps) => Kernels.LstmSavedLength<TShape>(batch, steps);
    public override int SequenceWorkspace(int batch, int steps) => Kernels.LstmSequenceWorkspaceLength<TShape>(batch, steps);

    public override void Step(T[] p, ReadOnlySpan<T> x, Span<T> state, Span<T> workspace) => Kernels.LstmStep<TShape>(p, x, state, workspace);

    public override void Step(T[] p, ReadOnlySpan<T> inputs, int inputStride, Span<T> states, int stateStride, Span<T> outputs, int outputStride, int count, Span<T> workspace)
        => Kernels.LstmStep<TShape>(p, inputs, inputStride, states, stateStride, outputs, outputStride, count, workspace);

    public override void Forward(T[] p, ReadOnlySpan<T> inputs, Span<T> outputs, int batch, int steps, ReadOnlySpan<T> initialState, Span<T> saved, Span<T> workspace)
        => Kernels.LstmForwardSequence<TShape>(p, inputs, outputs, batch, steps, initialState, saved, workspace);

    public override void Backward(T[] p, ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients, Span<T> inputGradients, Span<T> g, int batch, int steps,
        ReadOnlySpan<T> saved, Span<T> initialStateGradients, Span<T> workspace)
        => Kernels.LstmBackwardSequence<TShape>(p, inputs, outputGradients, inputGradients, g, batch, steps, saved, initialStateGradients, workspace);
}

/// <summary>A case written by make_recurrent_reference.py: a PyTorch GRU or LSTM, its data and its numbers, in float64.</summary>
internal sealed class RecurrentCase
{
    public static string Directory => Path.Combine(Path.GetDirectoryName(typeof(RecurrentCase).Assembly.Location)!, "fixtures", "pytorch");

    public string Name { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public int Inputs { get; private set; }
    public int Hidden { get; private set; }
    public int Layers { get; private set; }
    public int Batch { get; private set; }
    public int Steps { get; private set; }
    public double[] X { get; private set; } = Array.Empty<double>();

    /// <summary>PyTorch's initial state: h0 [layers, batch, hidden], and an LSTM's c0 likewise.</summary>
    public double[] H0 { get; private set; } = Array.Empty<double>();
    public double[] C0 { get; private set; } = Array.Empty<double>();
    public double[] Outputs { get; private set; } = Array.Empty<double>();
    public double[] ZeroStateOutputs { get; private set; } = Array.Empty<double>();
    public double[] HN { get; private set; } = Array.Empty<double>();
    public double[] CN { get; private set; } = Array.Empty<double>();
    public double[] Upstream { get; private set; } = Array.Empty<double>();

    /// <summary>Every parameter in state_dict order, concatenated: NetGen's layout.</summary>
    public double[] Parameters { get; private set; } = Array.Empty<double>();
    public double[] ParameterGradients { get; private set; } = Array.Empty<double>();
    public string[] ParameterNames { get; private set; } = Array.Empty<string>();
    public int[] ParameterLengths { get; private set; } = Array.Empty<int>();
    public double[] XGrad { get; private set; } = Array.Empty<double>();
    public double[] H0Grad { get; private set; } = Array.Empty<double>();
    public double[] C0Grad { get; private set; } = Array.Empty<double>();

    public override string ToString() => Name;

    public static IEnumerable<string> Names()
        => JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(Directory, "recurrent_cases.json")))!;

    public static RecurrentCase Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "recurrent_" + name + ".json")));
        JsonElement root = document.RootElement;
        var tensors = root.GetProperty("parameters").EnumerateArray().Select(e => (Name: e[0].GetString()!, Values: Values(e[1]))).ToList();
        var gradients = root.GetProperty("parameter_gradients").EnumerateArray().Select(e => Values(e[1])).ToList();
        bool lstm = root.GetProperty("kind").GetString() == "LSTM";
        return new RecurrentCase
        {
            Name = name,
            Kind = root.GetProperty("kind").GetString()!,
            Inputs = root.GetProperty("inputs").GetInt32(),
            Hidden = root.GetProperty("hidden").GetInt32(),
            Layers = root.GetProperty("layers").GetInt32(),
            Batch = root.GetProperty("batch").GetInt32(),
            Steps = root.GetProperty("steps").GetInt32(),
            X = Values(root.GetProperty("x")),
            H0 = Values(root.GetProperty("h0")),
            C0 = lstm ? Values(root.GetProperty("c0")) : Array.Empty<double>(),
            Outputs = Values(root.GetProperty("outputs")),
            ZeroStateOutputs = Values(root.GetProperty("zero_state_outputs")),
            HN = Values(root.GetProperty("h_n")),
            CN = lstm ? Values(root.GetProperty("c_n")) : Array.Empty<double>(),
            Upstream = Values(root.GetProperty("upstream")),
            Parameters = tensors.SelectMany(t => t.Values).ToArray(),
            ParameterNames = tensors.Select(t => t.Name).ToArray(),
            ParameterLengths = tensors.Select(t => t.Values.Length).ToArray(),
            ParameterGradients = gradients.SelectMany(g => g).ToArray(),
            XGrad = Values(root.GetProperty("x_grad")),
            H0Grad = Values(root.GetProperty("h0_grad")),
            C0Grad = lstm ? Values(root.GetProperty("c0_grad")) : Array.Empty<double>(),
        };
    }

    /// <summary>The case's layers on one element type and arithmetic, with their shapes as constants.</summary>
    public RecurrentLayer<T>[] CreateLayers<T, TArithmetic>()
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
        => Name switch
        {
            "gru_3_5" => new RecurrentLayer<T>[] { new GruLayer<T, TArithmetic, Shape3x5>() },
            "gru_3_7_stacked" => new RecurrentLayer<T>[] { new GruLayer<T, TArithmetic, Shape3x7>(), new GruLayer<T, TArithmetic, GruShape7x7After3x7>() },
            "gru_9_19_wide" => new RecurrentLayer<T>[] { new GruLayer<T, TArithmetic, Shape9x19>() },
            "lstm_3_5" => new RecurrentLayer<T>[] { new LstmLayer<T, TArithmetic, Shape3x5>() },
            "lstm_3_7_stacked" => new RecurrentLayer<T>[] { new LstmLayer<T, TArithmetic, Shape3x7>(), new LstmLayer<T, TArithmetic, LstmShape7x7After3x7>() },
            "lstm_9_19_wide" => new RecurrentLayer<T>[] { new LstmLayer<T, TArithmetic, Shape9x19>() },
            _ => throw new ArgumentOutOfRangeException(nameof(Name), Name, "no layers for this case"),
        };

    /// <summary>
    /// Layer l's initial state in NetGen's layout, <c>[batch, StateSize]</c> (h, or h then c, per
    /// sequence), from PyTorch's h0 and c0 <c>[layers, batch, hidden]</c>.
    /// </summary>
    public double[] InitialState(int layer)
    {
        int stateSize = Kind == "GRU" ? Hidden : 2 * Hidden;
        var state = new double[Batch * stateSize];
        for (int b = 0; b < Batch; b++)
        {
            Array.Copy(H0, ((layer * Batch) + b) * Hidden, state, b * stateSize, Hidden);
            if (Kind == "LSTM")
            {
                Array.Copy(C0, ((layer * Batch) + b) * Hidden, state, (b * stateSize) + Hidden, Hidden);
            }
        }
        return state;
    }

    /// <summary>PyTorch's final state (h_n, c_n) of layer l in NetGen's layout, as <see cref="InitialState"/>.</summary>
    public double[] FinalState(int layer)
    {
        int stateSize = Kind == "GRU" ? Hidden : 2 * Hidden;
        var state = new double[Batch * stateSize];
        for (int b = 0; b < Batch; b++)
        {
            Array.Copy(HN, ((layer * Batch) + b) * Hidden, state, b * stateSize, Hidden);
            if (Kind == "LSTM")
            {
                Array.Copy(CN, ((layer * Batch) + b) * Hidden, state, (b * stateSize) + Hidden, Hidden);
            }
        }
        return state;
    }

    /// <summary>PyTorch's gradient of the initial state of layer l, in the layout of <see cref="InitialState"/>.</summary>
    public double[] InitialStateGradient(int layer)
    {
        int stateSize = Kind == "GRU" ? Hidden : 2 * Hidden;
        var state = new double[Batch * stateSize];
        for (int b = 0; b < Batch; b++)
        {
            Array.Copy(H0Grad, ((layer * Batch) + b) * Hidden, state, b * stateSize, Hidden);
            if (Kind == "LSTM")
            {
                Array.Copy(C0Grad, ((layer * Batch) + b) * Hidden, state, (b * stateSize) + Hidden, Hidden);
            }
        }
        return state;
    }

    private static double[] Values(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}

/// <summary>
/// A stack of recurrent layers run through their kernels as a generated network would: each layer over
/// the whole sequence, the next layer on its outputs; back-propagation the other way round.
/// </summary>
internal sealed class RecurrentStack<T> where T : unmanaged
{
    private readonly RecurrentLayer<T>[] layers;

    public RecurrentStack(RecurrentLayer<T>[] layers) => this.layers = layers;

    public IReadOnlyList<RecurrentLayer<T>> Layers => layers;

    public int ParameterCount => layers.Sum(l => l.ParameterCount);

    public int OutputSize => layers[layers.Length - 1].Hidden;

    /// <summary>Every layer's outputs over the whole sequences, and what each saved (when <paramref name="save"/>).</summary>
    public (T[][] Outputs, T[][] Saved) Forward(T[] p, T[] x, int batch, int steps, T[][]? initialStates, bool save)
    {
        var outputs = new T[layers.Length][];
        var saved = new T[layers.Length][];
        T[] input = x;
        for (int l = 0; l < layers.Length; l++)
        {
            RecurrentLayer<T> layer = layers[l];
            outputs[l] = new T[batch * steps * layer.Hidden];
            saved[l] = save ? new T[layer.SavedLength(batch, steps)] : Array.Empty<T>();
            var workspace = new T[layer.SequenceWorkspace(batch, steps)];
            layer.Forward(p, input, outputs[l], batch, steps, initialStates is null ? default : initialStates[l], saved[l], workspace);
            input = outputs[l];
        }
        return (outputs, saved);
    }

    /// <summary>Parameter, input and initial-state gradients of <c>sum(upstream * outputs)</c>.</summary>
    public (T[] Gradients, T[] InputGradients, T[][] InitialStateGradients) Backward(T[] p, T[] x, T[] upstream, int batch, int steps, T[][]? initialStates)
    {
        (T[][] outputs, T[][] saved) = Forward(p, x, batch, steps, initialStates, save: true);
        var g = new T[ParameterCount];
        var stateGradients = new T[layers.Length][];
        T[] delta = upstream;
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            RecurrentLayer<T> layer = layers[l];
            T[] input = l == 0 ? x : outputs[l - 1];
            var inputGradients = new T[input.Length];
            stateGradients[l] = new T[batch * layer.StateSize];
            var workspace = new T[layer.SequenceWorkspace(batch, steps)];
            layer.Backward(p, input, delta, inputGradients, g, batch, steps, saved[l], stateGradients[l], workspace);
            delta = inputGradients;
        }
        return (g, delta, stateGradients);
    }
}
