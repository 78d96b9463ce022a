using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using NetGen.Interop;

namespace NetGen.Safetensors;

/// <summary>The values a safetensors file holds for a network, read whole before the network is touched.</summary>
internal sealed class SafetensorsValues<T>
{
    public SafetensorsValues(T[] parameters, T[] buffers)
    {
        Parameters = parameters;
        Buffers = buffers;
    }

    /// <summary>New parameters, in the order of <see cref="INetwork{T}.Parameters"/>.</summary>
    public T[] Parameters { get; }

    /// <summary>New buffers (running statistics), in the order of <see cref="INetwork{T}.Buffers"/>.</summary>
    public T[] Buffers { get; }
}

/// <summary>
/// Reads a safetensors file into new parameter and buffer arrays for a network, checking everything first:
/// the header length, the header itself, that the tensors cover the data section exactly, that they are the
/// network's layers with parameters and their buffers (LayerTensorMapping: one order of the modules, or a
/// refusal), and every value as it converts. The network is not touched.
/// </summary>
internal static class SafetensorsReader
{
    // Data is read and converted in chunks of whole elements of any size, so that a large layer needs no
    // second copy of its bytes in memory.
    private const int ChunkSize = 64 * 1024;

    /// <exception cref="InvalidDataException">Anything is wrong; the message says what, naming the tensor where there is one.</exception>
    public static SafetensorsValues<T> Read<T>(NetworkArchitecture architecture, Stream stream, WeightLoadOptions options) where T : unmanaged
    {
        // Where the stream knows its length, the header length and the data section are checked against
        // it before anything large is read or allocated.
        long? available = stream.CanSeek ? stream.Length - stream.Position : null;

        var lengthBytes = new byte[SafetensorsFormat.LengthSize];
        int got = ReadFully(stream, lengthBytes);
        if (got == 0) throw SafetensorsFormat.Invalid("the data is empty (0 bytes).");
        if (got < lengthBytes.Length) throw SafetensorsFormat.Invalid($"the data is truncated: it ends after {got} bytes, inside the 8-byte header length.");

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > SafetensorsFormat.MaximumHeaderLength) SafetensorsFormat.RefuseOtherFormats(lengthBytes);
        if (headerLength > long.MaxValue)
        {
            throw SafetensorsFormat.Invalid($"the header length 0x{headerLength:X16} is negative as a signed 64-bit number; the file is corrupt or not a safetensors file.");
        }

        if (headerLength > SafetensorsFormat.MaximumHeaderLength)
        {
            throw SafetensorsFormat.Invalid($"the header length {headerLength} is larger than the {SafetensorsFormat.MaximumHeaderLength} bytes the format allows; the file is corrupt or not a safetensors file.");
        }

        if (available is long total && (long)headerLength > total - SafetensorsFormat.LengthSize)
        {
            throw SafetensorsFormat.Invalid($"the header length {headerLength} is longer than the file, which has only {total - SafetensorsFormat.LengthSize} bytes after the length.");
        }

        byte[] headerBytes = ReadHeader(stream, (int)headerLength);
        SafetensorsHeader header = SafetensorsHeader.Parse(headerBytes);

        if (available is long fileLength)
        {
            long dataAvailable = fileLength - SafetensorsFormat.LengthSize - (long)headerLength;
            CheckDataLength(header, dataAvailable);
        }

        IReadOnlyList<LayerTensors> layers = LayerTensorMapping.Match(architecture, header.TensorsByOffset, options.ModuleNames);
        var values = new T[architecture.ParameterCount];
        var buffers = new T[architecture.BufferCount];
        // Where each tensor of the file goes: a range of the new parameters or buffers, or nowhere (num_batches_tracked, checked and dropped).
        var destinations = new Dictionary<SafetensorsTensor, ArraySegment<T>>();
        foreach (LayerTensors layer in layers)
        {
            for (int t = 0; t < layer.Tensors.Count; t++)
            {
                // A tensor the module leaves out (bias=False) loads as zeros: the new array already holds them.
                if (layer.Tensors[t] is not SafetensorsTensor tensor) continue;
                NetworkTensor? destination = layer.Destination(t);
                if (SafetensorsFormat.IntegerWhereFloatBelongs(tensor, isBatchCount: destination is null) is string refusal) throw SafetensorsFormat.Invalid(refusal);
                if (destination is not null) destinations.Add(tensor, new ArraySegment<T>(layer.IsParameter(t) ? values : buffers, destination.Offset, destination.Count));
            }
        }

        var chunk = new byte[(int)Math.Min(ChunkSize, Math.Max(header.DataLength, 8))];
        foreach (SafetensorsTensor tensor in header.TensorsByOffset)
        {
            if (destinations.TryGetValue(tensor, out ArraySegment<T> destination)) ReadTensor(stream, tensor, destination.AsSpan(), chunk, options);
            else ReadBatchCount(stream, tensor);
        }

        // A stream of unknown length is the rest of the file: it must end where the last tensor ends.
        if (available is null && stream.ReadByte() >= 0)
        {
            throw SafetensorsFormat.Invalid($"the data goes on after the last tensor's data (byte {header.DataLength} of the data section); the format allows no bytes outside a tensor.");
        }

        return new SafetensorsValues<T>(values, buffers);
    }

    /// <summary>
    /// Reads a BatchNorm layer's <c>num_batches_tracked</c> (an I64 scalar, as the mapping checked) and checks
    /// that it is a count, not negative; NetGen keeps no count (<see cref="LayerTensorMapping.NumBatchesTracked"/>).
    /// </summary>
    private static void ReadBatchCount(Stream stream, SafetensorsTensor tensor)
    {
        var bytes = new byte[8];
        int got = ReadFully(stream, bytes);
        if (got < bytes.Length)
        {
            throw SafetensorsFormat.Invalid(
                $"the data is truncated: tensor {SafetensorsHeader.Name(tensor.Name)} has data_offsets [{tensor.Begin}, {tensor.End}], but the data ends after byte {tensor.Begin + got} of the data section.");
        }

        long count = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (count < 0)
        {
            throw SafetensorsFormat.Invalid($"tensor {SafetensorsHeader.Name(tensor.Name)} is {count}, but num_batches_tracked counts training batches and cannot be negative.");
        }
    }

    private static void CheckDataLength(SafetensorsHeader header, long dataAvailable)
    {
        if (dataAvailable < header.DataLength)
        {
            foreach (SafetensorsTensor tensor in header.TensorsByOffset)
            {
                if (tensor.End > dataAvailable)
                {
                    throw SafetensorsFormat.Invalid(
                        $"the file is truncated: tensor {SafetensorsHeader.Name(tensor.Name)} has data_offsets [{tensor.Begin}, {tensor.End}], but the data section has only {dataAvailable} bytes.");
                }
            }
        }

        if (dataAvailable > header.DataLength)
        {
            throw SafetensorsFormat.Invalid(
                $"the data section has {dataAvailable} bytes, but its tensors cover only the first {header.DataLength}; the format allows no bytes outside a tensor.");
        }
    }

    /// <summary>
    /// Reads the header in chunks, so that a length that promises more than a short stream holds costs
    /// no more memory than the stream actually has.
    /// </summary>
    private static byte[] ReadHeader(Stream stream, int length)
    {
        var header = new byte[Math.Min(length, ChunkSize)];
        int read = 0;
        while (read < length)
        {
            if (read == header.Length) Array.Resize(ref header, (int)Math.Min(length, 2L * header.Length));
            int got = stream.Read(header, read, header.Length - read);
            if (got == 0)
            {
                throw SafetensorsFormat.Invalid($"the data is truncated: it ends {read} bytes into the {length}-byte header.");
            }

            read += got;
        }

        return header;
    }

    private static void ReadTensor<T>(Stream stream, SafetensorsTensor tensor, Span<T> destination, byte[] chunk, WeightLoadOptions options) where T : unmanaged
    {
        int elementSize = StoredElements.Size(tensor.Type);
        int perChunk = chunk.Length / elementSize;
        long done = 0;
        while (done < tensor.ElementCount)
        {
            int count = (int)Math.Min(perChunk, tensor.ElementCount - done);
            int wanted = count * elementSize;
            int got = ReadFully(stream, chunk.AsSpan(0, wanted));
            if (got < wanted)
            {
                throw SafetensorsFormat.Invalid(
                    $"the data is truncated: tensor {SafetensorsHeader.Name(tensor.Name)} has data_offsets [{tensor.Begin}, {tensor.End}], but the data ends after byte {tensor.Begin + done * elementSize + got} of the data section.");
            }

            int bad = StoredElements.Convert(tensor.Type, chunk.AsSpan(0, wanted), destination.Slice((int)done, count), options.AllowNonFiniteValues, out double badValue);
            if (bad >= 0)
            {
                throw SafetensorsFormat.Invalid(
                    $"tensor {SafetensorsHeader.Name(tensor.Name)} element {StoredElements.Position(tensor.Shape, done + bad)} is {StoredElements.DescribeNonFinite<T>(badValue)}; " +
                    "non-finite weights are refused unless WeightLoadOptions.AllowNonFiniteValues is set.");
            }

            done += count;
        }
    }

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
}
