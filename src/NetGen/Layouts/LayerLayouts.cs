using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Layouts;

/// <summary>How a parameter tensor starts, as PyTorch's module of that kind initialises it by default.</summary>
internal enum ParameterInit
{
    /// <summary>Uniform in the open interval (-1/sqrt(fanIn), 1/sqrt(fanIn)): nn.Linear's weight and bias.</summary>
    UniformFanIn,

    /// <summary>Every value 1 (a normalisation's weight).</summary>
    Ones,

    /// <summary>Every value 0 (a normalisation's bias).</summary>
    Zeros,
}

/// <summary>
/// One parameter tensor of a layer: its name as the last part of PyTorch's <c>state_dict</c> key
/// (<c>weight</c>, <c>bias</c>), its shape in PyTorch's row-major layout, and how it is initialised.
/// </summary>
internal sealed class TensorLayout : IEquatable<TensorLayout>
{
    private readonly int[] _shape;

    public TensorLayout(string name, string plural, int[] shape, ParameterInit init, int fanIn)
    {
        Name = name;
        Plural = plural;
        _shape = shape;
        Init = init;
        FanIn = fanIn;
        long count = 1;
        foreach (int dimension in shape) count *= dimension;
        Count = count;
    }

    /// <summary>The tensor's name in its module, as PyTorch's state_dict has it: <c>weight</c>, <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>What its values are called in comments: <c>weights</c>, <c>biases</c>.</summary>
    public string Plural { get; }

    /// <summary>The shape, outermost dimension first, as PyTorch's tensor has it (a Linear weight: <c>[outputs, inputs]</c>).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of values: the product of <see cref="Shape"/>.</summary>
    public long Count { get; }

    /// <summary>How the tensor starts.</summary>
    public ParameterInit Init { get; }

    /// <summary>For <see cref="ParameterInit.UniformFanIn"/>, the fan-in whose root bounds the values; 0 otherwise.</summary>
    public int FanIn { get; }

    /// <summary>The shape as PyTorch prints it: <c>[16, 4]</c>.</summary>
    public string ShapeText
    {
        get
        {
            var text = new StringBuilder("[");
            for (int i = 0; i < _shape.Length; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append(_shape[i].ToString(CultureInfo.InvariantCulture));
            }

            return text.Append(']').ToString();
        }
    }

    /// <inheritdoc />
    public bool Equals(TensorLayout? other)
    {
        if (other is null || other.Name != Name || other.Plural != Plural || other.Init != Init || other.FanIn != FanIn || other._shape.Length != _shape.Length) return false;
        for (int i = 0; i < _shape.Length; i++)
        {
            if (other._shape[i] != _shape[i]) return false;
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TensorLayout other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        int hash = Name.GetHashCode();
        foreach (int dimension in _shape) hash = (hash * 31) + dimension;
        return hash;
    }

    /// <inheritdoc />
    public override string ToString() => Name + " " + ShapeText;
}

/// <summary>
/// The parameter layout and shape rule of every layer kind, written once and read by both sides: the
/// generator (which links every file of this folder) lays out <c>Parameters</c>, initialises it and bakes
/// weights into it by these tensors; the library reads the same tensors and shapes for
/// <see cref="NetworkArchitecture"/>, safetensors, saved parameters, initialisation and ONNX. A layer's
/// parameters are its tensors in this order, each row-major, one after the other; a network's are its
/// layers' in declaration order. Kinds not listed have no parameters and keep the shape flowing in.
/// </summary>
/// <remarks>
/// Each family of kinds adds its own file (<c>LayerLayouts.Convolution.cs</c>, ...) with its typed
/// functions, which the generator's kinds call directly, and one case in each switch below, which reads the
/// same values from the architecture text's arguments.
/// </remarks>
internal static partial class LayerLayouts
{
    /// <summary>The kind name of a fully connected layer, as the architecture text writes it.</summary>
    public const string Linear = "Linear";

    private static readonly TensorLayout[] None = new TensorLayout[0];

    /// <summary>
    /// The tensors of a layer of <paramref name="kind"/> (its architecture-text name) that takes
    /// <paramref name="inputs"/> values per sample and makes <paramref name="outputs"/>, in state_dict order:
    /// for kinds whose tensors follow from those two sizes alone.
    /// </summary>
    public static IReadOnlyList<TensorLayout> Tensors(string kind, int inputs, int outputs) => kind switch
    {
        Linear => LinearTensors(inputs, outputs),
        Gru or Lstm => RecurrentTensors(RecurrentGates(kind), inputs, outputs),
        _ => None,
    };

    /// <summary>
    /// The tensors of the layer written <paramref name="kind"/>(<paramref name="arguments"/>) in the
    /// architecture text, with <paramref name="incoming"/> flowing into it, in state_dict order.
    /// </summary>
    /// <exception cref="FormatException">The arguments are not the kind's.</exception>
    public static IReadOnlyList<TensorLayout> Tensors(string kind, IReadOnlyList<string> arguments, Shape incoming) => kind switch
    {
        Linear => LinearTensors((int)incoming.Size, OutputShape(kind, arguments, incoming).Width),
        Gru or Lstm => RecurrentTensors(RecurrentGates(kind), (int)incoming.Size, OutputShape(kind, arguments, incoming).Width),
        Conv1D or Conv2D => ConvolutionTensors(kind, arguments),
        LayerNorm => LayerNormTensors(incoming),
        BatchNorm1D or BatchNorm2D => BatchNormTensors(NormChannels(OutputShape(kind, arguments, incoming))),
        _ => None,
    };

    /// <summary>
    /// The shape a layer written <paramref name="kind"/>(<paramref name="arguments"/>) takes, where its
    /// arguments state it (a Linear layer's inputs), else <see cref="Shape.Unknown"/>: the first layer that
    /// states one fixes the network's input.
    /// </summary>
    /// <exception cref="FormatException">The arguments are not the kind's.</exception>
    public static Shape StatedInput(string kind, IReadOnlyList<string> arguments) => kind switch
    {
        Linear => Shape.Features(PositiveArgument(kind, arguments, 0, 2)),
        Gru or Lstm => Shape.Features(PositiveArgument(kind, arguments, 0, 2)),
        Input => InputShape(arguments),
        _ => Shape.Unknown,
    };

    /// <summary>
    /// The shape a layer written <paramref name="kind"/>(<paramref name="arguments"/>) makes from
    /// <paramref name="incoming"/>; by default it keeps it (an activation).
    /// </summary>
    /// <exception cref="FormatException">The arguments are not the kind's, or the shape flowing in does not fit them.</exception>
    public static Shape OutputShape(string kind, IReadOnlyList<string> arguments, Shape incoming) => kind switch
    {
        Linear => LinearOutput(arguments, incoming),
        Gru or Lstm => RecurrentOutput(kind, arguments, incoming),
        Input => InputShape(arguments),
        Conv1D or Conv2D => ConvolutionOutput(kind, arguments, incoming),
        MaxPool1D or MaxPool2D or AvgPool1D or AvgPool2D => PoolOutput(kind, arguments, incoming),
        GlobalAvgPool => GlobalPoolOutput(incoming),
        Flatten => FlattenOutput(incoming),
        BatchNorm1D or BatchNorm2D => BatchNormOutput(kind, arguments, incoming),
        _ => incoming,
    };

    /// <summary>Whether a layer of <paramref name="kind"/> owns parameters, whatever its sizes.</summary>
    public static bool HasParameters(string kind) => kind switch
    {
        Linear or Gru or Lstm => true,
        Conv1D or Conv2D => true,
        LayerNorm => true,
        BatchNorm1D or BatchNorm2D => true,
        _ => false,
    };

    /// <summary>
    /// nn.Linear's tensors: <c>weight</c> <c>[outputs, inputs]</c> then <c>bias</c> <c>[outputs]</c>, both
    /// uniform in (-1/sqrt(inputs), 1/sqrt(inputs)).
    /// </summary>
    public static IReadOnlyList<TensorLayout> LinearTensors(int inputs, int outputs) => new[]
    {
        new TensorLayout("weight", "weights", new[] { outputs, inputs }, ParameterInit.UniformFanIn, inputs),
        new TensorLayout("bias", "biases", new[] { outputs }, ParameterInit.UniformFanIn, inputs),
    };

    private static Shape LinearOutput(IReadOnlyList<string> arguments, Shape incoming)
    {
        int inputs = PositiveArgument(Linear, arguments, 0, 2);
        int outputs = PositiveArgument(Linear, arguments, 1, 2);
        if (incoming.Rank != 1 || incoming.Width != inputs)
        {
            throw new FormatException($"Linear({inputs},{outputs}) takes {inputs} features, but {incoming} flows into it");
        }

        return Shape.Features(outputs);
    }

    /// <summary>
    /// Argument <paramref name="index"/> of a token with exactly <paramref name="count"/> arguments, as a
    /// positive integer in invariant digits; a <see cref="FormatException"/> naming the token otherwise.
    /// </summary>
    public static int PositiveArgument(string kind, IReadOnlyList<string> arguments, int index, int count)
    {
        if (arguments.Count != count)
        {
            throw new FormatException($"{kind}({string.Join(",", arguments)}) has {arguments.Count} argument{(arguments.Count == 1 ? "" : "s")}, not {count}");
        }

        if (!int.TryParse(arguments[index], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
        {
            throw new FormatException($"{kind}({string.Join(",", arguments)}) has \"{arguments[index]}\" as argument {index + 1}, not a positive integer");
        }

        return value;
    }

    /// <summary>The values of <paramref name="tensors"/> together.</summary>
    public static long CountOf(IReadOnlyList<TensorLayout> tensors)
    {
        long count = 0;
        foreach (TensorLayout tensor in tensors) count += tensor.Count;
        return count;
    }
}
