using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Layouts;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds.Shapes;

/// <summary>
/// MaxPool1D/2D and AvgPool1D/2D, as nn.MaxPool1d/2d and nn.AvgPool1d/2d: each channel on its own, square
/// windows, Stride the kernel size unless given, Padding at most half the kernel (never a maximum; zeros
/// counted in a mean, PyTorch's default). Its kernels are the runtime's, specialised per layer by a shape
/// struct of constants. <see cref="LayerSpec.Arguments"/>: kernel, stride, padding.
/// </summary>
internal sealed class PoolLayer : SampleMajorLayer
{
    public static readonly PoolLayer MaxPool1D = new(LayerKind.MaxPool1D, LayerLayouts.MaxPool1D, 1, maximum: true);

    public static readonly PoolLayer MaxPool2D = new(LayerKind.MaxPool2D, LayerLayouts.MaxPool2D, 2, maximum: true);

    public static readonly PoolLayer AvgPool1D = new(LayerKind.AvgPool1D, LayerLayouts.AvgPool1D, 1, maximum: false);

    public static readonly PoolLayer AvgPool2D = new(LayerKind.AvgPool2D, LayerLayouts.AvgPool2D, 2, maximum: false);

    private const int Kernel = 0, Stride = 1, Padding = 2;

    private static readonly Dictionary<string, int> NamedSlots = new()
    {
        ["Stride"] = Stride,
        ["Padding"] = Padding,
    };

    private readonly int _dimensions;
    private readonly bool _maximum;

    private PoolLayer(LayerKind kind, string name, int dimensions, bool maximum)
    {
        Kind = kind;
        Name = name;
        _dimensions = dimensions;
        _maximum = maximum;
    }

    public override LayerKind Kind { get; }

    public override string Name { get; }

    public override string Formula => _maximum
        ? "y = the largest value of each window; dx: delta to the window's first maximum"
        : "y = the mean of each window, padding counted as zeros; dx = delta / window size to each of its inputs";

    /// <summary>A max pool finds each window's maximum again from its input; a mean needs nothing.</summary>
    public override SavedValues Saves => _maximum ? SavedValues.Input : SavedValues.None;

    protected override bool InputGradientReadsInput => _maximum;

    public override LayerSpec? Read(ImmutableArray<TypedConstant> arguments, ImmutableArray<KeyValuePair<string, TypedConstant>> namedArguments, DeclarationSite site)
    {
        int[]? constructor = ShapeRules.Integers(arguments, 1);
        if (constructor is null)
        {
            return null;
        }
        int[] values = { constructor[0], constructor[0], 0 };
        if (!ShapeRules.ReadNamed(namedArguments, NamedSlots, values))
        {
            return null;
        }
        var layer = new LayerSpec(Kind, Shape.Unknown, Shape.Unknown, Arguments: new EquatableArray<int>(values));
        if (values[Kernel] < 1 || values[Stride] < 1 || values[Padding] < 0)
        {
            site.Report(DiagnosticDescriptors.ShapeArgumentOutOfRange, DisplayText(layer), "its kernel size and Stride to be at least 1, and its Padding at least 0");
        }
        else if (values[Padding] > values[Kernel] / 2)
        {
            site.Report(DiagnosticDescriptors.PoolPaddingTooLarge, DisplayText(layer), values[Padding], values[Kernel], values[Kernel] / 2);
        }
        return layer;
    }

    private static bool Valid(EquatableArray<int> a)
        => a.Count == LayerLayouts.PoolArgumentCount && a[Kernel] >= 1 && a[Stride] >= 1 && a[Padding] >= 0 && a[Padding] <= a[Kernel] / 2;

    public override LayerSpec WithIncoming(LayerSpec declared, Shape incoming, string from, DeclarationSite site)
    {
        EquatableArray<int> a = declared.Arguments;
        string display = DisplayText(declared);
        if (!Valid(a) || !ShapeRules.CheckRank(display, _dimensions, incoming, from, site))
        {
            return declared with { InputShape = incoming };
        }
        bool fits = ShapeRules.CheckWindow(display, incoming.Width, a[Kernel], a[Padding], 1, incoming, from, site)
            && (_dimensions == 1 || ShapeRules.CheckWindow(display, incoming.Height, a[Kernel], a[Padding], 1, incoming, from, site));
        if (!fits)
        {
            return declared with { InputShape = incoming };
        }
        int width = (int)LayerLayouts.SlidingLength(incoming.Width, a[Kernel], a[Stride], a[Padding], 1);
        Shape output = _dimensions == 1
            ? Shape.ChannelsByLength(incoming.Channels, width)
            : Shape.ChannelsByHeightByWidth(incoming.Channels, (int)LayerLayouts.SlidingLength(incoming.Height, a[Kernel], a[Stride], a[Padding], 1), width);
        return declared with { InputShape = incoming, OutputShape = output };
    }

    /// <summary>A comparison or an addition per value of each window, and a division per output for a mean.</summary>
    public override long ForwardFlops(LayerSpec layer)
    {
        int kernel = layer.Arguments.Count == LayerLayouts.PoolArgumentCount ? layer.Arguments[Kernel] : 1;
        long window = _dimensions == 1 ? kernel : (long)kernel * kernel;
        return layer.Outputs * (window + (_maximum ? 0 : 1));
    }

    public override string CanonicalText(LayerSpec layer)
        => Invariant($"{Name}({layer.Arguments[Kernel]},{layer.Arguments[Stride]},{layer.Arguments[Padding]})");

    public override string DisplayText(LayerSpec layer)
    {
        EquatableArray<int> a = layer.Arguments;
        return Invariant($"{Name}({a[Kernel]}") + ShapeRules.Named("Stride", a[Stride], a[Kernel]) + ShapeRules.Named("Padding", a[Padding], 0) + ")";
    }

    private static string ShapeStruct(PlannedLayer layer) => Invariant($"Layer{layer.Number}");

    protected override string RowsForward(PlannedLayer layer, string x, string y, string count)
        => $"{(_maximum ? KernelNames.MaxPoolForward : KernelNames.AvgPoolForward)}<{ShapeStruct(layer)}>({x}, {y}, {count});";

    protected override string RowsInputGradient(PlannedLayer layer, string x, string delta, string dx, string count)
        => _maximum
            ? $"{KernelNames.MaxPoolBackward}<{ShapeStruct(layer)}>({x}, {delta}, {dx}, {count});"
            : $"{KernelNames.AvgPoolBackward}<{ShapeStruct(layer)}>({delta}, {dx}, {count});";

    protected override string ColumnsForward(PlannedLayer layer, string x, string y, string count)
        => $"{KernelNames.InLayout(_maximum ? KernelNames.MaxPoolForward : KernelNames.AvgPoolForward, Layout.Columns)}<{ShapeStruct(layer)}>({x}, {y}, {count});";

    protected override string ColumnsInputGradient(PlannedLayer layer, string x, string delta, string dx, string count)
        => _maximum
            ? $"{KernelNames.InLayout(KernelNames.MaxPoolBackward, Layout.Columns)}<{ShapeStruct(layer)}>({x}, {delta}, {dx}, {count});"
            : $"{KernelNames.InLayout(KernelNames.AvgPoolBackward, Layout.Columns)}<{ShapeStruct(layer)}>({delta}, {dx}, {count});";

    protected override string BackwardFormula(bool parameters, bool inputGradient)
        => _maximum ? "dx = delta at each window's first maximum, 0 elsewhere" : "dx = delta / window size at each of its window's inputs";

    public override void EmitMembers(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
        EquatableArray<int> a = layer.Layer.Arguments;
        Shape input = layer.Layer.InputShape;
        bool two = _dimensions == 2;
        writer.Line(Invariant($"/// <summary>Layer {layer.Number}, {DisplayText(layer.Layer)}: {input} -> {layer.Layer.OutputShape}.</summary>"));
        writer.Line(Invariant($"private readonly struct {ShapeStruct(layer)} : global::NetGen.Runtime.IPoolShape"));
        using (writer.Open())
        {
            writer.Line(Invariant($"public int Channels => {input.Channels}; public int InputHeight => {(two ? input.Height : 1)}; public int InputWidth => {input.Width};"));
            writer.Line(Invariant($"public int KernelHeight => {(two ? a[Kernel] : 1)}; public int KernelWidth => {a[Kernel]};"));
            writer.Line(Invariant($"public int StrideHeight => {(two ? a[Stride] : 1)}; public int StrideWidth => {a[Stride]};"));
            writer.Line(Invariant($"public int PaddingHeight => {(two ? a[Padding] : 0)}; public int PaddingWidth => {a[Padding]};"));
        }
    }
}
