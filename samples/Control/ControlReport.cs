using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Control;

/// <summary>What the sample prints: the learning curve as a table.</summary>
internal static class ControlReport
{
    public static Table CurveTable(int[] episodes, Evaluation[] curve, float[] criticLoss, Evaluation pd)
    {
        var table = new Table().Title("Learning curve: the policy without noise, on the evaluation starts")
            .AddColumns("episodes", "return", "cost / PD's", "final distance", "critic TD loss");
        for (int k = 0; k < curve.Length; k++)
        {
            table.AddRow(
                episodes[k].ToString(CultureInfo.InvariantCulture),
                curve[k].MeanReturn.ToString("0.0", CultureInfo.InvariantCulture),
                (curve[k].MeanReturn / pd.MeanReturn).ToString("0.00", CultureInfo.InvariantCulture) + " x",
                Centimetres(curve[k].MeanFinalDistance),
                float.IsNaN(criticLoss[k]) ? "-" : criticLoss[k].ToString("0.0000", CultureInfo.InvariantCulture));
        }

        // The yardstick, greyed: the same evaluation of the best PD controller.
        var grey = new Style(Color.Grey);
        table.AddRow(
            new Markup("PD", grey),
            new Markup(pd.MeanReturn.ToString("0.0", CultureInfo.InvariantCulture), grey),
            new Markup("1.00 x", grey),
            new Markup(Centimetres(pd.MeanFinalDistance), grey),
            new Markup("-", grey));
        foreach (TableColumn column in table.Columns)
        {
            column.RightAligned();
        }

        return table;
    }

    public static string Centimetres(float metres) => (100 * metres).ToString("0.0", CultureInfo.InvariantCulture) + " cm";

    public static double Microseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
