using System.Collections.Generic;
using NetGen.Layouts;

namespace NetGen;

/// <summary>One layer of a <see cref="NetworkArchitecture"/>.</summary>
public sealed class NetworkLayer
{
    internal NetworkLayer(int index, string kind, string text, IReadOnlyList<string> arguments, Shape inputShape, Shape outputShape, int parameterOffset, int parameterCount, int sequentialIndex, IReadOnlyList<NetworkTensor> tensors, IReadOnlyList<NetworkTensor>? buffers = null)
    {
        Tensors = tensors;
        Buffers = buffers ?? System.Array.Empty<NetworkTensor>();
        Index = index;
        Kind = kind;
        Text = text;
        Arguments = arguments;
        InputShape = inputShape;
        OutputShape = outputShape;
        Inputs = (int)inputShape.Size;
        Outputs = (int)outputShape.Size;
        ParameterOffset = parameterOffset;
        ParameterCount = parameterCount;
        SequentialIndex = sequentialIndex;
    }

    /// <summary>The layer's position in the declaration, from 0.</summary>
    public int Index { get; }

    /// <summary>The kind's name as the architecture text writes it: <c>Linear</c>, <c>ReLU</c>, <c>Softmax</c>, <c>CrossEntropyLoss</c>, ...</summary>
    public string Kind { get; }

    /// <summary>The whole token, arguments included, e.g. <c>Linear(4,16)</c> or <c>LeakyReLU(0.01)</c>.</summary>
    public string Text { get; }

    /// <summary>The arguments between the parentheses, as written; empty where there are none.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Whether this is a <c>Linear</c> layer. Whether a layer has parameters is <see cref="Tensors"/>' business.</summary>
    public bool IsLinear => Kind == "Linear";

    /// <summary>
    /// The layer's parameter tensors in the order of <see cref="INetwork{T}.Parameters"/> (PyTorch's
    /// state_dict order): a Linear layer's <c>weight</c> then <c>bias</c>; empty for kinds without parameters.
    /// </summary>
    public IReadOnlyList<NetworkTensor> Tensors { get; }

    /// <summary>
    /// The layer's buffers, state that is not trained, in the order of <see cref="INetwork{T}.Buffers"/>
    /// (PyTorch's state_dict order): a BatchNorm layer's <c>running_mean</c> then <c>running_var</c>, whose
    /// <see cref="NetworkTensor.Offset"/> is where they start in <c>Buffers</c>; empty for every other kind.
    /// </summary>
    public IReadOnlyList<NetworkTensor> Buffers { get; }

    /// <summary>Whether this is the loss (a kind whose name ends in <c>Loss</c>), which inference skips.</summary>
    public bool IsLoss => SequentialIndex < 0;

    /// <summary>The shape of one sample flowing into the layer (features; channels x length; channels x height x width).</summary>
    internal Shape InputShape { get; }

    /// <summary>The shape of one sample flowing out of the layer.</summary>
    internal Shape OutputShape { get; }

    /// <summary>The values per sample flowing into the layer (the size of its input shape).</summary>
    public int Inputs { get; }

    /// <summary>The values per sample flowing out of the layer (the size of its output shape).</summary>
    public int Outputs { get; }

    /// <summary>
    /// Where the layer's parameters start in <see cref="INetwork{T}.Parameters"/>: its <see cref="Tensors"/>
    /// one after the other (a Linear layer's weights, row-major <c>[outputs, inputs]</c>, then its
    /// <c>outputs</c> biases). For kinds without parameters, the offset of the next layer's parameters.
    /// </summary>
    public int ParameterOffset { get; }

    /// <summary>The layer's parameter count, over its <see cref="Tensors"/>: <c>inputs * outputs + outputs</c> for a Linear layer, 0 for kinds without parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>Where a Linear layer's bias starts in <see cref="INetwork{T}.Parameters"/> (its <see cref="Tensors"/>' <c>bias</c>).</summary>
    public int BiasOffset => ParameterOffset + Inputs * Outputs;

    /// <summary>
    /// The layer's index in the equivalent PyTorch <c>nn.Sequential</c>, which holds every layer but the
    /// loss, activations and Softmax included; -1 for the loss. A layer's parameters are named
    /// <c>{SequentialIndex}.{tensor}</c> in that module's state_dict (<c>2.weight</c>, <c>2.bias</c>).
    /// </summary>
    public int SequentialIndex { get; }

    /// <inheritdoc />
    public override string ToString() => Text;
}
