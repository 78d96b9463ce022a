using NetGen.Layouts;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Losses;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Walks the declared layers as data flows through them, asking each kind for the shape it makes from the
/// shape flowing in, and checks the rules that span layers: a network has a layer with parameters and its
/// input comes from the first layer that states one; one loss, last, after what it needs; parameters and
/// one sample's workspace fit in an array.
/// </summary>
internal static class LayerChain
{
    /// <summary>The longest array .NET allocates (Array.MaxLength), which bounds Parameters.</summary>
    public const long MaxParameterCount = NetworkPlan.MaxArrayLength;

    /// <summary>The same bound on one sample's training workspace, an array of the element type too.</summary>
    public const long MaxWorkspacePerSample = NetworkPlan.MaxArrayLength;

    /// <summary>
    /// The layers with every shape filled in, the loss if there is one, and the shape <c>[Input(...)]</c>
    /// states (unknown without one: the first layer that states its inputs fixes the input then).
    /// </summary>
    public static (List<LayerSpec> Layers, LossSpec? Loss, Shape InputShape) Check(string className, SyntaxNode networkSyntax, ElementType? elementType, bool fullUnroll, List<DeclaredLayer> declared, List<DiagnosticInfo> diagnostics)
    {
        var layers = new List<LayerSpec>();
        LossSpec? loss = null;
        List<bool> isLoss = declared.Select(l => l.Loss is not null).ToList();
        int firstLoss = LossRule.CheckOneLoss(declared.Select(l => l.Loss is null ? null : l.Name).ToList(), declared.Select(l => (SyntaxNode)l.Syntax).ToList(), diagnostics);
        (Shape inputShape, string? inputText, bool inputBroken) = CheckInput(declared, diagnostics);
        if (inputBroken)
        {
            return (layers, null, Shape.Unknown);
        }
        int firstStating = declared.FindIndex(l => l.Layer is not null && l.Layer.Kind != LayerKind.Input && LayerCatalog.For(l.Layer.Kind).StatedInput(l.Layer).IsKnown);
        bool anyParameters = declared.Any(l => l.Layer is not null && LayerLayoutsHaveParameters(l.Layer));
        int firstSpatial = declared.FindIndex(l => l.Layer is not null && LayerCatalog.For(l.Layer.Kind).RunsSampleMajorOnly);
        if (!inputShape.IsKnown && anyParameters && firstSpatial >= 0 && (firstStating < 0 || firstSpatial < firstStating))
        {
            DeclaredLayer spatial = declared[firstSpatial];
            // A convolution or pool first: it states its channels, not its length, so an Input must.
            string example = LayerCatalog.For(spatial.Layer!.Kind).Name.EndsWith("1D", System.StringComparison.Ordinal) ? "channels, length" : "channels, height, width";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputShapeMissing, spatial.Syntax, LayerCatalog.For(spatial.Layer.Kind).DisplayText(spatial.Layer), example));
            return (layers, null, Shape.Unknown);
        }
        if ((!inputShape.IsKnown && firstStating < 0) || !anyParameters)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLinearLayer, networkSyntax, className));
            return (layers, null, Shape.Unknown);
        }

        Shape shape;
        string shapeSource;
        if (inputShape.IsKnown)
        {
            shape = inputShape;
            shapeSource = "[" + inputText + "]";
        }
        else
        {
            LayerSpec stating = declared[firstStating].Layer!;
            shape = LayerCatalog.For(stating.Kind).StatedInput(stating);
            shapeSource = "the network's input";
        }
        long parameters = 0;
        bool reportedOverflow = false;
        var workspace = new WorkspaceTally(shape.Size);
        var blocks = new ResidualBlocks(diagnostics);
        for (int index = 0; index < declared.Count; index++)
        {
            DeclaredLayer item = declared[index];
            if (item.Loss is LossDefinition lossDefinition)
            {
                CheckLoss(declared, isLoss, index, firstLoss, lossDefinition, diagnostics);
                if (index == firstLoss)
                {
                    loss ??= new LossSpec(lossDefinition.Kind, (int)shape.Size);
                }
                continue;
            }

            if (item.Layer!.Kind == LayerKind.Input)
            {
                continue;   // the shape flowing into the first layer (CheckInput), not a layer of its own
            }
            LayerDefinition definition = LayerCatalog.For(item.Layer.Kind);
            var site = new DeclarationSite(item.Syntax, diagnostics, fullUnroll, elementType, className);
            if (definition.TakesFlatInput && shape.Rank > 1)
            {
                // NG0053; the layer is then checked as if a Flatten stood before it, so that one mistake is one error.
                site.Report(DiagnosticDescriptors.FlatInputNeeded, definition.DisplayText(item.Layer), shape.ToString(), shapeSource);
                shape = Shape.Features((int)shape.Size);
            }
            LayerSpec layer = definition.WithIncoming(item.Layer, shape, shapeSource, site);
            if (layer.Inputs < 1 || layer.Outputs < 1)
            {
                workspace.Abandon(); // its sizes are already an error; the sum would mean nothing
            }
            definition.CheckOptions(layer, site);

            long layerParameters = layer.Inputs > 0 && layer.Outputs > 0 ? definition.ParameterCount(layer) : 0;
            parameters += layerParameters;
            if (!reportedOverflow && layerParameters > 0 && parameters > MaxParameterCount)
            {
                reportedOverflow = true;
                site.Report(DiagnosticDescriptors.TooManyParameters, definition.DisplayText(layer),
                    parameters.ToString("N0", CultureInfo.InvariantCulture), MaxParameterCount.ToString("N0", CultureInfo.InvariantCulture));
            }

            layers.Add(layer);
            blocks.Follow(definition, item.Syntax, layer, shapeSource);
            if (!layer.OutputShape.Equals(shape))
            {
                shapeSource = "[" + definition.DisplayText(layer) + "]";
            }
            shape = layer.OutputShape;
            long kept = (definition.AliasesSource ? 0 : layer.OutputShape.Size)
                + (layer.Inputs > 0 && layer.Outputs > 0 ? definition.SavedExtras(layer).Sum(e => (long)e.PerSample) : 0);
            if (workspace.Add(kept, layer.OutputShape.Size, blocks.Deepest))
            {
                site.Report(DiagnosticDescriptors.WorkspaceTooLarge,
                    definition.DisplayText(layer), workspace.PerSample.ToString("N0", CultureInfo.InvariantCulture), MaxWorkspacePerSample.ToString("N0", CultureInfo.InvariantCulture));
            }
        }
        blocks.ReportUnclosed();
        SequenceRules.Check(declared, diagnostics);
        return (layers, loss, inputShape);
    }

    /// <summary>
    /// NG0050 for an <c>[Input]</c> that is not the first attribute, or a second one; the shape the first
    /// one states (unknown without one, or where its sizes are an error, NG0051, which it reported when read).
    /// </summary>
    private static (Shape Shape, string? Text, bool Broken) CheckInput(List<DeclaredLayer> declared, List<DiagnosticInfo> diagnostics)
    {
        Shape shape = Shape.Unknown;
        string? text = null;
        bool seen = false, broken = false;
        for (int index = 0; index < declared.Count; index++)
        {
            if (declared[index].Layer is not LayerSpec layer || layer.Kind != LayerKind.Input)
            {
                continue;
            }
            LayerDefinition definition = LayerCatalog.For(LayerKind.Input);
            if (seen || index != 0)
            {
                string why = seen
                    ? "the network already has one"
                    : "it comes after [" + declared[index - 1].Name + "]";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputNotFirst, declared[index].Syntax, definition.DisplayText(layer), why));
                broken = true;
                continue;
            }
            seen = true;
            shape = layer.InputShape;
            text = definition.DisplayText(layer);
            broken |= !shape.IsKnown;
        }
        return (shape, text, broken);
    }

    private static bool LayerLayoutsHaveParameters(LayerSpec declared) => NetGen.Layouts.LayerLayouts.HasParameters(LayerCatalog.For(declared.Kind).Name);

    /// <summary>NG0008 and NG0009 for the first loss (a second loss is NG0017, and where it stands is beside the point).</summary>
    private static void CheckLoss(List<DeclaredLayer> declared, List<bool> isLoss, int index, int firstLoss, LossDefinition lossDefinition, List<DiagnosticInfo> diagnostics)
    {
        if (index != firstLoss)
        {
            return;
        }
        var syntax = declared[index].Syntax;
        int follower = LossRule.FirstNonLossAfter(isLoss, index);
        if (follower >= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossNotLast, syntax, declared[follower].Name, lossDefinition.Name));
        }
        LayerKind? required = lossDefinition.RequiredBefore;
        if (required is not null && (index == 0 || declared[index - 1].Layer?.Kind != required))
        {
            string previous = index == 0 ? "nothing" : "[" + declared[index - 1].Name + "]";
            string requiredName = LayerCatalog.For(required.Value).Name;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossWithoutSoftmax, syntax, previous, lossDefinition.Name, requiredName));
        }
    }

    /// <summary>
    /// One sample's training workspace as the layers add to it: the input (transposed for the batch
    /// kernels), every activation and every value a kind keeps beside them (a mask, statistics) are kept
    /// for backpropagation, and four buffers (two deltas, two
    /// sample-major copies) are as wide as the widest activation, the input included (what
    /// NetworkPlan.WorkspacePerSample computes). Past the longest array no batch could
    /// train, and the emitted int offsets into the workspace would overflow, so it is an error.
    /// </summary>
    private sealed class WorkspaceTally
    {
        private long _activations;
        private long _widest;
        private bool _done;

        public WorkspaceTally(long inputWidth)
        {
            _widest = System.Math.Max(0, inputWidth);
            _activations = _widest;
        }

        private int _skipBuffers;

        public long PerSample => NetworkPlan.WorkspaceFormula(_activations, _widest, _skipBuffers);

        /// <summary>Stops counting, for a network whose sizes are already wrong.</summary>
        public void Abandon() => _done = true;

        /// <summary>
        /// Adds what a layer keeps per sample (its output, unless it is a marker, and its extras), its output's
        /// width, and the residual nesting so far; true, once, when the workspace first grows past the bound.
        /// </summary>
        public bool Add(long kept, long width, int skipBuffers)
        {
            if (_done)
            {
                return false;
            }
            _activations += kept;
            _widest = System.Math.Max(_widest, width);
            _skipBuffers = skipBuffers;
            _done = PerSample > MaxWorkspacePerSample;
            return _done;
        }
    }
}
