using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// A network has one loss. Every loss after the first is reported as such (NG0017), whatever kinds the
/// two are, rather than as a loss out of place: two <c>[CrossEntropyLoss]</c>, or a
/// <c>[CrossEntropyLoss]</c> and an <c>[MSELoss]</c>, are one mistake with one message. The first loss
/// is then the one whose position the other rules check.
/// </summary>
internal static class LossRule
{
    /// <summary>
    /// Whether a layer kind is a loss. Each new loss kind joins here (or the layer catalogue answers),
    /// and the one-loss rule covers it with no other change.
    /// </summary>
    public static bool IsLoss(LayerKind kind) => kind == LayerKind.CrossEntropyLoss;

    /// <summary>
    /// Reports NG0017 on every loss after the first, at its attribute, naming the first.
    /// Returns the index of the first loss, or -1 when there is none.
    /// </summary>
    /// <param name="layers">The layers in source order.</param>
    /// <param name="syntax">Each layer's attribute, at the same index.</param>
    public static int CheckOneLoss(IReadOnlyList<LayerSpec> layers, IReadOnlyList<SyntaxNode> syntax, List<DiagnosticInfo> diagnostics)
    {
        int first = -1;
        for (int index = 0; index < layers.Count; index++)
        {
            if (!IsLoss(layers[index].Kind))
            {
                continue;
            }
            if (first < 0)
            {
                first = index;
                continue;
            }
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SecondLoss, syntax[index], layers[index].DisplayText, layers[first].DisplayText));
        }
        return first;
    }

    /// <summary>
    /// The first layer after <paramref name="index"/> that is not a loss, or -1: what makes a loss not
    /// the last layer (NG0008). A second loss after it is NG0017's to report, not this rule's.
    /// </summary>
    public static int FirstNonLossAfter(IReadOnlyList<LayerSpec> layers, int index)
    {
        for (int next = index + 1; next < layers.Count; next++)
        {
            if (!IsLoss(layers[next].Kind))
            {
                return next;
            }
        }
        return -1;
    }
}
