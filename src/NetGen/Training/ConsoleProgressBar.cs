using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace NetGen;

/// <summary>
/// Draws the <see cref="Trainer{T}"/>'s epoch reports as a progress bar on a <see cref="TextWriter"/> (the console,
/// a log, a <see cref="StringWriter"/> in a test): one line per epoch, or one line redrawn in place on a terminal.
/// It reports inline, on the training thread, like <see cref="InlineProgress{T}"/>. It is an
/// <c>IProgress&lt;EpochProgress&gt;</c>, so it serves a classifier's <c>Fit</c> (showing accuracy) and a regressor's
/// (showing the RMSE) alike.
/// </summary>
/// <example><code>
/// var bar = ConsoleProgressBar.ForConsole();        // redraws in place on a terminal, a line per epoch when redirected
/// TrainingResult result = trainer.Fit(features, labels, bar);
/// bar.Finish();                                     // ends the line a redrawn bar was left on
/// // epoch  12/60 [####----------------]  loss 0.1234  acc 96.3%  val 0.1502 *  val acc 95.0%  lr 0.002  0.4 s
/// </code></example>
public sealed class ConsoleProgressBar : IProgress<EpochProgress>
{
    private readonly TextWriter _writer;
    private readonly bool _inPlace;
    private readonly int _barWidth;
    private int _pendingLength;

    /// <summary>Creates a bar that writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to draw.</param>
    /// <param name="inPlace">
    /// True to redraw one line (a carriage return before each report; call <see cref="Finish"/> at the end), for a
    /// terminal; false (the default) to write one line per epoch, for a log or redirected output.
    /// </param>
    /// <param name="barWidth">Characters in the bar itself, from 1 to 200. Default 20.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="barWidth"/> is outside [1, 200].</exception>
    public ConsoleProgressBar(TextWriter writer, bool inPlace = false, int barWidth = 20)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        if (barWidth < 1 || barWidth > 200) throw new ArgumentOutOfRangeException(nameof(barWidth), barWidth, "Must be from 1 to 200.");
        _inPlace = inPlace;
        _barWidth = barWidth;
    }

    /// <summary>A bar on <see cref="Console.Out"/>: redrawn in place when the output is a terminal, a line per epoch when it is redirected.</summary>
    public static ConsoleProgressBar ForConsole() => new(Console.Out, inPlace: !Console.IsOutputRedirected);

    /// <summary>Draws <paramref name="value"/>: its epoch of the most epochs as a bar, then the loss and the validation figures.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void Report(EpochProgress value)
    {
        if (value is null) throw new ArgumentNullException(nameof(value));
        string line = Line(value, _barWidth);
        if (!_inPlace)
        {
            _writer.WriteLine(line);
            return;
        }

        // Spaces over what is left of a longer previous line, then back to the start of the line.
        _writer.Write('\r');
        _writer.Write(line.PadRight(_pendingLength));
        _pendingLength = line.Length;
        if (value.Epoch >= value.Epochs) Finish();
        _writer.Flush();
    }

    /// <summary>Ends the line a bar drawn in place was left on (after an early stop or a cancellation); does nothing otherwise.</summary>
    public void Finish()
    {
        if (_pendingLength == 0) return;
        _writer.WriteLine();
        _pendingLength = 0;
    }

    /// <summary>The text drawn for one report, without a line break.</summary>
    /// <param name="value">The epoch's report.</param>
    /// <param name="barWidth">Characters in the bar itself.</param>
    public static string Line(EpochProgress value, int barWidth = 20)
    {
        if (value is null) throw new ArgumentNullException(nameof(value));
        CultureInfo invariant = CultureInfo.InvariantCulture;
        int digits = value.Epochs.ToString(invariant).Length;
        double done = value.Epochs <= 0 ? 1 : Math.Min(1, (double)value.Epoch / value.Epochs);
        int filled = (int)Math.Round(done * barWidth);

        var text = new StringBuilder();
        text.Append("epoch ").Append(value.Epoch.ToString(invariant).PadLeft(digits)).Append('/').Append(value.Epochs.ToString(invariant));
        text.Append(" [").Append('#', filled).Append('-', barWidth - filled).Append(']');
        text.Append("  loss ").Append(Number(value.Loss));
        switch (value)
        {
            case TrainingProgress classification:
                text.Append("  acc ").Append(Percent(classification.Accuracy));
                break;
            case RegressionProgress regression:
                text.Append("  rmse ").Append(Number(regression.RootMeanSquaredError));
                break;
        }

        if (value.ValidationLoss is double validationLoss)
        {
            text.Append("  val ").Append(Number(validationLoss)).Append(value.IsBestValidationLoss ? " *" : "  ");
            if (value is TrainingProgress { ValidationAccuracy: double accuracy }) text.Append("  val acc ").Append(Percent(accuracy));
            if (value is RegressionProgress { ValidationRootMeanSquaredError: double rmse }) text.Append("  val rmse ").Append(Number(rmse));
        }

        text.Append("  lr ").Append(value.LearningRate.ToString("0.######", invariant));
        if (value.NonFiniteBatches > 0) text.Append("  non-finite batches ").Append(value.NonFiniteBatches.ToString(invariant));
        text.Append("  ").Append(value.Elapsed.TotalSeconds.ToString("0.0", invariant)).Append(" s");
        return text.ToString();

        static string Number(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);
        static string Percent(double x) => double.IsNaN(x) ? "NaN" : (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }
}
