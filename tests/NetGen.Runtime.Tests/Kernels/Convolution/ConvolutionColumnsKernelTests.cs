using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels.Convolution;

/// <summary>
/// The feature-major convolution forward and input gradient (samples along the vector lanes, window values
/// loaded in place) against the sample-major ones (im2col and the product, and the transposed product and
/// col2im) on every convolution fixture's shape: batches
/// below, at and past a vector of samples (and past two 512-bit blocks), both element types, with the
/// fixture's PyTorch weights. In the deterministic arithmetic bit for bit (the mode's promise); in the
/// default one within a few ulps, since there a multiply-add is fused in vectors and not in scalars, and
/// the two layouts put a sample in a vector or in scalars at different batch sizes. The sample-major
/// kernels are checked against PyTorch in <see cref="ConvolutionKernelTests"/>, so these inherit that.
/// </summary>
public class ConvolutionColumnsKernelTests
{
    private const int Offset = 3;

    public static IEnumerable<object[]> Cases() => ConvolutionFixtures.Convolutions.Select(c => new object[] { c.Name });

    // 64 and more take the 512-bit path's 4-vector block (64 samples), 112 that block and the 3-vector one, 130 two of them and a tail.
    public static readonly int[] Batches = { 1, 3, 8, 16, 21, 37, 64, 67, 112, 130 };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Feature_major_kernels_give_the_sample_major_results(string name)
    {
        ConvolutionCase c = ConvolutionFixtures.Convolution(name);
        foreach (int batch in Batches)
        {
            Check<float, DeterministicFloatArithmetic>(c, batch, v => (float)v, (what, expected, actual) => ConvolutionKernelTests.AssertBits(what, expected, actual, v => Portable.Bits(v)));
            Check<double, DeterministicDoubleArithmetic>(c, batch, v => v, (what, expected, actual) => ConvolutionKernelTests.AssertBits(what, expected, actual, BitConverter.DoubleToInt64Bits));
            Check<float, FloatArithmetic>(c, batch, v => (float)v, (what, expected, actual) => AssertClose(what, expected, actual, v => v, 1e-5));
            Check<double, DoubleArithmetic>(c, batch, v => v, (what, expected, actual) => AssertClose(what, expected, actual, v => v, 1e-13));
        }
    }

    private static void Check<T, TArithmetic>(ConvolutionCase c, int batch, Func<double, T> from, Action<string, T[], T[]> assert)
        where T : unmanaged
        where TArithmetic : struct, IArithmetic<T>
    {
        IConvolutionRunner<T> runner = Runners.Convolution<T, TArithmetic>(c, Offset);
        int inputSize = c.InChannels * c.InputHeight * c.InputWidth;
        int outputSize = c.OutChannels * runner.OutputHeight * runner.OutputWidth;
        var random = new Random((c.Name.Aggregate(17, (h, ch) => (h * 31) + ch) * 97) + batch);
        T[] p = new T[Offset + c.Weight.Length + c.Bias.Length + 5];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = from(99);
        }
        for (int i = 0; i < c.Weight.Length; i++)
        {
            p[Offset + i] = from(c.Weight[i]);
        }
        for (int i = 0; i < c.Bias.Length; i++)
        {
            p[Offset + c.Weight.Length + i] = from(c.Bias[i]);
        }
        T[] x = Enumerable.Range(0, batch * inputSize).Select(_ => from((random.NextDouble() * 4) - 2)).ToArray();

        T[] delta = Enumerable.Range(0, batch * outputSize).Select(_ => from((random.NextDouble() * 4) - 2)).ToArray();

        var y = new T[batch * outputSize];
        runner.Forward(p, x, y, batch, new T[runner.WorkspaceLength]);
        var yColumns = new T[y.Length];
        runner.ForwardColumns(p, Transpose(x, batch, inputSize), yColumns, batch);
        var dx = new T[batch * inputSize];
        runner.InputGradient(p, delta, dx, batch, new T[runner.WorkspaceLength]);
        // Filled with a value the kernel must overwrite everywhere, as it writes over dx.
        T[] dxColumns = Enumerable.Repeat(from(7), dx.Length).ToArray();
        runner.InputGradientColumns(p, Transpose(delta, batch, outputSize), dxColumns, batch);

        string what = $"{c.Name}, {typeof(T).Name} {typeof(TArithmetic).Name}, batch {batch}";
        assert(what + " y", y, Transpose(yColumns, outputSize, batch));

        // With the ReLU after it fused into the stores: the bits of the ReLU kernel run over the forward's
        // outputs, in every arithmetic (the same sums, then the same comparison), here about half of them negative.
        var fused = new T[y.Length];
        runner.ReLUForwardColumns(p, Transpose(x, batch, inputSize), fused, batch);
        T[] separate = (T[])yColumns.Clone();
        NetworkKernels<T, TArithmetic>.ReLUForward(separate, separate);
        Assert.True(MemoryMarshal.AsBytes(separate.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(fused.AsSpan())), what + ": fused ReLU(y) is not the bits of ReLU after the forward");
        assert(what + " dx", dx, Transpose(dxColumns, inputSize, batch));

        // The parameter gradients: the feature-major kernel, where it runs (the default arithmetic, hardware
        // vectors, a vector of samples), sums in another order, so it is held to closeness; it must write
        // the layer's whole range of g (filled first with a value it must overwrite) and nothing around it.
        var g = Enumerable.Repeat(from(5), p.Length).ToArray();
        runner.ParameterGradients(x, delta, g, batch, new T[runner.WorkspaceLength]);
        T[] gColumns = Enumerable.Repeat(from(7), p.Length).ToArray();
        bool ran = runner.ParameterGradientsColumns(Transpose(x, batch, inputSize), Transpose(delta, batch, outputSize), gColumns, batch);
        // Never in the deterministic arithmetic, without hardware vectors or below a vector of samples; otherwise
        // for the layers whose taps do not fill whole vectors (see the kernel's remarks).
        bool allowed = typeof(TArithmetic) != typeof(DeterministicFloatArithmetic) && typeof(TArithmetic) != typeof(DeterministicDoubleArithmetic)
            && System.Numerics.Vector.IsHardwareAccelerated && batch >= System.Numerics.Vector<T>.Count;
        Assert.True(allowed || !ran, what + ": the feature-major weight gradient ran where it must not");
        if (!ran)
        {
            Assert.All(gColumns, v => Assert.Equal(from(7), v));
            return;
        }
        int layer = c.Weight.Length + c.Bias.Length;
        Assert.All(gColumns.Take(Offset).Concat(gColumns.Skip(Offset + layer)), v => Assert.Equal(from(7), v));
        AssertClose(what + " dW, db", g.Skip(Offset).Take(layer).ToArray(), gColumns.Skip(Offset).Take(layer).ToArray(),
            v => Convert.ToDouble(v), typeof(T) == typeof(float) ? 2e-5 : 1e-12);
    }

    /// <summary>Each value within <paramref name="tolerance"/> of the sample-major one, relative to the largest magnitude (the sums' scale).</summary>
    private static void AssertClose<T>(string what, T[] expected, T[] actual, Func<T, double> toDouble, double tolerance)
    {
        double scale = Math.Max(1, expected.Max(v => Math.Abs(toDouble(v))));
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(toDouble(expected[i]) - toDouble(actual[i]));
            Assert.True(difference <= tolerance * scale, $"{what}[{i}]: {actual[i]} where the sample-major kernel gives {expected[i]} (difference {difference:g3}, allowed {tolerance * scale:g3})");
        }
    }

    /// <summary>A rows x columns matrix, transposed.</summary>
    private static T[] Transpose<T>(T[] source, int rows, int columns)
    {
        var result = new T[source.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < columns; k++)
            {
                result[(k * rows) + r] = source[(r * columns) + k];
            }
        }
        return result;
    }
}
