using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>Where one Linear layer's weight and bias are in a model.</summary>
internal sealed class LinearInitializers
{
    public LinearInitializers(NetworkLayer layer, TensorProto weight, bool inputsByOutputs, TensorProto? bias, string role)
    {
        Layer = layer;
        Weight = weight;
        InputsByOutputs = inputsByOutputs;
        Bias = bias;
        Role = role;
    }

    public NetworkLayer Layer { get; }

    public TensorProto Weight { get; }

    /// <summary>Whether the weight is stored <c>[inputs, outputs]</c> (a MatMul's, or a Gemm's without transB), the transpose of NetGen's layout.</summary>
    public bool InputsByOutputs { get; }

    /// <summary>The bias, or null where the node adds none (the layer then loads with a zero bias).</summary>
    public TensorProto? Bias { get; }

    /// <summary>Which node the tensors belong to, for messages: "node 2 (Gemm \"/2/Gemm\")".</summary>
    public string Role { get; }

    /// <summary>A BatchNorm layer's running means and variances, which go to Buffers; null for every other kind.</summary>
    public TensorProto? RunningMean { get; init; }

    /// <inheritdoc cref="RunningMean"/>
    public TensorProto? RunningVariance { get; init; }
}

/// <summary>
/// Checks that a model's graph computes the network's declaration, layer by layer, and finds each Linear
/// layer's initializers. The graph must be one chain from its single input to an output: per Linear a
/// <c>Gemm</c> (<c>transB=1</c> with a weight <c>[outputs, inputs]</c>, as PyTorch exports nn.Linear, or
/// <c>transB=0</c> with <c>[inputs, outputs]</c>) or a <c>MatMul</c> by an <c>[inputs, outputs]</c> weight then
/// an <c>Add</c> of the bias (PyTorch's export for inputs of other ranks); per activation the nodes of
/// <see cref="ActivationTable"/>. A classifier's graph may end before its final Softmax (at the logits).
/// Constant and Identity nodes are looked through. Anything else is refused
/// with the node's index and operator, and what the declaration has there.
/// </summary>
internal sealed partial class OnnxGraphMatcher
{
    private readonly NetworkArchitecture _architecture;
    private readonly GraphProto _graph;
    private readonly int _opset;
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private int _next;
    private string _current = "";
    private int _rank;

    private OnnxGraphMatcher(NetworkArchitecture architecture, GraphProto graph, int opset)
    {
        _architecture = architecture;
        _graph = graph;
        _opset = opset;
    }

    public static IReadOnlyList<LinearInitializers> Match(ModelProto model, NetworkArchitecture architecture)
    {
        if (model.Graph is null) throw OnnxErrors.Invalid("the model has no graph; the file is not an ONNX model, or is damaged.");
        var matcher = new OnnxGraphMatcher(architecture, model.Graph, DefaultOpset(model));
        return matcher.Run();
    }

    /// <summary>The version of the default operator set (domain "" or "ai.onnx"), which says what each node means.</summary>
    private static int DefaultOpset(ModelProto model)
    {
        OperatorSetIdProto? import = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        if (import is null) throw OnnxErrors.Invalid("the model imports no version of the default ONNX operator set, so its nodes have no defined meaning.");
        if (import.Version < 1 || import.Version > 1000) throw OnnxErrors.Invalid($"the model imports opset {import.Version} of the default ONNX operator set, which does not exist.");
        return (int)import.Version;
    }

    private IReadOnlyList<LinearInitializers> Run()
    {
        if (_graph.SparseInitializer.Count > 0) throw OnnxErrors.Invalid("the graph has sparse initializers, which NetGen does not read.");
        foreach (TensorProto initializer in _graph.Initializer)
        {
            if (_constants.ContainsKey(initializer.Name)) throw OnnxErrors.Invalid($"the graph has two initializers named {OnnxTensors.Name(initializer)}.");
            _constants.Add(initializer.Name, initializer);
        }

        FindInput();

        var linear = new List<LinearInitializers>();
        IReadOnlyList<NetworkLayer> layers = _architecture.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            NetworkLayer layer = layers[i];
            if (layer.IsLoss) continue;

            // A classifier's final Softmax is, in PyTorch, part of nn.CrossEntropyLoss, so a model trained
            // that way ends in its logits; a graph that ends there has the same weights.
            bool finalSoftmax = _architecture.IsClassifier && i == layers.Count - 2;
            if (finalSoftmax && NextNode() is null) break;

            if (layer.IsLinear) linear.Add(MatchLinear(layer));
            else if (IsChainShapeKind(layer.Kind)) { if (MatchChainShape(layer) is LinearInitializers convolution) linear.Add(convolution); }
            else if (layer.Tensors.Count > 0) throw new NotSupportedException($"NetGen.Onnx cannot load weights for the layer {layer.Text} (layer {layer.Index + 1} of \"{_architecture.Text}\"), which has parameters but no ONNX form it knows; it knows {ActivationTable.KnownKinds}.");
            else MatchActivation(layer, ActivationTable.For(layer, _architecture));
        }

        int? extra = NextNode();
        if (extra is int index)
        {
            throw OnnxErrors.Invalid(
                $"the graph goes on after the last layer of the declaration: node {index} ({Describe(_graph.Node[index])}) follows it, but \"{_architecture.Text}\" ends there.");
        }

        if (!_graph.Output.Any(o => o.Name == _current))
        {
            throw OnnxErrors.Invalid(
                $"the last layer's value {OnnxTensors.Quote(_current)} is not an output of the graph (its outputs are {string.Join(", ", _graph.Output.Select(o => OnnxTensors.Quote(o.Name)))}).");
        }

        return linear;
    }

    /// <summary>Finds the one graph input that is not an initializer (older exporters list initializers as inputs too) and its rank.</summary>
    private void FindInput()
    {
        (ValueInfoProto input, TensorShapeProto shape) = TheInput();
        CheckInputDimensions(input, shape);
        TensorShapeProto.Types.Dimension features = shape.Dim[shape.Dim.Count - 1];
        if (OnnxShapedLayers.SampleShapes(_architecture)[0].Rank == 1 && features.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && features.DimValue != _architecture.InputSize)
        {
            throw OnnxErrors.Invalid(
                $"the graph input {OnnxTensors.Quote(input.Name)} has {features.DimValue} features per sample, but \"{_architecture.Text}\" takes {_architecture.InputSize}.");
        }

        _current = input.Name;
        _rank = shape.Dim.Count;
    }

    /// <summary>The one graph input that is not an initializer, which must be a tensor with a shape.</summary>
    private (ValueInfoProto Input, TensorShapeProto Shape) TheInput()
    {
        List<ValueInfoProto> inputs = _graph.Input.Where(i => !_constants.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            string names = inputs.Count == 0 ? "none" : string.Join(", ", inputs.Select(i => OnnxTensors.Quote(i.Name)));
            throw OnnxErrors.Invalid($"the graph has {inputs.Count} inputs that are not initializers ({names}); a NetGen network has one.");
        }

        ValueInfoProto input = inputs[0];
        TensorShapeProto? shape = input.Type?.TensorType?.Shape;
        if (input.Type?.TensorType is null) throw OnnxErrors.Invalid($"the graph input {OnnxTensors.Quote(input.Name)} is not a tensor.");
        if (shape is null || shape.Dim.Count == 0)
        {
            throw OnnxErrors.Invalid($"the graph input {OnnxTensors.Quote(input.Name)} has no shape; NetGen needs at least its rank, [batch, {_architecture.InputSize}].");
        }

        return (input, shape);
    }

    private LinearInitializers MatchLinear(NetworkLayer layer)
    {
        const string expected = "a Gemm node (or a MatMul then an Add)";
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        string role = $"node {index} ({Describe(node)})";
        if (node.OpType == "Gemm")
        {
            CheckNode(index, layer, expected, inputs: node.Input.Count is 2 or 3);
            var attributes = Attributes(index, layer, expected, "alpha", "beta", "transA", "transB");
            if (Float(attributes, "alpha", 1f) != 1f) throw Mismatch(index, layer, $"its alpha is {Float(attributes, "alpha", 1f)}, not 1", expected);
            bool hasBias = node.Input.Count == 3 && node.Input[2].Length > 0;
            if (hasBias && Float(attributes, "beta", 1f) != 1f) throw Mismatch(index, layer, $"its beta is {Float(attributes, "beta", 1f)}, not 1", expected);
            if (Int(attributes, "transA", 0) != 0) throw Mismatch(index, layer, "it transposes its input (transA=1)", expected);
            long transB = Int(attributes, "transB", 0);
            if (transB is not (0 or 1)) throw Mismatch(index, layer, $"its transB is {transB}", expected);
            if (_rank != 2) throw Mismatch(index, layer, $"Gemm multiplies matrices, but the value it reads has rank {_rank}", expected);

            TensorProto weight = Constant(index, layer, node.Input[1], "weight");
            long[] weightShape = transB == 1 ? new long[] { layer.Outputs, layer.Inputs } : new long[] { layer.Inputs, layer.Outputs };
            CheckShape(index, layer, weight, weightShape, transB == 1 ? "[outputs, inputs], as transB=1 reads it" : "[inputs, outputs], as transB=0 reads it");
            TensorProto? bias = hasBias ? Constant(index, layer, node.Input[2], "bias") : null;
            if (bias is not null) CheckBiasShape(index, layer, bias, maximumRank: 2);
            _current = node.Output[0];
            return new LinearInitializers(layer, weight, transB == 0, bias, role);
        }

        if (node.OpType == "MatMul")
        {
            CheckNode(index, layer, expected, inputs: node.Input.Count == 2);
            Attributes(index, layer, expected);
            TensorProto weight = Constant(index, layer, node.Input[1], "weight");
            CheckShape(index, layer, weight, new long[] { layer.Inputs, layer.Outputs }, "[inputs, outputs], as MatMul reads it");
            _current = node.Output[0];

            // The bias is an Add of the product and a constant, in either order (PyTorch writes the bias first).
            TensorProto? bias = null;
            if (NextNode() is int addIndex && _graph.Node[addIndex].OpType == "Add")
            {
                NodeProto add = _graph.Node[addIndex];
                int productSide = add.Input.Count == 2 ? add.Input.IndexOf(_current) : -1;
                if (productSide < 0 || add.Output.Count != 1 || !IsDefaultDomain(add))
                {
                    throw Mismatch(addIndex, layer, $"it does not add a bias to {OnnxTensors.Quote(_current)}, the MatMul's product", "a MatMul then an Add of its bias");
                }

                Attributes(addIndex, layer, expected);
                bias = Constant(addIndex, layer, add.Input[1 - productSide], "bias");
                CheckBiasShape(addIndex, layer, bias, maximumRank: _rank);
                _next = addIndex + 1;
                _current = add.Output[0];
            }

            return new LinearInitializers(layer, weight, inputsByOutputs: true, bias, role);
        }

        throw Mismatch(index, layer, $"it is a {node.OpType} node", expected);
    }

    private void MatchActivation(NetworkLayer layer, ActivationSpec spec)
    {
        string expected = spec.TimesInput ? $"a {spec.OpType} node, then a Mul of its input and its result" : $"a {spec.OpType} node";
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        if (node.OpType != spec.OpType) throw Mismatch(index, layer, $"it is {Article(node.OpType)} {node.OpType} node", expected);
        CheckNode(index, layer, expected, inputs: node.Input.Count == 1);
        Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, spec.Attributes.Select(r => r.Name).ToArray());
        foreach (AttributeRule rule in spec.Attributes)
        {
            attributes.TryGetValue(rule.Name, out AttributeProto? attribute);
            string? problem = rule.Check(attribute, layer, _opset, _rank);
            if (problem is not null) throw Mismatch(index, layer, problem, expected);
        }

        string input = _current;
        _current = node.Output[0];
        if (!spec.TimesInput) return;

        int mulIndex = Expect(layer, expected);
        NodeProto mul = _graph.Node[mulIndex];
        bool multipliesBoth = mul.OpType == "Mul" && mul.Input.Count == 2 && mul.Output.Count == 1 && IsDefaultDomain(mul)
            && ((mul.Input[0] == input && mul.Input[1] == _current) || (mul.Input[0] == _current && mul.Input[1] == input));
        if (!multipliesBoth) throw Mismatch(mulIndex, layer, $"it is not a Mul of {OnnxTensors.Quote(input)} and {OnnxTensors.Quote(_current)}", expected);
        Attributes(mulIndex, layer, expected);
        _current = mul.Output[0];
    }

    /// <summary>
    /// Moves to the next node of the chain and returns its index, or null at the end. Constant nodes are
    /// remembered as constants; an Identity of a constant names it again; an Identity of the current value
    /// passes it on. Neither is a layer. In a sequence graph, <see cref="SequencePlumbing"/> passes the
    /// nodes between and beside the layers too.
    /// </summary>
    private int? NextNode()
    {
        while (_next < _graph.Node.Count)
        {
            int index = _next;
            NodeProto node = _graph.Node[index];
            if (IsDefaultDomain(node) && node.OpType == "Constant" && node.Output.Count == 1)
            {
                AttributeProto? value = node.Attribute.FirstOrDefault(a => a.Name == "value" && a.T is not null);
                if (value is not null) _constants[node.Output[0]] = value.T;
                _next++;
                continue;
            }

            if (IsDefaultDomain(node) && node.OpType == "Identity" && node.Input.Count == 1 && node.Output.Count == 1)
            {
                if (_constants.TryGetValue(node.Input[0], out TensorProto? aliased))
                {
                    _constants[node.Output[0]] = aliased;
                    _next++;
                    continue;
                }

                if (node.Input[0] == _current)
                {
                    _current = node.Output[0];
                    _next++;
                    continue;
                }
            }

            if (_sequence && SequencePlumbing(index))
            {
                _next++;
                continue;
            }

            return index;
        }

        return null;
    }

    /// <summary>The next node, which must exist for <paramref name="layer"/>; consumed.</summary>
    private int Expect(NetworkLayer layer, string expected)
    {
        if (NextNode() is not int index)
        {
            throw OnnxErrors.Invalid(
                $"the graph ends after its {_graph.Node.Count} nodes, but layer {layer.Index + 1} of \"{_architecture.Text}\", {layer.Text}, comes next; it would be {expected}.");
        }

        _next = index + 1;
        return index;
    }

    /// <summary>Checks the domain, the input count, that the node reads the current value, and that it has one output.</summary>
    private void CheckNode(int index, NetworkLayer layer, string expected, bool inputs, bool singleOutput = true)
    {
        NodeProto node = _graph.Node[index];
        if (!IsDefaultDomain(node)) throw Mismatch(index, layer, $"it is an operator of the domain {OnnxTensors.Quote(node.Domain)}, not of ONNX", expected);
        if (!inputs) throw Mismatch(index, layer, $"it has {node.Input.Count} inputs", expected);
        if (node.Input[0] != _current)
        {
            throw Mismatch(index, layer, $"it reads {OnnxTensors.Quote(node.Input[0])}, not {OnnxTensors.Quote(_current)}, the value of the layer before", expected);
        }

        if (singleOutput && node.Output.Count != 1) throw Mismatch(index, layer, $"it has {node.Output.Count} outputs", expected);
    }

    /// <summary>The node's attributes by name, refusing any not in <paramref name="known"/>: an attribute NetGen does not understand may change what the node computes.</summary>
    private Dictionary<string, AttributeProto> Attributes(int index, NetworkLayer layer, string expected, params string[] known)
    {
        var attributes = new Dictionary<string, AttributeProto>(StringComparer.Ordinal);
        foreach (AttributeProto attribute in _graph.Node[index].Attribute)
        {
            if (Array.IndexOf(known, attribute.Name) < 0) throw Mismatch(index, layer, $"it has an attribute {OnnxTensors.Quote(attribute.Name)} that NetGen does not know", expected);
            if (attribute.RefAttrName.Length > 0) throw Mismatch(index, layer, $"its attribute {OnnxTensors.Quote(attribute.Name)} refers to a function's attribute", expected);
            if (!attributes.TryAdd(attribute.Name, attribute)) throw Mismatch(index, layer, $"it has the attribute {OnnxTensors.Quote(attribute.Name)} twice", expected);
        }

        return attributes;
    }

    private static float Float(Dictionary<string, AttributeProto> attributes, string name, float defaultValue)
        => attributes.TryGetValue(name, out AttributeProto? a) ? a.F : defaultValue;

    private static long Int(Dictionary<string, AttributeProto> attributes, string name, long defaultValue)
        => attributes.TryGetValue(name, out AttributeProto? a) ? a.I : defaultValue;

    private TensorProto Constant(int index, NetworkLayer layer, string name, string role)
    {
        if (_constants.TryGetValue(name, out TensorProto? tensor)) return tensor;
        throw Mismatch(index, layer, $"its {role} {OnnxTensors.Quote(name)} is neither an initializer nor a Constant; NetGen reads weights only from those", "a Linear layer with constant weights");
    }

    private void CheckShape(int index, NetworkLayer layer, TensorProto weight, long[] expected, string layout)
    {
        if (weight.Dims.SequenceEqual(expected)) return;
        throw Mismatch(index, layer, $"its weight {OnnxTensors.Name(weight)} has shape {OnnxTensors.Shape(weight)}, not [{string.Join(", ", expected)}] ({layout})", $"a Linear layer of {layer.Inputs} inputs and {layer.Outputs} outputs");
    }

    /// <summary>A bias may carry leading dimensions of 1 ([outputs], [1, outputs]), which broadcast over the batch alike.</summary>
    private void CheckBiasShape(int index, NetworkLayer layer, TensorProto bias, int maximumRank)
    {
        bool fits = bias.Dims.Count >= 1 && bias.Dims.Count <= Math.Max(1, maximumRank)
            && bias.Dims[bias.Dims.Count - 1] == layer.Outputs && bias.Dims.Take(bias.Dims.Count - 1).All(d => d == 1);
        if (!fits)
        {
            throw Mismatch(index, layer, $"its bias {OnnxTensors.Name(bias)} has shape {OnnxTensors.Shape(bias)}, not [{layer.Outputs}]", $"a Linear layer of {layer.Outputs} outputs");
        }
    }

    private static bool IsDefaultDomain(NodeProto node) => node.Domain is "" or "ai.onnx";

    private static string Describe(NodeProto node) => node.Name.Length > 0 ? $"{node.OpType} {OnnxTensors.Quote(node.Name)}" : node.OpType;

    private Exception Mismatch(int index, NetworkLayer layer, string problem, string expected)
        => OnnxErrors.Invalid(
            $"the graph differs from the declaration at node {index} ({Describe(_graph.Node[index])}): {problem}. " +
            $"Layer {layer.Index + 1} of \"{_architecture.Text}\", {layer.Text}, is {expected} in ONNX.");
}
