using System;

namespace NetGen.Runtime.Tests.Kernels.Convolution;

/// <summary>A convolution shape from type-level constants: what the generator will write as a struct of literals.</summary>
public readonly struct ConvolutionShape<TInChannels, TOutChannels, TGroups, TInputHeight, TInputWidth, TKernelHeight, TKernelWidth,
    TStrideHeight, TStrideWidth, TPaddingHeight, TPaddingWidth, TDilationHeight, TDilationWidth, TOffset> : IConvolutionShape
    where TInChannels : struct, IConstant where TOutChannels : struct, IConstant where TGroups : struct, IConstant
    where TInputHeight : struct, IConstant where TInputWidth : struct, IConstant
    where TKernelHeight : struct, IConstant where TKernelWidth : struct, IConstant
    where TStrideHeight : struct, IConstant where TStrideWidth : struct, IConstant
    where TPaddingHeight : struct, IConstant where TPaddingWidth : struct, IConstant
    where TDilationHeight : struct, IConstant where TDilationWidth : struct, IConstant
    where TOffset : struct, IConstant
{
    public int InChannels => default(TInChannels).Value;
    public int OutChannels => default(TOutChannels).Value;
    public int Groups => default(TGroups).Value;
    public int InputHeight => default(TInputHeight).Value;
    public int InputWidth => default(TInputWidth).Value;
    public int KernelHeight => default(TKernelHeight).Value;
    public int KernelWidth => default(TKernelWidth).Value;
    public int StrideHeight => default(TStrideHeight).Value;
    public int StrideWidth => default(TStrideWidth).Value;
    public int PaddingHeight => default(TPaddingHeight).Value;
    public int PaddingWidth => default(TPaddingWidth).Value;
    public int DilationHeight => default(TDilationHeight).Value;
    public int DilationWidth => default(TDilationWidth).Value;
    public int Offset => default(TOffset).Value;
}

/// <summary>A pool shape from type-level constants.</summary>
public readonly struct PoolShape<TChannels, TInputHeight, TInputWidth, TKernelHeight, TKernelWidth, TStrideHeight, TStrideWidth, TPaddingHeight, TPaddingWidth> : IPoolShape
    where TChannels : struct, IConstant where TInputHeight : struct, IConstant where TInputWidth : struct, IConstant
    where TKernelHeight : struct, IConstant where TKernelWidth : struct, IConstant
    where TStrideHeight : struct, IConstant where TStrideWidth : struct, IConstant
    where TPaddingHeight : struct, IConstant where TPaddingWidth : struct, IConstant
{
    public int Channels => default(TChannels).Value;
    public int InputHeight => default(TInputHeight).Value;
    public int InputWidth => default(TInputWidth).Value;
    public int KernelHeight => default(TKernelHeight).Value;
    public int KernelWidth => default(TKernelWidth).Value;
    public int StrideHeight => default(TStrideHeight).Value;
    public int StrideWidth => default(TStrideWidth).Value;
    public int PaddingHeight => default(TPaddingHeight).Value;
    public int PaddingWidth => default(TPaddingWidth).Value;
}

/// <summary>One convolution layer's kernels on one element type and arithmetic, behind arrays.</summary>
public interface IConvolutionRunner<T>
{
    int OutputHeight { get; }

    int OutputWidth { get; }

    int WorkspaceLength { get; }

    void Forward(T[] p, T[] x, T[] y, int count, T[] workspace);

    /// <summary>The feature-major forward: value k of sample s at [k * count + s].</summary>
    void ForwardColumns(T[] p, T[] x, T[] y, int count);

    /// <summary>The feature-major forward with the ReLU after it fused into its stores (inference).</summary>
    void ReLUForwardColumns(T[] p, T[] x, T[] y, int count);

    /// <summary>The feature-major input gradient.</summary>
    void InputGradientColumns(T[] p, T[] delta, T[] dx, int count);

    void InputGradient(T[] p, T[] delta, T[] dx, int count, T[] workspace);

    void ParameterGradients(T[] x, T[] delta, T[] g, int count, T[] workspace);

    /// <summary>The feature-major parameter gradients; false where that kernel does not run (it then writes nothing).</summary>
    bool ParameterGradientsColumns(T[] x, T[] delta, T[] g, int count);
}

/// <summary>One pooling layer's kernels on one element type and arithmetic, behind arrays.</summary>
public interface IPoolRunner<T>
{
    int OutputHeight { get; }

    int OutputWidth { get; }

    void MaxForward(T[] x, T[] y, int count);

    void MaxBackward(T[] x, T[] delta, T[] dx, int count);

    void AvgForward(T[] x, T[] y, int count);

    void AvgBackward(T[] delta, T[] dx, int count);

    void GlobalForward(T[] x, T[] y, int channels, int positions, int count);

    void GlobalBackward(T[] delta, T[] dx, int channels, int positions, int count);

    // The feature-major kernels: value k of sample s at [k * count + s].
    void MaxForwardColumns(T[] x, T[] y, int count);

    void MaxBackwardColumns(T[] x, T[] delta, T[] dx, int count);

    void AvgForwardColumns(T[] x, T[] y, int count);

    void AvgBackwardColumns(T[] delta, T[] dx, int count);

    void GlobalForwardColumns(T[] x, T[] y, int channels, int positions, int count);

    void GlobalBackwardColumns(T[] delta, T[] dx, int channels, int positions, int count);
}

public sealed class ConvolutionRunner<T, TArithmetic, TLayer> : IConvolutionRunner<T>
    where T : unmanaged
    where TArithmetic : struct, IArithmetic<T>
    where TLayer : struct, IConvolutionShape
{
    public int OutputHeight => NetworkKernels<T, TArithmetic>.ConvolutionOutputHeight<TLayer>();

    public int OutputWidth => NetworkKernels<T, TArithmetic>.ConvolutionOutputWidth<TLayer>();

    public int WorkspaceLength => NetworkKernels<T, TArithmetic>.ConvolutionWorkspaceLength<TLayer>();

    public void Forward(T[] p, T[] x, T[] y, int count, T[] workspace)
        => NetworkKernels<T, TArithmetic>.ConvolutionForward<TLayer>(p, x, y, count, workspace);

    public void ForwardColumns(T[] p, T[] x, T[] y, int count)
        => NetworkKernels<T, TArithmetic>.ConvolutionForwardColumns<TLayer>(p, x, y, count);

    public void ReLUForwardColumns(T[] p, T[] x, T[] y, int count)
        => NetworkKernels<T, TArithmetic>.ConvolutionReLUForwardColumns<TLayer>(p, x, y, count);

    public void InputGradientColumns(T[] p, T[] delta, T[] dx, int count)
        => NetworkKernels<T, TArithmetic>.ConvolutionInputGradientColumns<TLayer>(p, delta, dx, count);

    public void InputGradient(T[] p, T[] delta, T[] dx, int count, T[] workspace)
        => NetworkKernels<T, TArithmetic>.ConvolutionInputGradient<TLayer>(p, delta, dx, count, workspace);

    public void ParameterGradients(T[] x, T[] delta, T[] g, int count, T[] workspace)
        => NetworkKernels<T, TArithmetic>.ConvolutionParameterGradients<TLayer>(x, delta, g, count, workspace);

    public bool ParameterGradientsColumns(T[] x, T[] delta, T[] g, int count)
        => NetworkKernels<T, TArithmetic>.ConvolutionParameterGradientsColumns<TLayer>(x, delta, g, count);
}

public sealed class PoolRunner<T, TArithmetic, TPool> : IPoolRunner<T>
    where T : unmanaged
    where TArithmetic : struct, IArithmetic<T>
    where TPool : struct, IPoolShape
{
    public int OutputHeight => NetworkKernels<T, TArithmetic>.PoolOutputHeight<TPool>();

    public int OutputWidth => NetworkKernels<T, TArithmetic>.PoolOutputWidth<TPool>();

    public void MaxForward(T[] x, T[] y, int count) => NetworkKernels<T, TArithmetic>.MaxPoolForward<TPool>(x, y, count);

    public void MaxBackward(T[] x, T[] delta, T[] dx, int count) => NetworkKernels<T, TArithmetic>.MaxPoolBackward<TPool>(x, delta, dx, count);

    public void AvgForward(T[] x, T[] y, int count) => NetworkKernels<T, TArithmetic>.AvgPoolForward<TPool>(x, y, count);

    public void AvgBackward(T[] delta, T[] dx, int count) => NetworkKernels<T, TArithmetic>.AvgPoolBackward<TPool>(delta, dx, count);

    public void GlobalForward(T[] x, T[] y, int channels, int positions, int count)
        => NetworkKernels<T, TArithmetic>.GlobalAvgPoolForward(x, y, channels, positions, count);

    public void GlobalBackward(T[] delta, T[] dx, int channels, int positions, int count)
        => NetworkKernels<T, TArithmetic>.GlobalAvgPoolBackward(delta, dx, channels, positions, count);

    public void MaxForwardColumns(T[] x, T[] y, int count) => NetworkKernels<T, TArithmetic>.MaxPoolForwardColumns<TPool>(x, y, count);

    public void MaxBackwardColumns(T[] x, T[] delta, T[] dx, int count) => NetworkKernels<T, TArithmetic>.MaxPoolBackwardColumns<TPool>(x, delta, dx, count);

    public void AvgForwardColumns(T[] x, T[] y, int count) => NetworkKernels<T, TArithmetic>.AvgPoolForwardColumns<TPool>(x, y, count);

    public void AvgBackwardColumns(T[] delta, T[] dx, int count) => NetworkKernels<T, TArithmetic>.AvgPoolBackwardColumns<TPool>(delta, dx, count);

    public void GlobalForwardColumns(T[] x, T[] y, int channels, int positions, int count)
        => NetworkKernels<T, TArithmetic>.GlobalAvgPoolForwardColumns(x, y, channels, positions, count);

    public void GlobalBackwardColumns(T[] delta, T[] dx, int channels, int positions, int count)
        => NetworkKernels<T, TArithmetic>.GlobalAvgPoolBackwardColumns(delta, dx, channels, positions, count);
}

/// <summary>Builds the runners for a case's sizes: the shape type closed over its constants, then the runner over the shape.</summary>
public static class Runners
{
    public static IConvolutionRunner<T> Convolution<T, TArithmetic>(ConvolutionCase c, int offset)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        bool two = c.Rank == 2;
        int[] values =
        {
            c.InChannels, c.OutChannels, c.Groups, two ? c.InputHeight : 1, c.InputWidth,
            two ? c.Kernel : 1, c.Kernel, two ? c.Stride : 1, c.Stride, two ? c.Padding : 0, c.Padding,
            two ? c.Dilation : 1, c.Dilation, offset,
        };
        Type shape = typeof(ConvolutionShape<,,,,,,,,,,,,,>).MakeGenericType(Array.ConvertAll(values, Constants.Of));
        Type runner = typeof(ConvolutionRunner<,,>).MakeGenericType(typeof(T), typeof(TArithmetic), shape);
        return (IConvolutionRunner<T>)Activator.CreateInstance(runner)!;
    }

    public static IPoolRunner<T> Pool<T, TArithmetic>(PoolCase c)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
        => Pool<T, TArithmetic>(c.Rank, c.Channels, c.InputHeight, c.InputWidth, c.Kernel, c.Stride, c.Padding);

    /// <summary>A 1-D pool (rank 1: height, kernel, stride and padding of one row) or a 2-D one with square windows.</summary>
    public static IPoolRunner<T> Pool<T, TArithmetic>(int rank, int channels, int height, int width, int kernel, int stride, int padding)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        bool two = rank == 2;
        int[] values =
        {
            channels, two ? height : 1, width, two ? kernel : 1, kernel, two ? stride : 1, stride, two ? padding : 0, padding,
        };
        Type shape = typeof(PoolShape<,,,,,,,,>).MakeGenericType(Array.ConvertAll(values, Constants.Of));
        Type runner = typeof(PoolRunner<,,>).MakeGenericType(typeof(T), typeof(TArithmetic), shape);
        return (IPoolRunner<T>)Activator.CreateInstance(runner)!;
    }
}
