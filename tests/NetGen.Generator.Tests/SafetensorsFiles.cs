using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Generator.Tests;

/// <summary>
/// Writes safetensors files for the tests, tensor by tensor, as safetensors.torch.save_file lays them out
/// (the 8-byte little-endian header length, the JSON header padded with spaces to a multiple of 8, then
/// the data in header order), so that each test can make exactly the file it needs, broken or not.
/// </summary>
internal sealed class SafetensorsFiles
{
    private readonly List<(string Name, string DType, long[] Shape, byte[] Data)> _tensors = new();

    public SafetensorsFiles F32(string name, long[] shape, params float[] values)
        => Add(name, "F32", shape, values.SelectMany(v => { var b = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, BitConverter.SingleToInt32Bits(v)); return b; }).ToArray());

    public SafetensorsFiles F64(string name, long[] shape, params double[] values)
        => Add(name, "F64", shape, values.SelectMany(v => { var b = new byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, BitConverter.DoubleToInt64Bits(v)); return b; }).ToArray());

    public SafetensorsFiles F16(string name, long[] shape, params Half[] values)
        => Add(name, "F16", shape, values.SelectMany(v => { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, BitConverter.HalfToUInt16Bits(v)); return b; }).ToArray());

    /// <summary>A tensor of any dtype with the given raw bytes: for dtypes NetGen refuses and for broken files.</summary>
    public SafetensorsFiles Add(string name, string dtype, long[] shape, byte[] data)
    {
        _tensors.Add((name, dtype, shape, data));
        return this;
    }

    /// <summary>The file's bytes.</summary>
    public byte[] ToBytes()
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        foreach (var (name, dtype, shape, data) in _tensors)
        {
            header.Append(CultureInfo.InvariantCulture, $",\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}}");
            offset += data.Length;
        }
        header.Append('}');
        while (header.Length % 8 != 0)
        {
            header.Append(' ');
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        var file = new byte[8 + json.Length + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        int at = 8 + json.Length;
        foreach (var tensor in _tensors)
        {
            tensor.Data.CopyTo(file, at);
            at += tensor.Data.Length;
        }
        return file;
    }

    /// <summary>The file as the base64 text that goes into AdditionalFiles, wrapped at 76 columns as GNU base64 writes it.</summary>
    public string ToBase64() => Base64(ToBytes());

    public static string Base64(byte[] bytes) => Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n") + "\n";

    /// <summary>An AdditionalFiles item of this file's base64 text at <paramref name="path"/>.</summary>
    public InMemoryAdditionalText AsAdditionalText(string path) => new(path, ToBase64());
}
