using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds.Recurrent;

/// <summary>
/// PyTorch's nn.LSTM, one layer, batch first: gates i, f, g, o; <c>c' = f c + i g</c>,
/// <c>h' = o tanh(c')</c>. Its state is h then c.
/// </summary>
internal sealed class LstmLayer : RecurrentLayer
{
    public static readonly LstmLayer Instance = new();

    public override LayerKind Kind => LayerKind.LSTM;

    public override string Name => "LSTM";

    public override string Formula => "i, f, o = sigmoid(W_i x + b_i + W_h h + b_h); g = tanh(...); c' = f c + i g; h' = o tanh(c')";

    protected override string KernelPrefix => "Lstm";

    /// <summary>h, c, i, f, g, o and tanh(c').</summary>
    protected override int SavedPerHidden => 7;

    public override string StateText => "h then c";

    public override string GateOrder => "i, f, g, o";
}
