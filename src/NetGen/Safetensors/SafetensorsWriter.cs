using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using NetGen.Interop;

namespace NetGen.Safetensors;

/// <summary>
/// Writes a network's parameters as the safetensors file of the state_dict of the equivalent PyTorch
/// <c>nn.Sequential</c>, so that <c>model.load_state_dict(safetensors.torch.load_file(path))</c> accepts it:
/// per layer with parameters its tensors from the shared layout table (a Linear layer's <c>{index}.weight</c>
/// <c>[outputs, inputs]</c> and <c>{index}.bias</c> <c>[outputs]</c>),
/// where the index counts every layer of the declaration but the loss (<see cref="NetworkLayer.SequentialIndex"/>),
/// in the network's own dtype (F32 or F64).
/// </summary>
internal static class SafetensorsWriter
{
    public static byte[] Encode<T>(NetworkArchitecture architecture, T[] parameters) where T : unmanaged
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
        long offset = 0;
        foreach (NetworkLayer layer in architecture.ParameterLayers)
        {
            foreach (NetworkTensor tensor in layer.Tensors)
            {
                long bytes = (long)tensor.Count * elementSize;
                var shape = new StringBuilder();
                foreach (int dimension in tensor.Shape) shape.Append(shape.Length == 0 ? "" : ",").Append(dimension.ToString(CultureInfo.InvariantCulture));
                AppendTensor(json, tensor.StateDictName, type, shape.ToString(), offset, offset + bytes);
                offset += bytes;
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

        // Parameters is already in the order of the tensors: per layer its weights row-major, then its bias.
        Span<byte> data = file.AsSpan(SafetensorsFormat.LengthSize + paddedLength);
        for (int i = 0; i < parameters.Length; i++)
        {
            double value = ElementTypes.ToDouble(parameters[i]);
            if (isFloat) BinaryPrimitives.WriteInt32LittleEndian(data.Slice(4 * i), FloatBits.ToInt32Bits((float)value));
            else BinaryPrimitives.WriteInt64LittleEndian(data.Slice(8 * i), BitConverter.DoubleToInt64Bits(value));
        }

        return file;
    }

    private static void AppendTensor(StringBuilder json, string name, StoredElementType type, string shape, long begin, long end)
        => json.Append(",\"").Append(name).Append("\":{\"dtype\":\"").Append(SafetensorsFormat.DTypeName(type))
            .Append("\",\"shape\":[").Append(shape).Append("],\"data_offsets\":[")
            .Append(begin.ToString(CultureInfo.InvariantCulture)).Append(',').Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
}
