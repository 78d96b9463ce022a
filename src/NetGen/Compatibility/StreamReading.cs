#if NETSTANDARD2_0
using System;
using System.Buffers;
using System.IO;

namespace NetGen;

/// <summary>
/// <c>Stream.Read(Span&lt;byte&gt;)</c> for netstandard2.0, whose streams read only into arrays: through a
/// pooled array, as the BCL's own default implementation does.
/// </summary>
internal static class StreamReading
{
    /// <summary>Reads up to <paramref name="buffer"/>'s length; returns the bytes read, 0 at the end.</summary>
    public static int Read(this Stream stream, Span<byte> buffer)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int read = stream.Read(rented, 0, buffer.Length);
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
#endif
