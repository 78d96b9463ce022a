using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Layouts;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>
/// The chain kinds of issue 17 as the graph matcher reads them, in the forms <see cref="OnnxShapedLayers"/>
/// writes and <c>torch.onnx.export</c> writes: <c>Conv</c>; <c>MaxPool</c>; <c>AveragePool</c> that counts
/// padded zeros, either with its own pads and <c>count_include_pad=1</c> or, as PyTorch writes it, a
/// <c>Pad</c> of zeros then an unpadded <c>AveragePool</c>; <c>GlobalAveragePool</c> then <c>Flatten</c>;
/// <c>Flatten</c>; and no node for <c>Input</c> and <c>Dropout</c>. And the block kinds of issue 19: a residual
/// join as an <c>Add</c>, LayerNorm as <c>LayerNormalization</c> or its decomposition, BatchNorm as an
/// inference-form <c>BatchNormalization</c> whose running statistics go to Buffers.
/// </summary>
internal sealed partial class OnnxGraphMatcher
{
    /// <summary>The values each open residual block started from, innermost last.</summary>
    private readonly Stack<string> _skips = new();

    /// <summary>Whether the matcher reads <paramref name="kind"/> here.</summary>
    private static bool IsChainShapeKind(string kind) => kind is LayerLayouts.BatchNorm1D or LayerLayouts.BatchNorm2D or "Residual" or "EndResidual" or LayerLayouts.LayerNorm or LayerLayouts.Conv1D or LayerLayouts.Conv2D or LayerLayouts.MaxPool1D or LayerLayouts.MaxPool2D
        or LayerLayouts.AvgPool1D or LayerLayouts.AvgPool2D or LayerLayouts.GlobalAvgPool or LayerLayouts.Flatten or "Dropout";

    /// <summary>The graph input must have the sample's dimensions after the batch: one for features, C and L, or C, H and W.</summary>
    private void CheckInputDimensions(ValueInfoProto input, TensorShapeProto shape)
    {
        Shape sample = OnnxShapedLayers.SampleShapes(_architecture)[0];
        if (sample.Rank == 1) return;
        int[] expected = sample.Rank == 2 ? new[] { sample.Channels, sample.Width } : new[] { sample.Channels, sample.Height, sample.Width };
        bool fits = shape.Dim.Count == expected.Length + 1 && expected.Select((d, i) => (d, i)).All(e =>
            shape.Dim[e.i + 1].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || shape.Dim[e.i + 1].DimValue == e.d);
        if (!fits)
        {
            string actual = string.Join(", ", shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.DimParam));
            throw OnnxErrors.Invalid($"the graph input {OnnxTensors.Quote(input.Name)} has shape [{actual}], but \"{_architecture.Text}\" takes [batch, {string.Join(", ", expected)}].");
        }
    }

    /// <summary>Matches one chain shape kind; a convolution's weight and bias are returned, every other kind returns null.</summary>
    private LinearInitializers? MatchChainShape(NetworkLayer layer)
    {
        switch (layer.Kind)
        {
            case "Dropout":
                // torch.onnx.export in eval mode, and ExportOnnx, leave dropout out.
                return null;
            case "Residual":
                _skips.Push(_current);
                return null;
            case "EndResidual":
                MatchJoin(layer);
                return null;
            case LayerLayouts.LayerNorm:
                return MatchLayerNorm(layer);
            case LayerLayouts.BatchNorm1D:
            case LayerLayouts.BatchNorm2D:
                return MatchBatchNorm(layer);
            case LayerLayouts.Conv1D:
            case LayerLayouts.Conv2D:
                return MatchConvolution(layer);
            case LayerLayouts.MaxPool1D:
            case LayerLayouts.MaxPool2D:
            case LayerLayouts.AvgPool1D:
            case LayerLayouts.AvgPool2D:
                MatchPool(layer);
                return null;
            case LayerLayouts.GlobalAvgPool:
                MatchSingle(layer, "GlobalAveragePool", "a GlobalAveragePool node, then a Flatten");
                MatchFlatten(layer, "a GlobalAveragePool node, then a Flatten");
                return null;
            default:
                MatchFlatten(layer, "a Flatten node");
                return null;
        }
    }

    private LinearInitializers MatchConvolution(NetworkLayer layer)
    {
        int dimensions = LayerLayouts.DimensionsOf(layer.Kind);
        int[] a = layer.Arguments.Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        string expected = $"a Conv node (kernel {a[2]}, stride {a[3]}, padding {a[4]}, dilation {a[5]}, {a[6]} group(s))";
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        if (node.OpType != "Conv") throw Mismatch(index, layer, $"it is a {node.OpType} node", expected);
        CheckNode(index, layer, expected, inputs: node.Input.Count is 2 or 3);
        Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, "auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        if (attributes.TryGetValue("auto_pad", out AttributeProto? autoPad) && autoPad.S.ToStringUtf8() is not ("" or "NOTSET"))
        {
            throw Mismatch(index, layer, $"its auto_pad is {autoPad.S.ToStringUtf8()}", expected);
        }

        CheckInts(index, layer, expected, attributes, "kernel_shape", dimensions, a[2], required: false);
        CheckInts(index, layer, expected, attributes, "strides", dimensions, a[3], required: false);
        CheckInts(index, layer, expected, attributes, "pads", 2 * dimensions, a[4], required: false);
        CheckInts(index, layer, expected, attributes, "dilations", dimensions, a[5], required: false);
        if (Int(attributes, "group", 1) != a[6]) throw Mismatch(index, layer, $"its group is {Int(attributes, "group", 1)}", expected);

        TensorProto weight = Constant(index, layer, node.Input[1], "weight");
        long[] weightShape = layer.Tensors[0].Shape.Select(d => (long)d).ToArray();
        if (!weight.Dims.SequenceEqual(weightShape))
        {
            throw Mismatch(index, layer, $"its weight {OnnxTensors.Name(weight)} has shape {OnnxTensors.Shape(weight)}, not [{string.Join(", ", weightShape)}]", expected);
        }

        TensorProto? bias = node.Input.Count == 3 && node.Input[2].Length > 0 ? Constant(index, layer, node.Input[2], "bias") : null;
        if (bias is not null && !(bias.Dims.Count == 1 && bias.Dims[0] == layer.Tensors[1].Count))
        {
            throw Mismatch(index, layer, $"its bias {OnnxTensors.Name(bias)} has shape {OnnxTensors.Shape(bias)}, not [{layer.Tensors[1].Count}]", expected);
        }

        _current = node.Output[0];
        return new LinearInitializers(layer, weight, inputsByOutputs: false, bias, $"node {index} ({Describe(node)})");
    }

    private void MatchPool(NetworkLayer layer)
    {
        int dimensions = LayerLayouts.DimensionsOf(layer.Kind);
        int[] a = layer.Arguments.Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        bool maximum = layer.Kind.StartsWith("Max", StringComparison.Ordinal);
        string opType = maximum ? "MaxPool" : "AveragePool";
        string expected = $"a {opType} node (kernel {a[0]}, stride {a[1]}, padding {a[2]}{(maximum ? "" : ", padded zeros counted")})";
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        int padding = a[2];

        // PyTorch writes a padded average as a Pad of zeros and an AveragePool without pads, which divides
        // by the whole window: the same as counting the padded zeros.
        if (!maximum && node.OpType == "Pad" && padding > 0)
        {
            MatchZeroPad(index, layer, expected, dimensions, padding);
            padding = 0;
            index = Expect(layer, expected);
            node = _graph.Node[index];
        }

        if (node.OpType != opType) throw Mismatch(index, layer, $"it is a {node.OpType} node", expected);
        CheckNode(index, layer, expected, inputs: node.Input.Count == 1);
        Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, "auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "storage_order", "strides");
        if (attributes.TryGetValue("auto_pad", out AttributeProto? autoPad) && autoPad.S.ToStringUtf8() is not ("" or "NOTSET"))
        {
            throw Mismatch(index, layer, $"its auto_pad is {autoPad.S.ToStringUtf8()}", expected);
        }

        if (Int(attributes, "ceil_mode", 0) != 0) throw Mismatch(index, layer, "it rounds its output size up (ceil_mode=1); NetGen rounds down", expected);
        if (Int(attributes, "storage_order", 0) != 0) throw Mismatch(index, layer, "its storage_order is column-major", expected);
        CheckInts(index, layer, expected, attributes, "kernel_shape", dimensions, a[0], required: true);
        CheckInts(index, layer, expected, attributes, "strides", dimensions, a[1], required: false);
        CheckInts(index, layer, expected, attributes, "pads", 2 * dimensions, padding, required: false);
        CheckInts(index, layer, expected, attributes, "dilations", dimensions, 1, required: false);
        if (!maximum && padding > 0 && Int(attributes, "count_include_pad", 0) != 1)
        {
            throw Mismatch(index, layer, "it leaves padded zeros out of its means (count_include_pad=0); NetGen counts them", expected);
        }

        _current = node.Output[0];
    }

    /// <summary>A Pad (opset 11 on: pads as a constant input; before: an attribute) of zeros around the spatial axes only.</summary>
    private void MatchZeroPad(int index, NetworkLayer layer, string expected, int dimensions, int padding)
    {
        NodeProto pad = _graph.Node[index];
        CheckNode(index, layer, expected, inputs: pad.Input.Count >= 1 && pad.Input.Count <= 4);
        Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, "mode", "pads", "value");
        if (attributes.TryGetValue("mode", out AttributeProto? mode) && mode.S.ToStringUtf8() != "constant") throw Mismatch(index, layer, $"its mode is {mode.S.ToStringUtf8()}, not constant", expected);
        if (Float(attributes, "value", 0f) != 0f) throw Mismatch(index, layer, "it pads with a value other than zero", expected);

        long[] pads;
        if (attributes.TryGetValue("pads", out AttributeProto? padsAttribute)) pads = padsAttribute.Ints.ToArray();
        else if (pad.Input.Count >= 2 && _constants.TryGetValue(pad.Input[1], out TensorProto? padsTensor) && padsTensor.DataType == (int)TensorProto.Types.DataType.Int64) pads = Int64s(padsTensor);
        else throw Mismatch(index, layer, "its pads are not a constant", expected);

        if (pad.Input.Count >= 3 && pad.Input[2].Length > 0)
        {
            if (!_constants.TryGetValue(pad.Input[2], out TensorProto? value) || OnnxTensors.Read<double>(value, "the pad value", WeightLoadOptions.Default).Any(v => v != 0))
            {
                throw Mismatch(index, layer, "it pads with a value other than a constant zero", expected);
            }
        }

        if (pad.Input.Count == 4 && pad.Input[3].Length > 0) throw Mismatch(index, layer, "it pads chosen axes only", expected);

        // [begin of each axis..., end of each axis...] over batch, channels and the spatial axes.
        int rank = dimensions + 2;
        bool fits = pads.Length == 2 * rank && Enumerable.Range(0, rank).All(axis =>
            pads[axis] == (axis < 2 ? 0 : padding) && pads[rank + axis] == (axis < 2 ? 0 : padding));
        if (!fits) throw Mismatch(index, layer, $"its pads are [{string.Join(", ", pads)}], not {padding} around each spatial axis", expected);
        _current = pad.Output[0];
    }

    /// <summary>A residual join: an Add of the block's last value and the value the block started from, in either order.</summary>
    private void MatchJoin(NetworkLayer layer)
    {
        string skip = _skips.Pop();
        string expected = $"an Add of {OnnxTensors.Quote(_current)} and {OnnxTensors.Quote(skip)}, the value its block started from";
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        bool joins = node.OpType == "Add" && IsDefaultDomain(node) && node.Input.Count == 2 && node.Output.Count == 1
            && ((node.Input[0] == _current && node.Input[1] == skip) || (node.Input[0] == skip && node.Input[1] == _current));
        if (!joins) throw Mismatch(index, layer, node.OpType == "Add" ? $"it adds {string.Join(" and ", node.Input.Select(OnnxTensors.Quote))}" : $"it is a {node.OpType} node", expected);
        Attributes(index, layer, expected);
        _current = node.Output[0];
    }

    /// <summary>
    /// LayerNorm over the whole sample: one LayerNormalization (opset 17 on), or the nodes PyTorch and
    /// ExportOnnx write before it: ReduceMean, Sub, Pow(2) or Mul by itself, ReduceMean, Add(epsilon), Sqrt,
    /// Div, Mul(weight), Add(bias).
    /// </summary>
    private LinearInitializers MatchLayerNorm(NetworkLayer layer)
    {
        int sampleRank = _rank - 1;
        string expected = "a LayerNormalization node over every axis after the batch, epsilon 1e-5 (or ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add)";
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        string role = $"node {index} ({Describe(node)})";
        TensorProto scale, bias;
        if (node.OpType == "LayerNormalization")
        {
            CheckNode(index, layer, expected, inputs: node.Input.Count == 3);
            Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, "axis", "epsilon", "stash_type");
            long axis = Int(attributes, "axis", -1);
            if (axis != 1 && axis != -sampleRank) throw Mismatch(index, layer, $"it normalises from axis {axis}, not over the whole sample", expected);
            CheckEpsilon(index, layer, expected, Float(attributes, "epsilon", 1e-5f));
            if (node.Output.Count != 1) throw Mismatch(index, layer, "it has more than one output", expected);
            scale = Constant(index, layer, node.Input[1], "weight");
            bias = Constant(index, layer, node.Input[2], "bias");
            _current = node.Output[0];
        }
        else
        {
            string input = _current;
            string mean = MatchReduceMean(index, layer, expected, input, sampleRank);
            int sub = Expect(layer, expected);
            string centred = Binary(sub, layer, expected, "Sub", input, mean);
            int squareIndex = Expect(layer, expected);
            NodeProto squareNode = _graph.Node[squareIndex];
            string square;
            if (squareNode.OpType == "Pow" && squareNode.Input.Count == 2 && squareNode.Input[0] == centred && ScalarIs(squareNode.Input[1], 2))
            {
                square = squareNode.Output[0];
            }
            else
            {
                square = Binary(squareIndex, layer, expected, "Mul", centred, centred);
            }

            string variance = MatchReduceMean(Expect(layer, expected), layer, expected, square, sampleRank);
            int addIndex = Expect(layer, expected);
            NodeProto add = _graph.Node[addIndex];
            string? epsilonName = add.OpType == "Add" && add.Input.Count == 2 ? add.Input.FirstOrDefault(i => i != variance) : null;
            if (epsilonName is null || !add.Input.Contains(variance) || !_constants.TryGetValue(epsilonName, out TensorProto? epsilon))
            {
                throw Mismatch(addIndex, layer, "it does not add a constant epsilon to the variance", expected);
            }

            double[] epsilonValue = OnnxTensors.Read<double>(epsilon, "LayerNorm's epsilon", WeightLoadOptions.Default);
            if (epsilonValue.Length != 1) throw Mismatch(addIndex, layer, "its epsilon is not one value", expected);
            CheckEpsilon(addIndex, layer, expected, (float)epsilonValue[0]);
            int sqrtIndex = Expect(layer, expected);
            NodeProto sqrt = _graph.Node[sqrtIndex];
            if (sqrt.OpType != "Sqrt" || sqrt.Input.Count != 1 || sqrt.Input[0] != add.Output[0]) throw Mismatch(sqrtIndex, layer, $"it is not a Sqrt of {OnnxTensors.Quote(add.Output[0])}", expected);
            string normalised = Binary(Expect(layer, expected), layer, expected, "Div", centred, sqrt.Output[0]);
            int mulIndex = Expect(layer, expected);
            scale = ConstantOperand(mulIndex, layer, expected, "Mul", normalised, "weight");
            string scaled = _graph.Node[mulIndex].Output[0];
            int biasIndex = Expect(layer, expected);
            bias = ConstantOperand(biasIndex, layer, expected, "Add", scaled, "bias");
            _current = _graph.Node[biasIndex].Output[0];
        }

        foreach ((TensorProto tensor, NetworkTensor slot) in new[] { (scale, layer.Tensors[0]), (bias, layer.Tensors[1]) })
        {
            if (!tensor.Dims.SequenceEqual(slot.Shape.Select(d => (long)d)))
            {
                throw Mismatch(index, layer, $"its {slot.Name} {OnnxTensors.Name(tensor)} has shape {OnnxTensors.Shape(tensor)}, not [{string.Join(", ", slot.Shape)}]", expected);
            }
        }

        return new LinearInitializers(layer, scale, inputsByOutputs: false, bias, role);
    }

    /// <summary>An inference-form BatchNormalization: scale, bias, running mean and variance, epsilon 1e-5.</summary>
    private LinearInitializers MatchBatchNorm(NetworkLayer layer)
    {
        int features = layer.Tensors[0].Count;
        string expected = $"a BatchNormalization node in inference form over {features} channels, epsilon 1e-5 (torch.onnx.export folds a BatchNorm that follows a Conv into the Conv unless given do_constant_folding=False)";
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        if (node.OpType != "BatchNormalization") throw Mismatch(index, layer, $"it is a {node.OpType} node", expected);
        if (!IsDefaultDomain(node)) throw Mismatch(index, layer, $"it is an operator of the domain {OnnxTensors.Quote(node.Domain)}, not of ONNX", expected);
        if (node.Input.Count != 5) throw Mismatch(index, layer, $"it has {node.Input.Count} inputs", expected);
        if (node.Input[0] != _current) throw Mismatch(index, layer, $"it reads {OnnxTensors.Quote(node.Input[0])}, not {OnnxTensors.Quote(_current)}, the value of the layer before", expected);

        // Before opset 14 a training graph lists the running statistics' updates as extra outputs; inference has one.
        if (node.Output.Count != 1 && node.Output.Skip(1).Any(o => o.Length > 0)) throw Mismatch(index, layer, "it writes running statistics (a training graph)", expected);
        Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, "epsilon", "momentum", "spatial", "training_mode", "is_test", "consumed_inputs");
        if (Int(attributes, "training_mode", 0) != 0) throw Mismatch(index, layer, "it normalises by the batch's statistics (training_mode=1)", expected);
        if (Int(attributes, "spatial", 1) != 1) throw Mismatch(index, layer, "it keeps statistics per position (spatial=0)", expected);
        CheckEpsilon(index, layer, expected, Float(attributes, "epsilon", 1e-5f));

        var tensors = new TensorProto[4];
        string[] roles = { "weight", "bias", "running mean", "running variance" };
        for (int t = 0; t < 4; t++)
        {
            tensors[t] = Constant(index, layer, node.Input[t + 1], roles[t]);
            if (!(tensors[t].Dims.Count == 1 && tensors[t].Dims[0] == features))
            {
                throw Mismatch(index, layer, $"its {roles[t]} {OnnxTensors.Name(tensors[t])} has shape {OnnxTensors.Shape(tensors[t])}, not [{features}]", expected);
            }
        }

        _current = node.Output[0];
        return new LinearInitializers(layer, tensors[0], inputsByOutputs: false, tensors[1], $"node {index} ({Describe(node)})")
        {
            RunningMean = tensors[2],
            RunningVariance = tensors[3],
        };
    }

    private void CheckEpsilon(int index, NetworkLayer layer, string expected, float epsilon)
    {
        // Stored as float by every exporter: 1e-5 rounds to 9.99999975e-06.
        if (epsilon != (float)LayerLayouts.NormEpsilon) throw Mismatch(index, layer, $"its epsilon is {epsilon}, not 1e-5, which NetGen uses", expected);
    }

    private string MatchReduceMean(int index, NetworkLayer layer, string expected, string input, int sampleRank)
    {
        NodeProto node = _graph.Node[index];
        if (node.OpType != "ReduceMean" || !IsDefaultDomain(node) || node.Input.Count != 1 || node.Input[0] != input || node.Output.Count != 1)
        {
            throw Mismatch(index, layer, $"it is not a ReduceMean of {OnnxTensors.Quote(input)}", expected);
        }

        Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, "axes", "keepdims");
        if (Int(attributes, "keepdims", 1) != 1) throw Mismatch(index, layer, "it drops the reduced axes (keepdims=0)", expected);
        long[] axes = attributes.TryGetValue("axes", out AttributeProto? a) ? a.Ints.Select(v => v < 0 ? v + sampleRank + 1 : v).OrderBy(v => v).ToArray() : Array.Empty<long>();
        if (!axes.SequenceEqual(Enumerable.Range(1, sampleRank).Select(v => (long)v)))
        {
            throw Mismatch(index, layer, $"it averages over the axes [{string.Join(", ", a?.Ints ?? new Google.Protobuf.Collections.RepeatedField<long>())}], not every axis after the batch", expected);
        }

        return node.Output[0];
    }

    /// <summary>A node <paramref name="opType"/>(<paramref name="first"/>, <paramref name="second"/>) with no attributes; its output.</summary>
    private string Binary(int index, NetworkLayer layer, string expected, string opType, string first, string second)
    {
        NodeProto node = _graph.Node[index];
        bool fits = node.OpType == opType && IsDefaultDomain(node) && node.Input.Count == 2 && node.Output.Count == 1 && node.Input[0] == first && node.Input[1] == second;
        if (!fits) throw Mismatch(index, layer, $"it is not a {opType} of {OnnxTensors.Quote(first)} and {OnnxTensors.Quote(second)}", expected);
        Attributes(index, layer, expected);
        return node.Output[0];
    }

    /// <summary>A node <paramref name="opType"/> of <paramref name="value"/> and a constant, in either order; the constant.</summary>
    private TensorProto ConstantOperand(int index, NetworkLayer layer, string expected, string opType, string value, string role)
    {
        NodeProto node = _graph.Node[index];
        int side = node.OpType == opType && IsDefaultDomain(node) && node.Input.Count == 2 && node.Output.Count == 1 ? node.Input.IndexOf(value) : -1;
        if (side < 0) throw Mismatch(index, layer, $"it is not a {opType} of {OnnxTensors.Quote(value)} and the {role}", expected);
        Attributes(index, layer, expected);
        return Constant(index, layer, node.Input[1 - side], role);
    }

    private bool ScalarIs(string name, double value)
        => _constants.TryGetValue(name, out TensorProto? tensor) && OnnxTensors.Read<double>(tensor, "an exponent", WeightLoadOptions.Default) is { Length: 1 } values && values[0] == value;

    private void MatchSingle(NetworkLayer layer, string opType, string expected)
    {
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        if (node.OpType != opType) throw Mismatch(index, layer, $"it is a {node.OpType} node", expected);
        CheckNode(index, layer, expected, inputs: node.Input.Count == 1);
        Attributes(index, layer, expected);
        _current = node.Output[0];
    }

    private void MatchFlatten(NetworkLayer layer, string expected)
    {
        int index = Expect(layer, expected);
        NodeProto node = _graph.Node[index];
        if (node.OpType != "Flatten") throw Mismatch(index, layer, $"it is a {node.OpType} node", expected);
        CheckNode(index, layer, expected, inputs: node.Input.Count == 1);
        Dictionary<string, AttributeProto> attributes = Attributes(index, layer, expected, "axis");
        if (Int(attributes, "axis", 1) != 1) throw Mismatch(index, layer, $"it flattens from axis {Int(attributes, "axis", 1)}, not 1 (after the batch)", expected);
        _current = node.Output[0];
        _rank = 2;
    }

    private void CheckInts(int index, NetworkLayer layer, string expected, Dictionary<string, AttributeProto> attributes, string name, int count, int value, bool required)
    {
        if (!attributes.TryGetValue(name, out AttributeProto? attribute))
        {
            // ONNX's defaults: strides and dilations 1, pads 0; kernel_shape is taken from the weight for Conv.
            if (required) throw Mismatch(index, layer, $"it has no {name}", expected);
            if (name == "kernel_shape") return;
            int fallback = name == "pads" ? 0 : 1;
            if (fallback != value) throw Mismatch(index, layer, $"it has no {name} (so {fallback}), not {value}", expected);
            return;
        }

        if (attribute.Ints.Count != count || attribute.Ints.Any(v => v != value))
        {
            throw Mismatch(index, layer, $"its {name} are [{string.Join(", ", attribute.Ints)}], not {value} on each of {count}", expected);
        }
    }

    private static long[] Int64s(TensorProto tensor)
    {
        if (tensor.HasRawData)
        {
            byte[] raw = tensor.RawData.ToByteArray();
            return Enumerable.Range(0, raw.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8 * i))).ToArray();
        }

        return tensor.Int64Data.ToArray();
    }
}
