using System;
using System.IO;

namespace NetGen;

/// <summary>
/// Saves and loads a network's <see cref="INetwork{T}.Parameters"/> in NetGen's binary parameter
/// format (docs/parameter-format.md): a header that names the element type and fingerprints the
/// architecture, the values, and a CRC-32 over all of it. A network with batch normalisation saves and
/// loads its <see cref="INetwork{T}.Buffers"/> (the running statistics) after its parameters, in the same record.
/// </summary>
public static class ParameterPersistence
{
    /// <summary>Writes the network's parameters to <paramref name="stream"/>, starting at its current position.</summary>
    /// <param name="network">The network whose parameters to write.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable, or the network's arrays do not have <c>ParameterCount</c> elements.</exception>
    public static void SaveParameters<T>(this INetwork<T> network, Stream stream) where T : unmanaged
    {
        CheckNetwork(network);
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        byte[] file = ParameterFileFormat.Encode(network);
        stream.Write(file, 0, file.Length);
    }

    /// <summary>
    /// Writes the network's parameters to the file at <paramref name="path"/>, replacing it atomically:
    /// the data goes to a temporary file beside it, is flushed to the disk, then renamed over the
    /// target. If anything fails, the old file (if any) is left as it was, and no half-written file remains.
    /// </summary>
    /// <param name="network">The network whose parameters to write.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space, or the network's arrays do not have <c>ParameterCount</c> elements.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void SaveParameters<T>(this INetwork<T> network, string path) where T : unmanaged
    {
        CheckNetwork(network);
        CheckPath(path);
        // Encoded before the file is opened, so that a network that throws leaves no trace on disk.
        byte[] file = ParameterFileFormat.Encode(network);
        AtomicFile.Write(path, stream => stream.Write(file, 0, file.Length));
    }

    /// <summary>
    /// Reads parameters saved by <see cref="SaveParameters{T}(INetwork{T}, Stream)"/> from the current
    /// position of <paramref name="stream"/> into the network. Everything is read and checked before
    /// <c>Parameters</c> is touched; the stream is read to the end of the record and no further.
    /// </summary>
    /// <param name="network">The network to load into; its parameters and buffers change only if the whole load succeeds.</param>
    /// <param name="stream">A readable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable, or the network's arrays do not have <c>ParameterCount</c> elements.</exception>
    /// <exception cref="InvalidDataException">
    /// The data is empty, truncated or corrupt (bad magic, unsupported version, checksum mismatch), or
    /// was saved from a network of another element type, architecture or parameter count. The message
    /// says which; <c>Parameters</c> is unchanged.
    /// </exception>
    public static void LoadParameters<T>(this INetwork<T> network, Stream stream) where T : unmanaged
    {
        CheckNetwork(network);
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanRead) throw new ArgumentException("The stream is not readable.", nameof(stream));
        T[] values = ParameterFileFormat.Decode(network, stream);
        ParameterFileFormat.Apply(network, values);
    }

    /// <summary>
    /// Reads parameters saved by <see cref="SaveParameters{T}(INetwork{T}, string)"/> into the network.
    /// The file must hold exactly one record: bytes after its checksum make the load fail too.
    /// </summary>
    /// <param name="network">The network to load into; its parameters and buffers change only if the whole load succeeds.</param>
    /// <param name="path">The file to read.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space, or the network's arrays do not have <c>ParameterCount</c> elements.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">
    /// As for <see cref="LoadParameters{T}(INetwork{T}, Stream)"/>, or the file goes on after the
    /// checksum. The message says which; <c>Parameters</c> is unchanged.
    /// </exception>
    public static void LoadParameters<T>(this INetwork<T> network, string path) where T : unmanaged
    {
        CheckNetwork(network);
        CheckPath(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan);
        T[] values = ParameterFileFormat.Decode(network, stream);
        long extra = stream.Length - stream.Position;
        if (extra > 0)
        {
            throw ParameterFileFormat.Invalid($"the file has {extra} bytes of unexpected data after its checksum.");
        }

        ParameterFileFormat.Apply(network, values);
    }

    private static void CheckNetwork<T>(INetwork<T> network) where T : unmanaged
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        ElementTypes.EnsureSupported<T>();
        VectorKernels.EnsureConsistent(network, nameof(network));
        if (network.Architecture is null) throw new ArgumentException("The network's Architecture is null.", nameof(network));
    }

    private static void CheckPath(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The path is empty.", nameof(path));
    }
}
