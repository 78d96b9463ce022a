using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels.Convolution;

/// <summary>
/// The convolution kernels (Conv1D as a Conv2D of one row) against PyTorch's numbers
/// (convolutions.json, from make_conv_reference.py) in float and double: forward, input gradient,
/// weight and bias gradients, for every option the fixtures cover. Then against finite differences in
/// double, and, in the deterministic arithmetic, bit for bit against a written-out reference in the
/// documented order: CI runs this suite at 16, 8 and 4 lanes and without hardware vectors, so equal
/// bits here mean the same bits on every width.
/// <para>
/// The layer sits at a non-zero offset in the parameters with other values around it, and every output
/// span starts full of NaN, so a kernel that reads past its weights, writes outside its part of the
/// gradient, or leaves a value unwritten fails.
/// </para>
/// </summary>
public class ConvolutionKernelTests
{
    private const int Offset = 3;
    private const int Trailing = 2;

    private readonly ITestOutputHelper output;

    public ConvolutionKernelTests(ITestOutputHelper output) => this.output = output;

    public static IEnumerable<object[]> Cases() => ConvolutionFixtures.Convolutions.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_matches_PyTorch(string name)
    {
        Differences d = Run<double, DoubleArithmetic>(ConvolutionFixtures.Convolution(name), v => v, v => v);
        d.AssertWithin(1e-14, output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_matches_PyTorch(string name)
    {
        Differences d = Run<float, FloatArithmetic>(ConvolutionFixtures.Convolution(name), v => (float)v, v => v);
        d.AssertWithin(2e-6, output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Deterministic_kernels_match_PyTorch(string name)
    {
        ConvolutionCase c = ConvolutionFixtures.Convolution(name);
        Run<double, DeterministicDoubleArithmetic>(c, v => v, v => v).AssertWithin(1e-14, output);
        Run<float, DeterministicFloatArithmetic>(c, v => (float)v, v => v).AssertWithin(2e-6, output);
    }

    /// <summary>The largest differences from PyTorch over all cases, per element type and tensor, for the record (and the same bounds).</summary>
    [Fact]
    public void Largest_differences_from_PyTorch()
    {
        foreach (bool isDouble in new[] { false, true })
        {
            var worst = new Differences("all convolutions");
            foreach (ConvolutionCase c in ConvolutionFixtures.Convolutions)
            {
                worst.Take(isDouble ? Run<double, DoubleArithmetic>(c, v => v, v => v) : Run<float, FloatArithmetic>(c, v => (float)v, v => v));
            }
            output.WriteLine($"{(isDouble ? "double" : "float")}: {worst}");
            worst.AssertWithin(isDouble ? 1e-14 : 2e-6, output);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Deterministic_double_gives_the_documented_order_bit_for_bit(string name)
        => CheckBits<double, DeterministicDoubleArithmetic, PlainDouble>(ConvolutionFixtures.Convolution(name), v => v, BitConverter.DoubleToInt64Bits);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Deterministic_float_gives_the_documented_order_bit_for_bit(string name)
        => CheckBits<float, DeterministicFloatArithmetic, PlainFloat>(ConvolutionFixtures.Convolution(name), v => (float)v, v => Portable.Bits(v));

    /// <summary>
    /// d(sum dy * y)/d(x, W, b) against central differences in double. The loss is linear in each of
    /// them, so the differences are exact but for rounding: a wrong index anywhere shows.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_match_finite_differences(string name)
    {
        ConvolutionCase c = ConvolutionFixtures.Convolution(name);
        IConvolutionRunner<double> runner = Runners.Convolution<double, DoubleArithmetic>(c, Offset);
        double[] p = Parameters(c, v => v, 0d);
        double[] x = (double[])c.X.Clone();
        double[] workspace = new double[runner.WorkspaceLength];
        double Loss()
        {
            var y = new double[c.Y.Length];
            runner.Forward(p, x, y, c.Batch, workspace);
            return y.Select((v, i) => v * c.Dy[i]).Sum();
        }

        var dx = new double[x.Length];
        runner.InputGradient(p, c.Dy, dx, c.Batch, workspace);
        var g = new double[p.Length];
        runner.ParameterGradients(x, c.Dy, g, c.Batch, workspace);

        const double H = 1e-3;
        double Central(double[] values, int i)
        {
            double keep = values[i];
            values[i] = keep + H;
            double up = Loss();
            values[i] = keep - H;
            double down = Loss();
            values[i] = keep;
            return (up - down) / (2 * H);
        }

        foreach (int i in Sampled(x.Length))
        {
            Assert.True(Math.Abs(Central(x, i) - dx[i]) <= 1e-8 * (1 + Math.Abs(dx[i])), $"{name}: dx[{i}] {dx[i]:R} against {Central(x, i):R}");
        }
        foreach (int i in Sampled(c.Weight.Length + c.Bias.Length))
        {
            int at = Offset + i;
            Assert.True(Math.Abs(Central(p, at) - g[at]) <= 1e-8 * (1 + Math.Abs(g[at])), $"{name}: parameter {i} gradient {g[at]:R} against {Central(p, at):R}");
        }
    }

    /// <summary>A batch of one and a batch of many give each sample the same outputs and input gradients (the batch loop is right).</summary>
    [Fact]
    public void Each_sample_of_a_batch_is_computed_as_alone()
    {
        ConvolutionCase c = ConvolutionFixtures.Convolution("conv2d_stride2_pad1_odd");
        IConvolutionRunner<float> runner = Runners.Convolution<float, FloatArithmetic>(c, Offset);
        float[] p = Parameters(c, v => (float)v, 0f);
        float[] x = Array.ConvertAll(c.X, v => (float)v);
        float[] dy = Array.ConvertAll(c.Dy, v => (float)v);
        var workspace = new float[runner.WorkspaceLength];
        var y = new float[c.Y.Length];
        var dx = new float[x.Length];
        runner.Forward(p, x, y, c.Batch, workspace);
        runner.InputGradient(p, dy, dx, c.Batch, workspace);
        int inputSize = x.Length / c.Batch, outputSize = y.Length / c.Batch;
        for (int s = 0; s < c.Batch; s++)
        {
            var alone = new float[outputSize];
            var aloneDx = new float[inputSize];
            runner.Forward(p, x.Skip(s * inputSize).Take(inputSize).ToArray(), alone, 1, workspace);
            runner.InputGradient(p, dy.Skip(s * outputSize).Take(outputSize).ToArray(), aloneDx, 1, workspace);
            Assert.Equal(y.Skip(s * outputSize).Take(outputSize), alone);
            Assert.Equal(dx.Skip(s * inputSize).Take(inputSize), aloneDx);
        }
    }

    [Fact]
    public void Output_sizes_and_workspace_follow_PyTorch_s_formula()
    {
        foreach (ConvolutionCase c in ConvolutionFixtures.Convolutions)
        {
            IConvolutionRunner<float> runner = Runners.Convolution<float, FloatArithmetic>(c, 0);
            Assert.Equal(c.OutputHeight, runner.OutputHeight);
            Assert.Equal(c.OutputWidth, runner.OutputWidth);
            // One sample's window matrix of one group, then that again or one group's delta and weight
            // gradient (the weight gradient with the channels along the lanes), whichever is larger.
            int taps = c.InChannels / c.Groups * c.KernelHeight * c.Kernel, positions = c.OutputHeight * c.OutputWidth;
            int groupOut = c.OutChannels / c.Groups;
            Assert.Equal((taps * positions) + Math.Max(taps * positions, groupOut * (positions + taps)), runner.WorkspaceLength);
        }
    }

    /// <summary>Every option of API.md's convolutions appears in the fixtures, so that the theories above cover it.</summary>
    [Fact]
    public void The_fixtures_cover_every_option()
    {
        IReadOnlyList<ConvolutionCase> all = ConvolutionFixtures.Convolutions;
        foreach (int rank in new[] { 1, 2 })
        {
            ConvolutionCase[] ofRank = all.Where(c => c.Rank == rank).ToArray();
            Assert.Contains(ofRank, c => c.Stride > 1);
            Assert.Contains(ofRank, c => c.Padding > 0);
            Assert.Contains(ofRank, c => c.Dilation > 1);
            Assert.Contains(ofRank, c => c.Groups > 1 && c.Groups < c.InChannels);
            Assert.Contains(ofRank, c => c.Groups == c.InChannels && c.OutChannels == c.InChannels);
            Assert.Contains(ofRank, c => c.Kernel == 1);
            Assert.Contains(ofRank, c => c.InputWidth % 2 == 1);
            // Wide enough for every vector path: positions past 16 lanes, taps past 3 vectors of 16.
            Assert.Contains(ofRank, c => c.OutputHeight * c.OutputWidth >= 48 && c.InChannels / c.Groups * c.KernelHeight * c.Kernel >= 48);
        }
        Assert.Contains(all, c => c.Rank == 2 && c.InputHeight != c.InputWidth);
    }

    private static IEnumerable<int> Sampled(int length)
    {
        int step = Math.Max(1, length / 37);
        for (int i = 0; i < length; i += step)
        {
            yield return i;
        }
        yield return length - 1;
    }

    /// <summary>The case's weight and bias at <see cref="Offset"/>, with other values around them.</summary>
    internal static T[] Parameters<T>(ConvolutionCase c, Func<double, T> from, T around)
    {
        var p = new T[Offset + c.Weight.Length + c.Bias.Length + Trailing];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = around;
        }
        for (int i = 0; i < c.Weight.Length; i++)
        {
            p[Offset + i] = from(c.Weight[i]);
        }
        for (int i = 0; i < c.Bias.Length; i++)
        {
            p[Offset + c.Weight.Length + i] = from(c.Bias[i]);
        }
        return p;
    }

    private static T[] Filled<T>(int length, T value)
    {
        var array = new T[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = value;
        }
        return array;
    }

    private static Differences Run<T, TArithmetic>(ConvolutionCase c, Func<double, T> from, Func<T, double> to)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        IConvolutionRunner<T> runner = Runners.Convolution<T, TArithmetic>(c, Offset);
        T nan = from(double.NaN);
        T[] p = Parameters(c, from, from(1e30));
        T[] x = Array.ConvertAll(c.X, v => from(v));
        T[] dy = Array.ConvertAll(c.Dy, v => from(v));
        T[] workspace = Filled(runner.WorkspaceLength, nan);

        T[] y = Filled(c.Y.Length, nan);
        runner.Forward(p, x, y, c.Batch, workspace);
        T[] dx = Filled(c.X.Length, nan);
        runner.InputGradient(p, dy, dx, c.Batch, workspace);
        T sentinel = from(7);
        T[] g = Filled(p.Length, sentinel);
        runner.ParameterGradients(x, dy, g, c.Batch, workspace);

        var d = new Differences(c.Name);
        d.Compare("y", Array.ConvertAll(y, v => to(v)), c.Y);
        d.Compare("dx", Array.ConvertAll(dx, v => to(v)), c.Dx);
        d.Compare("dweight", g.Skip(Offset).Take(c.Weight.Length).Select(to).ToArray(), c.DWeight);
        d.Compare("dbias", g.Skip(Offset + c.Weight.Length).Take(c.Bias.Length).Select(to).ToArray(), c.DBias);
        Assert.All(g.Take(Offset).Concat(g.Skip(Offset + c.Weight.Length + c.Bias.Length)), v => Assert.Equal(sentinel, v));
        return d;
    }

    private static void CheckBits<T, TArithmetic, TOps>(ConvolutionCase c, Func<double, T> from, Func<T, long> bits)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
        where TOps : struct, IPlainArithmetic<T>
    {
        IConvolutionRunner<T> runner = Runners.Convolution<T, TArithmetic>(c, Offset);
        T[] p = Parameters(c, from, from(0));
        T[] w = Array.ConvertAll(c.Weight, v => from(v));
        T[] b = Array.ConvertAll(c.Bias, v => from(v));
        T[] x = Array.ConvertAll(c.X, v => from(v));
        T[] dy = Array.ConvertAll(c.Dy, v => from(v));
        var workspace = new T[runner.WorkspaceLength];

        var y = new T[c.Y.Length];
        runner.Forward(p, x, y, c.Batch, workspace);
        AssertBits(c.Name + " y", Reference<T, TOps>.Forward(c, x, w, b), y, bits);
        var dx = new T[c.X.Length];
        runner.InputGradient(p, dy, dx, c.Batch, workspace);
        AssertBits(c.Name + " dx", Reference<T, TOps>.InputGradient(c, w, dy), dx, bits);
        var g = new T[p.Length];
        runner.ParameterGradients(x, dy, g, c.Batch, workspace);
        (T[] dw, T[] db) = Reference<T, TOps>.ParameterGradients(c, x, dy);
        AssertBits(c.Name + " dweight", dw, g.Skip(Offset).Take(dw.Length).ToArray(), bits);
        AssertBits(c.Name + " dbias", db, g.Skip(Offset + dw.Length).Take(db.Length).ToArray(), bits);
    }

    internal static void AssertBits<T>(string what, T[] expected, T[] actual, Func<T, long> bits)
        where T : struct
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (bits(expected[i]) != bits(actual[i]))
            {
                Assert.Fail($"{what}[{i}]: {actual[i]} (bits {bits(actual[i]):x}) where the documented order gives {expected[i]} (bits {bits(expected[i]):x}), at {System.Numerics.Vector<T>.Count} lanes, accelerated: {System.Numerics.Vector.IsHardwareAccelerated}");
            }
        }
    }
}

/// <summary>The largest absolute and scaled differences of a case's tensors from PyTorch's.</summary>
internal sealed class Differences
{
    private readonly Dictionary<string, (double Absolute, double Scaled)> largest = new();

    public Differences(string name) => Name = name;

    public string Name { get; }

    /// <summary>
    /// Records the largest |actual - expected| and that over the tensor's scale, max(1, max |expected|):
    /// each value is a sum of many products, so its rounding error grows with the tensor's magnitude.
    /// </summary>
    public void Compare(string tensor, double[] actual, double[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        double absolute = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]);
            // NaN (a value never written) must fail: Math.Max would keep it, a comparison would not.
            absolute = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(absolute, difference);
        }
        Merge(tensor, absolute, absolute / scale);
    }

    public void Take(Differences other)
    {
        foreach (KeyValuePair<string, (double Absolute, double Scaled)> entry in other.largest)
        {
            Merge(entry.Key, entry.Value.Absolute, entry.Value.Scaled);
        }
    }

    public void AssertWithin(double scaledBound, ITestOutputHelper output)
    {
        output.WriteLine(ToString());
        foreach (KeyValuePair<string, (double Absolute, double Scaled)> entry in largest)
        {
            Assert.True(entry.Value.Scaled <= scaledBound, $"{Name} {entry.Key}: differs from PyTorch by {entry.Value.Absolute:G3} ({entry.Value.Scaled:G3} of its scale), past {scaledBound:G3}");
        }
    }

    public override string ToString()
        => Name + ": " + string.Join(", ", largest.Select(e => $"{e.Key} {e.Value.Absolute:G3} (scaled {e.Value.Scaled:G3})"));

    private void Merge(string tensor, double absolute, double scaled)
    {
        largest[tensor] = largest.TryGetValue(tensor, out var was)
            ? (Math.Max(was.Absolute, absolute), Math.Max(was.Scaled, scaled))
            : (absolute, scaled);
    }
}
