// CsCheck, which drives these fuzz tests, has no .NET Framework build, so they run on modern .NET only.
#if NET
using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using CsCheck;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Damaged parameter files of every kind: the loader must throw InvalidDataException and nothing else,
/// and must leave Parameters exactly as they were. A file it accepts must be the saved one, intact.
/// </summary>
public class ParameterFileFuzzTests
{
    private enum Damage { Truncate, FlipBits, OverwriteBytes, RandomBytes, RandomAfterMagic, ForeignFile }

    private const int CasesPerElementType = 3000;

    [Fact]
    public void Damaged_files_are_refused_cleanly()
    {
        int cases = 0;
        var clock = Stopwatch.StartNew();
        var gen = Gen.Select(Gen.Enum<Damage>(), Gen.Int, Gen.Bool);
        gen.Sample((damage, seed, isDouble) =>
        {
            if (isDouble) Check<double>(damage, seed);
            else Check<float>(damage, seed);
            Interlocked.Increment(ref cases);
        }, iter: 2 * CasesPerElementType);

        Assert.True(cases >= 2 * CasesPerElementType, $"only {cases} cases ran");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{cases} cases took {clock.Elapsed}");
    }

    private static void Check<T>(Damage damage, int seed) where T : unmanaged
    {
        var random = new Random(seed);
        // Networks of a few shapes, so that lengths, counts and fingerprints vary.
        int inputs = 1 + random.Next(6), classes = 1 + random.Next(4);
        var saved = new SoftmaxRegression<T>(inputs, classes, seed: seed);
        var stream = new MemoryStream();
        saved.SaveParameters(stream);
        byte[] file = Mutate(stream.ToArray(), damage, random);

        var target = new SoftmaxRegression<T>(inputs, classes, seed: seed + 1);
        T[] before = (T[])target.Parameters.Clone();
        try
        {
            target.LoadParameters(new MemoryStream(file));
        }
        catch (InvalidDataException)
        {
            Assert.Equal(before, target.Parameters);
            return;
        }

        // CRC-32 catches every damage of up to three bits and every burst of up to 32, so an accepted
        // file can only be one whose record came through unharmed.
        Assert.Equal(saved.Parameters, target.Parameters);
    }

    private static byte[] Mutate(byte[] file, Damage damage, Random random)
    {
        switch (damage)
        {
            case Damage.Truncate:
                return file.AsSpan(0, random.Next(file.Length)).ToArray();
            case Damage.FlipBits:
                for (int flips = 1 + random.Next(3); flips > 0; flips--) file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                return file;
            case Damage.OverwriteBytes:
                int start = random.Next(file.Length), length = 1 + random.Next(Math.Min(4, file.Length - start));
                random.NextBytes(file.AsSpan(start, length));
                return file;
            case Damage.RandomBytes:
                var noise = new byte[random.Next(200)];
                random.NextBytes(noise);
                return noise;
            case Damage.RandomAfterMagic:
                // A plausible header, then noise: exercises the header checks past the magic.
                var header = new byte[4 + random.Next(200)];
                random.NextBytes(header);
                "NGPM"u8.CopyTo(header);
                if (header.Length > 6 && random.Next(2) == 0) { header[4] = 1; header[5] = 0; }
                return header;
            default:
                // An intact file from a network of another shape or element type.
                var other = new MemoryStream();
                if (random.Next(2) == 0) new SoftmaxRegression<float>(7, 5).SaveParameters(other);
                else new SoftmaxRegression<double>(7, 5).SaveParameters(other);
                return other.ToArray();
        }
    }
}
#endif
