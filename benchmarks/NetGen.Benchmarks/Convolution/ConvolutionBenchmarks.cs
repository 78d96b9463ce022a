using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using NetGen.Runtime;

namespace NetGen.Benchmarks.Convolution;

/// <summary>
/// The convolution kernels alone (src/NetGen/Runtime/Kernels/NetworkKernels.Convolution*.cs), in float,
/// on the layers of the networks issue 17 names: the 8x8 digits CNN, the 1-D keyword-spotting network,
/// and two larger 2-D layers (a dense 3x3 and a depthwise 3x3) of the size small vision models have. The
/// GFLOP/s and % peak columns count 2 FLOPs per multiply-add of the convolution's definition (padding
/// included, as ONNX Runtime and PyTorch count them); the backward row is the input gradient and the
/// weight and bias gradients, twice the forward's FLOPs.
/// </summary>
[BenchmarkCategory(Category)]
public class ConvolutionBenchmarks
{
    public const string Category = "Convolution kernels";

    private const int Batch = 64;

    private static readonly Dictionary<string, Func<LayerCase>> Layers = new()
    {
        ["digits conv 1x8x8 -> 8, k3 p1"] = () => new LayerCase<DigitsFirst>(),
        ["digits conv 8x4x4 -> 16, k3 p1"] = () => new LayerCase<DigitsSecond>(),
        ["kws conv1d 1x128 -> 16, k5"] = () => new LayerCase<KeywordFirst>(),
        ["kws conv1d 16x62 -> 32, k5"] = () => new LayerCase<KeywordSecond>(),
        ["conv 16x16x16 -> 32, k3 p1"] = () => new LayerCase<Dense16>(),
        ["depthwise 32x16x16, k3 p1"] = () => new LayerCase<Depthwise32>(),
    };

    private LayerCase layer = null!;

    [ParamsSource(nameof(LayerNames))]
    public string Layer { get; set; } = "";

    public static IEnumerable<string> LayerNames => Layers.Keys;

    /// <summary>FLOPs of one invocation of <paramref name="method"/> on <paramref name="layerName"/>.</summary>
    public static long? FlopsOf(string method, string? layerName)
    {
        if (layerName is null || !Layers.TryGetValue(layerName, out Func<LayerCase>? make))
        {
            return null;
        }
        long forward = make().FlopsPerSample;
        return method switch
        {
            nameof(ForwardOneSample) => forward,
            nameof(ForwardBatch) => forward * Batch,
            nameof(BackwardBatch) => 2 * forward * Batch,
            _ => null,
        };
    }

    [GlobalSetup]
    public void Setup() => layer = Layers[Layer]();

    [Benchmark(Description = "Conv forward, 1 sample")]
    public void ForwardOneSample() => layer.Forward(1);

    [Benchmark(Description = "Conv forward, batch 64")]
    public void ForwardBatch() => layer.Forward(Batch);

    [Benchmark(Description = "Conv backward (input, weight, bias), batch 64")]
    public void BackwardBatch() => layer.Backward(Batch);

    private abstract class LayerCase
    {
        public abstract long FlopsPerSample { get; }

        public abstract void Forward(int count);

        public abstract void Backward(int count);
    }

    private sealed class LayerCase<TLayer> : LayerCase
        where TLayer : struct, IConvolutionShape
    {
        private readonly float[] parameters, gradients, inputs, outputs, deltas, inputGradients, workspace;

        public LayerCase()
        {
            TLayer shape = default;
            int taps = shape.InChannels / shape.Groups * shape.KernelHeight * shape.KernelWidth;
            int positions = FloatKernels.ConvolutionOutputHeight<TLayer>() * FloatKernels.ConvolutionOutputWidth<TLayer>();
            int inputSize = shape.InChannels * shape.InputHeight * shape.InputWidth;
            FlopsPerSample = 2L * shape.OutChannels * taps * positions;
            var random = new Random(17);
            parameters = Random(random, (shape.OutChannels * taps) + shape.OutChannels);
            gradients = new float[parameters.Length];
            inputs = Random(random, Batch * inputSize);
            outputs = new float[Batch * shape.OutChannels * positions];
            deltas = Random(random, outputs.Length);
            inputGradients = new float[inputs.Length];
            workspace = new float[FloatKernels.ConvolutionWorkspaceLength<TLayer>()];
        }

        public override long FlopsPerSample { get; }

        public override void Forward(int count) => FloatKernels.ConvolutionForward<TLayer>(parameters, inputs, outputs, count, workspace);

        public override void Backward(int count)
        {
            FloatKernels.ConvolutionInputGradient<TLayer>(parameters, deltas, inputGradients, count, workspace);
            FloatKernels.ConvolutionParameterGradients<TLayer>(inputs, deltas, gradients, count, workspace);
        }

        private static float[] Random(Random random, int length)
        {
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = (float)(random.NextDouble() - 0.5);
            }
            return values;
        }
    }

    private readonly struct DigitsFirst : IConvolutionShape
    {
        public int InChannels => 1; public int OutChannels => 8; public int Groups => 1;
        public int InputHeight => 8; public int InputWidth => 8; public int KernelHeight => 3; public int KernelWidth => 3;
        public int StrideHeight => 1; public int StrideWidth => 1; public int PaddingHeight => 1; public int PaddingWidth => 1;
        public int DilationHeight => 1; public int DilationWidth => 1; public int Offset => 0;
    }

    private readonly struct DigitsSecond : IConvolutionShape
    {
        public int InChannels => 8; public int OutChannels => 16; public int Groups => 1;
        public int InputHeight => 4; public int InputWidth => 4; public int KernelHeight => 3; public int KernelWidth => 3;
        public int StrideHeight => 1; public int StrideWidth => 1; public int PaddingHeight => 1; public int PaddingWidth => 1;
        public int DilationHeight => 1; public int DilationWidth => 1; public int Offset => 0;
    }

    private readonly struct KeywordFirst : IConvolutionShape
    {
        public int InChannels => 1; public int OutChannels => 16; public int Groups => 1;
        public int InputHeight => 1; public int InputWidth => 128; public int KernelHeight => 1; public int KernelWidth => 5;
        public int StrideHeight => 1; public int StrideWidth => 1; public int PaddingHeight => 0; public int PaddingWidth => 0;
        public int DilationHeight => 1; public int DilationWidth => 1; public int Offset => 0;
    }

    private readonly struct KeywordSecond : IConvolutionShape
    {
        public int InChannels => 16; public int OutChannels => 32; public int Groups => 1;
        public int InputHeight => 1; public int InputWidth => 62; public int KernelHeight => 1; public int KernelWidth => 5;
        public int StrideHeight => 1; public int StrideWidth => 1; public int PaddingHeight => 0; public int PaddingWidth => 0;
        public int DilationHeight => 1; public int DilationWidth => 1; public int Offset => 0;
    }

    private readonly struct Dense16 : IConvolutionShape
    {
        public int InChannels => 16; public int OutChannels => 32; public int Groups => 1;
        public int InputHeight => 16; public int InputWidth => 16; public int KernelHeight => 3; public int KernelWidth => 3;
        public int StrideHeight => 1; public int StrideWidth => 1; public int PaddingHeight => 1; public int PaddingWidth => 1;
        public int DilationHeight => 1; public int DilationWidth => 1; public int Offset => 0;
    }

    private readonly struct Depthwise32 : IConvolutionShape
    {
        public int InChannels => 32; public int OutChannels => 32; public int Groups => 32;
        public int InputHeight => 16; public int InputWidth => 16; public int KernelHeight => 3; public int KernelWidth => 3;
        public int StrideHeight => 1; public int StrideWidth => 1; public int PaddingHeight => 1; public int PaddingWidth => 1;
        public int DilationHeight => 1; public int DilationWidth => 1; public int Offset => 0;
    }
}
