namespace NetGen.Generator.Model;

/// <summary>
/// The layer kinds a network is built from. What each kind is (its attribute, width rule, kernels and
/// FLOPs) lives in one type per kind under Emission/Layers, found through <c>LayerCatalog</c>.
/// </summary>
internal enum LayerKind
{
    Linear,
    ReLU,
    Softmax,
    Tanh,
    Sigmoid,
    LeakyReLU,
    SiLU,
}

/// <summary>
/// One layer attribute, in the order it appears. <see cref="Inputs"/> and <see cref="Outputs"/> are
/// the widths flowing in and out (for activations they are equal). <see cref="Slope"/> is LeakyReLU's
/// negative slope (0 for the other kinds).
/// </summary>
internal sealed record LayerSpec(LayerKind Kind, int Inputs, int Outputs, double Slope = 0)
{
    /// <summary>Trainable values: a Linear's weights then bias; none for the others.</summary>
    public long ParameterCount => Kind == LayerKind.Linear ? ((long)Inputs * Outputs) + Outputs : 0;

    public bool IsLinear => Kind == LayerKind.Linear;
}
