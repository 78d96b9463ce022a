using NetGen.Generator.Model;

namespace NetGen.Generator.Kinds.Recurrent;

/// <summary>
/// PyTorch's nn.GRU, one layer, batch first: gates r, z, n;
/// <c>n = tanh(W_in x + b_in + r * (W_hn h + b_hn))</c>, <c>h' = (1 - z) * n + z * h</c>. Its state is h.
/// </summary>
internal sealed class GruLayer : RecurrentLayer
{
    public static readonly GruLayer Instance = new();

    public override LayerKind Kind => LayerKind.GRU;

    public override string Name => "GRU";

    public override string Formula => "r, z = sigmoid(W_i x + b_i + W_h h + b_h); n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h' = (1 - z) n + z h";

    protected override string KernelPrefix => "Gru";

    /// <summary>h, r, z, n and W_hn h + b_hn.</summary>
    protected override int SavedPerHidden => 5;

    public override string StateText => "h";

    public override string GateOrder => "r, z, n";
}
