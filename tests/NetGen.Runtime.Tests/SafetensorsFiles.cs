using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace NetGen.Runtime.Tests;

/// <summary>One tensor of a hand-built safetensors file: its values already encoded.</summary>
public sealed record RawTensor(string Name, string DType, long[] Shape, byte[] Data);

/// <summary>
/// Builds safetensors files byte by byte for the tests, independently of the library's writer: the tests
/// of the reader must not trust the code they test to make their inputs.
/// </summary>
public static class SafetensorsFiles
{
    /// <summary>A file of <paramref name="tensors"/>, laid out in the given order with no gaps.</summary>
    public static byte[] Build(IEnumerable<RawTensor> tensors, string? metadataJson = null)
    {
        var header = new StringBuilder("{");
        if (metadataJson is not null) header.Append("\"__metadata__\":").Append(metadataJson).Append(',');
        var data = new MemoryStream();
        foreach (RawTensor tensor in tensors)
        {
            long begin = data.Length;
            data.Write(tensor.Data, 0, tensor.Data.Length);
            header.Append(FormattableString.Invariant($"\"{tensor.Name}\":{{\"dtype\":\"{tensor.DType}\",\"shape\":[{string.Join(",", tensor.Shape)}],\"data_offsets\":[{begin},{data.Length}]}},"));
        }

        if (header[header.Length - 1] == ',') header.Length--;
        header.Append('}');
        return WithHeader(header.ToString(), data.ToArray());
    }

    /// <summary>The 8-byte length, the header as given, and the data.</summary>
    public static byte[] WithHeader(string header, byte[] data) => WithHeader(Encoding.UTF8.GetBytes(header), data);

    public static byte[] WithHeader(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(0, 8), (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    public static byte[] F32(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] F64(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] U16(params ushort[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>The tensors of an nn.Sequential's state_dict for the Linear layers of <paramref name="architecture"/>, F32, with the given values.</summary>
    public static List<RawTensor> Linear(NetworkArchitecture architecture, float[] parameters, string prefix = "")
    {
        var tensors = new List<RawTensor>();
        foreach (NetworkLayer layer in architecture.LinearLayers)
        {
            float[] weight = parameters.AsSpan(layer.ParameterOffset, layer.Inputs * layer.Outputs).ToArray();
            float[] bias = parameters.AsSpan(layer.BiasOffset, layer.Outputs).ToArray();
            tensors.Add(new RawTensor($"{prefix}{layer.SequentialIndex}.weight", "F32", new long[] { layer.Outputs, layer.Inputs }, F32(weight)));
            tensors.Add(new RawTensor($"{prefix}{layer.SequentialIndex}.bias", "F32", new long[] { layer.Outputs }, F32(bias)));
        }

        return tensors;
    }
}

/// <summary>A stream that cannot seek, as a network stream or a pipe: the reader cannot ask its length.</summary>
public sealed class ForwardOnlyStream : Stream
{
    private readonly MemoryStream _inner;

    public ForwardOnlyStream(byte[] data) => _inner = new MemoryStream(data);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>How far the reader got.</summary>
    public long Consumed => _inner.Position;

    // At most 7 bytes per call, so that the reader's loops over short reads are exercised.
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
