using System;
using System.Globalization;
using System.Linq;
using ScottPlot;

namespace Control;

/// <summary>The learning curve, and one evaluation episode of the trained policy beside the PD controller's, as a PNG.</summary>
internal static class ControlPlot
{
    public static void Save(int[] episodes, Evaluation[] curve, Evaluation pd, Trajectory learned, Trajectory pdTrajectory, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        // The cost (minus the return) on a log scale: it falls from hundreds to under ten, and the last
        // tens of percent, the difference between parking on the target and near it, would be flat on a
        // linear axis. ScottPlot plots log10 of the values, with ticks labelled in the values.
        Plot learning = multiplot.GetPlot(0);
        var costs = learning.Add.Scatter(episodes.Select(e => (double)e).ToArray(), curve.Select(c => Math.Log10(-c.MeanReturn)).ToArray());
        costs.LegendText = "DDPG policy (no noise)";
        costs.MarkerSize = 4;
        Reference(learning.Add.HorizontalLine(Math.Log10(-pd.MeanReturn)), "PD controller, best gains");
        learning.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.#", CultureInfo.InvariantCulture),
        };
        learning.Title("Learning curve");
        learning.XLabel("training episodes");
        learning.YLabel("mean evaluation cost (-return), log scale");
        learning.ShowLegend(Alignment.UpperRight);

        Plot position = multiplot.GetPlot(1);
        Curve(position, learned.Time, learned.Position, "DDPG policy");
        Curve(position, pdTrajectory.Time, pdTrajectory.Position, "PD controller");
        Reference(position.Add.HorizontalLine(learned.Target), "target");
        position.Title("One evaluation episode: position");
        position.XLabel("time (s)");
        position.YLabel("position (m)");
        position.ShowLegend(Alignment.LowerRight);

        Plot thrust = multiplot.GetPlot(2);
        Curve(thrust, learned.Time, learned.Action, "DDPG policy");
        Curve(thrust, pdTrajectory.Time, pdTrajectory.Action, "PD controller");
        thrust.Title("The same episode: thrust");
        thrust.XLabel("time (s)");
        thrust.YLabel("thrust (tanh output, -1 to 1)");
        thrust.Axes.SetLimitsY(-1.1, 1.1);
        thrust.ShowLegend(Alignment.LowerRight);

        multiplot.SavePng(path, 1500, 450);
    }

    private static void Curve(Plot plot, float[] x, float[] y, string label)
    {
        var curve = plot.Add.Scatter(x.Select(v => (double)v).ToArray(), y.Select(v => (double)v).ToArray());
        curve.LegendText = label;
        curve.MarkerSize = 0;
        curve.LineWidth = 2;
    }

    private static void Reference(ScottPlot.Plottables.HorizontalLine line, string label)
    {
        line.LegendText = label;
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Gray;
    }
}
