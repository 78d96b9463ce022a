using System.Globalization;

namespace NetGen.Layouts;

/// <summary>
/// The shape of one sample's values as they flow between layers, without the batch: features (rank 1),
/// channels x length (rank 2) or channels x height x width (rank 3), PyTorch's contiguous layout. Shared by
/// the generator, which checks every declaration's shapes, and the library, which follows the same shapes
/// through the architecture text (the generator links this file).
/// </summary>
internal readonly record struct Shape(int Rank, int Channels, int Height, int Width)
{
    /// <summary>A flat sample of <paramref name="features"/> values.</summary>
    public static Shape Features(int features) => new(1, 1, 1, features);

    /// <summary>A sample of <paramref name="channels"/> sequences of <paramref name="length"/> values.</summary>
    public static Shape ChannelsByLength(int channels, int length) => new(2, channels, 1, length);

    /// <summary>A sample of <paramref name="channels"/> images of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static Shape ChannelsByHeightByWidth(int channels, int height, int width) => new(3, channels, height, width);

    /// <summary>No shape yet: the width flowing into a layer before any layer states one.</summary>
    public static Shape Unknown => default;

    public bool IsKnown => Rank > 0;

    /// <summary>The values per sample: the product of the dimensions (what InputSize and OutputSize count).</summary>
    public long Size => (long)Channels * Height * Width;

    /// <summary>As the diagnostics write it: <c>16</c>, <c>(3, 32)</c> or <c>(3, 8, 8)</c>.</summary>
    public override string ToString() => Rank switch
    {
        1 => Width.ToString(CultureInfo.InvariantCulture),
        2 => string.Format(CultureInfo.InvariantCulture, "({0}, {1})", Channels, Width),
        3 => string.Format(CultureInfo.InvariantCulture, "({0}, {1}, {2})", Channels, Height, Width),
        _ => "unknown",
    };
}
