using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Kinds;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// What every registered layer kind must be, checked over the catalogue so that the checks grow with it:
/// its attribute is in the library; its answers are consistent (a kind that states its input makes a
/// shape, a kind with parameters has a layout in the shared table that the library reads the same way);
/// in a network, its parameter tensors tile Parameters exactly and its workspace ranges do not overlap;
/// the library's reading of the architecture text places every tensor where the generator does.
/// (Its per-kind snapshot is LayerCatalogTests'; its presence in the fuzz test and the C# 8/9 compile
/// theory comes from those tests drawing on the catalogue.)
/// </summary>
public class KindConformanceTests
{
    /// <summary>Every kind that becomes a node: [Input] is taken out of the chain as the network's input shape (ShapeDiagnosticTests check it).</summary>
    public static TheoryData<string> LayerKinds => new(LayerCatalog.All.Where(d => d.Kind != LayerKind.Input).Select(d => d.Kind.ToString()));

    private static LayerDefinition Definition(string name) => LayerCatalog.For((LayerKind)Enum.Parse(typeof(LayerKind), name));

    /// <summary>A network around one layer of the kind: a Linear before it fixes the input, one after it has parameters below it to train.</summary>
    private static NetworkPlan PlanAround(LayerDefinition definition, ElementType type = ElementType.Float)
    {
        LayerSpec sample = LayerCatalogTests.Sample(definition.Kind, 6, 3);
        if (sample.InputShape.Rank > 1)
        {
            // A shape kind: an Input states its shape, and a Flatten leads to the Linear where it makes a shape.
            var layers = new List<LayerSpec> { sample };
            if (sample.OutputShape.Rank > 1)
            {
                layers.Add(new LayerSpec(LayerKind.Flatten, sample.OutputShape, NetGen.Layouts.Shape.Features(sample.Outputs)));
            }
            layers.Add(new LayerSpec(LayerKind.Linear, sample.Outputs, 2));
            return new NetworkPlan(new NetworkSpec(null, default, "Conformance", "public", "Conformance", type, false,
                new Helpers.EquatableArray<LayerSpec>(layers), null, InputShape: sample.InputShape));
        }
        (LayerSpec[] chain, _) = LayerCatalogTests.Around(definition.Kind, new LayerSpec(LayerKind.Linear, 4, 6), 6);
        var spec = new NetworkSpec(null, default, "Conformance", "public", "Conformance", type, false,
            new Helpers.EquatableArray<LayerSpec>(chain.Append(new LayerSpec(LayerKind.Linear, chain[chain.Length - 1].Outputs, 2))), null);
        return new NetworkPlan(spec);
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void TheKindsAttributeIsInTheLibrary(string name)
    {
        LayerDefinition definition = Definition(name);
        Type? attribute = typeof(NetworkAttribute).Assembly.GetType(definition.AttributeMetadataName);
        Assert.NotNull(attribute);
        Assert.True(typeof(Attribute).IsAssignableFrom(attribute));
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void ParameterTensorsTileParametersExactly(string name)
    {
        NetworkPlan plan = PlanAround(Definition(name));
        var ranges = plan.ParameterTensors.Select(p => (p.Tensor.Offset, p.Tensor.End, Count: p.Tensor.Layout.Shape.Aggregate(1L, (a, d) => a * d))).ToList();

        int next = 0;
        foreach ((int offset, int end, long count) in ranges)
        {
            Assert.Equal(next, offset);            // no gap, no overlap
            Assert.Equal(count, end - offset);     // a tensor's range is its shape's size
            next = end;
        }
        Assert.Equal(plan.ParameterCount, next);   // and together they are all of Parameters
        Assert.Equal(plan.ParameterCount, plan.Layers.Sum(l => l.Layer.Definition().ParameterCount(l.Layer)));
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void WorkspaceRangesAreDisjoint(string name)
    {
        NetworkPlan plan = PlanAround(Definition(name));
        // Per sample: the transposed input, each node's kept output, each extra; then four buffers of MaxWidth and one skip buffer per level of residual nesting.
        var ranges = new List<(long Start, long End, string What)> { (0, plan.InputSize, "input") };
        // A residual marker keeps nothing of its own: its value is its source's.
        ranges.AddRange(plan.Layers.Where(l => !l.Layer.Definition().AliasesSource).Select(l => ((long)l.ActivationOffset, (long)l.ActivationOffset + l.Outputs, "layer " + l.Number)));
        ranges.AddRange(plan.Extras.Select(e => ((long)e.Offset, (long)e.Offset + e.Extra.PerSample, "extra " + e.Extra.Name)));
        for (int buffer = 0; buffer < 4 + plan.SkipBuffers; buffer++)
        {
            ranges.Add((plan.ActivationEnd + ((long)buffer * plan.MaxWidth), plan.ActivationEnd + ((long)(buffer + 1) * plan.MaxWidth), "buffer " + buffer));
        }

        var sorted = ranges.OrderBy(r => r.Start).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            Assert.True(sorted[i].Start >= sorted[i - 1].End, $"{sorted[i - 1].What} [{sorted[i - 1].Start}, {sorted[i - 1].End}) overlaps {sorted[i].What} [{sorted[i].Start}, {sorted[i].End})");
        }
        Assert.Equal(plan.WorkspacePerSample, sorted[sorted.Count - 1].End);
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void TheLibraryReadsTheSameTensorsFromTheArchitectureText(string name)
    {
        NetworkPlan plan = PlanAround(Definition(name));
        // The library's NetworkArchitecture, not the generator's linked copy of the same file (both are
        // NetGen.NetworkArchitecture, so the name alone is ambiguous here): through reflection on NetGen.dll.
        Type type = typeof(NetworkAttribute).Assembly.GetType("NetGen.NetworkArchitecture", throwOnError: true)!;
        dynamic architecture = type.GetMethod("Parse")!.Invoke(null, new object[] { ArchitectureText.Of(plan.Spec) })!;

        Assert.Equal(plan.ParameterCount, (int)architecture.ParameterCount);
        Assert.Equal(plan.InputSize, (int)architecture.InputSize);
        Assert.Equal(plan.OutputSize, (int)architecture.OutputSize);
        for (int i = 0; i < plan.Layers.Count; i++)
        {
            PlannedLayer layer = plan.Layers[i];
            dynamic read = architecture.Layers[i];
            Assert.Equal(layer.Layer.Definition().Name, (string)read.Kind);
            var readTensors = new List<string>();
            foreach (dynamic tensor in read.Tensors)
            {
                readTensors.Add($"{(string)tensor.Name} {string.Join("x", (IEnumerable<int>)tensor.Shape)} @{(int)tensor.Offset}");
            }
            Assert.Equal(layer.Tensors.Select(t => $"{t.Layout.Name} {string.Join("x", t.Layout.Shape)} @{t.Offset}"), readTensors);
        }
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void TheKindsAnswersAreConsistent(string name)
    {
        LayerDefinition definition = Definition(name);
        LayerSpec sample = LayerCatalogTests.Sample(definition.Kind, 6, 3);

        Assert.InRange(definition.InputCount, 1, 2);
        // A marker computes nothing; a kind that only moves values (a flatten) need not either; every other kind computes.
        Assert.True(definition.AliasesSource ? definition.ForwardFlops(sample) == 0 : definition.ForwardFlops(sample) > 0 || ShapeKindSamples.MovesValuesOnly(definition.Kind));
        // Every kind's backward reads something or nothing, but says which.
        Assert.True(Enum.IsDefined(typeof(SavedValues), definition.Saves) || definition.Saves == (SavedValues.Input | SavedValues.Output));
        // A kind that keeps the shape reports it unchanged; one that states its input makes the size it says.
        if (!definition.StatedInput(sample).IsKnown && definition.KeepsShape)
        {
            Assert.Equal(sample.InputShape, sample.OutputShape);
        }
        // A kind whose tensors are in the table has them non-empty with positive sizes.
        foreach (NetGen.Layouts.TensorLayout tensor in definition.ParameterTensors(sample))
        {
            Assert.All(tensor.Shape, d => Assert.True(d > 0));
            Assert.False(string.IsNullOrEmpty(tensor.Name));
        }
    }
}
