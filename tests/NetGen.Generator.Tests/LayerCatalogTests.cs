using NetGen.Layouts;
using System;
using System.Linq;
using NetGen.Generator.Emission;
using NetGen.Generator.Kinds;
using NetGen.Generator.Kinds.Losses;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Every layer kind and loss has all it needs, found through its catalogue: a missing entry or piece
/// fails here rather than emitting wrong code. Small snapshots pin what each kind emits, beside the
/// whole-file snapshots, so that a change to one kind reads as a diff of that kind alone.
/// </summary>
public class LayerCatalogTests
{
    // By name: the kinds are internal to the generator, and xunit's theories are public.
    public static TheoryData<string> LayerKinds => new(Enum.GetNames(typeof(LayerKind)));

    public static TheoryData<string> LossKinds => new(Enum.GetNames(typeof(LossKind)));

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void EveryLayerKindHasADefinitionAndAnAttribute(string name)
    {
        var kind = (LayerKind)Enum.Parse(typeof(LayerKind), name);
        LayerDefinition definition = LayerCatalog.For(kind);

        Assert.Equal(kind, definition.Kind);
        Assert.Contains(definition, LayerCatalog.All);
        Assert.True(LayerCatalog.TryGetByAttribute(definition.AttributeMetadataName, out LayerDefinition? found));
        Assert.Same(definition, found);
        // The attribute the parser looks for exists in the library users reference.
        Assert.NotNull(typeof(NetworkAttribute).Assembly.GetType(definition.AttributeMetadataName));
        Assert.False(string.IsNullOrWhiteSpace(definition.Formula));
        Assert.Single(LayerCatalog.All, d => d.Kind == kind);
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void EveryLayerKindEmitsForwardAndBackwardInBothLayouts(string name)
    {
        var kind = (LayerKind)Enum.Parse(typeof(LayerKind), name);
        LayerDefinition definition = LayerCatalog.For(kind);
        (LayerSpec[] layers, int index) = Around(kind, new LayerSpec(LayerKind.Linear, 4, 5), 5);
        var plan = new NetworkPlan(new NetworkSpec(null, default, "Net", "public", "Net", ElementType.Float, false,
            new Helpers.EquatableArray<LayerSpec>(layers), null));
        PlannedLayer planned = plan.Layers[index];
        LayerSpec layer = planned.Layer;

        // A marker computes nothing (no FLOPs, a comment where its forward would be); a kind that only moves values need not either.
        Assert.True(definition.AliasesSource ? definition.ForwardFlops(layer) == 0 : definition.ForwardFlops(layer) > 0 || ShapeKindSamples.MovesValuesOnly(kind));
        Assert.False(string.IsNullOrWhiteSpace(definition.CanonicalText(layer)));
        if (definition is Kinds.Recurrent.RecurrentLayer recurrent)
        {
            // A recurrent kind runs over steps: a step, a whole sequence and its BPTT, never per sample.
            Assert.EndsWith(";", recurrent.Step(planned, "x", "states", "StateSize", "y", "n", "r"), StringComparison.Ordinal);
            Assert.EndsWith(";", recurrent.ForwardSequence(planned, "x", "y", "saved", "r"), StringComparison.Ordinal);
            var sequenceWriter = new CodeWriter();
            recurrent.EmitBackwardSequence(sequenceWriter, planned, "x", "delta", "dx", "saved", "r");
            Assert.Contains("dx", sequenceWriter.ToString(), StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => definition.Forward(new ForwardCall(planned, Layout.Rows, "x", "y", "n", plan)));
            return;
        }
        foreach (Layout layout in new[] { Layout.Rows, Layout.Columns })
        {
            string forward = definition.Forward(new ForwardCall(planned, layout, "x", "y", "n", plan, "x2"));
            if (definition.AliasesSource)
            {
                Assert.StartsWith("//", forward, StringComparison.Ordinal);
            }
            else
            {
                Assert.EndsWith(";", forward, StringComparison.Ordinal);
                Assert.EndsWith(";", definition.ForwardTraining(new ForwardCall(planned, layout, "x", "y", "n", plan, "x2")), StringComparison.Ordinal);
            }
            var writer = new CodeWriter();
            definition.EmitBackward(writer, new BackwardCall(planned, layout, "x", "y", "delta", "dx", null, "count", plan));
            Assert.Contains("dx", writer.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(LossKinds))]
    public void EveryLossHasADefinitionAndAnAttribute(string name)
    {
        var kind = (LossKind)Enum.Parse(typeof(LossKind), name);
        LossDefinition definition = LossCatalog.For(kind);

        Assert.Equal(kind, definition.Kind);
        Assert.Single(LossCatalog.All, d => d.Kind == kind);
        Assert.True(LossCatalog.TryGetByAttribute(definition.AttributeMetadataName, out LossDefinition? found));
        Assert.Same(definition, found);
        Assert.NotNull(typeof(NetworkAttribute).Assembly.GetType(definition.AttributeMetadataName));
        Assert.NotNull(typeof(NetworkAttribute).Assembly.GetType("NetGen." + definition.Contract + "`1"));
    }

    /// <summary>
    /// A layer of <paramref name="kind"/> as a declaration would give it, taking <paramref name="inputs"/>
    /// values: a kind that states its sizes makes <paramref name="outputs"/>, the others keep the width.
    /// LeakyReLU gets a slope that a wrong sign or a dropped factor would show.
    /// </summary>
    /// <summary>
    /// A chain with one layer of <paramref name="kind"/> after <paramref name="first"/>, and where that layer
    /// sits: a residual marker comes as a block, [Residual] [ReLU] [EndResidual], since neither makes a network alone.
    /// </summary>
    internal static (LayerSpec[] Layers, int Index) Around(LayerKind kind, LayerSpec first, int width)
    {
        if (kind is LayerKind.Residual or LayerKind.EndResidual)
        {
            var block = new[] { first, Sample(LayerKind.Residual, width, width), Sample(LayerKind.ReLU, width, width), Sample(LayerKind.EndResidual, width, width) };
            return (block, kind == LayerKind.Residual ? 1 : 3);
        }
        return (new[] { first, Sample(kind, width, 3) }, 1);
    }

    internal static LayerSpec Sample(LayerKind kind, int inputs, int outputs)
    {
        LayerDefinition definition = LayerCatalog.For(kind);
        if (ShapeKindSamples.Layer(kind) is LayerSpec shaped)
        {
            return shaped;
        }
        if (kind == LayerKind.BatchNorm2D)
        {
            // Channels of (channels, height, width): 2 channels of 3 x 1 when 6 values flow in.
            Shape image = Shape.ChannelsByHeightByWidth(2, System.Math.Max(1, inputs / 2), 1);
            return new LayerSpec(kind, image, image) { Arguments = new Helpers.EquatableArray<int>(new[] { 2 }) };
        }
        var declared = new LayerSpec(kind, inputs, outputs, kind switch { LayerKind.LeakyReLU => 0.2, LayerKind.Dropout => 0.25, _ => 0 })
        {
            Arguments = kind == LayerKind.BatchNorm1D ? new Helpers.EquatableArray<int>(new[] { inputs }) : default,
        };
        return definition.StatedInput(declared).IsKnown ? declared : declared with { InputShape = Shape.Features(inputs), OutputShape = Shape.Features(inputs) };
    }

    private static NetworkPlan Plan { get; } = new(new NetworkSpec(null, default, "Net", "public", "Net", ElementType.Float, false,
        new Helpers.EquatableArray<LayerSpec>(new[] { new LayerSpec(LayerKind.Linear, 5, 3) }), null));

    [Fact]
    public void AnUnknownKindIsRefusedNotGuessed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerCatalog.For((LayerKind)999));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossCatalog.For((LossKind)999));
    }

    /// <summary>What each layer kind emits, in both layouts, pinned per kind.</summary>
    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void WhatEachLayerKindEmitsMatchesItsSnapshot(string name)
    {
        var kind = (LayerKind)Enum.Parse(typeof(LayerKind), name);
        LayerDefinition definition = LayerCatalog.For(kind);
        (LayerSpec[] layers, int index) = Around(kind, new LayerSpec(LayerKind.Linear, 4, 6), 6);
        var spec = new NetworkSpec(null, default, "Sheet", "public", "Sheet", ElementType.Float, false,
            new Helpers.EquatableArray<LayerSpec>(layers), null);
        var plan = new NetworkPlan(spec);
        PlannedLayer layer = plan.Layers[index];
        var writer = new CodeWriter();
        writer.Line($"// {definition.Name}: {definition.Formula}");
        writer.Line($"// canonical: {definition.CanonicalText(layer.Layer)}, FLOPs per sample: {definition.ForwardFlops(layer.Layer)}");
        definition.EmitMembers(writer, layer, plan);
        if (definition is Kinds.Recurrent.RecurrentLayer recurrent)
        {
            writer.Line("// Step");
            writer.Line(recurrent.Step(layer, "x", "states.Slice(0)", "StateSize", "y", "n", "r"));
            writer.Line("// Sequence");
            writer.Line(recurrent.ForwardSequence(layer, "x", "y", "saved", "r"));
            recurrent.EmitBackwardSequence(writer, layer, "x", "delta", "dx", "saved", "r");
            SnapshotAssert.Matches("Layer." + definition.Name, writer.ToString());
            return;
        }
        foreach (Layout layout in new[] { Layout.Rows, Layout.Columns })
        {
            writer.Line($"// {layout}");
            writer.Line(definition.Forward(new ForwardCall(layer, layout, "x", "y", "n", plan, "x2")));
            string training = definition.ForwardTraining(new ForwardCall(layer, layout, "x", "y", "n", plan, "x2"));
            if (training != definition.Forward(new ForwardCall(layer, layout, "x", "y", "n", plan, "x2")))
            {
                writer.Line($"// {layout}, training");
                writer.Line(training);
            }
            definition.EmitBackward(writer, new BackwardCall(layer, layout, "x", "y", "delta", "dx", null, "count", plan));
        }
        SnapshotAssert.Matches("Layer." + definition.Name, writer.ToString());
    }
}
