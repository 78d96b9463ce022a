using System;
using System.Collections.Generic;

namespace NetGen.Layouts;

// The recurrent kinds (GRU, LSTM): PyTorch's nn.GRU / nn.LSTM with one layer and batch_first=True. Both
// state their inputs (the first recurrent layer may fix the network's input), make `hidden` features per
// step, and own four tensors in state_dict order with G gates per hidden value (GRU 3: r, z, n; LSTM 4:
// i, f, g, o), every one uniform in (-1/sqrt(hidden), 1/sqrt(hidden)) as PyTorch initialises them.
internal static partial class LayerLayouts
{
    /// <summary>The kind name of a GRU layer, as the architecture text writes it: <c>GRU(inputs,hidden)</c>.</summary>
    public const string Gru = "GRU";

    /// <summary>The kind name of an LSTM layer, as the architecture text writes it: <c>LSTM(inputs,hidden)</c>.</summary>
    public const string Lstm = "LSTM";

    /// <summary>Gates per hidden value of a recurrent kind: GRU 3, LSTM 4; 0 for any other kind.</summary>
    public static int RecurrentGates(string kind) => kind switch
    {
        Gru => 3,
        Lstm => 4,
        _ => 0,
    };

    /// <summary>
    /// What PyTorch appends to a tensor's name in a module of <paramref name="kind"/>: a recurrent module
    /// numbers its layers (<c>weight_ih_l0</c>, <c>weight_ih_l1</c>, ...), and a NetGen layer is one of them,
    /// written as layer 0 of its own module; nothing for the other kinds.
    /// </summary>
    public static string StateDictSuffix(string kind) => RecurrentGates(kind) > 0 ? "_l0" : "";

    /// <summary>State values per sequence of a recurrent kind: a GRU's h, an LSTM's h then c; 0 for any other kind.</summary>
    public static int RecurrentStateSize(string kind, int hidden) => kind switch
    {
        Gru => hidden,
        Lstm => 2 * hidden,
        _ => 0,
    };

    /// <summary>
    /// A recurrent layer's tensors with <paramref name="gates"/> gates per hidden value:
    /// <c>weight_ih [G * hidden, inputs]</c>, <c>weight_hh [G * hidden, hidden]</c>, <c>bias_ih [G * hidden]</c>,
    /// <c>bias_hh [G * hidden]</c>, all uniform in (-1/sqrt(hidden), 1/sqrt(hidden)).
    /// </summary>
    public static IReadOnlyList<TensorLayout> RecurrentTensors(int gates, int inputs, int hidden)
    {
        int rows = checked(gates * hidden);
        return new[]
        {
            new TensorLayout("weight_ih", "input weights", new[] { rows, inputs }, ParameterInit.UniformFanIn, hidden),
            new TensorLayout("weight_hh", "hidden weights", new[] { rows, hidden }, ParameterInit.UniformFanIn, hidden),
            new TensorLayout("bias_ih", "input biases", new[] { rows }, ParameterInit.UniformFanIn, hidden),
            new TensorLayout("bias_hh", "hidden biases", new[] { rows }, ParameterInit.UniformFanIn, hidden),
        };
    }

    /// <summary>The recurrent layer's output per step from its text arguments <c>(inputs,hidden)</c>: hidden features, from exactly inputs features.</summary>
    private static Shape RecurrentOutput(string kind, IReadOnlyList<string> arguments, Shape incoming)
    {
        int inputs = PositiveArgument(kind, arguments, 0, 2);
        int hidden = PositiveArgument(kind, arguments, 1, 2);
        if (incoming.Rank != 1 || incoming.Width != inputs)
        {
            throw new FormatException($"{kind}({inputs},{hidden}) takes {inputs} features per step, but {incoming} flows into it");
        }

        return Shape.Features(hidden);
    }
}
