using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Parsing;

/// <summary>
/// NG0037's "did you mean": the NetGen layer or loss whose name is closest to a name the compiler could
/// not resolve, when it is close enough to be a slip of the keyboard rather than another word.
/// </summary>
internal static class LayerNameSuggestion
{
    /// <summary>
    /// The NetGen name (<c>Linear</c>) that <paramref name="written"/> (without any <c>Attribute</c>
    /// suffix, and compared with the attribute class's full name too) most likely meant, or null. Close means, ignoring case, equal or within a few edits
    /// (a letter inserted, removed, changed, or two neighbours swapped): one for names of up to four
    /// letters (<c>Tan</c>, <c>Relu</c>), two up to eight (<c>Linaer</c>, <c>Sofmax</c>), three beyond. A
    /// name that is itself a well-known layer NetGen lacks (<c>GELU</c>, <c>ELU</c>, <c>Dropout</c>) is a
    /// different layer, not a typo, and gets no suggestion.
    /// </summary>
    public static string? For(string written, IEnumerable<string> netGenNames, IReadOnlyCollection<string> otherLayerNames)
    {
        bool isNetGens(string name) => netGenNames.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (written.Length == 0 || (!isNetGens(written) && otherLayerNames.Any(n => string.Equals(n, written, StringComparison.OrdinalIgnoreCase))))
        {
            return null;
        }

        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in netGenNames.OrderBy(n => n, StringComparer.Ordinal))
        {
            // Against the name and the class's full name, for a misspelled suffix ([LinearAttribut]).
            string upper = written.ToUpperInvariant();
            int distance = Math.Min(Distance(upper, candidate.ToUpperInvariant()), Distance(upper, (candidate + "Attribute").ToUpperInvariant()));
            if (distance < bestDistance && distance <= Allowed(candidate.Length))
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int Allowed(int length) => length <= 4 ? 1 : length <= 8 ? 2 : 3;

    /// <summary>Edits from one string to the other: insertions, deletions, substitutions and swaps of neighbours (optimal string alignment).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
