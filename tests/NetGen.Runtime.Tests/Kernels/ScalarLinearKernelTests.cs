using System;
using NetGen.Runtime;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The scalar Linear kernels (NetworkKernels.Scalar.cs, and on float their written-out twins in
/// NetworkKernels.ScalarFloat.cs) promise each output the same sum in the same order as a plain loop,
/// so the same bits: checked here bit for bit against one-output-at-a-time loops, on shapes and batch
/// sizes that leave every tail of the register blocks (odd samples, odd rows, inputs not a multiple of
/// four), on the default float arithmetic (the twins), the deterministic one and double (the generic code).
/// </summary>
public class ScalarLinearKernelTests
{
    private readonly struct Wide : ILinearShape { public int Inputs => 9; public int Outputs => 7; public int Offset => 3; }

    private readonly struct Narrow : ILinearShape { public int Inputs => 3; public int Outputs => 5; public int Offset => 0; }

    private readonly struct Square : ILinearShape { public int Inputs => 8; public int Outputs => 8; public int Offset => 1; }

    public static TheoryData<int> Counts => new() { 1, 2, 3, 4, 5, 8 };

    [Theory]
    [MemberData(nameof(Counts))]
    public void Float_default_arithmetic_gives_the_plain_loops_bits(int count)
    {
        Check<float, FloatArithmetic, Wide>(count);
        Check<float, FloatArithmetic, Narrow>(count);
        Check<float, FloatArithmetic, Square>(count);
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void Float_deterministic_arithmetic_gives_the_plain_loops_bits(int count)
    {
        Check<float, DeterministicFloatArithmetic, Wide>(count);
        Check<float, DeterministicFloatArithmetic, Narrow>(count);
        Check<float, DeterministicFloatArithmetic, Square>(count);
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void Double_gives_the_plain_loops_bits(int count)
    {
        Check<double, DoubleArithmetic, Wide>(count);
        Check<double, DoubleArithmetic, Narrow>(count);
        Check<double, DoubleArithmetic, Square>(count);
    }

    private static void Check<T, TArithmetic, TLayer>(int count)
        where T : unmanaged, IEquatable<T>
        where TArithmetic : struct, IArithmetic<T>
        where TLayer : struct, ILinearShape
    {
        TLayer layer = default;
        TArithmetic a = default;
        int inputs = layer.Inputs, outputs = layer.Outputs, offset = layer.Offset;
        int parameterCount = offset + (inputs * outputs) + outputs + 2;
        var random = new Random((inputs * 31) + (outputs * 7) + count);
        T[] p = Values<T>(random, parameterCount);
        T[] x = Values<T>(random, count * inputs);
        T[] delta = Values<T>(random, count * outputs);

        // Forward: y[s, o] = b[o] + sum over i in order of W[o, i] x[s, i].
        var y = new T[count * outputs];
        NetworkKernels<T, TArithmetic>.LinearForwardScalar<TLayer>(p, x, y, count);
        for (int s = 0; s < count; s++)
        {
            for (int o = 0; o < outputs; o++)
            {
                T sum = p[offset + (inputs * outputs) + o];
                for (int i = 0; i < inputs; i++) sum = a.MultiplyAdd(p[offset + (o * inputs) + i], x[(s * inputs) + i], sum);
                Assert.True(sum.Equals(y[(s * outputs) + o]), $"forward {typeof(TLayer).Name} count {count}: y[{s}, {o}] = {y[(s * outputs) + o]}, the plain loop gives {sum}");
            }
        }

        // Input gradient: dx[s, i] = sum over o in order of W[o, i] delta[s, o], from zero.
        var dx = new T[count * inputs];
        NetworkKernels<T, TArithmetic>.LinearInputGradientScalar<TLayer>(p, delta, dx, count);
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < inputs; i++)
            {
                T sum = a.Zero;
                for (int o = 0; o < outputs; o++) sum = a.MultiplyAdd(p[offset + (o * inputs) + i], delta[(s * outputs) + o], sum);
                Assert.True(sum.Equals(dx[(s * inputs) + i]), $"input gradient {typeof(TLayer).Name} count {count}: dx[{s}, {i}] = {dx[(s * inputs) + i]}, the plain loop gives {sum}");
            }
        }

        // Parameter gradients, written over g (the values around the layer's block untouched):
        // dW[o, i] = sum over s in order of delta[s, o] x[s, i]; db[o] = sum over s of delta[s, o].
        T[] g = Values<T>(random, parameterCount);
        T[] before = (T[])g.Clone();
        NetworkKernels<T, TArithmetic>.LinearParameterGradientsScalar<TLayer>(x, delta, g, count);
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                T sum = a.Zero;
                for (int s = 0; s < count; s++) sum = a.MultiplyAdd(delta[(s * outputs) + o], x[(s * inputs) + i], sum);
                Assert.True(sum.Equals(g[offset + (o * inputs) + i]), $"weight gradient {typeof(TLayer).Name} count {count}: dW[{o}, {i}] = {g[offset + (o * inputs) + i]}, the plain loop gives {sum}");
            }
            T bias = a.Zero;
            for (int s = 0; s < count; s++) bias = a.Add(bias, delta[(s * outputs) + o]);
            Assert.True(bias.Equals(g[offset + (inputs * outputs) + o]), $"bias gradient {typeof(TLayer).Name} count {count}: db[{o}]");
        }
        for (int k = 0; k < offset; k++) Assert.True(before[k].Equals(g[k]), $"g[{k}] before the layer's block was written");
        for (int k = offset + (inputs * outputs) + outputs; k < parameterCount; k++) Assert.True(before[k].Equals(g[k]), $"g[{k}] after the layer's block was written");
    }

    /// <summary>Values in [-1, 1) with full mantissas, so that a different order of operations shows in the bits.</summary>
    private static T[] Values<T>(Random random, int length)
    {
        var values = new T[length];
        for (int k = 0; k < length; k++)
        {
            double value = (random.NextDouble() * 2) - 1;
            values[k] = typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;
        }
        return values;
    }
}
