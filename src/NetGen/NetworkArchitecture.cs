using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using NetGen.Layouts;

namespace NetGen;

/// <summary>
/// The layers of a network, read from its canonical <see cref="INetwork{T}.Architecture"/> text
/// (e.g. <c>float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss</c>): what weight loaders
/// and exporters need to know about a declaration without depending on the generator.
/// </summary>
/// <remarks>
/// The text is read generically, so that layer kinds added later need no change here: a token is a
/// kind name, optionally followed by a parenthesised argument list. Each layer's shape and parameter
/// tensors come from the layout table the generator shares (<c>Layouts/</c>): the first layer that states
/// its input (<c>Linear(inputs,outputs)</c>, an <c>Input</c>) fixes the network's, and each kind makes its
/// output shape from the one flowing in; a kind whose name ends in <c>Loss</c> is a loss, which may only
/// stand last and is not part of inference.
/// </remarks>
public sealed class NetworkArchitecture
{
    private NetworkArchitecture(string text, string elementType, IReadOnlyList<NetworkLayer> layers)
    {
        Text = text;
        ElementType = elementType;
        Layers = layers;
        var linear = new List<NetworkLayer>();
        var parametric = new List<NetworkLayer>();
        foreach (NetworkLayer layer in layers)
        {
            if (layer.IsLinear) linear.Add(layer);
            if (layer.Tensors.Count > 0) parametric.Add(layer);
        }

        LinearLayers = linear;
        ParameterLayers = parametric;
        InputSize = layers[0].Inputs;
        NetworkLayer last = layers[layers.Count - 1];
        OutputSize = last.Outputs;
        ParameterCount = last.ParameterOffset + last.ParameterCount;
        foreach (NetworkLayer layer in layers)
        {
            foreach (NetworkTensor buffer in layer.Buffers) BufferCount += buffer.Count;
        }
        Loss = last.IsLoss ? last : null;
    }

    /// <summary>The text this was read from.</summary>
    public string Text { get; }

    /// <summary>The element type: <c>float</c> or <c>double</c>.</summary>
    public string ElementType { get; }

    /// <summary>Every layer in declaration order, the loss included.</summary>
    public IReadOnlyList<NetworkLayer> Layers { get; }

    /// <summary>The <c>Linear</c> layers in declaration order.</summary>
    public IReadOnlyList<NetworkLayer> LinearLayers { get; }

    /// <summary>The layers that own parameters (non-empty <see cref="NetworkLayer.Tensors"/>), in declaration order: what loaders and exporters walk.</summary>
    public IReadOnlyList<NetworkLayer> ParameterLayers { get; }

    /// <summary>Values per input sample: the size of the shape the first layer that states one takes.</summary>
    public int InputSize { get; }

    /// <summary>Values per output sample: the width after the last layer.</summary>
    public int OutputSize { get; }

    /// <summary>The number of parameters: every layer's tensors (per Linear layer, <c>inputs * outputs</c> weights and <c>outputs</c> biases).</summary>
    public int ParameterCount { get; }

    /// <summary>The number of buffer values (every layer's <see cref="NetworkLayer.Buffers"/>): the length of <see cref="INetwork{T}.Buffers"/>.</summary>
    public int BufferCount { get; }

    /// <summary>The loss layer (the last one), or null where the network ends without one.</summary>
    public NetworkLayer? Loss { get; }

    /// <summary>Whether the network ends in <c>Softmax CrossEntropyLoss</c>, as a classifier (<see cref="IClassifier{T}"/>) does.</summary>
    public bool IsClassifier => Loss is { Kind: "CrossEntropyLoss" };

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Reads the canonical architecture text of a network.</summary>
    /// <param name="text">The text, e.g. <c>double: Linear(7,13) ReLU Linear(13,1)</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not an architecture: the message says where.</exception>
    public static NetworkArchitecture Parse(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        int colon = text.IndexOf(':');
        if (colon < 0) throw Bad(text, "it does not start with the element type and a colon, as in \"float: Linear(4,3)\"");
        string elementType = text.Substring(0, colon).Trim();
        if (elementType != "float" && elementType != "double")
        {
            throw Bad(text, $"the element type is \"{elementType}\", not float or double");
        }

        List<string> tokens = Tokenize(text, colon + 1);
        if (tokens.Count == 0) throw Bad(text, "it has no layers");

        // Shapes are settled in two passes: layers before the first that states its input (a Linear's
        // inputs, an Input's shape) keep the shape that layer states.
        Shape shape = Shape.Unknown;
        foreach (string token in tokens)
        {
            shape = Layout(text, token, -1, () => LayerLayouts.StatedInput(KindOf(token), ArgumentsOf(text, token)));
            if (shape.IsKnown) break;
        }

        if (!shape.IsKnown) throw Bad(text, "no layer states the network's input (a Linear layer or an Input)");

        var layers = new List<NetworkLayer>(tokens.Count);
        long offset = 0;
        long bufferOffset = 0;
        int sequentialIndex = 0;
        for (int index = 0; index < tokens.Count; index++)
        {
            string token = tokens[index];
            string kind = KindOf(token);
            IReadOnlyList<string> arguments = ArgumentsOf(text, token);
            if (kind == LayerLayouts.Input)
            {
                // Input states the shape of a sample and computes nothing: no layer, no module of its own.
                if (index != 0) throw Bad(text, $"{token} is token {index + 1}; the input's shape must come first");
                continue;
            }

            bool isLoss = kind.EndsWith("Loss", StringComparison.Ordinal);
            if (isLoss && index != tokens.Count - 1)
            {
                throw Bad(text, $"the loss {token} is layer {index + 1} of {tokens.Count}; a loss must be the last layer");
            }

            Shape incoming = shape;
            Shape outgoing = isLoss ? incoming : Layout(text, token, index, () => LayerLayouts.OutputShape(kind, arguments, incoming));
            IReadOnlyList<TensorLayout> layouts = isLoss ? Array.Empty<TensorLayout>() : Layout(text, token, index, () => LayerLayouts.Tensors(kind, arguments, incoming));
            long parameterCount = LayerLayouts.CountOf(layouts);
            if (offset + parameterCount > int.MaxValue)
            {
                throw Bad(text, $"its parameters up to {token} (layer {index + 1}) number more than a .NET array holds");
            }

            var tensors = new NetworkTensor[layouts.Count];
            long tensorOffset = offset;
            for (int t = 0; t < layouts.Count; t++)
            {
                tensors[t] = new NetworkTensor(layouts[t].Name, $"{sequentialIndex}.{layouts[t].Name}{LayerLayouts.StateDictSuffix(kind)}", layouts[t].Shape, (int)tensorOffset, (int)layouts[t].Count);
                tensorOffset += layouts[t].Count;
            }

            IReadOnlyList<TensorLayout> bufferLayouts = isLoss ? Array.Empty<TensorLayout>() : Layout(text, token, index, () => LayerLayouts.Buffers(kind, arguments));
            var buffers = new NetworkTensor[bufferLayouts.Count];
            for (int b = 0; b < bufferLayouts.Count; b++)
            {
                buffers[b] = new NetworkTensor(bufferLayouts[b].Name, $"{sequentialIndex}.{bufferLayouts[b].Name}", bufferLayouts[b].Shape, (int)bufferOffset, (int)bufferLayouts[b].Count);
                bufferOffset += bufferLayouts[b].Count;
            }

            layers.Add(new NetworkLayer(layers.Count, kind, token, arguments, incoming, outgoing, (int)offset, (int)parameterCount, isLoss ? -1 : sequentialIndex, tensors, buffers));
            offset += parameterCount;
            shape = outgoing;
            if (!isLoss) sequentialIndex++;
        }

        if (layers.Count == 0) throw Bad(text, "it has no layers after its input");
        return new NetworkArchitecture(text, elementType, layers);
    }

#if !NETGEN_GENERATOR
    // The generator links this file to match baked weights to a declaration, and has no INetwork<T>.
    /// <summary>
    /// Reads <paramref name="network"/>'s <see cref="INetwork{T}.Architecture"/> and checks it against the
    /// network itself: the element type <typeparamref name="T"/>, the input and output widths and the
    /// parameter count must all agree, or the loaders would put values in the wrong places.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">The network's architecture text is missing, unreadable, or disagrees with the network.</exception>
    public static NetworkArchitecture Of<T>(INetwork<T> network) where T : unmanaged
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        string? text = network.Architecture;
        if (text is null) throw new ArgumentException("The network's Architecture is null.", nameof(network));
        NetworkArchitecture architecture;
        try
        {
            architecture = Parse(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(network), e);
        }

        string elementType = typeof(T) == typeof(float) ? "float" : typeof(T) == typeof(double) ? "double" : typeof(T).Name;
        if (architecture.ElementType != elementType)
        {
            throw new ArgumentException($"The network computes in {elementType}, but its Architecture says {architecture.ElementType}: \"{text}\".", nameof(network));
        }

        if (architecture.InputSize != network.InputSize || architecture.OutputSize != network.OutputSize || architecture.ParameterCount != network.ParameterCount)
        {
            throw new ArgumentException(
                $"The network's Architecture \"{text}\" describes {architecture.InputSize} inputs, {architecture.OutputSize} outputs and {architecture.ParameterCount} parameters, " +
                $"but the network has InputSize {network.InputSize}, OutputSize {network.OutputSize} and ParameterCount {network.ParameterCount}.",
                nameof(network));
        }

        return architecture;
    }
#endif

    /// <summary>Splits the layer list at spaces outside parentheses, so that <c>LeakyReLU(0.1, x)</c> stays one token.</summary>
    private static List<string> Tokenize(string text, int start)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        int depth = 0;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '(') depth++;
            if (c == ')')
            {
                depth--;
                if (depth < 0) throw Bad(text, $"a ')' at character {i + 1} closes nothing");
            }

            if (char.IsWhiteSpace(c) && depth == 0)
            {
                if (current.Length > 0) tokens.Add(current.ToString());
                current.Clear();
            }
            else if (!char.IsWhiteSpace(c))
            {
                current.Append(c);
            }
        }

        if (depth != 0) throw Bad(text, "a '(' is never closed");
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }

    private static string KindOf(string token)
    {
        int open = token.IndexOf('(');
        return open < 0 ? token : token.Substring(0, open);
    }

    private static IReadOnlyList<string> ArgumentsOf(string text, string token)
    {
        int open = token.IndexOf('(');
        if (open < 0) return Array.Empty<string>();
        if (open == 0 || token[token.Length - 1] != ')') throw Bad(text, $"the token \"{token}\" is not a name with an argument list");
        string inside = token.Substring(open + 1, token.Length - open - 2);
        return inside.Length == 0 ? Array.Empty<string>() : inside.Split(',');
    }

    /// <summary>Runs one of the layout table's rules for <paramref name="token"/>, turning its complaint into this text's.</summary>
    private static TResult Layout<TResult>(string text, string token, int index, Func<TResult> rule)
    {
        try
        {
            return rule();
        }
        catch (FormatException e)
        {
            string where = index < 0 ? $"\"{token}\"" : $"{token} (layer {index + 1})";
            throw Bad(text, $"{where}: {e.Message}");
        }
    }

    private static FormatException Bad(string text, string reason) => new($"Not a NetGen architecture: \"{text}\": {reason}.");
}
