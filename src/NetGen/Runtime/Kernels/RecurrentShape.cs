using System.ComponentModel;

namespace NetGen.Runtime;

/// <summary>
/// One recurrent layer's (GRU or LSTM) sizes and place in the parameters, as a generated empty struct
/// whose properties return constants; the recurrent kernels take it as a type argument, as the Linear
/// kernels take <see cref="ILinearShape"/>, so that each layer's copy has its sizes folded in.
/// <para>
/// From <see cref="Offset"/> the layer's tensors follow in PyTorch's <c>state_dict</c> order and layout,
/// with G gates (GRU 3: r, z, n; LSTM 4: i, f, g, o): <c>weight_ih [G * Hidden, Inputs]</c>,
/// <c>weight_hh [G * Hidden, Hidden]</c>, <c>bias_ih [G * Hidden]</c>, <c>bias_hh [G * Hidden]</c>.
/// </para>
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRecurrentShape
{
    /// <summary>Values flowing in per step.</summary>
    int Inputs { get; }

    /// <summary>Hidden values: the values flowing out per step, and the size of h (and of an LSTM's c).</summary>
    int Hidden { get; }

    /// <summary>Where the layer's <c>weight_ih</c> starts in the parameters.</summary>
    int Offset { get; }
}
