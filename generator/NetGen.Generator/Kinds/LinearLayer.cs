using NetGen.Layouts;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using System.Globalization;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Emission.CodeWriter;

namespace NetGen.Generator.Kinds;

/// <summary>
/// A fully connected layer, <c>y = W x + b</c>, W row-major <c>[outputs, inputs]</c> as PyTorch's
/// nn.Linear.weight, then b. Its kernels are the runtime's shared ones, specialised per layer by a
/// generated shape struct (its sizes and offset as constants, which the JIT folds into its own copy of
/// each kernel); a tiny layer's forward is also written out here in full.
/// </summary>
internal sealed class LinearLayer : LayerDefinition
{
    public static readonly LinearLayer Instance = new();

    /// <summary>Layers this small have their scalar forward written out in full, one line per output.</summary>
    public const int WrittenOutWeights = 256;

    /// <summary>
    /// The most weights <c>FullUnroll</c> writes out for one layer. Past this the written-out forward is
    /// slower than the shared kernel's loop and its source grows without bound (a 1024 x 1024 layer wrote
    /// 5.9 MB, ran 10x slower and took 600 ms to compile at its first call), so a larger layer keeps the
    /// shared kernel and NG0020 says so.
    /// </summary>
    public const int FullUnrollLimitWeights = 4096;

    public override LayerKind Kind => LayerKind.Linear;

    /// <summary>A flat sample only: after a convolution or pool, a Flatten first (NG0053).</summary>
    public override bool TakesFlatInput => true;

    public override string Name => "Linear";

    public override string Formula => "y = W x + b; dW = delta x^T, db = delta, dx = W^T delta";

    /// <summary>dW = delta x^T reads the input; dx = W^T delta needs no activation.</summary>
    public override SavedValues Saves => SavedValues.Input;

    /// <summary>Every output reads every input: never in place.</summary>
    public override bool MayRunInPlace => false;

    public override LayerSpec? Read(ImmutableArray<TypedConstant> arguments, DeclarationSite site)
    {
        if (arguments.Length != 2 || arguments[0].Value is not int inputs || arguments[1].Value is not int outputs)
        {
            return null;
        }
        var layer = new LayerSpec(LayerKind.Linear, inputs, outputs);
        if (inputs < 1 || outputs < 1)
        {
            site.Report(DiagnosticDescriptors.NonPositiveSize, DisplayText(layer), "inputs and outputs");
        }
        return layer;
    }

    /// <summary>A Linear layer states its inputs: the first one fixes the network's input width.</summary>
    public override Shape StatedInput(LayerSpec declared) => declared.InputShape;

    public override LayerSpec WithIncoming(LayerSpec declared, Shape incoming, string from, DeclarationSite site)
    {
        if (incoming.IsKnown && declared.Inputs >= 1 && declared.Outputs >= 1 && incoming.Size >= 1 && incoming.Size != declared.Inputs)
        {
            string width = incoming.Size.ToString(CultureInfo.InvariantCulture);
            site.Report(DiagnosticInfo.Create(DiagnosticDescriptors.WidthMismatch, site.Attribute, DisplayText(declared), declared.Inputs, incoming.Size, from,
                    DisplayText(declared with { InputShape = incoming }))
                .WithProperty(DiagnosticDescriptors.ExpectedInputsProperty, width));
        }
        return declared;
    }

    /// <summary>NG0020: FullUnroll writes out layers only up to <see cref="FullUnrollLimitWeights"/>.</summary>
    public override void CheckOptions(LayerSpec layer, DeclarationSite site)
    {
        if (site.FullUnroll && layer.Inputs > 0 && layer.Outputs > 0 && !IsWrittenOut(layer, fullUnroll: true))
        {
            site.Report(DiagnosticDescriptors.FullUnrollDeclined, layer.Inputs, layer.Outputs,
                ((long)layer.Inputs * layer.Outputs).ToString("N0", CultureInfo.InvariantCulture), FullUnrollLimitWeights.ToString("N0", CultureInfo.InvariantCulture));
        }
    }

    public override bool WritesOutForward(LayerSpec layer, bool fullUnroll) => IsWrittenOut(layer, fullUnroll);

    public override string CanonicalText(LayerSpec layer) => Invariant($"Linear({layer.Inputs},{layer.Outputs})");

    public override string DisplayText(LayerSpec layer) => Invariant($"Linear({layer.Inputs}, {layer.Outputs})");

    public override long ForwardFlops(LayerSpec layer) => 2L * layer.Inputs * layer.Outputs;

    /// <summary>Whether this layer's forward is written out in the generated file.</summary>
    public static bool IsWrittenOut(LayerSpec layer, bool fullUnroll)
    {
        long weights = (long)layer.Inputs * layer.Outputs;
        return weights <= WrittenOutWeights || (fullUnroll && weights <= FullUnrollLimitWeights);
    }

    private static string ShapeStruct(PlannedLayer layer) => Invariant($"Layer{layer.Number}");

    public override bool FusesReLUInColumns => true;

    public override string Forward(ForwardCall call) => call.Layout switch
    {
        Layout.Rows when call.Layer.WrittenOut => Invariant($"ForwardLayer{call.Layer.Number}(p, {call.Source}, {call.Destination}, {call.Count});"),
        Layout.Rows => $"{KernelNames.LinearForward}<{ShapeStruct(call.Layer)}>(p, {call.Source}, {call.Destination}, {call.Count});",
        Layout.Columns => $"{(call.FusedReLU ? KernelNames.LinearReLUForwardColumns : KernelNames.LinearForwardColumns)}<{ShapeStruct(call.Layer)}>(p, {call.Source}, {call.Destination}, {call.Count});",
        _ => throw new System.ArgumentOutOfRangeException(nameof(call), call.Layout, "No such layout."),
    };

    public override void EmitBackward(CodeWriter writer, BackwardCall call)
    {
        PlannedLayer layer = call.Layer;
        string shape = ShapeStruct(layer);
        string text = DisplayText(layer.Layer);
        if (call.InputGradientOnly)
        {
            writer.Line(Invariant($"// Layer {layer.Number}, {text}: dx = W^T delta."));
            writer.Line(call.Layout == Layout.Rows
                ? $"{KernelNames.LinearInputGradient}<{shape}>(p, {call.Delta}, {call.InputGradient}, {call.Count});"
                : $"{KernelNames.LinearInputGradientColumns}<{shape}>(p, {call.Delta}, {call.InputGradient}, {call.Count});");
            return;
        }
        writer.Line(Invariant($"// Layer {layer.Number}, {text}: dW = sum delta x^T, db = sum delta{(call.InputGradient is null ? "" : ", dx = W^T delta")}."));
        switch (call.Layout)
        {
            case Layout.Rows:
                writer.Line($"{KernelNames.LinearParameterGradients}<{shape}>({call.Input}, {call.Delta}, g, {call.Count});");
                if (call.InputGradient is not null)
                {
                    writer.Line($"{KernelNames.LinearInputGradient}<{shape}>(p, {call.Delta}, {call.InputGradient}, {call.Count});");
                }
                break;
            case Layout.Columns:
                // The parameter gradients read sample-major rows: transposing is linear in the batch, the
                // gradient itself linear in batch times weights.
                string input = call.SampleMajorInput ?? Invariant($"t1.Slice(0, {call.Count} * {layer.Inputs})");
                if (call.SampleMajorInput is null)
                {
                    writer.Line(Invariant($"{KernelNames.Transpose}({call.Input}, {input}, {layer.Inputs}, {call.Count});"));
                }
                string delta = Invariant($"t2.Slice(0, {call.Count} * {layer.Outputs})");
                writer.Line(Invariant($"{KernelNames.Transpose}({call.Delta}, {delta}, {layer.Outputs}, {call.Count});"));
                writer.Line($"{KernelNames.LinearParameterGradients}<{shape}>({input}, {delta}, g, {call.Count});");
                if (call.InputGradient is not null)
                {
                    writer.Line($"{KernelNames.LinearInputGradientColumns}<{shape}>(p, {call.Delta}, {call.InputGradient}, {call.Count});");
                }
                break;
            default:
                throw new System.ArgumentOutOfRangeException(nameof(call), call.Layout, "No such layout.");
        }
    }

    public override void EmitMembers(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
        string text = DisplayText(layer.Layer);
        PlannedTensor weight = layer.Tensors[0], bias = layer.Tensors[1];
        writer.Line(Invariant($"/// <summary>Layer {layer.Number}, {text}: W is Parameters[{weight.Offset}..{weight.End}) row-major [{layer.Outputs}, {layer.Inputs}], b is Parameters[{bias.Offset}..{bias.End}).</summary>"));
        writer.Line(Invariant($"private readonly struct {ShapeStruct(layer)} : {TypeNames.LinearShape} {{ public int Inputs => {layer.Inputs}; public int Outputs => {layer.Outputs}; public int Offset => {weight.Offset}; }}"));
        if (layer.WrittenOut)
        {
            writer.Line();
            EmitWrittenOutForward(writer, layer, plan);
        }
    }

    /// <summary>
    /// A tiny layer's forward with every output its own independent sum and every weight offset a constant:
    /// for one sample and small batches where vectors are not accelerated or the inputs are narrower than
    /// a vector (the shared kernel runs otherwise).
    /// </summary>
    private void EmitWrittenOutForward(CodeWriter writer, PlannedLayer layer, NetworkPlan plan)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        TypeNames names = plan.Names;
        writer.Line(Invariant($"/// <summary>Layer {layer.Number}, {DisplayText(layer.Layer)}, written out: each output one independent sum, for runtimes without hardware vectors and inputs narrower than a vector.</summary>"));
        writer.Line(NetworkEmitter.Optimized);
        using (writer.Block($"private static void ForwardLayer{layer.Number}({names.ReadOnlySpan} p, {names.ReadOnlySpan} x, {names.Span} y, int count)"))
        {
            using (writer.Block(Invariant($"if ({KernelNames.PreferVectors}({inputs}))")))
            {
                writer.Line($"{KernelNames.LinearForward}<{ShapeStruct(layer)}>(p, x, y, count);");
                writer.Line("return;");
            }
            writer.Line("// Constant-length slices let the JIT drop the bounds checks.");
            int weightCount = layer.Tensors[0].Count;
            writer.Line(Invariant($"{names.ReadOnlySpan} w = p.Slice({layer.ParameterOffset}, {layer.ParameterCount});"));
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                writer.Line(Invariant($"{names.ReadOnlySpan} u = x.Slice(s * {inputs}, {inputs});"));
                writer.Line(Invariant($"{names.Span} v = y.Slice(s * {outputs}, {outputs});"));
                var loads = new List<string>();
                for (int i = inputs - 1; i >= 0; i--)
                {
                    // Highest index first: one bounds check covers the rest.
                    loads.Add(Invariant($"u{i} = u[{i}]"));
                }
                writer.Line($"{names.Element} {string.Join(", ", loads)};");
                for (int o = 0; o < outputs; o++)
                {
                    var terms = new List<string> { Invariant($"w[{weightCount + o}]") };
                    for (int i = 0; i < inputs; i++)
                    {
                        terms.Add(Invariant($"w[{(o * inputs) + i}] * u{i}"));
                    }
                    writer.Line(Invariant($"v[{o}] = {string.Join(" + ", terms)};"));
                }
            }
        }
    }
}
