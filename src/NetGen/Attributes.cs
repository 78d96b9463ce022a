using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a network. The layer attributes on the same declaration, in source
/// order, define it; the NetGen generator emits its forward, backward and training code.
/// </summary>
/// <example><code>
/// [Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
/// public partial class IrisNet { }
/// </code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares a network computing in <see cref="float"/>.</summary>
    public NetworkAttribute() : this(typeof(float)) { }

    /// <summary>Declares a network computing in <paramref name="elementType"/>: <c>typeof(float)</c> or <c>typeof(double)</c>.</summary>
    public NetworkAttribute(Type elementType) => ElementType = elementType;

    /// <summary>The element type of parameters, inputs and outputs.</summary>
    public Type ElementType { get; }

    /// <summary>
    /// When true, a lone sample's forward is written out in full, one expression per output, for every
    /// Linear layer of at most 4,096 weights (by default only for layers of at most 256). The written-out
    /// forward runs where vectors are not hardware-accelerated (older Unity, Mono) or the layer's inputs
    /// are narrower than one vector; elsewhere the shared vector kernel runs. A larger layer keeps the
    /// shared kernel, and warning NG0020 says so.
    /// </summary>
    public bool FullUnroll { get; set; }

    /// <summary>
    /// When true, forward, backward and training steps give bit-identical results on every machine: any
    /// vector width (16, 8 or 4 lanes, Vector512 or not), with or without hardware FMA or hardware vectors,
    /// on any OS, for games that replay or run in lockstep. Multiply-adds are never fused, exp and log are
    /// NetGen's own, and every batch runs in the one layout whose order of additions does not depend on the
    /// vector width. Not promised across .NET versions whose IEEE arithmetic differed (none known). The
    /// README says what it costs.
    /// </summary>
    public bool Deterministic { get; set; }

    /// <summary>
    /// Bakes weights into the generated code: the path of a safetensors file of the network's weights, as
    /// PyTorch's <c>save_file(model.state_dict(), path)</c> writes it, stored as base64 text (the compiler
    /// hands source generators only text files) and added to the project as
    /// <c>&lt;AdditionalFiles Include="iris.safetensors.b64" /&gt;</c>. It names the AdditionalFiles item
    /// whose path ends with it, whole folder and file names compared ignoring case. The generator reads
    /// the file at compile time and a new instance starts from its weights, so an inference-only build
    /// needs no file at run time; <c>ResetToBakedParameters()</c> restores them, and
    /// <c>InitializeParameters(seed)</c> still initialises randomly. A missing, malformed or mismatched
    /// file is a compile error (NG0022 to NG0029) and no code is generated. Null (the default): no baked
    /// weights. See docs/weights-interop.md.
    /// </summary>
    public string? Weights { get; set; }
}

/// <summary>A fully connected layer: <c>y = W x + b</c>, with <c>W</c> of shape <c>[outputs, inputs]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LinearAttribute : Attribute
{
    /// <summary>A layer taking <paramref name="inputs"/> values and producing <paramref name="outputs"/>.</summary>
    public LinearAttribute(int inputs, int outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>The width flowing into the layer.</summary>
    public int Inputs { get; }

    /// <summary>The width flowing out of the layer.</summary>
    public int Outputs { get; }
}

/// <summary>The rectifier <c>y = max(x, 0)</c>, elementwise; keeps the width.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReLUAttribute : Attribute { }

/// <summary>The hyperbolic tangent <c>y = tanh(x)</c>, elementwise, in (-1, 1); keeps the width.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TanhAttribute : Attribute { }

/// <summary>The logistic sigmoid <c>y = 1 / (1 + e^-x)</c>, elementwise, in (0, 1); keeps the width.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SigmoidAttribute : Attribute { }

/// <summary>
/// The leaky rectifier <c>y = x &gt;= 0 ? x : slope * x</c>, elementwise; keeps the width. The slope is
/// 0.01 unless given, as in PyTorch's nn.LeakyReLU.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LeakyReLUAttribute : Attribute
{
    /// <summary>PyTorch's default negative slope.</summary>
    public const double DefaultSlope = 0.01;

    /// <summary>A leaky ReLU with PyTorch's default slope, 0.01.</summary>
    public LeakyReLUAttribute() : this(DefaultSlope) { }

    /// <summary>A leaky ReLU with the given slope for negative inputs (a finite number).</summary>
    public LeakyReLUAttribute(double slope) => Slope = slope;

    /// <summary>The factor applied to negative inputs.</summary>
    public double Slope { get; }
}

/// <summary>
/// The sigmoid-weighted linear unit <c>y = x * sigmoid(x)</c> (PyTorch's nn.SiLU, ML-Agents' Swish),
/// elementwise; keeps the width.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SiLUAttribute : Attribute { }

/// <summary>Softmax over the features of each sample, <c>y_i = e^{x_i} / sum_j e^{x_j}</c>; keeps the width.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SoftmaxAttribute : Attribute { }

/// <summary>
/// The mean cross-entropy loss over a batch, <c>L = -(1/N) sum_b log y_b[t_b]</c>. Must be the last
/// attribute and come directly after <see cref="SoftmaxAttribute"/>; the network then also implements
/// <see cref="IClassifier{T}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CrossEntropyLossAttribute : Attribute { }

/// <summary>
/// The mean squared error, <c>L = (1 / (N * OutputSize)) * sum over b, j of (y[b, j] - t[b, j])^2</c>
/// (PyTorch's mse_loss, reduction "mean"). Must be the last attribute and may follow any layer; the
/// network then also implements <see cref="IRegressor{T}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MSELossAttribute : Attribute { }

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
