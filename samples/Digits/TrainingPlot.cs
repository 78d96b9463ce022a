using System.Collections.Generic;
using System.Linq;
using NetGen;
using ScottPlot;

namespace Digits;

/// <summary>The loss and accuracy curves of a training run, side by side, as a PNG.</summary>
internal static class TrainingPlot
{
    public static void Save(IReadOnlyList<TrainingProgress> history, int? bestEpoch, string path)
    {
        double[] epochs = history.Select(p => (double)p.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        Plot loss = multiplot.GetPlot(0);
        AddCurve(loss, epochs, history.Select(p => p.Loss), "training");
        AddCurve(loss, epochs, history.Select(p => p.ValidationLoss ?? double.NaN), "validation");
        Decorate(loss, "Cross-entropy loss", "mean loss", bestEpoch);

        Plot accuracy = multiplot.GetPlot(1);
        AddCurve(accuracy, epochs, history.Select(p => 100 * p.Accuracy), "training");
        AddCurve(accuracy, epochs, history.Select(p => 100 * (p.ValidationAccuracy ?? double.NaN)), "validation");
        Decorate(accuracy, "Accuracy", "accuracy (%)", bestEpoch);

        multiplot.SavePng(path, 1200, 500);
    }

    private static void AddCurve(Plot plot, double[] epochs, IEnumerable<double> values, string label)
    {
        var curve = plot.Add.Scatter(epochs, values.ToArray());
        curve.LegendText = label;
        curve.MarkerSize = 3;
    }

    private static void Decorate(Plot plot, string title, string yLabel, int? bestEpoch)
    {
        if (bestEpoch is int best)
        {
            // The trainer restores this epoch's parameters, so it is the model that is tested and saved.
            var line = plot.Add.VerticalLine(best);
            line.LegendText = $"best validation loss (epoch {best})";
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.MiddleRight);
    }
}
