using System;
using NetGen.Runtime;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// The batch kernels switch layouts through Simd.Transpose, which has a vectorised path for float
/// (8 x 8 AVX blocks) and scalar tiles for the edges and everything else: every shape must agree with
/// the definition, the ragged edges included.
/// </summary>
public class TransposeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 17)]
    [InlineData(8, 8)]
    [InlineData(7, 9)]
    [InlineData(16, 24)]
    [InlineData(64, 784)]
    [InlineData(33, 13)]
    [InlineData(100, 7)]
    public void FloatMatchesTheDefinition(int rows, int columns) => Check<float>(rows, columns, v => (float)v);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(9, 8)]
    [InlineData(33, 13)]
    public void DoubleMatchesTheDefinition(int rows, int columns) => Check<double>(rows, columns, v => v);

    [Fact]
    public void EveryShapeUpTo40By40()
    {
        for (int rows = 1; rows <= 40; rows++)
        {
            for (int columns = 1; columns <= 40; columns++)
            {
                Check<float>(rows, columns, v => (float)v);
            }
        }
    }

    [Fact]
    public void ShortSpansAreRejected()
        => Assert.Throws<ArgumentException>(() => Simd.Transpose<float>(new float[5], new float[6], 2, 3));

    private static void Check<T>(int rows, int columns, Func<double, T> make) where T : struct
    {
        var source = new T[rows * columns];
        for (int k = 0; k < source.Length; k++)
        {
            source[k] = make(k + 0.5);
        }
        // One value past the end, which must stay untouched.
        var destination = new T[(rows * columns) + 1];
        destination[^1] = make(-1);

        Simd.Transpose<T>(source, destination, rows, columns);

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                Assert.Equal(source[(r * columns) + c], destination[(c * rows) + r]);
            }
        }
        Assert.Equal(make(-1), destination[^1]);
    }
}

/// <summary>The single-sample forward reduces 8 rows at once with SumEach8 where vectors have 8 lanes.</summary>
public class SumEach8Tests
{
    [Fact]
    public void LaneRIsTheSumOfTheRthVector()
    {
        if (System.Numerics.Vector<float>.Count != 8)
        {
            Assert.Throws<NotSupportedException>(() => Simd.SumEach8(default, default, default, default, default, default, default, default));
            return;
        }
        var vectors = new System.Numerics.Vector<float>[8];
        for (int r = 0; r < 8; r++)
        {
            var lanes = new float[8];
            for (int k = 0; k < 8; k++)
            {
                lanes[k] = (r * 10) + k + 0.25f;
            }
            vectors[r] = new System.Numerics.Vector<float>(lanes);
        }

        var sums = Simd.SumEach8(vectors[0], vectors[1], vectors[2], vectors[3], vectors[4], vectors[5], vectors[6], vectors[7]);

        for (int r = 0; r < 8; r++)
        {
            Assert.Equal((r * 80) + 28 + 2f, sums[r]);
        }
    }
}
