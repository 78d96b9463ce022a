using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NetGen;

namespace DigitsCnn;

/// <summary>
/// A picture of the first convolution at work: the digit, each of the 8 trained 3x3 filters (blue
/// negative, red positive) and, under each filter, where it fires in the digit (its ReLU output, dark where
/// strong). Written as SVG by hand: a few hundred squares need no plotting library.
/// </summary>
internal static class FilterPicture
{
    private const int Filters = 8, Side = 8, Kernel = 3;

    /// <summary>
    /// Copies the trained first convolution into <paramref name="first"/>, tensor by tensor, by the names the
    /// layouts give them (<c>0.weight</c>, <c>0.bias</c>), rather than by assuming where they sit.
    /// </summary>
    public static void CopyFirstConvolution(DigitsCnnNet trained, FirstConvolution first)
    {
        NetworkLayer from = NetworkArchitecture.Of(trained).ParameterLayers[0];
        NetworkLayer to = NetworkArchitecture.Of(first).ParameterLayers[0];
        if (from.Text != to.Text) throw new InvalidOperationException($"The first convolutions differ: {from.Text} and {to.Text}.");
        foreach (NetworkTensor tensor in from.Tensors)
        {
            NetworkTensor target = to.Tensors.Single(t => t.Name == tensor.Name);
            Array.Copy(trained.Parameters, tensor.Offset, first.Parameters, target.Offset, tensor.Count);
        }
    }

    public static void Save(float[] digit, int label, int predicted, FirstConvolution first, float[] responses, string path)
    {
        const int pixel = 14, filterPixel = 28, gap = 18, column = Side * pixel + gap;
        int width = gap + Filters * column, height = 420;
        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"13\">"));
        svg.AppendLine(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>"));

        svg.AppendLine(Invariant($"<text x=\"{gap}\" y=\"20\">A test digit ({label}; the CNN says {predicted}), the first convolution's filters, and where each fires (ReLU output)</text>"));
        Grid(svg, gap, 32, pixel, Side, Side, (r, c) => Grey(digit[r * Side + c]));

        // The filters share one colour scale, so that their strengths compare.
        NetworkTensor weight = NetworkArchitecture.Of(first).ParameterLayers[0].Tensors.Single(t => t.Name == "weight");
        float[] weights = first.Parameters.Skip(weight.Offset).Take(weight.Count).ToArray();
        float largestWeight = weights.Max(Math.Abs);
        float largestResponse = Math.Max(responses.Max(), float.Epsilon);
        for (int f = 0; f < Filters; f++)
        {
            int x = gap + f * column, filterY = 170, responseY = 280;
            svg.AppendLine(Invariant($"<text x=\"{x}\" y=\"{filterY - 8}\">filter {f + 1}</text>"));
            int filter = f;
            Grid(svg, x + (Side * pixel - Kernel * filterPixel) / 2, filterY, filterPixel, Kernel, Kernel,
                (r, c) => Diverging(weights[filter * Kernel * Kernel + r * Kernel + c] / largestWeight));
            Grid(svg, x, responseY, pixel, Side, Side,
                (r, c) => Grey(responses[filter * Side * Side + r * Side + c] / largestResponse));
        }

        svg.AppendLine("</svg>");
        File.WriteAllText(path, svg.ToString());
    }

    private static void Grid(StringBuilder svg, int x, int y, int cell, int rows, int columns, Func<int, int, string> colour)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                svg.AppendLine(Invariant($"<rect x=\"{x + c * cell}\" y=\"{y + r * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{colour(r, c)}\"/>"));
            }
        }

        svg.AppendLine(Invariant($"<rect x=\"{x}\" y=\"{y}\" width=\"{columns * cell}\" height=\"{rows * cell}\" fill=\"none\" stroke=\"#888\"/>"));
    }

    /// <summary>0 white, 1 black.</summary>
    private static string Grey(float value)
    {
        int level = 255 - (int)Math.Round(255 * Math.Clamp(value, 0f, 1f));
        return Invariant($"rgb({level},{level},{level})");
    }

    /// <summary>-1 blue, 0 white, 1 red.</summary>
    private static string Diverging(float value)
    {
        int fade = 255 - (int)Math.Round(255 * Math.Min(Math.Abs(value), 1f));
        return value >= 0 ? Invariant($"rgb(255,{fade},{fade})") : Invariant($"rgb({fade},{fade},255)");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
