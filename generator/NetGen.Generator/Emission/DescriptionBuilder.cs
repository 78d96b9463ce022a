using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emission;

/// <summary>
/// The summary table of a network (layers, output widths, parameters, FLOPs per sample), used both by
/// the generated <c>Describe()</c> and by the comment at the top of the generated file.
/// </summary>
internal static class DescriptionBuilder
{
    public static IReadOnlyList<string> Lines(NetworkPlan plan)
    {
        var rows = new List<string[]> { new[] { "#", "Layer", "Output", "Parameters", "FLOPs/sample" } };
        rows.Add(new[] { "0", "Input", Size(plan.InputShape, plan.InputSize), "", "" });
        foreach (PlannedLayer layer in plan.Layers)
        {
            rows.Add(new[] { N(layer.Number), layer.DisplayText, Size(layer.Layer.OutputShape, layer.Outputs), N(layer.ParameterCount), N(layer.ForwardFlops) });
        }
        if (plan.Spec.Loss is not null)
        {
            rows.Add(new[] { "", Kinds.Losses.LossCatalog.For(plan.Spec.Loss.Kind).Name, "", "", "" });
        }
        rows.Add(new[] { "", "Total", "", N(plan.ParameterCount), N(plan.Layers.Sum(l => l.ForwardFlops)) });

        int columns = rows[0].Length;
        var widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = System.Math.Max(widths[c], row[c].Length);
            }
        }

        var lines = new List<string>
        {
            string.Format(CultureInfo.InvariantCulture, "{0}: {1}, {2} -> {3}, {4}",
                plan.Spec.ClassName, plan.T, Count(plan.InputSize, "input"), Count(plan.OutputSize, "output"), Count(plan.ParameterCount, "parameter")),
        };
        foreach (string[] row in rows)
        {
            // Names left-aligned, numbers right-aligned, as a reader scans them.
            string line = row[0].PadLeft(widths[0]) + "  " + row[1].PadRight(widths[1]);
            for (int c = 2; c < columns; c++)
            {
                line += "  " + row[c].PadLeft(widths[c]);
            }
            lines.Add(line.TrimEnd());
        }
        return lines;
    }

    /// <summary>A count with its noun, singular for one: "1 output", "16 inputs".</summary>
    private static string Count(long value, string noun) => N(value) + " " + (value == 1 ? noun : noun + "s");

    /// <summary>A flat width as its number; a shape of rank 2 or 3 as <c>(8, 4, 4)</c>, so that the table shows what a convolution or pool made.</summary>
    private static string Size(NetGen.Layouts.Shape shape, long width) => shape.Rank > 1 ? shape.ToString() : N(width);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
