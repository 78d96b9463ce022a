using System;

namespace NetGen;

/// <summary>The two hashes of the parameter file format (docs/parameter-format.md), written out so that the library needs no package for them.</summary>
internal static class Checksums
{
    /// <summary>The value to start a CRC-32 with.</summary>
    public const uint Crc32Initial = 0xFFFFFFFFu;

    // CRC-32 as in zlib, PNG and Ethernet: reflected polynomial 0xEDB88320, one table lookup per byte.
    private static readonly uint[] Crc32Table = BuildCrc32Table();

    private static uint[] BuildCrc32Table()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }

    /// <summary>Feeds <paramref name="data"/> into a running CRC-32 (start from <see cref="Crc32Initial"/>).</summary>
    public static uint Crc32Update(uint running, ReadOnlySpan<byte> data)
    {
        uint[] table = Crc32Table;
        foreach (byte b in data) running = table[(running ^ b) & 0xFF] ^ (running >> 8);
        return running;
    }

    /// <summary>The CRC-32 of everything fed into <paramref name="running"/>.</summary>
    public static uint Crc32Finish(uint running) => running ^ 0xFFFFFFFFu;

    /// <summary>The CRC-32 of <paramref name="data"/>: <c>Crc32("123456789") == 0xCBF43926</c>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data) => Crc32Finish(Crc32Update(Crc32Initial, data));

    /// <summary>The 64-bit FNV-1a hash of <paramref name="data"/>: <c>Fnv1a64("a") == 0xAF63DC4C8601EC8C</c>.</summary>
    public static ulong Fnv1a64(ReadOnlySpan<byte> data)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in data)
        {
            hash ^= b;
            hash = unchecked(hash * 0x100000001B3UL);
        }

        return hash;
    }
}
