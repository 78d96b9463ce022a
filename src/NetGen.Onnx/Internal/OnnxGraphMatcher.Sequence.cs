using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>Where one GRU or LSTM layer's W, R and B are in a model (B null: both biases zero).</summary>
internal sealed class RecurrentInitializers
{
    public RecurrentInitializers(NetworkLayer layer, TensorProto w, TensorProto r, TensorProto? b, string role)
    {
        Layer = layer;
        W = w;
        R = r;
        B = b;
        Role = role;
    }

    public NetworkLayer Layer { get; }

    public TensorProto W { get; }

    public TensorProto R { get; }

    public TensorProto? B { get; }

    /// <summary>Which node the tensors belong to, for messages: "node 10 (GRU \"/rnn/GRU\")".</summary>
    public string Role { get; }
}

/// <summary>
/// The graph of a sequence network (one with GRU or LSTM layers), checked against its declaration as the
/// dense graph is: one chain from the input to the output, every node of it accounted for in order. Per
/// GRU / LSTM layer a <c>GRU</c> / <c>LSTM</c> node that computes what PyTorch's does (forward, hidden_size
/// as declared, GRU's <c>linear_before_reset=1</c>, the default activations, no clip, layout 0, no
/// sequence_lens, no peepholes, a zero initial state) then a <c>Squeeze</c> of its direction axis; per Linear
/// a <c>MatMul</c> by an <c>[inputs, outputs]</c> initializer (or, as <see cref="OnnxSequenceModelWriter"/>
/// writes it, by a <c>Transpose</c> of the <c>[outputs, inputs]</c> one) and an <c>Add</c> of the bias; per
/// activation the nodes of <see cref="ActivationTable"/>. Between them the chain may swap its batch and
/// steps axes (<c>Transpose</c> with perm [1, 0, 2]); every GRU/LSTM must read [steps, batch, features]
/// and the output must come out in the input's order. Beside the chain only the nodes that
/// <c>torch.onnx.export</c> writes to build the zero initial states are allowed (Shape, Gather, Unsqueeze,
/// Concat, ConstantOfShape, Expand, Slice, Identity, Constant), and the Transpose that publishes a classifier's logits
/// batch first, as <see cref="OnnxSequenceModelWriter"/> writes it.
/// </summary>
internal sealed partial class OnnxGraphMatcher
{
    /// <summary>The nodes besides the chain that only compute shapes and zero states, as torch.onnx.export writes them around nn.GRU / nn.LSTM.</summary>
    private static readonly string[] StatePlumbing = { "Shape", "Gather", "Unsqueeze", "Concat", "ConstantOfShape", "Expand", "Slice", "Identity" };

    private bool _sequence;

    /// <summary>The layer being matched, for messages from <see cref="NextNode"/>; null after the last.</summary>
    private NetworkLayer? _layer;

    /// <summary>Values computed beside the chain from constants and shapes only.</summary>
    private readonly HashSet<string> _beside = new(StringComparer.Ordinal);

    /// <summary>Values known to be all zeros: what a zero initial state may be.</summary>
    private readonly HashSet<string> _zeros = new(StringComparer.Ordinal);

    /// <summary>Initializers behind a Transpose with perm [1, 0]: a Linear weight stored [outputs, inputs].</summary>
    private readonly Dictionary<string, TensorProto> _transposedConstants = new(StringComparer.Ordinal);

    /// <summary>Whether the chain's current value has the batch and steps axes swapped relative to the graph input.</summary>
    private bool _swapped;

    /// <summary>Whether the graph input is [steps, batch, features] (torch's batch_first=False); fixed by the first GRU/LSTM.</summary>
    private bool? _inputTimeFirst;

    /// <summary>Whether the current value is a GRU/LSTM's Y, [steps, directions, batch, hidden], not yet squeezed.</summary>
    private bool _directionAxis;

    /// <summary>The first node beside the chain that is none of <see cref="StatePlumbing"/>; refused once the chain has matched.</summary>
    private int? _unaccounted;

    /// <summary>A classifier's logits: the value before its final Softmax.</summary>
    private string? _logits;

    public static (IReadOnlyList<RecurrentInitializers> Recurrent, IReadOnlyList<LinearInitializers> Linear) MatchSequence(ModelProto model, NetworkArchitecture architecture)
    {
        if (model.Graph is null) throw OnnxErrors.Invalid("the model has no graph; the file is not an ONNX model, or is damaged.");
        var matcher = new OnnxGraphMatcher(architecture, model.Graph, DefaultOpset(model)) { _sequence = true };
        return matcher.RunSequence();
    }

    private (IReadOnlyList<RecurrentInitializers>, IReadOnlyList<LinearInitializers>) RunSequence()
    {
        if (_graph.SparseInitializer.Count > 0) throw OnnxErrors.Invalid("the graph has sparse initializers, which NetGen does not read.");
        foreach (TensorProto initializer in _graph.Initializer)
        {
            if (_constants.ContainsKey(initializer.Name)) throw OnnxErrors.Invalid($"the graph has two initializers named {OnnxTensors.Name(initializer)}.");
            _constants.Add(initializer.Name, initializer);
        }

        FindSequenceInput();
        var recurrent = new List<RecurrentInitializers>();
        var linear = new List<LinearInitializers>();
        IReadOnlyList<NetworkLayer> layers = _architecture.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            NetworkLayer layer = layers[i];
            if (layer.IsLoss) continue;
            _layer = layer;
            bool finalSoftmax = _architecture.IsClassifier && i == layers.Count - 2;
            if (finalSoftmax)
            {
                // As in the dense graph, a classifier's graph may end at its logits.
                _logits = _current;
                if (NextNode() is null) break;
            }

            if (layer.Kind is "GRU" or "LSTM") recurrent.Add(MatchRecurrent(layer));
            else if (layer.IsLinear) linear.Add(MatchStepLinear(layer));
            else if (layer.Tensors.Count > 0) throw new NotSupportedException($"NetGen.Onnx cannot load weights for the layer {layer.Text} (layer {layer.Index + 1} of \"{_architecture.Text}\") in a sequence network; it knows GRU, LSTM, {ActivationTable.KnownKinds}.");
            else MatchActivation(layer, ActivationTable.For(layer, _architecture));
        }

        _layer = null;
        if (NextNode() is int extra)
        {
            throw OnnxErrors.Invalid(
                $"the graph goes on after the last layer of the declaration: node {extra} ({Describe(_graph.Node[extra])}) follows it, but \"{_architecture.Text}\" ends there.");
        }

        if (!_graph.Output.Any(o => o.Name == _current))
        {
            throw OnnxErrors.Invalid(
                $"the last layer's value {OnnxTensors.Quote(_current)} is not an output of the graph (its outputs are {string.Join(", ", _graph.Output.Select(o => OnnxTensors.Quote(o.Name)))}).");
        }

        if (_directionAxis) throw OnnxErrors.Invalid($"the graph's output {OnnxTensors.Quote(_current)} is a GRU/LSTM's Y with its direction axis, [steps, 1, batch, hidden], not squeezed to the [batch, steps, features] of a NetGen sequence network.");
        if (_swapped)
        {
            string input = _inputTimeFirst == true ? "[steps, batch, features]" : "[batch, steps, features]";
            string output = _inputTimeFirst == true ? "[batch, steps, features]" : "[steps, batch, features]";
            throw OnnxErrors.Invalid($"the graph's output {OnnxTensors.Quote(_current)} is {output} while its input is {input}: the chain swaps batch and steps once more or once less than it swaps them back.");
        }

        if (_unaccounted is int index)
        {
            throw OnnxErrors.Invalid(
                $"the graph differs from the declaration at node {index} ({Describe(_graph.Node[index])}): it is neither a node of \"{_architecture.Text}\" nor one of those torch.onnx.export writes for the zero initial states ({string.Join(", ", StatePlumbing)}, Constant), so NetGen cannot tell what it computes.");
        }

        return (recurrent, linear);
    }

    /// <summary>The one graph input that is not an initializer: [batch, steps, InputSize] (or [steps, batch, InputSize]).</summary>
    private void FindSequenceInput()
    {
        (ValueInfoProto input, TensorShapeProto shape) = TheInput();
        TensorShapeProto.Types.Dimension features = shape.Dim[shape.Dim.Count - 1];
        if (shape.Dim.Count != 3)
        {
            throw OnnxErrors.Invalid($"the graph input {OnnxTensors.Quote(input.Name)} has rank {shape.Dim.Count}, but \"{_architecture.Text}\" is a sequence network, which takes [batch, steps, {_architecture.InputSize}].");
        }

        if (features.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && features.DimValue != _architecture.InputSize)
        {
            throw OnnxErrors.Invalid($"the graph input {OnnxTensors.Quote(input.Name)} has {features.DimValue} features per step, but \"{_architecture.Text}\" takes {_architecture.InputSize}.");
        }

        _current = input.Name;
        _rank = 3;
    }

    /// <summary>
    /// What <see cref="NextNode"/> does besides Constant and Identity in a sequence graph. Returns true if the
    /// node at <paramref name="index"/> was consumed: a swap of batch and steps, the Squeeze of a GRU/LSTM's
    /// direction axis, a transposed weight, a node beside the chain, or the Transpose of the logits.
    /// </summary>
    private bool SequencePlumbing(int index)
    {
        NodeProto node = _graph.Node[index];
        if (!IsDefaultDomain(node) || node.Output.Count == 0) return false;
        if (node.OpType == "Transpose" && node.Input.Count == 1 && node.Output.Count == 1)
        {
            long[] perm = node.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints.ToArray() ?? Array.Empty<long>();
            bool swap = node.Attribute.Count == 1 && perm.SequenceEqual(new long[] { 1, 0, 2 });
            if (node.Input[0] == _current)
            {
                if (_directionAxis) throw Refusal(index, $"it transposes {OnnxTensors.Quote(_current)}, a GRU/LSTM's Y, before the Squeeze of its direction axis");
                string how = perm.Length == 0 ? "without perm (so it reverses every axis)" : $"with perm [{string.Join(", ", perm)}]";
                if (!swap) throw Refusal(index, $"it transposes {how}; between layers only the swap of batch and steps, perm [1, 0, 2], keeps each step's features together");
                _swapped = !_swapped;
                _current = node.Output[0];
                return true;
            }

            if (_constants.TryGetValue(node.Input[0], out TensorProto? weight) && weight.Dims.Count == 2 && node.Attribute.Count == 1 && perm.SequenceEqual(new long[] { 1, 0 }))
            {
                _transposedConstants[node.Output[0]] = weight;
                return true;
            }

            // What OnnxSequenceModelWriter writes for a classifier: its logits, published batch first.
            if (_layer is null && swap && node.Input[0] == _logits && _graph.Output.Any(o => o.Name == node.Output[0]))
            {
                return true;
            }
        }

        if (node.OpType == "Squeeze" && node.Input.Count >= 1 && node.Input[0] == _current && _directionAxis)
        {
            long[]? axes = node.Input.Count == 2 && _constants.TryGetValue(node.Input[1], out TensorProto? axesTensor) ? Int64s(axesTensor)
                : node.Input.Count == 1 ? node.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints.ToArray() : null;
            if (axes is null || axes.Length != 1 || (axes[0] != 1 && axes[0] != -3) || node.Output.Count != 1 || node.Attribute.Any(a => a.Name != "axes"))
            {
                string what = axes is null ? "without constant axes" : $"along the axes [{string.Join(", ", axes)}]";
                throw Refusal(index, $"it squeezes {OnnxTensors.Quote(_current)}, a GRU/LSTM's Y [steps, 1, batch, hidden], {what}; only its direction axis, 1, may go");
            }

            _directionAxis = false;
            _rank = 3;
            _current = node.Output[0];
            return true;
        }

        // Beside the chain: a node that reads only constants, zero states and values computed from shapes
        // (a Shape may read any value: only its shape is used).
        bool beside = node.OpType == "Shape" || node.Input.All(i => i.Length == 0 || _constants.ContainsKey(i) || _beside.Contains(i) || _zeros.Contains(i));
        if (!beside) return false;
        if (Array.IndexOf(StatePlumbing, node.OpType) < 0)
        {
            _unaccounted ??= index;
        }
        else if (node.OpType == "ConstantOfShape" && IsZeroFill(node) || node.OpType is "Expand" or "Slice" or "Identity" && node.Input.Count > 0 && IsZero(node.Input[0]))
        {
            _zeros.Add(node.Output[0]);
            return true;
        }

        foreach (string output in node.Output) _beside.Add(output);
        return true;
    }

    /// <summary>A refusal of the node at <paramref name="index"/>: against the layer being matched, or after the last one.</summary>
    private Exception Refusal(int index, string problem)
        => _layer is not null
            ? Mismatch(index, _layer, problem, ExpectedOf(_layer))
            : OnnxErrors.Invalid($"the graph differs from the declaration at node {index} ({Describe(_graph.Node[index])}), after its last layer: {problem}.");

    /// <summary>A ConstantOfShape whose value is zero (or absent, which ONNX defines as a float zero).</summary>
    private static bool IsZeroFill(NodeProto node)
        => node.Attribute.Count == 0 || (node.Attribute.Count == 1 && node.Attribute[0].Name == "value" && node.Attribute[0].T is TensorProto value && AllZero(value));

    /// <summary>Whether every element of <paramref name="tensor"/> is zero, of any element type; data kept outside the model is not known.</summary>
    private static bool AllZero(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External) return false;
        if (tensor.HasRawData) return tensor.RawData.All(b => b == 0);

        // Typed data must hold every element in the fields read here (a field this reader does not parse would leave them short).
        long elements = tensor.Dims.Aggregate(1L, (product, d) => product * d);
        long held = tensor.FloatData.Count + tensor.DoubleData.Count + tensor.Int32Data.Count + tensor.Int64Data.Count;
        return held == elements && tensor.FloatData.All(v => v == 0) && tensor.DoubleData.All(v => v == 0) && tensor.Int32Data.All(v => v == 0) && tensor.Int64Data.All(v => v == 0);
    }

    private string ExpectedOf(NetworkLayer layer) => layer.Kind switch
    {
        "GRU" or "LSTM" => RecurrentExpected(layer),
        _ when layer.IsLinear => "a MatMul by its weight then an Add of its bias, applied per step",
        _ when ActivationTable.TryGet(layer.Kind, out ActivationSpec spec) => spec.TimesInput ? $"a {spec.OpType} node, then a Mul of its input and its result" : $"a {spec.OpType} node",
        _ => "a node",
    };

    private static string RecurrentExpected(NetworkLayer layer)
        => $"{Article(layer.Kind)} {layer.Kind} node (hidden_size {layer.Outputs}, forward{(layer.Kind == "GRU" ? ", linear_before_reset 1" : "")}, default activations, no clip) that reads [steps, batch, {layer.Inputs}] from a zero state, then a Squeeze of its direction axis";

    /// <summary>"an LSTM", "a GRU", "a MatMul": LSTM is the one operator spelt out letter by letter that starts with a vowel sound.</summary>
    private static string Article(string opType) => opType == "LSTM" ? "an" : "a";

    private RecurrentInitializers MatchRecurrent(NetworkLayer layer)
    {
        string expected = RecurrentExpected(layer);
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        string role = $"node {index} ({Describe(node)})";
        bool gru = layer.Kind == "GRU";
        if (node.OpType != layer.Kind) throw Mismatch(index, layer, $"it is {Article(node.OpType)} {node.OpType} node", expected);
        CheckNode(index, layer, expected, inputs: node.Input.Count >= 3 && node.Input.Count <= (gru ? 6 : 8), singleOutput: false);
        if (node.Output.Count == 0 || node.Output[0].Length == 0) throw Mismatch(index, layer, "it does not write Y, the output of every step", expected);
        if (_directionAxis) throw Mismatch(index, layer, $"it reads {OnnxTensors.Quote(_current)}, a GRU/LSTM's Y [steps, 1, batch, hidden], before the Squeeze of its direction axis", expected);

        // ONNX's GRU and LSTM read [steps, batch, features] (layout 0). The first one says whether the graph
        // input is batch first (then swapped before it, as torch writes batch_first=True) or steps first.
        bool inputTimeFirst = !_swapped;
        _inputTimeFirst ??= inputTimeFirst;
        if (_inputTimeFirst != inputTimeFirst)
        {
            throw Mismatch(index, layer, $"the value it reads, {OnnxTensors.Quote(_current)}, is [batch, steps, features], but ONNX's {layer.Kind} reads [steps, batch, features]", expected);
        }

        string[] known = gru
            ? new[] { "hidden_size", "direction", "linear_before_reset", "layout", "activations", "activation_alpha", "activation_beta", "clip" }
            : new[] { "hidden_size", "direction", "input_forget", "layout", "activations", "activation_alpha", "activation_beta", "clip" };
        Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, known);
        if (!attributes.ContainsKey("hidden_size")) throw Mismatch(index, layer, "it has no hidden_size", expected);
        if (Int(attributes, "hidden_size", 0) != layer.Outputs) throw Mismatch(index, layer, $"its hidden_size is {Int(attributes, "hidden_size", 0)}, not {layer.Outputs}", expected);
        string direction = attributes.TryGetValue("direction", out AttributeProto? d) ? d.S.ToStringUtf8() : "forward";
        if (direction != "forward") throw Mismatch(index, layer, $"its direction is {direction}; NetGen's {layer.Kind} runs forward only", expected);
        if (gru && Int(attributes, "linear_before_reset", 0) != 1)
        {
            string stated = attributes.ContainsKey("linear_before_reset") ? $"its linear_before_reset is {Int(attributes, "linear_before_reset", 0)}" : "it has no linear_before_reset (so 0)";
            throw Mismatch(index, layer, $"{stated}: it applies the reset gate before the hidden weights, but PyTorch's GRU (and NetGen's) applies it after them, linear_before_reset = 1", expected);
        }

        if (!gru && Int(attributes, "input_forget", 0) != 0) throw Mismatch(index, layer, "its input_forget couples the input and forget gates, which PyTorch's LSTM (and NetGen's) does not", expected);
        if (Int(attributes, "layout", 0) != 0) throw Mismatch(index, layer, $"its layout is {Int(attributes, "layout", 0)}; only layout 0 ([steps, batch, features]) is read", expected);
        if (attributes.TryGetValue("clip", out AttributeProto? clip)) throw Mismatch(index, layer, $"it clips the gates' inputs to ±{clip.F}, which PyTorch's {layer.Kind} (and NetGen's) does not", expected);
        string[] defaults = gru ? new[] { "Sigmoid", "Tanh" } : new[] { "Sigmoid", "Tanh", "Tanh" };
        if (attributes.TryGetValue("activations", out AttributeProto? activations))
        {
            string[] stated = activations.Strings.Select(s => s.ToStringUtf8()).ToArray();
            if (!stated.SequenceEqual(defaults, StringComparer.OrdinalIgnoreCase))
            {
                throw Mismatch(index, layer, $"its activations are [{string.Join(", ", stated)}], not [{string.Join(", ", defaults)}] as in PyTorch's {layer.Kind} (and NetGen's)", expected);
            }
        }

        foreach (string parameter in new[] { "activation_alpha", "activation_beta" })
        {
            if (attributes.ContainsKey(parameter)) throw Mismatch(index, layer, $"it has {parameter}, a parameter of activations other than PyTorch's", expected);
        }

        if (node.Input.Count > 4 && node.Input[4].Length > 0) throw Mismatch(index, layer, $"it has sequence_lens {OnnxTensors.Quote(node.Input[4])}; NetGen runs every sequence over all its steps", expected);
        string[] states = gru ? new[] { "initial_h" } : new[] { "initial_h", "initial_c" };
        for (int s = 0; s < states.Length; s++)
        {
            if (node.Input.Count > 5 + s && node.Input[5 + s].Length > 0 && !IsZero(node.Input[5 + s]))
            {
                throw Mismatch(index, layer, $"its {states[s]} {OnnxTensors.Quote(node.Input[5 + s])} is not known to be zero (a learned or given initial state); NetGen's sequences start from a zero state", expected);
            }
        }

        if (!gru && node.Input.Count > 7 && node.Input[7].Length > 0) throw Mismatch(index, layer, "it has peephole weights P, which PyTorch's LSTM (and NetGen's) does not have", expected);

        int rows = (gru ? 3 : 4) * layer.Outputs;
        TensorProto w = RecurrentTensor(index, layer, expected, node.Input[1], "W", new long[] { 1, rows, layer.Inputs });
        TensorProto r = RecurrentTensor(index, layer, expected, node.Input[2], "R", new long[] { 1, rows, layer.Outputs });
        TensorProto? b = node.Input.Count > 3 && node.Input[3].Length > 0 ? RecurrentTensor(index, layer, expected, node.Input[3], "B", new long[] { 1, 2 * rows }) : null;

        // Y_h and Y_c are not chain values: a node that reads them is refused where the chain expects its next layer.
        _current = node.Output[0];
        _directionAxis = true;
        _rank = 4;

        // The Squeeze of the direction axis belongs to this layer: pass it now, so that a refusal names this layer.
        NextNode();
        return new RecurrentInitializers(layer, w, r, b, role);
    }

    private TensorProto RecurrentTensor(int index, NetworkLayer layer, string expected, string name, string what, long[] shape)
    {
        if (!_constants.TryGetValue(name, out TensorProto? tensor))
        {
            throw Mismatch(index, layer, $"its {what} {OnnxTensors.Quote(name)} is neither an initializer nor a Constant; NetGen reads weights only from those", expected);
        }

        if (!tensor.Dims.SequenceEqual(shape))
        {
            throw Mismatch(index, layer, $"its {what} {OnnxTensors.Name(tensor)} has shape {OnnxTensors.Shape(tensor)}, not [{string.Join(", ", shape)}]", expected);
        }

        return tensor;
    }

    /// <summary>A zero state: built by ConstantOfShape(0), or a constant of zeros (either perhaps expanded or sliced).</summary>
    private bool IsZero(string name)
        => _zeros.Contains(name) || (_constants.TryGetValue(name, out TensorProto? tensor) && AllZero(tensor));

    /// <summary>
    /// A Linear layer on every step: a MatMul of the current value by its weight, either an initializer
    /// [inputs, outputs] (torch.onnx.export) or the Transpose of one [outputs, inputs] (ExportOnnx), then an Add
    /// of the bias, in either order; without the Add the bias is zero.
    /// </summary>
    private LinearInitializers MatchStepLinear(NetworkLayer layer)
    {
        string expected = ExpectedOf(layer);
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        if (node.OpType == "Gemm") throw Mismatch(index, layer, $"it is a Gemm node, which multiplies matrices, but the value it reads has rank {_rank}", expected);
        if (node.OpType != "MatMul") throw Mismatch(index, layer, $"it is {Article(node.OpType)} {node.OpType} node", expected);
        CheckNode(index, layer, expected, inputs: node.Input.Count == 2);
        Attributes(index, layer, expected);
        TensorProto weight;
        bool inputsByOutputs;
        long[] shape;
        if (_transposedConstants.TryGetValue(node.Input[1], out TensorProto? stored))
        {
            (weight, inputsByOutputs, shape) = (stored, false, new long[] { layer.Outputs, layer.Inputs });
        }
        else
        {
            (weight, inputsByOutputs, shape) = (Constant(index, layer, node.Input[1], "weight"), true, new long[] { layer.Inputs, layer.Outputs });
        }

        if (!weight.Dims.SequenceEqual(shape))
        {
            throw Mismatch(index, layer, $"its weight {OnnxTensors.Name(weight)} has shape {OnnxTensors.Shape(weight)}, not [{string.Join(", ", shape)}] ({(inputsByOutputs ? "[inputs, outputs], as MatMul reads it" : "[outputs, inputs], transposed before the MatMul")})", expected);
        }

        _current = node.Output[0];
        TensorProto? bias = null;
        if (NextNode() is int addIndex && _graph.Node[addIndex].OpType == "Add")
        {
            NodeProto add = _graph.Node[addIndex];
            int productSide = add.Input.Count == 2 ? add.Input.IndexOf(_current) : -1;
            if (productSide < 0 || add.Output.Count != 1 || !IsDefaultDomain(add))
            {
                throw Mismatch(addIndex, layer, $"it does not add a bias to {OnnxTensors.Quote(_current)}, the MatMul's product", expected);
            }

            Attributes(addIndex, layer, expected);
            bias = Constant(addIndex, layer, add.Input[1 - productSide], "bias");
            CheckBiasShape(addIndex, layer, bias, maximumRank: _rank);
            _next = addIndex + 1;
            _current = add.Output[0];
        }

        return new LinearInitializers(layer, weight, inputsByOutputs, bias, $"node {index} ({Describe(node)})");
    }
}
