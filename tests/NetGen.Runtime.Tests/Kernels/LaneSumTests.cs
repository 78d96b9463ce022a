// The lane sums exist only in the library's net8.0 build (Vector512), so the .NET Framework build of this
// suite, run on Mono, has nothing here to test.
#if NET8_0_OR_GREATER
using System;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The sums across lanes of the written-out forward and the recurrent step (<see cref="FloatKernels.LanePairSums(Vector512{float}, Vector512{float})"/>,
/// <c>LaneQuadSums</c>, <c>LaneBlockSums</c>): a group of rows, one vector of partial products per row,
/// becomes one vector of the rows' sums in row order, at every width the generator uses (sixteen 512-bit
/// rows, eight 512-bit rows, eight 256-bit rows). Each row's lanes hold distinct powers of two, so every sum
/// is exact whatever the order of its additions and any misplaced lane shows. It only runs where the
/// written-out forward runs (AVX-512); elsewhere it says so.
/// </summary>
public class LaneSumTests(ITestOutputHelper output)
{
    /// <summary>
    /// Row r's lane k: 2^k + r 2^16. Its sum (2^16 - 1 + r 2^20 at 16 lanes) names the row, shows a lane
    /// counted twice or missed, and like every partial sum is an integer below 2^24, so exact in float.
    /// </summary>
    private static float Lane(int row, int lane) => (1 << lane) + (row << 16);

    private static float Expected(int row, int lanes)
    {
        float sum = 0;
        for (int k = 0; k < lanes; k++)
        {
            sum += Lane(row, k);
        }
        return sum;
    }

    private static Vector512<float> Row512(int row)
    {
        var values = new float[16];
        for (int k = 0; k < 16; k++)
        {
            values[k] = Lane(row, k);
        }
        return Vector512.Create(values);
    }

    private static Vector256<float> Row256(int row)
    {
        var values = new float[8];
        for (int k = 0; k < 8; k++)
        {
            values[k] = Lane(row, k);
        }
        return Vector256.Create(values);
    }

    private bool Skipped()
    {
        if (FloatKernels.LanesAccelerated)
        {
            return false;
        }
        output.WriteLine("512-bit vectors are not accelerated here: the written-out forward and its lane sums do not run.");
        return true;
    }

    [Fact]
    public void Sixteen_512_bit_rows_give_their_sixteen_sums_in_order()
    {
        if (Skipped())
        {
            return;
        }
        Vector512<float>[] r = new Vector512<float>[16];
        for (int k = 0; k < 16; k++)
        {
            r[k] = Row512(k);
        }
        Vector512<float> sums = FloatKernels.LaneBlockSums(
            FloatKernels.LaneQuadSums(FloatKernels.LanePairSums(r[0], r[1]), FloatKernels.LanePairSums(r[2], r[3])),
            FloatKernels.LaneQuadSums(FloatKernels.LanePairSums(r[4], r[5]), FloatKernels.LanePairSums(r[6], r[7])),
            FloatKernels.LaneQuadSums(FloatKernels.LanePairSums(r[8], r[9]), FloatKernels.LanePairSums(r[10], r[11])),
            FloatKernels.LaneQuadSums(FloatKernels.LanePairSums(r[12], r[13]), FloatKernels.LanePairSums(r[14], r[15])));
        for (int k = 0; k < 16; k++)
        {
            Assert.Equal(Expected(k, 16), sums.GetElement(k));
        }
    }

    /// <summary>LaneTotal (a one-output layer's sum): every lane counted once, at both widths, and NaN and infinity carried.</summary>
    [Fact]
    public void The_total_of_a_row_counts_every_lane_once()
    {
        if (Skipped())
        {
            return;
        }
        for (int row = 0; row < 5; row++)
        {
            Assert.Equal(Expected(row, 16), FloatKernels.LaneTotal(Row512(row)));
            Assert.Equal(Expected(row, 8), FloatKernels.LaneTotal(Row256(row)));
        }
        for (int lane = 0; lane < 16; lane++)
        {
            Assert.True(float.IsNaN(FloatKernels.LaneTotal(Row512(1).WithElement(lane, float.NaN))), $"NaN in lane {lane}");
            Assert.Equal(float.PositiveInfinity, FloatKernels.LaneTotal(Row512(1).WithElement(lane, float.PositiveInfinity)));
        }
    }

    [Fact]
    public void Eight_512_bit_rows_give_their_eight_sums_in_order()
    {
        if (Skipped())
        {
            return;
        }
        Vector256<float> sums = FloatKernels.LaneBlockSums(
            FloatKernels.LaneQuadSums(FloatKernels.LanePairSums(Row512(0), Row512(1)), FloatKernels.LanePairSums(Row512(2), Row512(3))),
            FloatKernels.LaneQuadSums(FloatKernels.LanePairSums(Row512(4), Row512(5)), FloatKernels.LanePairSums(Row512(6), Row512(7))));
        for (int k = 0; k < 8; k++)
        {
            Assert.Equal(Expected(k, 16), sums.GetElement(k));
        }
    }

    [Fact]
    public void Eight_256_bit_rows_give_their_eight_sums_in_order()
    {
        if (Skipped())
        {
            return;
        }
        Vector256<float> sums = FloatKernels.LaneBlockSums(
            FloatKernels.LaneQuadSums(FloatKernels.LanePairSums(Row256(0), Row256(1)), FloatKernels.LanePairSums(Row256(2), Row256(3))),
            FloatKernels.LaneQuadSums(FloatKernels.LanePairSums(Row256(4), Row256(5)), FloatKernels.LanePairSums(Row256(6), Row256(7))));
        for (int k = 0; k < 8; k++)
        {
            Assert.Equal(Expected(k, 8), sums.GetElement(k));
        }
    }
}
#endif
