using System;

namespace NetGen.Onnx;

/// <summary>The ONNX operator set versions that <see cref="OnnxExport"/> writes, and the IR version each needs.</summary>
public static class OnnxOpsets
{
    /// <summary>The lowest opset written: 9, as Unity's Barracuda and ML-Agents use.</summary>
    public const int Lowest = 9;

    /// <summary>The highest opset written. Every operator NetGen uses has the same meaning from 13 to here.</summary>
    public const int Highest = 21;

    /// <summary>The default opset: 13, the first where Softmax works along one axis.</summary>
    public const int Default = 13;

    /// <summary>
    /// The IR (file format) version of the ONNX release that introduced <paramref name="opset"/>: a model
    /// declares the oldest IR version that can hold it, so that older runtimes that know the opset load it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opset"/> is outside [<see cref="Lowest"/>, <see cref="Highest"/>].</exception>
    public static int IrVersion(int opset) => opset switch
    {
        9 => 4,   // ONNX 1.4
        10 => 5,  // 1.5
        11 => 6,  // 1.6
        12 or 13 or 14 => 7,  // 1.7 to 1.9
        15 or 16 or 17 or 18 => 8,  // 1.10 to 1.13
        19 or 20 => 9,  // 1.14, 1.15
        21 => 10, // 1.16
        _ => throw new ArgumentOutOfRangeException(nameof(opset), opset, $"NetGen writes ONNX opsets {Lowest} to {Highest}."),
    };
}
