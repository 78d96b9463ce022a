using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using NetGen.Interop;

namespace NetGen.Safetensors;

/// <summary>
/// Writes a network's parameters as the safetensors file of the state_dict of the equivalent PyTorch
/// <c>nn.Sequential</c>, so that <c>model.load_state_dict(safetensors.torch.load_file(path))</c> accepts it:
/// per layer with parameters its tensors from the shared layout table (a Linear layer's <c>{index}.weight</c>
/// <c>[outputs, inputs]</c> and <c>{index}.bias</c> <c>[outputs]</c>),
/// then a BatchNorm layer's buffers (<c>{index}.running_mean</c>, <c>{index}.running_var</c> from Buffers and
/// <c>{index}.num_batches_tracked</c>), where the index counts every layer of the declaration but the loss (<see cref="NetworkLayer.SequentialIndex"/>),
/// in the network's own dtype (F32 or F64).
/// </summary>
internal static class SafetensorsWriter
{
    public static byte[] Encode<T>(NetworkArchitecture architecture, T[] parameters, T[]? buffers) where T : unmanaged
    {
        bool isFloat = typeof(T) == typeof(float);
        StoredElementType type = isFloat ? StoredElementType.Float32 : StoredElementType.Float64;
        int elementSize = StoredElements.Size(type);

        var json = new StringBuilder();
        json.Append('{');
        // The metadata the PyTorch tools write ("format": "pt"), and the architecture, which says which
        // NetGen declaration the file came from; readers ignore keys they do not know.
        json.Append('"').Append(SafetensorsFormat.MetadataKey).Append("\":{\"format\":\"pt\",\"netgen.architecture\":");
        StrictJson.AppendQuoted(json, architecture.Text);
        json.Append('}');

        // Per layer as its module's state_dict lists them: parameters, then buffers (running_mean,
        // running_var) from Buffers, then num_batches_tracked as PyTorch writes it (I64 []), here 0: NetGen
        // keeps no count (LayerTensorMapping.NumBatchesTracked).
        var pieces = new List<(T[]? Source, NetworkTensor? Tensor)>();
        long offset = 0;
        foreach (NetworkLayer layer in architecture.ParameterLayers)
        {
            foreach (NetworkTensor tensor in layer.Tensors)
            {
                offset = Append(json, tensor.StateDictName, type, tensor.Shape, offset, (long)tensor.Count * elementSize);
                pieces.Add((parameters, tensor));
            }

            foreach (NetworkTensor buffer in layer.Buffers)
            {
                offset = Append(json, buffer.StateDictName, type, buffer.Shape, offset, (long)buffer.Count * elementSize);
                pieces.Add((buffers, buffer));
            }

            if (layer.Buffers.Count > 0)
            {
                offset = Append(json, $"{layer.SequentialIndex}.{LayerTensorMapping.NumBatchesTracked}", StoredElementType.Int64, Array.Empty<int>(), offset, 8);
                pieces.Add((null, null));
            }
        }

        json.Append('}');

        // Padded with spaces to a multiple of 8, as the reference writer does, so that the data starts
        // 8-byte aligned and a reader may map doubles in place.
        byte[] header = Encoding.UTF8.GetBytes(json.ToString());
        int paddedLength = (header.Length + 7) / 8 * 8;
        var file = new byte[SafetensorsFormat.LengthSize + paddedLength + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)paddedLength);
        header.CopyTo(file, SafetensorsFormat.LengthSize);
        file.AsSpan(SafetensorsFormat.LengthSize + header.Length, paddedLength - header.Length).Fill((byte)' ');

        Span<byte> data = file.AsSpan(SafetensorsFormat.LengthSize + paddedLength);
        int at = 0;
        foreach ((T[]? source, NetworkTensor? tensor) in pieces)
        {
            if (source is null || tensor is null)
            {
                at += 8;   // num_batches_tracked: the zeros the new array holds
                continue;
            }

            for (int i = tensor.Offset; i < tensor.Offset + tensor.Count; i++)
            {
                double value = ElementTypes.ToDouble(source[i]);
                if (isFloat) BinaryPrimitives.WriteInt32LittleEndian(data.Slice(at), FloatBits.ToInt32Bits((float)value));
                else BinaryPrimitives.WriteInt64LittleEndian(data.Slice(at), BitConverter.DoubleToInt64Bits(value));
                at += elementSize;
            }
        }

        return file;
    }

    /// <summary>Writes one tensor's header entry at <paramref name="offset"/>; returns where the next begins.</summary>
    private static long Append(StringBuilder json, string name, StoredElementType type, IReadOnlyList<int> shape, long offset, long bytes)
    {
        var text = new StringBuilder();
        foreach (int dimension in shape) text.Append(text.Length == 0 ? "" : ",").Append(dimension.ToString(CultureInfo.InvariantCulture));
        AppendTensor(json, name, type, text.ToString(), offset, offset + bytes);
        return offset + bytes;
    }

    private static void AppendTensor(StringBuilder json, string name, StoredElementType type, string shape, long begin, long end)
        => json.Append(",\"").Append(name).Append("\":{\"dtype\":\"").Append(SafetensorsFormat.DTypeName(type))
            .Append("\",\"shape\":[").Append(shape).Append("],\"data_offsets\":[")
            .Append(begin.ToString(CultureInfo.InvariantCulture)).Append(',').Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
}
