using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Layouts;

namespace NetGen.Generator.Tests;

/// <summary>
/// A meaningful sample of each shape kind (issue 17) for the tests that grow with the catalogue: a layer
/// of 6 values in, with its shapes filled in as the chain would (a flat Linear's neighbours cannot tell a
/// (2, 3) sample from 6 features), and a whole declaration around it that compiles.
/// </summary>
internal static class ShapeKindSamples
{
    /// <summary>The sample layer of a shape kind, or null for the other kinds.</summary>
    public static LayerSpec? Layer(LayerKind kind) => kind switch
    {
        LayerKind.Input => new LayerSpec(kind, Shape.Features(6), Shape.Features(6), Arguments: Ints(6)),
        LayerKind.Conv1D => new LayerSpec(kind, Shape.ChannelsByLength(2, 3), Shape.ChannelsByLength(4, 2), Arguments: Ints(2, 4, 2, 1, 0, 1, 2)),
        LayerKind.Conv2D => new LayerSpec(kind, Shape.ChannelsByHeightByWidth(1, 2, 3), Shape.ChannelsByHeightByWidth(3, 2, 3), Arguments: Ints(1, 3, 2, 1, 1, 2, 1)),
        LayerKind.MaxPool1D or LayerKind.AvgPool1D => new LayerSpec(kind, Shape.ChannelsByLength(2, 3), Shape.ChannelsByLength(2, 4), Arguments: Ints(2, 1, 1)),
        LayerKind.MaxPool2D or LayerKind.AvgPool2D => new LayerSpec(kind, Shape.ChannelsByHeightByWidth(1, 2, 3), Shape.ChannelsByHeightByWidth(1, 2, 2), Arguments: Ints(2, 2, 1)),
        LayerKind.GlobalAvgPool => new LayerSpec(kind, Shape.ChannelsByLength(2, 3), Shape.Features(2)),
        LayerKind.Flatten => new LayerSpec(kind, Shape.ChannelsByLength(2, 3), Shape.Features(6)),
        _ => null,
    };

    /// <summary>Kinds that move values and compute nothing: their FLOPs are 0.</summary>
    public static bool MovesValuesOnly(LayerKind kind) => kind is LayerKind.Input or LayerKind.Flatten;

    /// <summary>
    /// A whole declaration (attributes only) around a shape kind that ends in <paramref name="loss"/> after
    /// a Linear head, or null for the other kinds.
    /// </summary>
    public static string? Declaration(LayerKind kind, string loss) => kind switch
    {
        LayerKind.Input => $"[Network] [Input(6)] [Linear(6, 2)] [{loss}]",
        LayerKind.Conv1D => $"[Network] [Input(2, 7)] [Conv1D(2, 4, 3, Stride = 2, Padding = 1, Dilation = 1, Groups = 2)] [Flatten] [Linear(16, 2)] [{loss}]",
        LayerKind.Conv2D => $"[Network] [Input(1, 5, 5)] [Conv2D(1, 3, 3, Padding = 1)] [Flatten] [Linear(75, 2)] [{loss}]",
        LayerKind.MaxPool1D => $"[Network] [Input(2, 7)] [Conv1D(2, 2, 1)] [MaxPool1D(3, Stride = 2, Padding = 1)] [Flatten] [Linear(8, 2)] [{loss}]",
        LayerKind.AvgPool1D => $"[Network] [Input(2, 7)] [Conv1D(2, 2, 1)] [AvgPool1D(2)] [Flatten] [Linear(6, 2)] [{loss}]",
        LayerKind.MaxPool2D => $"[Network] [Input(1, 5, 5)] [Conv2D(1, 2, 2)] [MaxPool2D(2)] [Flatten] [Linear(8, 2)] [{loss}]",
        LayerKind.AvgPool2D => $"[Network] [Input(1, 5, 5)] [Conv2D(1, 2, 2)] [AvgPool2D(3, Stride = 1, Padding = 1)] [Flatten] [Linear(32, 2)] [{loss}]",
        LayerKind.GlobalAvgPool => $"[Network] [Input(3, 4, 4)] [Conv2D(3, 5, 3)] [GlobalAvgPool] [Linear(5, 2)] [{loss}]",
        LayerKind.Flatten => $"[Network] [Input(2, 3)] [Conv1D(2, 2, 1)] [Flatten] [Linear(6, 2)] [{loss}]",
        _ => null,
    };

    private static EquatableArray<int> Ints(params int[] values) => new(values);
}
