using System;
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
/// Conv1D and Conv2D, as nn.Conv1d and nn.Conv2d (square kernels, zero padding, a bias): weight
/// <c>[out, in / groups, k(, k)]</c> then bias <c>[out]</c>. Its kernels are the runtime's im2col and
/// register-blocked product, specialised per layer by a generated shape struct whose sizes, stride,
/// padding, dilation and groups are constants. A 1-D convolution runs as a 2-D one of one row.
/// <see cref="LayerSpec.Arguments"/>: in, out, kernel, stride, padding, dilation, groups.
/// </summary>
internal sealed class ConvolutionLayer : SampleMajorLayer
{
    public static readonly ConvolutionLayer OneDimensional = new(1);

    public static readonly ConvolutionLayer TwoDimensional = new(2);

    private const int InChannels = 0, OutChannels = 1, Kernel = 2, Stride = 3, Padding = 4, Dilation = 5, Groups = 6;

    private static readonly Dictionary<string, int> NamedSlots = new()
    {
        ["Stride"] = Stride,
        ["Padding"] = Padding,
        ["Dilation"] = Dilation,
        ["Groups"] = Groups,
    };

    private readonly int _dimensions;

    private ConvolutionLayer(int dimensions) => _dimensions = dimensions;

    public override LayerKind Kind => _dimensions == 1 ? LayerKind.Conv1D : LayerKind.Conv2D;

    public override string Name => _dimensions == 1 ? LayerLayouts.Conv1D : LayerLayouts.Conv2D;

    public override string Formula => "y[o] = b[o] + sum over c in o's group and taps of W[o, c, taps] x[c, window]; dW = delta x-windows, db = sum delta, dx = W^T delta scattered back";

    /// <summary>dW reads the input; dx = W^T delta needs no activation.</summary>
    public override SavedValues Saves => SavedValues.Input;

    protected override bool ParameterGradientsReadInput => true;

    public override LayerSpec? Read(ImmutableArray<TypedConstant> arguments, ImmutableArray<KeyValuePair<string, TypedConstant>> namedArguments, DeclarationSite site)
    {
        int[]? constructor = ShapeRules.Integers(arguments, 3);
        if (constructor is null)
        {
            return null;
        }
        int[] values = { constructor[0], constructor[1], constructor[2], 1, 0, 1, 1 };
        if (!ShapeRules.ReadNamed(namedArguments, NamedSlots, values))
        {
            return null;
        }
        var layer = new LayerSpec(Kind, Shape.Unknown, Shape.Unknown, Arguments: new EquatableArray<int>(values));
        if (values[InChannels] < 1 || values[OutChannels] < 1 || values[Kernel] < 1 || values[Stride] < 1 || values[Dilation] < 1 || values[Groups] < 1 || values[Padding] < 0)
        {
            site.Report(DiagnosticDescriptors.ShapeArgumentOutOfRange, DisplayText(layer),
                "its channels, kernel size, Stride, Dilation and Groups to be at least 1, and its Padding at least 0");
        }
        else if (values[InChannels] % values[Groups] != 0 || values[OutChannels] % values[Groups] != 0)
        {
            site.Report(DiagnosticDescriptors.GroupsDoNotDivideChannels, DisplayText(layer), values[Groups], values[InChannels], values[OutChannels]);
        }
        return layer;
    }

    public override LayerSpec WithIncoming(LayerSpec declared, Shape incoming, string from, DeclarationSite site)
    {
        EquatableArray<int> a = declared.Arguments;
        if (!Valid(a) || !ShapeRules.CheckRank(DisplayText(declared), _dimensions, incoming, from, site))
        {
            return declared with { InputShape = incoming };
        }
        if (incoming.Channels != a[InChannels])
        {
            int[] fixedArguments = ToArray(a);
            fixedArguments[InChannels] = incoming.Channels;
            site.Report(DiagnosticDescriptors.ChannelMismatch, DisplayText(declared), a[InChannels], incoming.ToString(), from, incoming.Channels,
                DisplayText(declared with { Arguments = new EquatableArray<int>(fixedArguments) }));
            return declared with { InputShape = incoming };
        }
        bool fits = ShapeRules.CheckWindow(DisplayText(declared), incoming.Width, a[Kernel], a[Padding], a[Dilation], incoming, from, site)
            && (_dimensions == 1 || ShapeRules.CheckWindow(DisplayText(declared), incoming.Height, a[Kernel], a[Padding], a[Dilation], incoming, from, site));
        if (!fits)
        {
            return declared with { InputShape = incoming };
        }
        int width = (int)LayerLayouts.SlidingLength(incoming.Width, a[Kernel], a[Stride], a[Padding], a[Dilation]);
        Shape output = _dimensions == 1
            ? Shape.ChannelsByLength(a[OutChannels], width)
            : Shape.ChannelsByHeightByWidth(a[OutChannels], (int)LayerLayouts.SlidingLength(incoming.Height, a[Kernel], a[Stride], a[Padding], a[Dilation]), width);
        return declared with { InputShape = incoming, OutputShape = output };
    }

    /// <summary>Whether the arguments are in range (Read reported them otherwise, and the shape is not followed further).</summary>
    private static bool Valid(EquatableArray<int> a)
        => a.Count == LayerLayouts.ConvolutionArgumentCount && a[InChannels] >= 1 && a[OutChannels] >= 1 && a[Kernel] >= 1 && a[Stride] >= 1
            && a[Dilation] >= 1 && a[Groups] >= 1 && a[Padding] >= 0 && a[InChannels] % a[Groups] == 0 && a[OutChannels] % a[Groups] == 0;

    private static int[] ToArray(EquatableArray<int> values)
    {
        var array = new int[values.Count];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = values[i];
        }
        return array;
    }

    public override IReadOnlyList<TensorLayout> ParameterTensors(LayerSpec layer)
    {
        EquatableArray<int> a = layer.Arguments;
        return Valid(a)
            ? LayerLayouts.ConvolutionTensors(_dimensions, a[InChannels], a[OutChannels], a[Kernel], a[Groups])
            : System.Array.Empty<TensorLayout>();
    }

    /// <summary>Filter taps per output channel: in / groups x k^dimensions, the length of a weight row.</summary>
    private int Taps(LayerSpec layer)
    {
        EquatableArray<int> a = layer.Arguments;
        if (!Valid(a))
        {
            return 0;
        }
        return a[InChannels] / a[Groups] * (_dimensions == 1 ? a[Kernel] : a[Kernel] * a[Kernel]);
    }

    /// <summary>Output positions per channel.</summary>
    private static int Positions(LayerSpec layer) => layer.OutputShape.Height * layer.OutputShape.Width;

    /// <summary>
    /// The runtime's ConvolutionWorkspaceLength: one sample's window matrix for one group, then that again
    /// or one group's delta and weight gradient, whichever is larger.
    /// </summary>
    public override int KernelWorkspace(LayerSpec layer)
    {
        int groupOut = layer.OutputShape.Channels / layer.Arguments[Groups];
        return (Taps(layer) * Positions(layer)) + Math.Max(Taps(layer) * Positions(layer), groupOut * (Positions(layer) + Taps(layer)));
    }

    /// <summary>A multiply and an add per tap and output, and the bias.</summary>
    public override long ForwardFlops(LayerSpec layer) => ((2L * Taps(layer)) + 1) * layer.OutputShape.Channels * Positions(layer);

    public override string CanonicalText(LayerSpec layer)
    {
        EquatableArray<int> a = layer.Arguments;
        return Invariant($"{Name}({a[InChannels]},{a[OutChannels]},{a[Kernel]},{a[Stride]},{a[Padding]},{a[Dilation]},{a[Groups]})");
    }

    public override string DisplayText(LayerSpec layer)
    {
        EquatableArray<int> a = layer.Arguments;
        return Invariant($"{Name}({a[InChannels]}, {a[OutChannels]}, {a[Kernel]}")
            + ShapeRules.Named("Stride", a[Stride], 1) + ShapeRules.Named("Padding", a[Padding], 0)
            + ShapeRules.Named("Dilation", a[Dilation], 1) + ShapeRules.Named("Groups", a[Groups], 1) + ")";
    }

    private static string ShapeStruct(PlannedLayer layer) => Invariant($"Layer{layer.Number}");

    protected override string RowsForward(PlannedLayer layer, string x, string y, string count)
        => $"{KernelNames.ConvolutionForward}<{ShapeStruct(layer)}>(p, {x}, {y}, {count}, kw);";

    /// <summary>The forward reads each window's samples in place; the weight gradient still runs sample-major, between transposes.</summary>
    protected override string ColumnsForward(PlannedLayer layer, string x, string y, string count)
        => $"{KernelNames.InLayout(KernelNames.ConvolutionForward, Layout.Columns)}<{ShapeStruct(layer)}>(p, {x}, {y}, {count});";

    public override bool FusesReLUInColumns => true;

    /// <summary>The same forward with the following ReLU applied as each sum is stored (inference).</summary>
    protected override string ColumnsForwardThenReLU(PlannedLayer layer, string x, string y, string count)
        => $"{KernelNames.ConvolutionReLUForwardColumns}<{ShapeStruct(layer)}>(p, {x}, {y}, {count});";

    /// <summary>The input gradient reads the delta in place and adds each window's gradient onto dx.</summary>
    protected override string ColumnsInputGradient(PlannedLayer layer, string x, string delta, string dx, string count)
        => $"{KernelNames.InLayout(KernelNames.ConvolutionInputGradient, Layout.Columns)}<{ShapeStruct(layer)}>(p, {delta}, {dx}, {count});";

    /// <summary>
    /// The weight and bias gradients with the samples along the lanes, reading the feature-major input and
    /// delta in place; in the default arithmetic only (it sums in another order than the sample-major kernel).
    /// </summary>
    protected override string? ColumnsParameterGradients(PlannedLayer layer, string x, string delta, string count)
        => $"{KernelNames.InLayout(KernelNames.ConvolutionParameterGradients, Layout.Columns)}<{ShapeStruct(layer)}>({x}, {delta}, g, {count})";

    protected override void EmitParameterGradients(CodeWriter writer, PlannedLayer layer, string x, string delta, string count)
        => writer.Line($"{KernelNames.ConvolutionParameterGradients}<{ShapeStruct(layer)}>({x}, {delta}, g, {count}, kw);");

    protected override string RowsInputGradient(PlannedLayer layer, string x, string delta, string dx, string count)
        => $"{KernelNames.ConvolutionInputGradient}<{ShapeStruct(layer)}>(p, {delta}, {dx}, {count}, kw);";

    protected override string BackwardFormula(bool parameters, bool inputGradient)
        => parameters
            ? "dW = sum delta x-windows, db = sum delta" + (inputGradient ? ", dx = W^T delta scattered back to the windows" : "")
            : "dx = W^T delta scattered back to the windows";

    public override void EmitMembers(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
        EquatableArray<int> a = layer.Layer.Arguments;
        PlannedTensor weight = layer.Tensors[0], bias = layer.Tensors[1];
        Shape input = layer.Layer.InputShape;
        bool two = _dimensions == 2;
        writer.Line(Invariant($"/// <summary>Layer {layer.Number}, {DisplayText(layer.Layer)}: {input} -> {layer.Layer.OutputShape}; W is Parameters[{weight.Offset}..{weight.End}) {weight.Layout.ShapeText}, b is Parameters[{bias.Offset}..{bias.End}).</summary>"));
        writer.Line(Invariant($"private readonly struct {ShapeStruct(layer)} : global::NetGen.Runtime.IConvolutionShape"));
        using (writer.Open())
        {
            writer.Line(Invariant($"public int InChannels => {a[InChannels]}; public int OutChannels => {a[OutChannels]}; public int Groups => {a[Groups]};"));
            writer.Line(Invariant($"public int InputHeight => {(two ? input.Height : 1)}; public int InputWidth => {input.Width};"));
            writer.Line(Invariant($"public int KernelHeight => {(two ? a[Kernel] : 1)}; public int KernelWidth => {a[Kernel]};"));
            writer.Line(Invariant($"public int StrideHeight => {(two ? a[Stride] : 1)}; public int StrideWidth => {a[Stride]};"));
            writer.Line(Invariant($"public int PaddingHeight => {(two ? a[Padding] : 0)}; public int PaddingWidth => {a[Padding]};"));
            writer.Line(Invariant($"public int DilationHeight => {(two ? a[Dilation] : 1)}; public int DilationWidth => {a[Dilation]};"));
            writer.Line(Invariant($"public int Offset => {weight.Offset};"));
        }
    }
}
