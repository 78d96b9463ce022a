// CsCheck, which drives these fuzz tests, has no .NET Framework build, so they run on modern .NET only.
#if NET
using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using CsCheck;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Damaged safetensors files of every kind: the loader must throw InvalidDataException and nothing else,
/// and must leave Parameters exactly as they were. safetensors has no checksum, so a damaged file can be
/// accepted; then the parameters must be exactly the values its bytes hold where the intact file kept them.
/// </summary>
public class SafetensorsFuzzTests(ITestOutputHelper output)
{
    private enum Damage { Truncate, FlipBits, OverwriteBytes, RandomBytes, RandomAfterLength, HeaderLength, EditHeaderText, ForeignFile }

    private const int CasesPerElementType = 3000;

    // Characters that keep damaged JSON close to valid JSON, so that the reader's deeper checks are reached.
    private const string JsonCharacters = "{}[]\",:0123456789-.eE \\u_FBI";

    [Fact]
    public void Damaged_files_are_refused_cleanly()
    {
        int cases = 0, accepted = 0;
        var clock = Stopwatch.StartNew();
        Gen.Select(Gen.Enum<Damage>(), Gen.Int, Gen.Bool, Gen.Bool).Sample((damage, seed, isDouble, forwardOnly) =>
        {
            bool ok = isDouble ? Check<double>(new DSoftmaxMiddle(), damage, seed, forwardOnly) : Check<float>(new ThirteenModules(), damage, seed, forwardOnly);
            if (ok) Interlocked.Increment(ref accepted);
            Interlocked.Increment(ref cases);
        }, iter: 2 * CasesPerElementType);

        output.WriteLine($"{cases} damaged files, {accepted} accepted (damage that left a valid file), {cases - accepted} refused with InvalidDataException, in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(cases >= 2 * CasesPerElementType, $"only {cases} cases ran");
        Assert.True(accepted < cases / 2, $"{accepted} of {cases} damaged files were accepted: the damage is too mild to test the reader");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{cases} cases took {clock.Elapsed}");
    }

    /// <summary>Returns whether the damaged file was accepted.</summary>
    private static bool Check<T>(INetwork<T> template, Damage damage, int seed, bool forwardOnly) where T : unmanaged
    {
        var random = new Random(seed);
        for (int i = 0; i < template.Parameters.Length; i++) template.Parameters[i] = Value<T>(random.NextDouble() * 4 - 2);
        var saved = new MemoryStream();
        template.SaveSafetensors(saved);
        byte[] intact = saved.ToArray();
        int dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(intact);
        byte[] file = Mutate((byte[])intact.Clone(), dataStart, damage, random);

        var target = (INetwork<T>)Activator.CreateInstance(template.GetType())!;
        long[] before = AnyNetwork.ParameterBits(target);
        try
        {
            target.LoadSafetensors(forwardOnly ? new ForwardOnlyStream(file) : new MemoryStream(file));
        }
        catch (InvalidDataException)
        {
            Assert.Equal(before, AnyNetwork.ParameterBits(target));
            return false;
        }

        // Accepted: the header still describes the intact layout (an edit may have changed its text, as
        // an added space does, but not what it says), so each parameter is whatever its bytes now hold.
        int size = typeof(T) == typeof(float) ? 4 : 8;
        int damagedDataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(intact.Length - dataStart, file.Length - damagedDataStart);
        for (int i = 0; i < target.Parameters.Length; i++)
        {
            long bits = size == 4 ? BitConverter.ToInt32(file, damagedDataStart + 4 * i) : BitConverter.ToInt64(file, damagedDataStart + 8 * i);
            Assert.Equal(bits, AnyNetwork.ParameterBits(target)[i]);
        }

        return true;
    }

    private static T Value<T>(double value) where T : unmanaged
        => typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;

    private static byte[] Mutate(byte[] file, int dataStart, Damage damage, Random random)
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
                var noise = new byte[random.Next(300)];
                random.NextBytes(noise);
                return noise;
            case Damage.RandomAfterLength:
                // A plausible length, then noise that often starts like JSON.
                var body = new byte[random.Next(1, 300)];
                random.NextBytes(body);
                if (random.Next(2) == 0) body[0] = (byte)'{';
                return SafetensorsFiles.WithHeader(body.AsSpan(0, random.Next(body.Length + 1)).ToArray(), body.AsSpan(0, random.Next(body.Length + 1)).ToArray());
            case Damage.HeaderLength:
                // Lengths near the true one, and huge ones (negative as signed, beyond the file, beyond the limit).
                ulong trueLength = (ulong)(dataStart - 8);
                ulong[] lengths = { trueLength - 1, trueLength + 1, trueLength + 8, 0, ulong.MaxValue, 1UL << 63, 100_000_000, 100_000_001, (ulong)random.NextInt64() };
                BinaryPrimitives.WriteUInt64LittleEndian(file, lengths[random.Next(lengths.Length)]);
                return file;
            case Damage.EditHeaderText:
                // Insert, delete or replace JSON-ish characters inside the header, keeping the length field true.
                var header = new StringBuilder(Encoding.UTF8.GetString(file, 8, dataStart - 8));
                for (int edits = 1 + random.Next(3); edits > 0; edits--)
                {
                    int at = random.Next(header.Length);
                    char c = JsonCharacters[random.Next(JsonCharacters.Length)];
                    switch (random.Next(3))
                    {
                        case 0: header.Insert(at, c); break;
                        case 1: header.Remove(at, 1); break;
                        default: header[at] = c; break;
                    }
                }

                return SafetensorsFiles.WithHeader(header.ToString(), file.AsSpan(dataStart).ToArray());
            default:
                // An intact file of another network.
                var other = new MemoryStream();
                if (random.Next(2) == 0) new IrisNet().SaveSafetensors(other);
                else new DDeeper().SaveSafetensors(other);
                return other.ToArray();
        }
    }
}
#endif
