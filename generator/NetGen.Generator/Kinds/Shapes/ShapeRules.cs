using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Layouts;

namespace NetGen.Generator.Kinds.Shapes;

/// <summary>
/// The checks the shape kinds share, each reported on the attribute that breaks the shape and naming
/// the shape that flows in: the rank a kind takes (NG0054), and a window no larger than its padded
/// input (NG0055); and reading the integer arguments the attributes hold.
/// </summary>
internal static class ShapeRules
{
    /// <summary>How a diagnostic writes the rank a kind of <paramref name="dimensions"/> takes.</summary>
    public static string RankText(int dimensions) => dimensions == 1 ? "(channels, length)" : "(channels, height, width)";

    /// <summary>
    /// NG0054 unless <paramref name="incoming"/> has the rank a layer sliding over <paramref name="dimensions"/>
    /// axes takes; true when it has. An unknown shape (an error upstream) is neither reported nor accepted.
    /// </summary>
    public static bool CheckRank(string display, int dimensions, Shape incoming, string from, DeclarationSite site)
    {
        if (!incoming.IsKnown)
        {
            return false;
        }
        if (incoming.Rank == dimensions + 1)
        {
            return true;
        }
        string hint = incoming.Rank == 1
            ? ": a flat sample has no channels; state the sample's shape with [Input(...)] first"
            : dimensions == 1 ? ": use the 2-D kind" : ": use the 1-D kind";
        site.Report(DiagnosticDescriptors.WrongRank, display, RankText(dimensions), incoming.ToString(), from, hint);
        return false;
    }

    /// <summary>
    /// NG0055 where a window of <paramref name="kernel"/> taps <paramref name="dilation"/> apart is wider
    /// than <paramref name="length"/> positions padded by <paramref name="padding"/> at each end; true when it fits.
    /// </summary>
    public static bool CheckWindow(string display, int length, int kernel, int padding, int dilation, Shape incoming, string from, DeclarationSite site)
    {
        long span = ((long)dilation * (kernel - 1)) + 1;
        long padded = length + (2L * padding);
        if (span <= padded)
        {
            return true;
        }
        site.Report(DiagnosticDescriptors.KernelLargerThanInput, display, span.ToString(CultureInfo.InvariantCulture), incoming.ToString(), from, padded.ToString(CultureInfo.InvariantCulture));
        return false;
    }

    /// <summary>The constructor's arguments as integers, or null where one is not (the kind then reports NG0045).</summary>
    public static int[]? Integers(ImmutableArray<TypedConstant> arguments, int count)
    {
        if (arguments.Length != count)
        {
            return null;
        }
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (arguments[i].Value is not int value)
            {
                return null;
            }
            values[i] = value;
        }
        return values;
    }

    /// <summary>
    /// The named integer arguments, each into the slot <paramref name="slots"/> gives its name, over the
    /// defaults already in <paramref name="values"/>; false for a name the kind does not have or a value
    /// that is not an integer.
    /// </summary>
    public static bool ReadNamed(ImmutableArray<KeyValuePair<string, TypedConstant>> named, IReadOnlyDictionary<string, int> slots, int[] values)
    {
        foreach (KeyValuePair<string, TypedConstant> pair in named)
        {
            if (!slots.TryGetValue(pair.Key, out int slot) || pair.Value.Value is not int value)
            {
                return false;
            }
            values[slot] = value;
        }
        return true;
    }

    /// <summary><c>, Stride = 2</c> where a named argument differs from its default, else nothing.</summary>
    public static string Named(string name, int value, int defaultValue)
        => value == defaultValue ? "" : ", " + name + " = " + value.ToString(CultureInfo.InvariantCulture);
}
