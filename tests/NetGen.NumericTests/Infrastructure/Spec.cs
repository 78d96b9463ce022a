using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.NumericTests.Infrastructure;

/// <summary>One layer of a network as the tests understand it.</summary>
public sealed record LayerSpec(string Kind, int Inputs = 0, int Outputs = 0, double Slope = 0)
{
    public bool IsLinear => Kind == "Linear";

    public bool IsLoss => Kind is "CrossEntropyLoss" or "MSELoss";

    public override string ToString() => Kind switch
    {
        "Linear" => $"Linear({Inputs},{Outputs})",
        "LeakyReLU" => "LeakyReLU(" + Slope.ToString("R", CultureInfo.InvariantCulture) + ")",
        _ => Kind,
    };
}

/// <summary>
/// A network's architecture, parsed from the canonical text of API.md (e.g.
/// <c>float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss</c>), and what follows from it:
/// sizes, parameter count and each Linear layer's place in the parameter layout. Written from the
/// contract, independently of the generator, so that the tests can check the generator's answers.
/// </summary>
public sealed class Spec
{
    private static readonly Regex LinearPattern = new(@"^Linear\((\d+),(\d+)\)$", RegexOptions.CultureInvariant);

    private static readonly Regex LeakyPattern = new(@"^LeakyReLU\(([^)]+)\)$", RegexOptions.CultureInvariant);

    private Spec(string elementType, IReadOnlyList<LayerSpec> layers)
    {
        ElementType = elementType;
        Layers = layers;
        var linears = layers.Where(l => l.IsLinear).ToList();
        InputSize = linears[0].Inputs;
        OutputSize = linears[^1].Outputs;
        var offsets = new List<LinearSlot>();
        int offset = 0;
        foreach (var linear in linears)
        {
            offsets.Add(new LinearSlot(linear.Inputs, linear.Outputs, offset));
            offset += linear.Outputs * linear.Inputs + linear.Outputs;
        }
        Linears = offsets;
        ParameterCount = offset;
    }

    /// <summary><c>float</c> or <c>double</c>.</summary>
    public string ElementType { get; }

    public IReadOnlyList<LayerSpec> Layers { get; }

    public IReadOnlyList<LinearSlot> Linears { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public int ParameterCount { get; }

    public bool EndsInCrossEntropy => Layers[^1].Kind == "CrossEntropyLoss";

    public bool EndsInMeanSquaredError => Layers[^1].Kind == "MSELoss";

    /// <summary>The canonical text: <c>float: Linear(4,16) ReLU ...</c>.</summary>
    public string Canonical => ElementType + ": " + string.Join(" ", Layers);

    public static Spec Parse(string canonical)
    {
        int colon = canonical.IndexOf(':');
        string elementType = canonical[..colon];
        if (elementType is not ("float" or "double"))
        {
            throw new FormatException($"Unknown element type in '{canonical}'.");
        }
        var layers = new List<LayerSpec>();
        foreach (string token in canonical[(colon + 1)..].Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var match = LinearPattern.Match(token);
            if (match.Success)
            {
                layers.Add(new LayerSpec("Linear",
                    int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                    int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)));
            }
            else if (LeakyPattern.Match(token) is { Success: true } leaky)
            {
                layers.Add(new LayerSpec("LeakyReLU", Slope: double.Parse(leaky.Groups[1].Value, CultureInfo.InvariantCulture)));
            }
            else if (token is "ReLU" or "Softmax" or "CrossEntropyLoss" or "Tanh" or "Sigmoid" or "SiLU" or "MSELoss")
            {
                layers.Add(new LayerSpec(token));
            }
            else
            {
                throw new FormatException($"Unknown layer '{token}' in '{canonical}'.");
            }
        }
        return new Spec(elementType, layers);
    }

    public static Spec FromLayers(string elementType, IEnumerable<LayerSpec> layers) => new(elementType, layers.ToList());

    public override string ToString() => Canonical;
}

/// <summary>Where one Linear layer's weights <c>[outputs, inputs]</c> and then bias <c>[outputs]</c> sit in Parameters.</summary>
public sealed record LinearSlot(int Inputs, int Outputs, int Offset)
{
    public int WeightCount => Inputs * Outputs;

    public int BiasOffset => Offset + WeightCount;

    public int Count => WeightCount + Outputs;

    public int Weight(int o, int i) => Offset + o * Inputs + i;
}
