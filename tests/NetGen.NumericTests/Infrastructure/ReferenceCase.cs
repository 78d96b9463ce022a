using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NetGen.NumericTests.Infrastructure;

/// <summary>
/// One PyTorch reference case from reference/*.json (see shared/reference/README.md): a network's
/// parameters, a batch, and PyTorch's float64 outputs, loss and gradients for it.
/// </summary>
public sealed class ReferenceCase
{
    public required string Name { get; init; }

    /// <summary>The architecture the JSON describes, as canonical text (<c>float: Linear(4,8) ReLU ...</c>).</summary>
    public required Spec Spec { get; init; }

    public required int Batch { get; init; }

    public required double[] Parameters { get; init; }

    public required double[] Inputs { get; init; }

    public required double[] Outputs { get; init; }

    public required double[] OutputGradients { get; init; }

    public required double[] GradientsFromOutputGradients { get; init; }

    /// <summary>Present where the network ends in CrossEntropyLoss.</summary>
    public int[]? Labels { get; init; }

    /// <summary>Present where the network ends in MSELoss: the regression targets, sample-major.</summary>
    public double[]? Targets { get; init; }

    /// <summary>d(sum of outputGradients * outputs)/d(inputs), in the cases made by reference/make_reference.py.</summary>
    public double[]? InputGradients { get; init; }

    public double? Loss { get; init; }

    public double[]? Gradients { get; init; }

    // Beside the test assembly, not AppContext.BaseDirectory: the .NET Framework console runner that CI
    // starts under Mono runs the tests in its own app domain (-noappdomain), whose base is the runner's folder.
    public static string Directory => Path.Combine(Path.GetDirectoryName(typeof(ReferenceCase).Assembly.Location)!, "reference");

    /// <summary>Every case's name, as xunit theory data.</summary>
    public static IEnumerable<object[]> Names =>
        System.IO.Directory.GetFiles(Directory, "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new object[] { n! });

    public static ReferenceCase Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name + ".json")));
        var root = document.RootElement;
        string elementType = root.GetProperty("elementType").GetString() switch
        {
            "float32" => "float",
            "float64" => "double",
            var other => throw new InvalidDataException($"{name}: unknown elementType '{other}'."),
        };
        var layers = root.GetProperty("layers").EnumerateArray().Select(layer =>
        {
            string kind = layer.GetProperty("type").GetString()!;
            return kind switch
            {
                "Linear" => new LayerSpec(kind, layer.GetProperty("inputs").GetInt32(), layer.GetProperty("outputs").GetInt32()),
                "LeakyReLU" => new LayerSpec(kind, Slope: layer.TryGetProperty("slope", out var slope) ? slope.GetDouble() : 0.01),
                _ => new LayerSpec(kind),
            };
        });
        var result = new ReferenceCase
        {
            Name = root.GetProperty("name").GetString()!,
            Spec = Spec.FromLayers(elementType, layers),
            Batch = root.GetProperty("batch").GetInt32(),
            Parameters = Doubles(root, "parameters"),
            Inputs = Doubles(root, "inputs"),
            Outputs = Doubles(root, "outputs"),
            OutputGradients = Doubles(root, "outputGradients"),
            GradientsFromOutputGradients = Doubles(root, "gradientsFromOutputGradients"),
            Labels = root.TryGetProperty("labels", out var labels) ? labels.EnumerateArray().Select(l => l.GetInt32()).ToArray() : null,
            Targets = root.TryGetProperty("targets", out _) ? Doubles(root, "targets") : null,
            InputGradients = root.TryGetProperty("inputGradients", out _) ? Doubles(root, "inputGradients") : null,
            Loss = root.TryGetProperty("loss", out var loss) ? loss.GetDouble() : null,
            Gradients = root.TryGetProperty("gradients", out _) ? Doubles(root, "gradients") : null,
        };
        result.Validate();
        return result;
    }

    private static double[] Doubles(JsonElement root, string property) =>
        root.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>Checks the file is self-consistent, so that a broken file fails as such and not as a network bug.</summary>
    private void Validate()
    {
        void Expect(bool condition, string message)
        {
            if (!condition)
            {
                throw new InvalidDataException($"{Name}: {message}");
            }
        }
        Expect(Parameters.Length == Spec.ParameterCount, $"{Parameters.Length} parameters, architecture has {Spec.ParameterCount}");
        Expect(Inputs.Length == Batch * Spec.InputSize, "inputs length");
        Expect(Outputs.Length == Batch * Spec.OutputSize, "outputs length");
        Expect(OutputGradients.Length == Batch * Spec.OutputSize, "outputGradients length");
        Expect(GradientsFromOutputGradients.Length == Spec.ParameterCount, "gradientsFromOutputGradients length");
        Expect(Spec.EndsInCrossEntropy == (Labels is not null), "labels present iff CrossEntropyLoss");
        Expect(Spec.EndsInMeanSquaredError == (Targets is not null), "targets present iff MSELoss");
        Expect((Spec.EndsInCrossEntropy || Spec.EndsInMeanSquaredError) == (Loss is not null && Gradients is not null), "loss and gradients present iff a loss");
        Expect(Targets is null || Targets.Length == Batch * Spec.OutputSize, "targets length");
        Expect(InputGradients is null || InputGradients.Length == Inputs.Length, "inputGradients length");
        Expect(Labels is null || Labels.Length == Batch, "labels length");
        Expect(Gradients is null || Gradients.Length == Spec.ParameterCount, "gradients length");
    }

    public override string ToString() => Name;
}
