using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;
using NetGen.Interop.Tests.Networks;

namespace NetGen.Interop.Tests;

/// <summary>One file of a fixture case: safetensors or ONNX.</summary>
public sealed record FixtureFile(string Kind, string Path, int Opset, string? Note)
{
    public override string ToString() => Note is null ? System.IO.Path.GetFileName(Path) : $"{System.IO.Path.GetFileName(Path)} ({Note})";
}

/// <summary>
/// A case made by tests/fixtures/pytorch/make_fixtures.py: a network's architecture, inputs, PyTorch's
/// outputs for them, and the weight files PyTorch wrote. Copied next to the test binaries.
/// </summary>
public sealed class FixtureCase
{
    // Beside the test assembly rather than under AppContext.BaseDirectory (the same folder under `dotnet test`):
    // the .NET Framework console runner that runs the Runtime tests on Mono has its own folder as base.
    public static string Directory => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(FixtureCase).Assembly.Location)!, "fixtures", "pytorch");

    public required string Name { get; init; }

    public required string Architecture { get; init; }

    public required double[][] Inputs { get; init; }

    public required double[][] Outputs { get; init; }

    public required IReadOnlyList<FixtureFile> Files { get; init; }

    public override string ToString() => Name;

    public static IReadOnlyList<string> Names()
        => JsonSerializer.Deserialize<string[]>(File.ReadAllText(System.IO.Path.Combine(Directory, "cases.json")))!;

    public static FixtureCase Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Directory, name + ".json")));
        JsonElement root = document.RootElement;
        return new FixtureCase
        {
            Name = name,
            Architecture = root.GetProperty("architecture").GetString()!,
            Inputs = Rows(root.GetProperty("inputs")),
            Outputs = Rows(root.GetProperty("outputs")),
            Files = root.GetProperty("files").EnumerateArray().Select(f => new FixtureFile(
                f.GetProperty("kind").GetString()!,
                System.IO.Path.Combine(Directory, f.GetProperty("path").GetString()!),
                f.TryGetProperty("opset", out JsonElement opset) ? opset.GetInt32() : 0,
                f.TryGetProperty("note", out JsonElement note) ? note.GetString() : null)).ToList(),
        };
    }

    /// <summary>Every (case, file) pair of one kind, for a theory.</summary>
    public static IEnumerable<object[]> FilesOfKind(string kind)
        => Names().SelectMany(name => Load(name).Files.Where(f => f.Kind == kind).Select(f => new object[] { name, System.IO.Path.GetFileName(f.Path) }));

    /// <summary>A fresh network for the case: the generated one with that architecture, or a <see cref="ReferenceMlp{T}"/> for kinds the generator lacks.</summary>
    public object CreateNetwork()
    {
        object? generated = SuiteNetworks.WithArchitecture(Architecture);
        if (generated is not null) return generated;
        return Architecture.StartsWith("double:", StringComparison.Ordinal) ? new ReferenceMlp<double>(Architecture, seed: 99) : new ReferenceMlp<float>(Architecture, seed: 99);
    }

    private static double[][] Rows(JsonElement rows)
        => rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
}

/// <summary>Element-wise differences between two sets of outputs, as the report gives them.</summary>
public readonly record struct Difference(double MaxAbsolute, double MaxRelative)
{
    /// <summary>Relative differences are taken against max(|expected|, 1e-6), so that outputs near zero do not dominate.</summary>
    public static Difference Between(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        if (expected.Count != actual.Count) throw new ArgumentException($"{expected.Count} expected values, {actual.Count} actual");
        double abs = 0, rel = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            abs = Math.Max(abs, d);
            rel = Math.Max(rel, d / Math.Max(Math.Abs(expected[i]), 1e-6));
        }

        return new Difference(abs, rel);
    }

    public override string ToString() => $"max abs {MaxAbsolute:E2}, max rel {MaxRelative:E2}";
}

/// <summary>Runs a network of either element type on doubles.</summary>
public static class AnyNetwork
{
    public static string Architecture(object network) => network is INetwork<float> f ? f.Architecture : ((INetwork<double>)network).Architecture;

    public static double[] Forward(object network, double[] inputs, int batch)
    {
        switch (network)
        {
            case INetwork<float> f:
            {
                var output = new float[batch * f.OutputSize];
                f.Forward(Array.ConvertAll(inputs, v => (float)v), output, batch);
                return Array.ConvertAll(output, v => (double)v);
            }

            default:
            {
                var d = (INetwork<double>)network;
                var output = new double[batch * d.OutputSize];
                d.Forward(inputs, output, batch);
                return output;
            }
        }
    }

    /// <summary>The parameters' bits, to compare exactly (NaN and -0 included). Through GetBytes, since .NET Framework has no SingleToInt32Bits.</summary>
    public static long[] ParameterBits(object network) => network is INetwork<float> f
        ? Array.ConvertAll(f.Parameters, v => (long)BitConverter.ToInt32(BitConverter.GetBytes(v), 0))
        : Array.ConvertAll(((INetwork<double>)network).Parameters, BitConverter.DoubleToInt64Bits);
}
