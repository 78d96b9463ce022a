using NetGen.Layouts;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Kinds;

/// <summary>
/// The leaky rectifier with its slope for negative inputs, 0.01 unless given (PyTorch's default);
/// elementwise, its derivative from its input.
/// </summary>
internal sealed class LeakyReLULayer : ElementwiseLayer
{
    public static readonly LeakyReLULayer Instance = new();

    /// <summary>PyTorch's nn.LeakyReLU default negative slope, as the attribute's parameterless constructor gives.</summary>
    public const double DefaultSlope = 0.01;

    public override LayerKind Kind => LayerKind.LeakyReLU;

    public override string Name => "LeakyReLU";

    public override string Formula => "y = x >= 0 ? x : slope * x; dx = delta * (x >= 0 ? 1 : slope)";

    public override LayerSpec? Read(ImmutableArray<TypedConstant> arguments, DeclarationSite site)
    {
        double? slope = arguments.Length switch
        {
            0 => DefaultSlope,
            1 when arguments[0].Value is double given => given,
            _ => null,
        };
        if (slope is null)
        {
            return null;
        }
        if (double.IsNaN(slope.Value) || double.IsInfinity(slope.Value))
        {
            site.Report(DiagnosticDescriptors.NonFiniteSlope, SlopeText(slope.Value));
        }
        return new LayerSpec(LayerKind.LeakyReLU, Shape.Unknown, Shape.Unknown, slope.Value);
    }

    /// <summary>
    /// NG0035: a slope finite as the attribute's double but infinite as the network's float: the literal
    /// written into the generated code would not compile (CS0594), and no slope of float is meant.
    /// </summary>
    public override void CheckOptions(LayerSpec layer, DeclarationSite site)
    {
        if (site.ElementType == ElementType.Float && !double.IsNaN(layer.Slope) && !double.IsInfinity(layer.Slope) && float.IsInfinity((float)layer.Slope))
        {
            site.Report(DiagnosticDescriptors.SlopeOutOfRange, SlopeText(layer.Slope), site.ClassName);
        }
    }

    /// <summary>The slope as C# and the architecture text spell it: the shortest text that reads back as the same double.</summary>
    public static string SlopeText(double slope) => slope.ToString("R", CultureInfo.InvariantCulture);

    public override string CanonicalText(LayerSpec layer) => $"LeakyReLU({SlopeText(layer.Slope)})";

    public override string DisplayText(LayerSpec layer) => CanonicalText(layer);

    public override long ForwardFlops(LayerSpec layer) => 2L * layer.Outputs;

    protected override bool BackwardFromOutput => false;

    protected override string BackwardFormula => "dx = delta * (x >= 0 ? 1 : slope)";

    /// <summary>
    /// The slope as a literal of the element type: for float the nearest float to the declared double,
    /// which is what PyTorch applies to a float32 tensor.
    /// </summary>
    protected override string ExtraArguments(PlannedLayer layer, NetworkPlan plan) => ", " + NumberText(layer.Layer.Slope) + plan.Names.Literal;

    /// <summary>The slope as a float literal, for the written-out forward (float only).</summary>
    public static string FloatLiteral(double slope) => NumberText(slope) + "f";

    /// <summary>The slope as C# number text that a type suffix can follow: "0.01", "2.0", "1E-05".</summary>
    private static string NumberText(double slope)
    {
        string text = SlopeText(slope);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }
}
