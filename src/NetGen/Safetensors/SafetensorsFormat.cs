using System;
using System.IO;
using NetGen.Interop;

namespace NetGen.Safetensors;

/// <summary>
/// The safetensors format (huggingface/safetensors, README "Format"): an 8-byte little-endian header
/// length N, N bytes of UTF-8 JSON that name each tensor's dtype, shape and byte range, then the data
/// section, which the tensors must cover exactly, with no byte outside a tensor. Little-endian, row-major.
/// </summary>
internal static class SafetensorsFormat
{
    /// <summary>Bytes of the header length.</summary>
    public const int LengthSize = 8;

    /// <summary>
    /// The longest header accepted: the reference implementation's limit (100,000,000 bytes). It keeps a
    /// corrupt length from making the loader allocate gigabytes; a real header for NetGen's networks is
    /// a few hundred bytes.
    /// </summary>
    public const long MaximumHeaderLength = 100_000_000;

    /// <summary>The key of the optional string-to-string metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    private const string Prefix = "Cannot load safetensors: ";

    /// <summary>An <see cref="InvalidDataException"/> whose message starts the same way for every failure.</summary>
    public static InvalidDataException Invalid(string reason) => new(Prefix + reason);

    /// <summary>
    /// Refuses a file whose first bytes say it is another format, where the header length read from them
    /// would only say "larger than the format allows": what <c>torch.save</c> writes (a zip archive since
    /// PyTorch 1.6, a bare pickle before), and an ONNX model (a protobuf, whose first field is the IR version).
    /// Called only where those 8 bytes, read as a header length, are past the format's limit: a real
    /// safetensors length has zeros in its high bytes, so a valid file is never taken for another format.
    /// </summary>
    /// <param name="start">The first 8 bytes of the file (fewer where it is shorter).</param>
    public static void RefuseOtherFormats(ReadOnlySpan<byte> start)
    {
        const string save = "save it as safetensors in Python: from safetensors.torch import save_file; save_file(model.state_dict(), \"model.safetensors\")";
        if (start.Length >= 4 && start[0] == (byte)'P' && start[1] == (byte)'K' && start[2] == 3 && start[3] == 4)
        {
            throw Invalid($"the data is a zip archive (it starts with \"PK\\x03\\x04\"), which is what torch.save writes (a .pt or .pth file): NetGen does not read PyTorch's pickles, which can run code when loaded; {save}.");
        }

        // A pickle starts with the PROTO opcode 0x80 and its protocol number (2 to 5); torch.save wrote
        // such a bare pickle before PyTorch 1.6 and with _use_new_zipfile_serialization=False.
        if (start.Length >= 2 && start[0] == 0x80 && start[1] >= 2 && start[1] <= 5)
        {
            throw Invalid($"the data is a Python pickle (protocol {start[1]}), which is what torch.save writes (a .pt or .pth file): NetGen does not read PyTorch's pickles, which can run code when loaded; {save}.");
        }

        // An ONNX model's first field is ir_version (field 1, varint: 0x08) with a small version number.
        if (start.Length >= 2 && start[0] == 0x08 && start[1] >= 1 && start[1] <= 20)
        {
            throw Invalid("the data looks like an ONNX model (a protobuf starting with its ir_version), not safetensors: load it with LoadOnnxWeights from the NetGen.Onnx package.");
        }
    }

    /// <summary>The encodings NetGen reads, by their safetensors names.</summary>
    public static bool TryParseDType(string name, out StoredElementType type)
    {
        switch (name)
        {
            case "F32": type = StoredElementType.Float32; return true;
            case "F64": type = StoredElementType.Float64; return true;
            case "F16": type = StoredElementType.Float16; return true;
            case "BF16": type = StoredElementType.BFloat16; return true;
            // Only BatchNorm's num_batches_tracked may be I64; the readers refuse it for any other tensor.
            case "I64": type = StoredElementType.Int64; return true;
            default: type = default; return false;
        }
    }

    /// <summary>The safetensors name of an encoding.</summary>
    public static string DTypeName(StoredElementType type) => type switch
    {
        StoredElementType.Float32 => "F32",
        StoredElementType.Float64 => "F64",
        StoredElementType.Float16 => "F16",
        StoredElementType.Int64 => "I64",
        _ => "BF16",
    };

    /// <summary>
    /// The refusal of an I64 tensor where a weight or a buffer belongs: only <c>num_batches_tracked</c> is an integer.
    /// Null where <paramref name="tensor"/> may be read there.
    /// </summary>
    public static string? IntegerWhereFloatBelongs(SafetensorsTensor tensor, bool isBatchCount)
    {
        if (isBatchCount)
        {
            if (tensor.Type != StoredElementType.Int64)
            {
                return $"tensor {SafetensorsHeader.Name(tensor.Name)} has dtype {DTypeName(tensor.Type)}, but num_batches_tracked is a count, which PyTorch writes as I64.";
            }

            return null;
        }

        return tensor.Type == StoredElementType.Int64
            ? $"tensor {SafetensorsHeader.Name(tensor.Name)} has dtype I64, a dtype NetGen does not read for weights or running statistics; they must be F32, F64, F16 or BF16 (only num_batches_tracked is an integer)."
            : null;
    }

    /// <summary>Whether <paramref name="name"/> is a dtype the format defines but NetGen does not read (integers, booleans, 8-bit floats ...).</summary>
    public static bool IsOtherKnownDType(string name) => name switch
    {
        "BOOL" or "U8" or "I8" or "U16" or "I16" or "U32" or "I32" or "U64" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "F4" or "F6_E2M3" or "F6_E3M2" or "C64" => true,
        _ => false,
    };
}
