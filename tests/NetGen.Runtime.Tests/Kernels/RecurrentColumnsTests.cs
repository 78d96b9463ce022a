// The columns step kernels exist only in the library's net8.0 build (Vector512), so the .NET Framework
// build of this suite, run on Mono, has nothing here to test.
#if NET8_0_OR_GREATER
using System;
using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels;

// Layer shapes for the columns step: inputs x hidden, at an offset that is no multiple of a vector, so
// that the kernels' offsets are exercised as a generated network's second layer would exercise them.
internal readonly struct Columns1x8 : IRecurrentShape { public int Inputs => 1; public int Hidden => 8; public int Offset => 5; }
internal readonly struct Columns3x8 : IRecurrentShape { public int Inputs => 3; public int Hidden => 8; public int Offset => 5; }
internal readonly struct Columns16x8 : IRecurrentShape { public int Inputs => 16; public int Hidden => 8; public int Offset => 5; }
internal readonly struct Columns20x8 : IRecurrentShape { public int Inputs => 20; public int Hidden => 8; public int Offset => 5; }
internal readonly struct Columns1x16 : IRecurrentShape { public int Inputs => 1; public int Hidden => 16; public int Offset => 5; }
internal readonly struct Columns3x16 : IRecurrentShape { public int Inputs => 3; public int Hidden => 16; public int Offset => 5; }
internal readonly struct Columns16x16 : IRecurrentShape { public int Inputs => 16; public int Hidden => 16; public int Offset => 5; }
internal readonly struct Columns20x16 : IRecurrentShape { public int Inputs => 20; public int Hidden => 16; public int Offset => 5; }
internal readonly struct Columns1x24 : IRecurrentShape { public int Inputs => 1; public int Hidden => 24; public int Offset => 5; }
internal readonly struct Columns3x24 : IRecurrentShape { public int Inputs => 3; public int Hidden => 24; public int Offset => 5; }
internal readonly struct Columns16x24 : IRecurrentShape { public int Inputs => 16; public int Hidden => 24; public int Offset => 5; }
internal readonly struct Columns20x24 : IRecurrentShape { public int Inputs => 20; public int Hidden => 24; public int Offset => 5; }
internal readonly struct Columns1x32 : IRecurrentShape { public int Inputs => 1; public int Hidden => 32; public int Offset => 5; }
internal readonly struct Columns3x32 : IRecurrentShape { public int Inputs => 3; public int Hidden => 32; public int Offset => 5; }
internal readonly struct Columns16x32 : IRecurrentShape { public int Inputs => 16; public int Hidden => 32; public int Offset => 5; }
internal readonly struct Columns20x32 : IRecurrentShape { public int Inputs => 20; public int Hidden => 32; public int Offset => 5; }
internal readonly struct Columns1x64 : IRecurrentShape { public int Inputs => 1; public int Hidden => 64; public int Offset => 5; }
internal readonly struct Columns3x64 : IRecurrentShape { public int Inputs => 3; public int Hidden => 64; public int Offset => 5; }
internal readonly struct Columns16x64 : IRecurrentShape { public int Inputs => 16; public int Hidden => 64; public int Offset => 5; }
internal readonly struct Columns20x64 : IRecurrentShape { public int Inputs => 20; public int Hidden => 64; public int Offset => 5; }
// Past sixteen vectors of gate rows (the kernels' tile), so that full tiles and a remainder both run:
// 40 at 256 bits (GRU 15 vectors, LSTM 20), 128 at 512 bits (GRU 24, LSTM 32).
internal readonly struct Columns20x40 : IRecurrentShape { public int Inputs => 20; public int Hidden => 40; public int Offset => 5; }
internal readonly struct Columns3x128 : IRecurrentShape { public int Inputs => 3; public int Hidden => 128; public int Offset => 5; }

/// <summary>
/// The GRU and LSTM step on the columns layout (<see cref="FloatKernels.GruStepColumns{TLayer}"/>,
/// <see cref="FloatKernels.LstmStepColumns{TLayer}"/>, on weights written by
/// <see cref="FloatKernels.TransposeRecurrentLayer"/>) against the shared step on PyTorch's layout, 20
/// consecutive steps from a random state, and the transpose against the layout it documents. The two
/// steps sum products in different orders, so they agree to rounding, not bit for bit: the tolerance is
/// <see cref="Tolerance"/> absolute on values of order one, and the largest difference is printed. The
/// kernels run only where the written-out forward runs (AVX-512); elsewhere the tests say so and check nothing.
/// </summary>
public class RecurrentColumnsTests(ITestOutputHelper output)
{
    /// <summary>Absolute tolerance on h and c (values of order one) after each step.</summary>
    private const float Tolerance = 1e-5f;

    private const int Steps = 20;

    private delegate double Compare(string kind, int seed);

    private static readonly Dictionary<(int Inputs, int Hidden), Compare> Shapes = new()
    {
        [(1, 8)] = CompareSteps<Columns1x8>,
        [(3, 8)] = CompareSteps<Columns3x8>,
        [(16, 8)] = CompareSteps<Columns16x8>,
        [(20, 8)] = CompareSteps<Columns20x8>,
        [(1, 16)] = CompareSteps<Columns1x16>,
        [(3, 16)] = CompareSteps<Columns3x16>,
        [(16, 16)] = CompareSteps<Columns16x16>,
        [(20, 16)] = CompareSteps<Columns20x16>,
        [(1, 24)] = CompareSteps<Columns1x24>,
        [(3, 24)] = CompareSteps<Columns3x24>,
        [(16, 24)] = CompareSteps<Columns16x24>,
        [(20, 24)] = CompareSteps<Columns20x24>,
        [(1, 32)] = CompareSteps<Columns1x32>,
        [(3, 32)] = CompareSteps<Columns3x32>,
        [(16, 32)] = CompareSteps<Columns16x32>,
        [(20, 32)] = CompareSteps<Columns20x32>,
        [(1, 64)] = CompareSteps<Columns1x64>,
        [(3, 64)] = CompareSteps<Columns3x64>,
        [(16, 64)] = CompareSteps<Columns16x64>,
        [(20, 64)] = CompareSteps<Columns20x64>,
        [(20, 40)] = CompareSteps<Columns20x40>,
        [(3, 128)] = CompareSteps<Columns3x128>,
    };

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string kind in new[] { "GRU", "LSTM" })
        {
            foreach ((int inputs, int hidden) in Shapes.Keys)
            {
                data.Add(kind, inputs, hidden);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Columns_step_matches_the_shared_step_on_PyTorch_layout(string kind, int inputs, int hidden)
    {
        if (!FloatKernels.LanesAccelerated)
        {
            output.WriteLine("512-bit vectors are not accelerated here: the columns step (AVX-512 only) does not run.");
            return;
        }
        double largest = Shapes[(inputs, hidden)](kind, (inputs * 1000) + hidden + (kind == "GRU" ? 0 : 500000));
        output.WriteLine($"{kind} {inputs}x{hidden}: largest difference over {Steps} steps {largest:E2} (tolerance {Tolerance:E0})");
    }

    /// <summary>
    /// Random weights, state and inputs (seeded); each step runs the shared kernel on PyTorch's layout and
    /// the columns kernel on the transposed copy from the same state, compares, and carries the shared
    /// kernel's state on, so that a difference cannot grow across steps unnoticed. The columns kernel's
    /// workspace is the shared step's length, refilled with NaN before each step so that any value it reads
    /// before writing shows.
    /// </summary>
    private static double CompareSteps<TShape>(string kind, int seed)
        where TShape : struct, IRecurrentShape
    {
        TShape shape = default;
        int gates = kind == "GRU" ? 3 : 4, hidden = shape.Hidden, inputs = shape.Inputs;
        int stateSize = kind == "GRU" ? hidden : 2 * hidden;
        int end = shape.Offset + (gates * hidden * (inputs + hidden + 2));
        var random = new Random(seed);
        // Room after the layer, as a generated network's next layer would leave, filled with values the kernels must not use.
        var parameters = new float[end + 9];
        for (int k = 0; k < parameters.Length; k++)
        {
            parameters[k] = (float)((random.NextDouble() * 1.2) - 0.6);
        }
        var columns = new float[parameters.Length];
        columns.AsSpan().Fill(float.NaN);
        FloatKernels.TransposeRecurrentLayer(parameters, columns, shape.Offset, inputs, hidden, gates);
        var state = new float[stateSize];
        for (int k = 0; k < stateSize; k++)
        {
            state[k] = (float)((random.NextDouble() * 2) - 1);
        }
        var columnsState = new float[stateSize];
        var x = new float[inputs];
        int workspaceLength = kind == "GRU" ? FloatKernels.GruStepWorkspaceLength<TShape>(1) : FloatKernels.LstmStepWorkspaceLength<TShape>(1);
        var sharedWorkspace = new float[workspaceLength];
        var columnsWorkspace = new float[workspaceLength];
        var publicState = new float[stateSize];
        double largest = 0;
        for (int step = 0; step < Steps; step++)
        {
            for (int k = 0; k < inputs; k++)
            {
                x[k] = (float)((random.NextDouble() * 2) - 1);
            }
            state.CopyTo(columnsState, 0);
            state.CopyTo(publicState, 0);
            columnsWorkspace.AsSpan().Fill(float.NaN);
            if (kind == "GRU")
            {
                FloatKernels.GruStep<TShape>(parameters, x, state, sharedWorkspace);
                FloatKernels.GruStepColumnsOver<TShape>(columns, x, columnsState, columnsWorkspace);
                // The public entry, its workspace on the stack unzeroed, gives the same bits.
                FloatKernels.GruStepColumns<TShape>(columns, x, publicState);
            }
            else
            {
                FloatKernels.LstmStep<TShape>(parameters, x, state, sharedWorkspace);
                FloatKernels.LstmStepColumnsOver<TShape>(columns, x, columnsState, columnsWorkspace);
                FloatKernels.LstmStepColumns<TShape>(columns, x, publicState);
            }
            Assert.True(columnsState.AsSpan().SequenceEqual(publicState), $"{kind} {inputs}x{hidden} step {step}: the public step differs from the one over a given workspace");
            for (int k = 0; k < stateSize; k++)
            {
                double difference = Math.Abs((double)columnsState[k] - state[k]);
                Assert.False(double.IsNaN(difference), $"{kind} {inputs}x{hidden} step {step}: state[{k}] is NaN");
                Assert.True(difference <= Tolerance,
                    $"{kind} {inputs}x{hidden} step {step}: state[{k}] columns {columnsState[k]} shared {state[k]} (difference {difference:E2})");
                largest = Math.Max(largest, difference);
            }
        }
        return largest;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Transpose_places_elements_where_the_layout_says_and_round_trips(int gates)
    {
        const int Offset = 5, Inputs = 3, Hidden = 8;
        int rows = gates * Hidden, weightHh = Offset + (rows * Inputs), biases = weightHh + (rows * Hidden), end = biases + (2 * rows);
        var parameters = new float[end + 4];
        for (int k = 0; k < parameters.Length; k++)
        {
            parameters[k] = k; // each value names its own index
        }
        var columns = new float[parameters.Length];
        columns.AsSpan().Fill(-1);
        FloatKernels.TransposeRecurrentLayer(parameters, columns, Offset, Inputs, Hidden, gates);

        // weight_ih (row r, input i): PyTorch's Offset + r * Inputs + i, the columns' Offset + i * rows + r.
        Assert.Equal(Offset + (0 * Inputs) + 0, columns[Offset + (0 * rows) + 0]);
        Assert.Equal(Offset + (7 * Inputs) + 2, columns[Offset + (2 * rows) + 7]);
        Assert.Equal(Offset + ((rows - 1) * Inputs) + 1, columns[Offset + (1 * rows) + rows - 1]);
        // weight_hh (row r, hidden j): PyTorch's weightHh + r * Hidden + j, the columns' weightHh + j * rows + r.
        Assert.Equal(weightHh + (9 * Hidden) + 3, columns[weightHh + (3 * rows) + 9]);
        Assert.Equal(weightHh + ((rows - 1) * Hidden) + Hidden - 1, columns[weightHh + ((Hidden - 1) * rows) + rows - 1]);
        Assert.Equal(weightHh + (2 * Hidden) + 0, columns[weightHh + (0 * rows) + 2]);
        // The biases unchanged; nothing before the layer or after it written.
        for (int k = biases; k < end; k++)
        {
            Assert.Equal(k, columns[k]);
        }
        for (int k = 0; k < Offset; k++)
        {
            Assert.Equal(-1, columns[k]);
        }
        for (int k = end; k < columns.Length; k++)
        {
            Assert.Equal(-1, columns[k]);
        }

        // Transposed back, both weight tensors are PyTorch's again.
        var back = new float[parameters.Length];
        FloatKernels.Transpose(columns.AsSpan(Offset, rows * Inputs), back.AsSpan(Offset, rows * Inputs), Inputs, rows);
        FloatKernels.Transpose(columns.AsSpan(weightHh, rows * Hidden), back.AsSpan(weightHh, rows * Hidden), Hidden, rows);
        columns.AsSpan(biases, 2 * rows).CopyTo(back.AsSpan(biases));
        Assert.Equal(parameters.AsSpan(Offset, end - Offset).ToArray(), back.AsSpan(Offset, end - Offset).ToArray());
    }

    [Fact]
    public void Transpose_rejects_overlapping_spans_and_a_layer_past_the_end()
    {
        var parameters = new float[3 * 8 * (1 + 8 + 2)];
        Assert.Throws<ArgumentException>(() => FloatKernels.TransposeRecurrentLayer(parameters, parameters, 0, 1, 8, 3));
        Assert.Throws<ArgumentException>(() => FloatKernels.TransposeRecurrentLayer(parameters, new float[parameters.Length], 1, 1, 8, 3));
        Assert.Throws<ArgumentException>(() => FloatKernels.TransposeRecurrentLayer(parameters, new float[parameters.Length - 1], 0, 1, 8, 3));
    }
}
#endif
