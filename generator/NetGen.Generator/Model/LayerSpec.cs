using NetGen.Layouts;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// The layer kinds a network is built from. What each kind is (its attribute, how it reads its
/// arguments, the shape it makes, its parameter tensors, what its backward keeps, its kernels) lives in
/// one type per kind under Kinds/, listed once in <c>LayerCatalog.All</c>.
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
    GRU,
    LSTM,
    Input,
    Conv1D,
    Conv2D,
    MaxPool1D,
    MaxPool2D,
    AvgPool1D,
    AvgPool2D,
    GlobalAvgPool,
    Flatten,
    Residual,
    EndResidual,
    LayerNorm,
    BatchNorm1D,
    BatchNorm2D,
    Dropout,
}

/// <summary>
/// One layer attribute, in the order it appears, as its kind read it. <see cref="InputShape"/> and
/// <see cref="OutputShape"/> are the shapes flowing in and out (unknown until the chain is checked, except
/// where the kind states them); <see cref="Inputs"/> and <see cref="Outputs"/> their sizes. <see cref="Slope"/>
/// is LeakyReLU's negative slope, or Dropout's probability (0 for the other kinds). <see cref="Arguments"/> holds a kind's other
/// integer arguments in the order its kind defines (a convolution's channels, kernel, stride, padding,
/// dilation and groups; a recurrent layer's sizes); empty for kinds that need none, and compared by value
/// so that the model stays cacheable.
/// </summary>
internal sealed record LayerSpec(LayerKind Kind, Shape InputShape, Shape OutputShape, double Slope = 0, EquatableArray<int> Arguments = default)
{
    /// <summary>A layer between flat shapes of <paramref name="inputs"/> and <paramref name="outputs"/> values.</summary>
    public LayerSpec(LayerKind kind, int inputs, int outputs, double slope = 0)
        : this(kind, Shape.Features(inputs), Shape.Features(outputs), slope)
    {
    }

    /// <summary>Values per sample flowing in.</summary>
    public int Inputs => (int)InputShape.Size;

    /// <summary>Values per sample flowing out.</summary>
    public int Outputs => (int)OutputShape.Size;
}
