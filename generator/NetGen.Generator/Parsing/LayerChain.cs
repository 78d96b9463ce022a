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

    /// <summary>The layers with every shape filled in, and the loss if there is one.</summary>
    public static (List<LayerSpec> Layers, LossSpec? Loss) Check(string className, SyntaxNode networkSyntax, ElementType? elementType, bool fullUnroll, List<DeclaredLayer> declared, List<DiagnosticInfo> diagnostics)
    {
        var layers = new List<LayerSpec>();
        LossSpec? loss = null;
        List<bool> isLoss = declared.Select(l => l.Loss is not null).ToList();
        int firstLoss = LossRule.CheckOneLoss(declared.Select(l => l.Loss is null ? null : l.Name).ToList(), declared.Select(l => (SyntaxNode)l.Syntax).ToList(), diagnostics);
        int firstStating = declared.FindIndex(l => l.Layer is not null && LayerCatalog.For(l.Layer.Kind).StatedInput(l.Layer).IsKnown);
        bool anyParameters = declared.Any(l => l.Layer is not null && LayerLayoutsHaveParameters(l.Layer));
        if (firstStating < 0 || !anyParameters)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLinearLayer, networkSyntax, className));
            return (layers, null);
        }

        LayerSpec stating = declared[firstStating].Layer!;
        Shape shape = LayerCatalog.For(stating.Kind).StatedInput(stating);
        string shapeSource = "the network's input";
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

            LayerDefinition definition = LayerCatalog.For(item.Layer!.Kind);
            var site = new DeclarationSite(item.Syntax, diagnostics, fullUnroll, elementType, className);
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
            long kept = definition.AliasesSource ? 0 : layer.OutputShape.Size;
            foreach (SavedExtra extra in layer.Inputs > 0 && layer.Outputs > 0 ? definition.SavedExtras(layer) : System.Array.Empty<SavedExtra>())
            {
                kept += extra.PerSample;
            }
            if (workspace.Add(kept, layer.OutputShape.Size, blocks.Deepest))
            {
                site.Report(DiagnosticDescriptors.WorkspaceTooLarge,
                    definition.DisplayText(layer), workspace.PerSample.ToString("N0", CultureInfo.InvariantCulture), MaxWorkspacePerSample.ToString("N0", CultureInfo.InvariantCulture));
            }
        }
        blocks.ReportUnclosed();
        return (layers, loss);
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
    /// kernels) and every activation are kept for backpropagation, and four buffers (two deltas, two
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
