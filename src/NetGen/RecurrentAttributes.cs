using System;

namespace NetGen;

/// <summary>
/// A gated recurrent unit layer, PyTorch's <c>nn.GRU(inputs, hidden, batch_first=True)</c> with one
/// layer: per step, with gates in PyTorch's order r, z, n,
/// <c>r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)</c>, <c>z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)</c>,
/// <c>n = tanh(W_in x + b_in + r * (W_hn h + b_hn))</c> and <c>h' = (1 - z) * n + z * h</c>; its output is
/// <c>h'</c> (hidden values per step). Stack attributes for more layers (PyTorch's
/// <c>num_layers</c>). A network with one is a sequence network (<see cref="ISequenceNetwork{T}"/>).
/// <para>
/// Parameters, as PyTorch's <c>state_dict</c>: <c>weight_ih [3 * hidden, inputs]</c>,
/// <c>weight_hh [3 * hidden, hidden]</c>, <c>bias_ih [3 * hidden]</c>, <c>bias_hh [3 * hidden]</c>. Its
/// state is <c>h</c> [hidden], zero at the start of a sequence.
/// </para>
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GRUAttribute : Attribute
{
    /// <summary>A GRU layer taking <paramref name="inputs"/> values per step, with <paramref name="hidden"/> hidden values.</summary>
    public GRUAttribute(int inputs, int hidden)
    {
        Inputs = inputs;
        Hidden = hidden;
    }

    /// <summary>Values flowing in per step (PyTorch's <c>input_size</c>).</summary>
    public int Inputs { get; }

    /// <summary>Hidden values, which are also the values flowing out per step (PyTorch's <c>hidden_size</c>).</summary>
    public int Hidden { get; }
}

/// <summary>
/// A long short-term memory layer, PyTorch's <c>nn.LSTM(inputs, hidden, batch_first=True)</c> with one
/// layer: per step, with gates in PyTorch's order i, f, g, o (each <c>W_i* x + b_i* + W_h* h + b_h*</c>
/// through sigmoid, g through tanh), <c>c' = f * c + i * g</c> and <c>h' = o * tanh(c')</c>; its output is
/// <c>h'</c> (hidden values per step). Stack attributes for more layers (PyTorch's
/// <c>num_layers</c>). A network with one is a sequence network (<see cref="ISequenceNetwork{T}"/>).
/// <para>
/// Parameters, as PyTorch's <c>state_dict</c>: <c>weight_ih [4 * hidden, inputs]</c>,
/// <c>weight_hh [4 * hidden, hidden]</c>, <c>bias_ih [4 * hidden]</c>, <c>bias_hh [4 * hidden]</c>. Its
/// state is <c>h</c> [hidden] then <c>c</c> [hidden], zero at the start of a sequence.
/// </para>
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LSTMAttribute : Attribute
{
    /// <summary>An LSTM layer taking <paramref name="inputs"/> values per step, with <paramref name="hidden"/> hidden values.</summary>
    public LSTMAttribute(int inputs, int hidden)
    {
        Inputs = inputs;
        Hidden = hidden;
    }

    /// <summary>Values flowing in per step (PyTorch's <c>input_size</c>).</summary>
    public int Inputs { get; }

    /// <summary>Hidden values, which are also the values flowing out per step (PyTorch's <c>hidden_size</c>).</summary>
    public int Hidden { get; }
}
