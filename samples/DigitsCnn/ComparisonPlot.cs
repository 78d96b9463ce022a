using System.Collections.Generic;
using System.Linq;
using NetGen;
using ScottPlot;

namespace DigitsCnn;

/// <summary>Both networks' validation loss and accuracy per epoch, side by side, as a PNG.</summary>
internal static class ComparisonPlot
{
    public static void Save(IReadOnlyList<TrainingProgress> cnn, IReadOnlyList<TrainingProgress> dense, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        Plot loss = multiplot.GetPlot(0);
        AddCurve(loss, cnn, p => p.ValidationLoss, "CNN");
        AddCurve(loss, dense, p => p.ValidationLoss, "dense");
        Decorate(loss, "Validation loss", "mean cross-entropy");

        Plot accuracy = multiplot.GetPlot(1);
        AddCurve(accuracy, cnn, p => 100 * p.ValidationAccuracy, "CNN");
        AddCurve(accuracy, dense, p => 100 * p.ValidationAccuracy, "dense");
        Decorate(accuracy, "Validation accuracy", "accuracy (%)");

        multiplot.SavePng(path, 1200, 500);
    }

    private static void AddCurve(Plot plot, IReadOnlyList<TrainingProgress> history, System.Func<TrainingProgress, double?> value, string label)
    {
        var curve = plot.Add.Scatter(
            history.Select(p => (double)p.Epoch).ToArray(),
            history.Select(p => value(p) ?? double.NaN).ToArray());
        curve.LegendText = label;
        curve.MarkerSize = 3;
    }

    private static void Decorate(Plot plot, string title, string yLabel)
    {
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.MiddleRight);
    }
}
