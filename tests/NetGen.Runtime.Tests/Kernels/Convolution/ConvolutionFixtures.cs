using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Interop.Tests;

namespace NetGen.Runtime.Tests.Kernels.Convolution;

/// <summary>
/// The cases of tests/fixtures/pytorch/convolutions.json, which make_conv_reference.py writes from
/// PyTorch in float64: a batch, the layer's options, PyTorch's output for it, and the gradients of
/// <c>sum(dy * y)</c> for a fixed random <c>dy</c>. Tensors are flat, in PyTorch's contiguous layout.
/// </summary>
public static class ConvolutionFixtures
{
    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        string path = Path.Combine(FixtureCase.Directory, "convolutions.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    });

    public static IReadOnlyList<ConvolutionCase> Convolutions { get; } = new Lazy<IReadOnlyList<ConvolutionCase>>(
        () => Cases.Value.Where(c => c.GetProperty("kind").GetString() == "conv").Select(c => new ConvolutionCase(c)).ToArray()).Value;

    public static IReadOnlyList<PoolCase> Pools { get; } = new Lazy<IReadOnlyList<PoolCase>>(
        () => Cases.Value.Where(c => c.GetProperty("kind").GetString() != "conv").Select(c => new PoolCase(c)).ToArray()).Value;

    public static ConvolutionCase Convolution(string name) => Convolutions.Single(c => c.Name == name);

    public static PoolCase Pool(string name) => Pools.Single(c => c.Name == name);

    internal static double[] Doubles(JsonElement c, string name) => c.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    internal static int[] Ints(JsonElement c, string name) => c.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();
}

/// <summary>One convolution case: Conv1d (rank 1, input (C, L)) or Conv2d (rank 2, input (C, H, W)).</summary>
public sealed class ConvolutionCase
{
    public ConvolutionCase(JsonElement c)
    {
        Name = c.GetProperty("name").GetString()!;
        Rank = c.GetProperty("rank").GetInt32();
        Batch = c.GetProperty("batch").GetInt32();
        int[] shape = ConvolutionFixtures.Ints(c, "input_shape");
        InChannels = shape[0];
        InputHeight = Rank == 2 ? shape[1] : 1;
        InputWidth = shape[shape.Length - 1];
        int[] output = ConvolutionFixtures.Ints(c, "output_shape");
        OutputHeight = Rank == 2 ? output[1] : 1;
        OutputWidth = output[output.Length - 1];
        OutChannels = c.GetProperty("out_channels").GetInt32();
        Kernel = c.GetProperty("kernel").GetInt32();
        Stride = c.GetProperty("stride").GetInt32();
        Padding = c.GetProperty("padding").GetInt32();
        Dilation = c.GetProperty("dilation").GetInt32();
        Groups = c.GetProperty("groups").GetInt32();
        X = ConvolutionFixtures.Doubles(c, "x");
        Weight = ConvolutionFixtures.Doubles(c, "weight");
        Bias = ConvolutionFixtures.Doubles(c, "bias");
        Y = ConvolutionFixtures.Doubles(c, "y");
        Dy = ConvolutionFixtures.Doubles(c, "dy");
        Dx = ConvolutionFixtures.Doubles(c, "dx");
        DWeight = ConvolutionFixtures.Doubles(c, "dweight");
        DBias = ConvolutionFixtures.Doubles(c, "dbias");
    }

    public string Name { get; }
    public int Rank { get; }
    public int Batch { get; }
    public int InChannels { get; }
    public int InputHeight { get; }
    public int InputWidth { get; }
    public int OutChannels { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }
    public int Kernel { get; }
    public int KernelHeight => Rank == 2 ? Kernel : 1;
    public int Stride { get; }
    public int StrideHeight => Rank == 2 ? Stride : 1;
    public int Padding { get; }
    public int PaddingHeight => Rank == 2 ? Padding : 0;
    public int Dilation { get; }
    public int DilationHeight => Rank == 2 ? Dilation : 1;
    public int Groups { get; }
    public double[] X { get; }
    public double[] Weight { get; }
    public double[] Bias { get; }
    public double[] Y { get; }
    public double[] Dy { get; }
    public double[] Dx { get; }
    public double[] DWeight { get; }
    public double[] DBias { get; }

    public override string ToString() => Name;
}

/// <summary>One pooling case: maxpool, avgpool (count_include_pad=True) or globalavgpool, 1-D or 2-D.</summary>
public sealed class PoolCase
{
    public PoolCase(JsonElement c)
    {
        Name = c.GetProperty("name").GetString()!;
        Kind = c.GetProperty("kind").GetString()!;
        Rank = c.GetProperty("rank").GetInt32();
        Batch = c.GetProperty("batch").GetInt32();
        int[] shape = ConvolutionFixtures.Ints(c, "input_shape");
        Channels = shape[0];
        InputHeight = Rank == 2 ? shape[1] : 1;
        InputWidth = shape[shape.Length - 1];
        Kernel = c.GetProperty("kernel").GetInt32();
        Stride = c.GetProperty("stride").GetInt32();
        Padding = c.GetProperty("padding").GetInt32();
        X = ConvolutionFixtures.Doubles(c, "x");
        Y = ConvolutionFixtures.Doubles(c, "y");
        Dy = ConvolutionFixtures.Doubles(c, "dy");
        Dx = ConvolutionFixtures.Doubles(c, "dx");
    }

    public string Name { get; }
    public string Kind { get; }
    public int Rank { get; }
    public int Batch { get; }
    public int Channels { get; }
    public int InputHeight { get; }
    public int InputWidth { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int Padding { get; }
    public double[] X { get; }
    public double[] Y { get; }
    public double[] Dy { get; }
    public double[] Dx { get; }

    public override string ToString() => Name;
}
