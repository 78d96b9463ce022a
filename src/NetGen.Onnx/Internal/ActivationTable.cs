using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx.Internal;

/// <summary>
/// One attribute of an activation's ONNX node: how the exporter writes it, and how the loader checks a
/// node from another exporter (which may leave it out, meaning the operator's default).
/// </summary>
internal sealed class AttributeRule
{
    private readonly Func<NetworkLayer, int, AttributeProto> _export;
    private readonly Func<AttributeProto?, NetworkLayer, int, int, string?> _check;

    private AttributeRule(string name, Func<NetworkLayer, int, AttributeProto> export, Func<AttributeProto?, NetworkLayer, int, int, string?> check)
    {
        Name = name;
        _export = export;
        _check = check;
    }

    public string Name { get; }

    /// <summary>The attribute for <paramref name="layer"/> at <paramref name="opset"/>.</summary>
    public AttributeProto Export(NetworkLayer layer, int opset) => _export(layer, opset);

    /// <summary>Null if <paramref name="attribute"/> (null when absent) computes what <paramref name="layer"/> does on a value of rank <paramref name="rank"/>; otherwise what differs.</summary>
    public string? Check(AttributeProto? attribute, NetworkLayer layer, int opset, int rank) => _check(attribute, layer, opset, rank);

    /// <summary>A float attribute that must equal <paramref name="expected"/> exactly once rounded to float, as ONNX stores it.</summary>
    public static AttributeRule Float(string name, float defaultValue, Func<NetworkLayer, float> expected) => new(
        name,
        (layer, _) => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = expected(layer) },
        (attribute, layer, _, _) =>
        {
            if (attribute is not null && attribute.Type != AttributeProto.Types.AttributeType.Float && attribute.Type != AttributeProto.Types.AttributeType.Undefined)
            {
                return $"its attribute {name} is of type {attribute.Type}, not a float";
            }

            float value = attribute?.F ?? defaultValue;
            float wanted = expected(layer);
            return value.Equals(wanted) ? null : $"its {name} is {value.ToString("R", CultureInfo.InvariantCulture)}, not {wanted.ToString("R", CultureInfo.InvariantCulture)}";
        });

    /// <summary>
    /// Softmax's axis. From opset 13 Softmax works along one axis (default -1); before, it flattens its
    /// input to two dimensions, those before the axis and those from it on (default 1). Along the last axis
    /// both mean the same, so the exporter writes -1 from 13 and 1 before (for <c>[batch, features]</c>,
    /// axis 1 is the last), and the loader accepts any axis that is the last one of the value it reads.
    /// </summary>
    public static AttributeRule SoftmaxAxis() => new(
        "axis",
        (_, opset) => new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = opset >= 13 ? -1 : 1 },
        (attribute, _, opset, rank) =>
        {
            if (attribute is not null && attribute.Type != AttributeProto.Types.AttributeType.Int && attribute.Type != AttributeProto.Types.AttributeType.Undefined)
            {
                return $"its attribute axis is of type {attribute.Type}, not an int";
            }

            long axis = attribute?.I ?? (opset >= 13 ? -1 : 1);
            long normalized = axis < 0 ? axis + rank : axis;
            return normalized == rank - 1 ? null : $"its axis is {axis}, which for a value of rank {rank} is not the last axis (NetGen's Softmax normalises each sample's features)";
        });
}

/// <summary>How one activation kind of the architecture text is written in ONNX, and recognised when read.</summary>
internal sealed class ActivationSpec
{
    public ActivationSpec(string opType, bool timesInput = false, params AttributeRule[] attributes)
    {
        OpType = opType;
        TimesInput = timesInput;
        Attributes = attributes;
    }

    /// <summary>The ONNX operator.</summary>
    public string OpType { get; }

    /// <summary>Whether the operator's result is then multiplied by its input (<c>x * f(x)</c>, with a <c>Mul</c> node).</summary>
    public bool TimesInput { get; }

    public IReadOnlyList<AttributeRule> Attributes { get; }

    /// <summary>The nodes, for messages: "Relu", or "Sigmoid, then Mul with its input".</summary>
    public string Describe() => TimesInput ? $"{OpType}, then Mul with its input" : OpType;
}

/// <summary>
/// The activation kinds NetGen writes to and reads from ONNX, keyed by their name in the architecture
/// text. A new kind is one entry here; both the exporter and the loader read this table. Every operator
/// used exists with the same meaning in every opset from 9 to <see cref="OnnxOpsets.Highest"/>.
/// </summary>
internal static class ActivationTable
{
    private static readonly Dictionary<string, ActivationSpec> Kinds = new(StringComparer.Ordinal)
    {
        ["ReLU"] = new ActivationSpec("Relu"),
        ["Tanh"] = new ActivationSpec("Tanh"),
        ["Sigmoid"] = new ActivationSpec("Sigmoid"),
        ["LeakyReLU"] = new ActivationSpec("LeakyRelu", attributes: AttributeRule.Float("alpha", 0.01f, layer => (float)LeakyReluSlope(layer))),
        // ONNX has no SiLU operator in these opsets; x * Sigmoid(x) is how PyTorch exports nn.SiLU too.
        ["SiLU"] = new ActivationSpec("Sigmoid", timesInput: true),
        ["Softmax"] = new ActivationSpec("Softmax", attributes: AttributeRule.SoftmaxAxis()),
    };

    /// <summary>The spec of an activation kind, if NetGen.Onnx knows it.</summary>
    public static bool TryGet(string kind, out ActivationSpec spec) => Kinds.TryGetValue(kind, out spec!);

    /// <summary>The kinds NetGen.Onnx knows, for messages.</summary>
    public static string KnownKinds => "Linear, " + string.Join(", ", Kinds.Keys.OrderBy(k => k, StringComparer.Ordinal));

    /// <summary>The spec for <paramref name="layer"/>, or a <see cref="NotSupportedException"/> naming the kinds there are.</summary>
    public static ActivationSpec For(NetworkLayer layer, NetworkArchitecture architecture)
    {
        if (TryGet(layer.Kind, out ActivationSpec spec)) return spec;
        throw new NotSupportedException(
            $"NetGen.Onnx has no ONNX form for the layer {layer.Text} (layer {layer.Index + 1} of \"{architecture.Text}\"); it knows {KnownKinds}.");
    }

    /// <summary>LeakyReLU's slope: its argument (<c>LeakyReLU(0.1)</c>, or <c>LeakyReLU(slope=0.1)</c>), or PyTorch's default 0.01.</summary>
    private static double LeakyReluSlope(NetworkLayer layer)
    {
        if (layer.Arguments.Count == 0) return 0.01;
        string text = layer.Arguments[0];
        int equals = text.IndexOf('=');
        if (equals >= 0) text = text.Substring(equals + 1);
        if (layer.Arguments.Count == 1 && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double slope)) return slope;
        throw new NotSupportedException($"The layer {layer.Text} does not state its slope as one number.");
    }
}
