using System;

namespace NetGen.Runtime.Tests.Kernels.Convolution;

/// <summary>The element arithmetic of the written-out references: each operation rounded on its own, never fused.</summary>
public interface IPlainArithmetic<T>
{
    T Zero { get; }

    T Add(T a, T b);

    T Multiply(T a, T b);

    T Divide(T a, T b);

    bool Greater(T a, T b);

    bool IsNaN(T a);

    T From(double value);
}

public readonly struct PlainFloat : IPlainArithmetic<float>
{
    public float Zero => 0f;
    public float Add(float a, float b) => a + b;
    public float Multiply(float a, float b) => a * b;
    public float Divide(float a, float b) => a / b;
    public bool Greater(float a, float b) => a > b;
    public bool IsNaN(float a) => float.IsNaN(a);
    public float From(double value) => (float)value;
}

public readonly struct PlainDouble : IPlainArithmetic<double>
{
    public double Zero => 0d;
    public double Add(double a, double b) => a + b;
    public double Multiply(double a, double b) => a * b;
    public double Divide(double a, double b) => a / b;
    public bool Greater(double a, double b) => a > b;
    public bool IsNaN(double a) => double.IsNaN(a);
    public double From(double value) => value;
}

/// <summary>
/// Convolutions and pools written out the plain way, straight from their definitions, one scalar at a
/// time, adding in the order the kernels document (each sum from zero, its terms in the order named,
/// the bias last): the deterministic kernels must give exactly these bits on every vector width, with
/// or without hardware vectors. Written here rather than taken from the library, so that the tests do
/// not measure the kernels against themselves.
/// </summary>
public static class Reference<T, TOps>
    where TOps : struct, IPlainArithmetic<T>
{
    private static TOps Ops => default;

    /// <summary>
    /// Input position of tap (u, v) of output (i, j), or -1 in the padding.
    /// </summary>
    private static int InputAt(ConvolutionCase c, int i, int j, int u, int v)
    {
        int row = (i * c.StrideHeight) - c.PaddingHeight + (u * c.DilationHeight);
        int column = (j * c.Stride) - c.Padding + (v * c.Dilation);
        return row < 0 || row >= c.InputHeight || column < 0 || column >= c.InputWidth ? -1 : (row * c.InputWidth) + column;
    }

    /// <summary>y = (sum over (c, u, v) of w x, from zero) + b.</summary>
    public static T[] Forward(ConvolutionCase c, T[] x, T[] w, T[] b)
    {
        int groupIn = c.InChannels / c.Groups, groupOut = c.OutChannels / c.Groups;
        int plane = c.InputHeight * c.InputWidth, positions = c.OutputHeight * c.OutputWidth;
        var y = new T[c.Batch * c.OutChannels * positions];
        for (int s = 0; s < c.Batch; s++)
        {
            for (int o = 0; o < c.OutChannels; o++)
            {
                int group = o / groupOut;
                for (int i = 0; i < c.OutputHeight; i++)
                {
                    for (int j = 0; j < c.OutputWidth; j++)
                    {
                        T sum = Ops.Zero;
                        for (int k = 0; k < groupIn; k++)
                        {
                            for (int u = 0; u < c.KernelHeight; u++)
                            {
                                for (int v = 0; v < c.Kernel; v++)
                                {
                                    int at = InputAt(c, i, j, u, v);
                                    if (at >= 0)
                                    {
                                        T weight = w[(((o * groupIn) + k) * c.KernelHeight * c.Kernel) + (u * c.Kernel) + v];
                                        sum = Ops.Add(sum, Ops.Multiply(weight, x[(((s * c.InChannels) + (group * groupIn) + k) * plane) + at]));
                                    }
                                }
                            }
                        }
                        y[(((s * c.OutChannels) + o) * positions) + (i * c.OutputWidth) + j] = Ops.Add(sum, b[o]);
                    }
                }
            }
        }
        return y;
    }

    /// <summary>
    /// dx: per sample and group, each window gradient the sum over the group's output channels in order
    /// (from zero), then added onto dx (from zero) tap by tap (c, u, v), each tap's positions in order.
    /// </summary>
    public static T[] InputGradient(ConvolutionCase c, T[] w, T[] dy)
    {
        int groupIn = c.InChannels / c.Groups, groupOut = c.OutChannels / c.Groups;
        int plane = c.InputHeight * c.InputWidth, positions = c.OutputHeight * c.OutputWidth;
        int taps = groupIn * c.KernelHeight * c.Kernel;
        var dx = new T[c.Batch * c.InChannels * plane];
        for (int s = 0; s < c.Batch; s++)
        {
            for (int group = 0; group < c.Groups; group++)
            {
                int tap = 0;
                for (int k = 0; k < groupIn; k++)
                {
                    for (int u = 0; u < c.KernelHeight; u++)
                    {
                        for (int v = 0; v < c.Kernel; v++, tap++)
                        {
                            for (int i = 0; i < c.OutputHeight; i++)
                            {
                                for (int j = 0; j < c.OutputWidth; j++)
                                {
                                    int at = InputAt(c, i, j, u, v);
                                    if (at < 0)
                                    {
                                        continue;
                                    }
                                    T window = Ops.Zero;
                                    for (int o = group * groupOut; o < (group + 1) * groupOut; o++)
                                    {
                                        window = Ops.Add(window, Ops.Multiply(w[(o * taps) + tap], dy[(((s * c.OutChannels) + o) * positions) + (i * c.OutputWidth) + j]));
                                    }
                                    int to = (((s * c.InChannels) + (group * groupIn) + k) * plane) + at;
                                    dx[to] = Ops.Add(dx[to], window);
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /// <summary>dW and db: each the sum over samples, then positions, in order from zero.</summary>
    public static (T[] DWeight, T[] DBias) ParameterGradients(ConvolutionCase c, T[] x, T[] dy)
    {
        int groupIn = c.InChannels / c.Groups, groupOut = c.OutChannels / c.Groups;
        int plane = c.InputHeight * c.InputWidth, positions = c.OutputHeight * c.OutputWidth;
        int taps = groupIn * c.KernelHeight * c.Kernel;
        var dw = new T[c.OutChannels * taps];
        var db = new T[c.OutChannels];
        for (int o = 0; o < c.OutChannels; o++)
        {
            int group = o / groupOut;
            int tap = 0;
            for (int k = 0; k < groupIn; k++)
            {
                for (int u = 0; u < c.KernelHeight; u++)
                {
                    for (int v = 0; v < c.Kernel; v++, tap++)
                    {
                        T sum = Ops.Zero;
                        for (int s = 0; s < c.Batch; s++)
                        {
                            for (int i = 0; i < c.OutputHeight; i++)
                            {
                                for (int j = 0; j < c.OutputWidth; j++)
                                {
                                    int at = InputAt(c, i, j, u, v);
                                    if (at >= 0)
                                    {
                                        T delta = dy[(((s * c.OutChannels) + o) * positions) + (i * c.OutputWidth) + j];
                                        sum = Ops.Add(sum, Ops.Multiply(delta, x[(((s * c.InChannels) + (group * groupIn) + k) * plane) + at]));
                                    }
                                }
                            }
                        }
                        dw[(o * taps) + tap] = sum;
                    }
                }
            }
            T bias = Ops.Zero;
            for (int s = 0; s < c.Batch; s++)
            {
                for (int j = 0; j < positions; j++)
                {
                    bias = Ops.Add(bias, dy[(((s * c.OutChannels) + o) * positions) + j]);
                }
            }
            db[o] = bias;
        }
        return (dw, db);
    }

    /// <summary>Each pooling window's inputs inside the input, row by row; outputs in (s, c, i, j) order.</summary>
    private static void ForEachWindow(PoolCase c, int outHeight, int outWidth, Action<int, int[]> visit)
    {
        int kernelHeight = c.Rank == 2 ? c.Kernel : 1, strideHeight = c.Rank == 2 ? c.Stride : 1, paddingHeight = c.Rank == 2 ? c.Padding : 0;
        int plane = c.InputHeight * c.InputWidth;
        int output = 0;
        for (int p = 0; p < c.Batch * c.Channels; p++)
        {
            for (int i = 0; i < outHeight; i++)
            {
                for (int j = 0; j < outWidth; j++, output++)
                {
                    var inside = new System.Collections.Generic.List<int>();
                    for (int u = 0; u < kernelHeight; u++)
                    {
                        for (int v = 0; v < c.Kernel; v++)
                        {
                            int row = (i * strideHeight) - paddingHeight + u, column = (j * c.Stride) - c.Padding + v;
                            if (row >= 0 && row < c.InputHeight && column >= 0 && column < c.InputWidth)
                            {
                                inside.Add((p * plane) + (row * c.InputWidth) + column);
                            }
                        }
                    }
                    visit(output, inside.ToArray());
                }
            }
        }
    }

    /// <summary>PyTorch's max: from minus infinity at the window's first input, replaced by a larger value or a NaN.</summary>
    private static int Maximum(T[] x, int[] window)
    {
        int best = window[0];
        T maximum = Ops.From(double.NegativeInfinity);
        foreach (int at in window)
        {
            if (Ops.Greater(x[at], maximum) || Ops.IsNaN(x[at]))
            {
                maximum = x[at];
                best = at;
            }
        }
        return best;
    }

    public static (T[] Y, T[] Dx) MaxPool(PoolCase c, int outHeight, int outWidth, T[] x, T[] dy)
    {
        var y = new T[c.Batch * c.Channels * outHeight * outWidth];
        var dx = new T[x.Length];
        ForEachWindow(c, outHeight, outWidth, (output, window) =>
        {
            int at = Maximum(x, window);
            y[output] = x[at];
            dx[at] = Ops.Add(dx[at], dy[output]);
        });
        return (y, dx);
    }

    public static (T[] Y, T[] Dx) AvgPool(PoolCase c, int outHeight, int outWidth, T[] x, T[] dy)
    {
        var y = new T[c.Batch * c.Channels * outHeight * outWidth];
        var dx = new T[x.Length];
        T divisor = Ops.From(c.Rank == 2 ? c.Kernel * c.Kernel : c.Kernel);
        ForEachWindow(c, outHeight, outWidth, (output, window) =>
        {
            T sum = Ops.Zero;
            foreach (int at in window)
            {
                sum = Ops.Add(sum, x[at]);
            }
            y[output] = Ops.Divide(sum, divisor);
            T share = Ops.Divide(dy[output], divisor);
            foreach (int at in window)
            {
                dx[at] = Ops.Add(dx[at], share);
            }
        });
        return (y, dx);
    }

    public static (T[] Y, T[] Dx) GlobalAvgPool(PoolCase c, T[] x, T[] dy)
    {
        int positions = c.InputHeight * c.InputWidth;
        var y = new T[c.Batch * c.Channels];
        var dx = new T[x.Length];
        T divisor = Ops.From(positions);
        for (int p = 0; p < y.Length; p++)
        {
            T sum = Ops.Zero;
            for (int j = 0; j < positions; j++)
            {
                sum = Ops.Add(sum, x[(p * positions) + j]);
            }
            y[p] = Ops.Divide(sum, divisor);
            T share = Ops.Divide(dy[p], divisor);
            for (int j = 0; j < positions; j++)
            {
                dx[(p * positions) + j] = share;
            }
        }
        return (y, dx);
    }
}
