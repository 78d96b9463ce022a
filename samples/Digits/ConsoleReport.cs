using System;
using System.Collections.Generic;
using System.Globalization;
using NetGen;
using Spectre.Console;

namespace Digits;

/// <summary>What the sample prints: one line per epoch, the table of epochs, and the confusion matrix.</summary>
internal static class ConsoleReport
{
    /// <summary>One epoch on one line, so that a log (CI, a file) keeps the whole run.</summary>
    public static string EpochLine(TrainingProgress p)
    {
        var line = FormattableString.Invariant(
            $"epoch {p.Epoch,3}/{p.Epochs}  lr {p.LearningRate:0.00000}  loss {p.Loss:0.0000}  accuracy {Percent(p.Accuracy),6}  ");
        line += FormattableString.Invariant(
            $"validation loss {p.ValidationLoss:0.0000}  accuracy {Percent(p.ValidationAccuracy),6}  {p.SamplesPerSecond / 1000,4:0}k samples/s");
        return p.IsBestValidationLoss ? line + "  best" : line;
    }

    public static Table EpochTable(IReadOnlyList<TrainingProgress> history, int? bestEpoch)
    {
        var table = new Table().Title("Training, per epoch")
            .AddColumns("epoch", "learning rate", "loss", "accuracy", "val. loss", "val. accuracy");
        foreach (TrainingProgress p in history)
        {
            // The restored epoch stands out: its parameters are the ones tested and saved.
            Style style = p.Epoch == bestEpoch ? new Style(Color.Green, decoration: Decoration.Bold) : Style.Plain;
            table.AddRow(
                Cell(p.Epoch.ToString(CultureInfo.InvariantCulture), style),
                Cell(p.LearningRate.ToString("0.00000", CultureInfo.InvariantCulture), style),
                Cell(p.Loss.ToString("0.0000", CultureInfo.InvariantCulture), style),
                Cell(Percent(p.Accuracy), style),
                Cell(p.ValidationLoss?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-", style),
                Cell(Percent(p.ValidationAccuracy), style));
        }

        foreach (TableColumn column in table.Columns) column.RightAligned();
        return table;
    }

    /// <summary>Rows are the true digit, columns the predicted one; the last column is each digit's accuracy.</summary>
    public static Table ConfusionTable(int[,] confusion)
    {
        int classes = confusion.GetLength(0);
        var table = new Table().Title("Held-out confusion matrix (rows: true digit, columns: predicted)");
        table.AddColumn(new TableColumn("true").Centered());
        for (int predicted = 0; predicted < classes; predicted++)
        {
            table.AddColumn(new TableColumn(predicted.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        table.AddColumn(new TableColumn("accuracy").RightAligned());
        for (int actual = 0; actual < classes; actual++)
        {
            var row = new List<Markup> { new(actual.ToString(CultureInfo.InvariantCulture)) };
            int total = 0;
            for (int predicted = 0; predicted < classes; predicted++)
            {
                int count = confusion[actual, predicted];
                total += count;
                Style style = count == 0 ? new Style(Color.Grey) : actual == predicted ? new Style(Color.Green) : new Style(Color.Red, decoration: Decoration.Bold);
                row.Add(Cell(count.ToString(CultureInfo.InvariantCulture), style));
            }

            double accuracy = total == 0 ? double.NaN : (double)confusion[actual, actual] / total;
            row.Add(Cell(Percent(accuracy), Style.Plain));
            table.AddRow(row);
        }

        return table;
    }

    /// <summary>A fraction as a percentage with one decimal, "97.5%", the same in every culture; "-" for none.</summary>
    public static string Percent(double? fraction) =>
        fraction is double f ? (100 * f).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static Markup Cell(string text, Style style) => new(Markup.Escape(text), style);
}
