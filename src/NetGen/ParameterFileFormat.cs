using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace NetGen;

/// <summary>
/// Version 1 of the parameter file format, described in docs/parameter-format.md. All integers and
/// values are little-endian:
/// <code>
/// offset        size   field
/// 0             4      magic "NGPM"
/// 4             2      format version (1)
/// 6             2      element type code: 1 = float (IEEE binary32), 2 = double (binary64)
/// 8             4      value count n: the parameters, then the buffers (BatchNorm's running statistics)
/// 12            4      length in bytes of the UTF-8 architecture text
/// 16            8      FNV-1a 64 of the UTF-8 architecture text
/// 24            n * s  the parameters in the order of INetwork.Parameters, then INetwork.Buffers (s = 4 or 8)
/// 24 + n * s    4      CRC-32 of every byte before it
/// </code>
/// </summary>
internal static class ParameterFileFormat
{
    public const ushort CurrentVersion = 1;
    public const int HeaderSize = 24;
    public const int ChecksumSize = 4;
    private const ushort FloatCode = 1;
    private const ushort DoubleCode = 2;
    private static readonly byte[] Magic = { (byte)'N', (byte)'G', (byte)'P', (byte)'M' };

    // The body is read in chunks of whole elements of either size.
    private const int ChunkSize = 64 * 1024;

    private const string Prefix = "Cannot load NetGen parameters: ";

    /// <summary>
    /// The whole file for <paramref name="network"/>'s current parameters and buffers (a network without
    /// batch norm has none, so its file is what it always was).
    /// </summary>
    public static byte[] Encode<T>(INetwork<T> network) where T : unmanaged
    {
        T[] parameters = Values(network);
        int elementSize = ElementSize(ElementCode<T>());
        var file = new byte[HeaderSize + (long)parameters.Length * elementSize + ChecksumSize];
        WriteHeader<T>(file, parameters.Length, Encoding.UTF8.GetBytes(network.Architecture));
        Span<byte> body = file.AsSpan(HeaderSize, parameters.Length * elementSize);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (typeof(T) == typeof(float))
            {
                BinaryPrimitives.WriteInt32LittleEndian(body.Slice(4 * i), FloatBits.ToInt32Bits((float)ElementTypes.ToDouble(parameters[i])));
            }
            else
            {
                BinaryPrimitives.WriteInt64LittleEndian(body.Slice(8 * i), BitConverter.DoubleToInt64Bits(ElementTypes.ToDouble(parameters[i])));
            }
        }

        int checksumOffset = file.Length - ChecksumSize;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(checksumOffset), Checksums.Crc32(file.AsSpan(0, checksumOffset)));
        return file;
    }

    private static void WriteHeader<T>(Span<byte> header, int count, byte[] architecture) where T : unmanaged
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(4), CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(6), ElementCode<T>());
        BinaryPrimitives.WriteInt32LittleEndian(header.Slice(8), count);
        BinaryPrimitives.WriteInt32LittleEndian(header.Slice(12), architecture.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header.Slice(16), Checksums.Fnv1a64(architecture));
    }

    /// <summary>
    /// Reads one parameter record from <paramref name="stream"/> and checks all of it against
    /// <paramref name="network"/>, returning the values in a new array; <c>Parameters</c> is not
    /// touched. The stream is read up to the end of the record and no further, so several records
    /// can follow each other in one stream.
    /// </summary>
    /// <remarks>
    /// The checksum is verified before the header is compared with the network. So a mismatch
    /// message means an intact file from another network, and a damaged header reads as damage
    /// (a checksum mismatch, or a truncation if its length field was hit), not as a mismatch.
    /// </remarks>
    /// <exception cref="InvalidDataException">Anything is wrong; the message says what.</exception>
    public static T[] Decode<T>(INetwork<T> network, Stream stream) where T : unmanaged
    {
        var header = new byte[HeaderSize];
        int headerRead = ReadFully(stream, header);
        if (headerRead == 0) throw Invalid("the data is empty (0 bytes).");
        if (!header.AsSpan(0, Math.Min(headerRead, Magic.Length)).SequenceEqual(Magic.AsSpan(0, Math.Min(headerRead, Magic.Length))))
        {
            throw Invalid($"bad magic: the data starts with {Hex(header.AsSpan(0, Math.Min(headerRead, Magic.Length)))}, not \"NGPM\" ({Hex(Magic)}); it is not a NetGen parameter file.");
        }

        if (headerRead < HeaderSize)
        {
            throw Invalid($"the data is truncated: it ends after {headerRead} bytes, inside the {HeaderSize}-byte header.");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(4));
        if (version != CurrentVersion)
        {
            throw Invalid($"unsupported format version {version}; this library reads version {CurrentVersion}.");
        }

        ushort fileElementCode = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
        if (fileElementCode != FloatCode && fileElementCode != DoubleCode)
        {
            throw Invalid($"unknown element type code {fileElementCode} (1 = float, 2 = double); the file is corrupt.");
        }

        int fileCount = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        int fileArchitectureLength = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        ulong fileFingerprint = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(16));
        if (fileCount < 0 || fileArchitectureLength < 0)
        {
            throw Invalid($"the header is corrupt: parameter count {fileCount}, architecture length {fileArchitectureLength}.");
        }

        // Only a record that could fit the network is decoded; any other is still read to its end so
        // that its checksum can tell damage from a file that belongs to another network.
        int expectedCount = network.ParameterCount + BufferLength(network);
        bool fits = fileElementCode == ElementCode<T>() && fileCount == expectedCount;
        T[] values = fits ? new T[fileCount] : Array.Empty<T>();
        int elementSize = ElementSize(fileElementCode);
        long bodyLength = (long)fileCount * elementSize;
        uint crc = Checksums.Crc32Update(Checksums.Crc32Initial, header);

        var chunk = new byte[(int)Math.Min(ChunkSize, Math.Max(bodyLength, ChecksumSize))];
        long bodyRead = 0;
        while (bodyRead < bodyLength)
        {
            int wanted = (int)Math.Min(chunk.Length, bodyLength - bodyRead);
            int got = ReadFully(stream, chunk.AsSpan(0, wanted));
            if (got < wanted)
            {
                long total = HeaderSize + bodyRead + got;
                throw Invalid($"the data is truncated: it ends after {total} bytes; its header promises {fileCount} parameters, {HeaderSize + bodyLength + ChecksumSize} bytes in all.");
            }

            crc = Checksums.Crc32Update(crc, chunk.AsSpan(0, got));
            if (fits) DecodeValues(chunk.AsSpan(0, got), values.AsSpan((int)(bodyRead / elementSize)));
            bodyRead += got;
        }

        int checksumRead = ReadFully(stream, chunk.AsSpan(0, ChecksumSize));
        if (checksumRead < ChecksumSize)
        {
            throw Invalid($"the data is truncated: it ends {ChecksumSize - checksumRead} bytes short of its checksum.");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(chunk);
        uint computed = Checksums.Crc32Finish(crc);
        if (stored != computed)
        {
            throw Invalid($"checksum mismatch: the file stores CRC-32 0x{stored:X8} but its content gives 0x{computed:X8}; the file is corrupt.");
        }

        if (fileElementCode != ElementCode<T>())
        {
            throw Invalid($"element type mismatch: the file holds {CodeName(fileElementCode)} parameters, but the network computes in {ElementTypes.Name<T>()}.");
        }

        byte[] architecture = Encoding.UTF8.GetBytes(network.Architecture);
        if (fileFingerprint != Checksums.Fnv1a64(architecture) || fileArchitectureLength != architecture.Length)
        {
            throw Invalid($"architecture mismatch: the file was saved from another network (architecture fingerprint 0x{fileFingerprint:X16}, {fileCount} parameters); this network is \"{network.Architecture}\" (fingerprint 0x{Checksums.Fnv1a64(architecture):X16}).");
        }

        if (!fits)
        {
            throw Invalid(expectedCount == network.ParameterCount
                ? $"parameter count mismatch: the file holds {fileCount} parameters, the network has {network.ParameterCount}."
                : $"parameter count mismatch: the file holds {fileCount} values, the network has {network.ParameterCount} parameters and {expectedCount - network.ParameterCount} buffer values.");
        }

        return values;
    }

    /// <summary>The network's buffer values (0 where it has none, or a hand-written network returns null).</summary>
    public static int BufferLength<T>(INetwork<T> network) where T : unmanaged => network.Buffers?.Length ?? 0;

    /// <summary>What a file holds: the parameters, then the buffers.</summary>
    private static T[] Values<T>(INetwork<T> network) where T : unmanaged
    {
        int buffers = BufferLength(network);
        if (buffers == 0) return network.Parameters;
        var values = new T[network.Parameters.Length + buffers];
        network.Parameters.CopyTo(values, 0);
        network.Buffers.CopyTo(values, network.Parameters.Length);
        return values;
    }

    /// <summary>Puts decoded values back: the parameters, then the buffers, only once the whole file has been checked.</summary>
    public static void Apply<T>(INetwork<T> network, T[] values) where T : unmanaged
    {
        Array.Copy(values, 0, network.Parameters, 0, network.ParameterCount);
        int buffers = BufferLength(network);
        if (buffers > 0) Array.Copy(values, network.ParameterCount, network.Buffers, 0, buffers);
    }

    private static void DecodeValues<T>(ReadOnlySpan<byte> bytes, Span<T> destination) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < bytes.Length / 4; i++)
            {
                destination[i] = ElementTypes.FromDouble<T>(FloatBits.FromInt32Bits(BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4 * i))));
            }
        }
        else
        {
            for (int i = 0; i < bytes.Length / 8; i++)
            {
                destination[i] = ElementTypes.FromDouble<T>(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(8 * i))));
            }
        }
    }

    /// <summary>An <see cref="InvalidDataException"/> whose message starts the same way for every failure.</summary>
    public static InvalidDataException Invalid(string reason) => new(Prefix + reason);

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer.Slice(total));
            if (read == 0) break;
            total += read;
        }

        return total;
    }

    private static ushort ElementCode<T>() where T : unmanaged => typeof(T) == typeof(float) ? FloatCode : DoubleCode;

    private static int ElementSize(ushort code) => code == FloatCode ? 4 : 8;

    private static string CodeName(ushort code) => code == FloatCode ? "float" : "double";

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes) text.Append(text.Length == 0 ? "" : " ").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
