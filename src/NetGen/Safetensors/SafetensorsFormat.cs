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

    /// <summary>The encodings NetGen reads, by their safetensors names.</summary>
    public static bool TryParseDType(string name, out StoredElementType type)
    {
        switch (name)
        {
            case "F32": type = StoredElementType.Float32; return true;
            case "F64": type = StoredElementType.Float64; return true;
            case "F16": type = StoredElementType.Float16; return true;
            case "BF16": type = StoredElementType.BFloat16; return true;
            default: type = default; return false;
        }
    }

    /// <summary>The safetensors name of an encoding.</summary>
    public static string DTypeName(StoredElementType type) => type switch
    {
        StoredElementType.Float32 => "F32",
        StoredElementType.Float64 => "F64",
        StoredElementType.Float16 => "F16",
        _ => "BF16",
    };

    /// <summary>Whether <paramref name="name"/> is a dtype the format defines but NetGen does not read (integers, booleans, 8-bit floats ...).</summary>
    public static bool IsOtherKnownDType(string name) => name switch
    {
        "BOOL" or "U8" or "I8" or "U16" or "I16" or "U32" or "I32" or "U64" or "I64" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "F4" or "F6_E2M3" or "F6_E3M2" or "C64" => true,
        _ => false,
    };
}
