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
            .AddColumns("episodes", "return", "final distance", "critic TD loss", "");
        float worst = curve[0].MeanReturn;
        for (int k = 0; k < curve.Length; k++)
        {
            table.AddRow(
                episodes[k].ToString(CultureInfo.InvariantCulture),
                curve[k].MeanReturn.ToString("0.0", CultureInfo.InvariantCulture),
                (100 * curve[k].MeanFinalDistance).ToString("0.0", CultureInfo.InvariantCulture) + " cm",
                float.IsNaN(criticLoss[k]) ? "-" : criticLoss[k].ToString("0.0000", CultureInfo.InvariantCulture),
                Markup.Escape(Bar(curve[k].MeanReturn, worst, pd.MeanReturn)));
        }

        table.AddRow(
            new Markup("PD", new Style(Color.Grey)),
            new Markup(pd.MeanReturn.ToString("0.0", CultureInfo.InvariantCulture), new Style(Color.Grey)),
            new Markup((100 * pd.MeanFinalDistance).ToString("0.0", CultureInfo.InvariantCulture) + " cm", new Style(Color.Grey)),
            new Markup("-", new Style(Color.Grey)),
            new Markup(Markup.Escape(Bar(pd.MeanReturn, worst, pd.MeanReturn)), new Style(Color.Grey)));
        for (int c = 0; c < 4; c++)
        {
            table.Columns[c].RightAligned();
        }

        return table;
    }

    public static double Microseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    /// <summary>How far a return has come from the untrained policy's (empty bar) to the PD controller's (full bar).</summary>
    private static string Bar(float value, float worst, float best)
    {
        const int Width = 30;
        double fraction = worst == best ? 1 : (value - worst) / (best - worst);
        int filled = (int)System.Math.Round(System.Math.Clamp(fraction, 0, 1.2) * Width);
        return new string('#', filled);
    }
}
