using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Emission;

/// <summary>One network's generated file name, by the full metadata name of its class.</summary>
internal readonly record struct HintNameEntry(string MetadataName, string HintName);

/// <summary>
/// The generated files' names. Roslyn refuses a hint name with a character that a file name cannot
/// hold, and two hint names that differ only in case (both with an exception that takes down the whole
/// generator: every network's code and every diagnostic), so a name is made from the class's full
/// metadata name (<c>App.Outer+Net.g.cs</c>), with any other character written as '_', and is made unique
/// across all networks by a short hash of the exact metadata name where it would otherwise not be: when
/// two names differ only in case (<c>App.Net</c> and <c>App.NET</c>), or when a character had to be
/// replaced (so that the replacement cannot meet a class really named so). Every other network keeps its
/// plain name. The names depend only on the set of metadata names, not on the order they arrive in.
/// </summary>
internal static class HintNames
{
    private const string Extension = ".g.cs";

    /// <summary>The hint name of every network, one per distinct metadata name, in ordinal order.</summary>
    public static EquatableArray<HintNameEntry> Assign(IEnumerable<string> metadataNames)
    {
        string[] names = metadataNames.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var plain = names.ToDictionary(n => n, Sanitise, StringComparer.Ordinal);
        var clashing = new HashSet<string>(
            plain.Values.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key),
            StringComparer.OrdinalIgnoreCase);
        return new EquatableArray<HintNameEntry>(names.Select(name =>
        {
            string file = plain[name];
            bool unique = !clashing.Contains(file) && file == name;
            return new HintNameEntry(name, (unique ? file : file + "_" + Hash(name)) + Extension);
        }));
    }

    /// <summary>The entry of <paramref name="metadataName"/>, or its plain name if the table has none (it always has).</summary>
    public static string For(EquatableArray<HintNameEntry> table, string metadataName)
    {
        foreach (HintNameEntry entry in table)
        {
            if (entry.MetadataName == metadataName)
            {
                return entry.HintName;
            }
        }
        return Sanitise(metadataName) + "_" + Hash(metadataName) + Extension;
    }

    /// <summary>
    /// The metadata name with every character but letters, digits and <c>. + _ -</c> written as '_': a
    /// file-local type's name (<c>&lt;Networks_cs&gt;F1A2...__LocalNet</c>) and the like.
    /// </summary>
    internal static string Sanitise(string metadataName)
    {
        var text = new StringBuilder(metadataName.Length);
        foreach (char c in metadataName)
        {
            text.Append(char.IsLetterOrDigit(c) || c is '.' or '+' or '_' or '-' ? c : '_');
        }
        return text.ToString();
    }

    /// <summary>FNV-1a over the name's UTF-16 code units, as eight hex digits: the same on every machine and run.</summary>
    private static string Hash(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }
        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
