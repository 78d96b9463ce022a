using System;

namespace NetGen.Generator.Model;

/// <summary>The layer kinds a network is built from.</summary>
internal enum LayerKind
{
    Linear,
    ReLU,
    Softmax,
    CrossEntropyLoss,
}

/// <summary>
/// One layer attribute, in the order it appears. <see cref="Inputs"/> and <see cref="Outputs"/> are
/// the widths flowing in and out (for activations they are equal).
/// </summary>
internal sealed record LayerSpec(LayerKind Kind, int Inputs, int Outputs)
{
    /// <summary>Trainable values: a Linear's weights then bias; none for the others.</summary>
    public long ParameterCount => Kind == LayerKind.Linear ? ((long)Inputs * Outputs) + Outputs : 0;

    /// <summary>The layer as it appears in the canonical architecture text, e.g. <c>Linear(4,16)</c>.</summary>
    public string CanonicalText => Kind == LayerKind.Linear ? $"Linear({Inputs},{Outputs})" : Kind.ToString();

    /// <summary>The layer as a reader writes it, e.g. <c>Linear(4, 16)</c>.</summary>
    public string DisplayText => Kind == LayerKind.Linear ? $"Linear({Inputs}, {Outputs})" : Kind.ToString();

    public bool IsLinear => Kind == LayerKind.Linear;
}
