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
    /// Reports NG0017 on every loss after the first, at its attribute, naming the first. Any kind in the
    /// loss catalogue counts, so a new loss is covered with no change here.
    /// Returns the index of the first loss, or -1 when there is none.
    /// </summary>
    /// <param name="lossNames">Per declared attribute in source order, its loss's name, or null for a layer.</param>
    /// <param name="syntax">Each attribute, at the same index.</param>
    public static int CheckOneLoss(IReadOnlyList<string?> lossNames, IReadOnlyList<SyntaxNode> syntax, List<DiagnosticInfo> diagnostics)
    {
        int first = -1;
        for (int index = 0; index < lossNames.Count; index++)
        {
            if (lossNames[index] is null)
            {
                continue;
            }
            if (first < 0)
            {
                first = index;
                continue;
            }
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SecondLoss, syntax[index], lossNames[index]!, lossNames[first]!));
        }
        return first;
    }

    /// <summary>
    /// The first attribute after <paramref name="index"/> that is not a loss, or -1: what makes a loss not
    /// the last layer (NG0008). A second loss after it is NG0017's to report, not this rule's.
    /// </summary>
    public static int FirstNonLossAfter(IReadOnlyList<bool> isLoss, int index)
    {
        for (int next = index + 1; next < isLoss.Count; next++)
        {
            if (!isLoss[next])
            {
                return next;
            }
        }
        return -1;
    }
}
