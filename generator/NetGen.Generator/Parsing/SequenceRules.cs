using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Recurrent;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// The rules of a sequence network (one with a GRU or LSTM layer) that span layers: every other layer acts
/// on each step alone, through the per-sample kernels the sequence passes call over all rows. Convolutions
/// and pools need kernel scratch and sample-major passes those passes do not hold yet, so a sequence network
/// with one is NG0068 on that layer, not code that would read outside its buffers. Likewise the kinds that
/// keep values beside their activations, compute differently in training or join two inputs (residual
/// blocks, LayerNorm, BatchNorm, Dropout): the sequence passes neither plan their saved values per step nor
/// switch modes, so they are NG0069 rather than code that would compute something else.
/// </summary>
internal static class SequenceRules
{
    public static void Check(List<DeclaredLayer> declared, List<DiagnosticInfo> diagnostics)
    {
        DeclaredLayer? recurrent = declared.FirstOrDefault(l => l.Layer is not null && LayerCatalog.For(l.Layer.Kind) is RecurrentLayer);
        if (recurrent is null)
        {
            return;
        }
        foreach (DeclaredLayer item in declared)
        {
            if (item.Layer is null)
            {
                continue;
            }
            LayerDefinition definition = LayerCatalog.For(item.Layer.Kind);
            if (definition.RunsSampleMajorOnly || definition.KernelWorkspace(item.Layer) > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SequenceWithSpatialLayer, item.Syntax,
                    definition.DisplayText(item.Layer), LayerCatalog.For(recurrent.Layer!.Kind).DisplayText(recurrent.Layer)));
            }
            else if (definition is not RecurrentLayer && (definition.TrainingDiffers || definition.InputCount > 1 || definition.AliasesSource || definition.SavedExtras(item.Layer).Count > 0))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SequenceWithBlockLayer, item.Syntax,
                    definition.DisplayText(item.Layer), LayerCatalog.For(recurrent.Layer!.Kind).DisplayText(recurrent.Layer)));
            }
        }
    }
}
