using System;
using System.Collections.Generic;
using System.Text;
using NetGen.Interop;

namespace NetGen.Safetensors;

/// <summary>One tensor's entry in a safetensors header.</summary>
internal sealed class SafetensorsTensor
{
    public SafetensorsTensor(string name, StoredElementType type, long[] shape, long elementCount, long begin, long end)
    {
        Name = name;
        Type = type;
        Shape = shape;
        ElementCount = elementCount;
        Begin = begin;
        End = end;
    }

    public string Name { get; }

    public StoredElementType Type { get; }

    public long[] Shape { get; }

    public long ElementCount { get; }

    /// <summary>The first byte of its data, relative to the start of the data section.</summary>
    public long Begin { get; }

    /// <summary>One past its last byte, relative to the start of the data section.</summary>
    public long End { get; }

    /// <summary>The shape as PyTorch prints a size: "[16, 4]".</summary>
    public string ShapeText => FormatShape(Shape);

    public static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}

/// <summary>
/// A safetensors header, read and checked: every rule of the format that can be checked without the
/// data is checked here, so that a file is refused before any of its data is read.
/// </summary>
internal sealed class SafetensorsHeader
{
    // Throws on invalid UTF-8 rather than substituting U+FFFD, which would let a damaged name through.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SafetensorsHeader(List<SafetensorsTensor> tensorsByOffset, Dictionary<string, string> metadata, long dataLength)
    {
        TensorsByOffset = tensorsByOffset;
        Metadata = metadata;
        DataLength = dataLength;
    }

    /// <summary>The tensors in the order of their data: each starts where the one before it ends.</summary>
    public IReadOnlyList<SafetensorsTensor> TensorsByOffset { get; }

    /// <summary>The <c>__metadata__</c> map, empty where there is none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The length of the data section that the tensors cover, which must be the rest of the file.</summary>
    public long DataLength { get; }

    /// <summary>Reads and checks the <paramref name="header"/> bytes (the N bytes after the length).</summary>
    /// <exception cref="System.IO.InvalidDataException">The header breaks a rule of the format; the message names the tensor where there is one.</exception>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> header)
    {
        // The format requires the header to start with '{', which also tells a safetensors file from
        // most other files at the first byte.
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            string found = header.Length == 0 ? "is empty" : $"starts with byte 0x{header[0]:X2}";
            throw SafetensorsFormat.Invalid($"the {header.Length}-byte JSON header {found}, not '{{'; this is not a safetensors file, or its header length is wrong.");
        }

        int invalid = Utf8Validation.FirstInvalidByte(header);
        if (invalid >= 0) throw SafetensorsFormat.Invalid($"the header is not valid UTF-8 (at byte {invalid}).");

        string text;
        try
        {
            text = StrictUtf8.GetString(header.ToArray());
        }
        catch (DecoderFallbackException)
        {
            // Unreachable after the check above; kept so that a disagreement cannot slip through as text.
            throw SafetensorsFormat.Invalid("the header is not valid UTF-8.");
        }

        JsonNode root;
        try
        {
            root = StrictJson.Parse(text);
        }
        catch (FormatException e)
        {
            throw SafetensorsFormat.Invalid($"the header is not valid JSON: {e.Message}.");
        }

        if (root is not JsonObject top) throw SafetensorsFormat.Invalid($"the header is {root.Describe()}, not a JSON object.");

        var tensors = new List<SafetensorsTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, string>? metadata = null;
        foreach (KeyValuePair<string, JsonNode> member in top.Members)
        {
            if (member.Key == SafetensorsFormat.MetadataKey)
            {
                if (metadata is not null) throw SafetensorsFormat.Invalid($"the header has two \"{SafetensorsFormat.MetadataKey}\" entries.");
                metadata = ReadMetadata(member.Value);
                continue;
            }

            if (!names.Add(member.Key)) throw SafetensorsFormat.Invalid($"tensor {Name(member.Key)} appears twice in the header; tensor names must be unique.");
            tensors.Add(ReadTensor(member.Key, member.Value));
        }

        long dataLength = CheckLayout(tensors);
        return new SafetensorsHeader(tensors, metadata ?? new Dictionary<string, string>(), dataLength);
    }

    /// <summary>A tensor name quoted for messages, escaped so that a hostile name cannot garble them.</summary>
    public static string Name(string name) => StrictJson.Quote(name);

    private static Dictionary<string, string> ReadMetadata(JsonNode node)
    {
        if (node is not JsonObject map) throw SafetensorsFormat.Invalid($"\"{SafetensorsFormat.MetadataKey}\" is {node.Describe()}; it must be an object of strings.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, JsonNode> entry in map.Members)
        {
            if (entry.Value is not JsonString value)
            {
                throw SafetensorsFormat.Invalid($"metadata entry {Name(entry.Key)} is {entry.Value.Describe()}; the format allows only string values.");
            }

            if (metadata.ContainsKey(entry.Key)) throw SafetensorsFormat.Invalid($"metadata entry {Name(entry.Key)} appears twice.");
            metadata.Add(entry.Key, value.Value);
        }

        return metadata;
    }

    private static SafetensorsTensor ReadTensor(string name, JsonNode node)
    {
        string tensor = "tensor " + Name(name);
        if (node is not JsonObject entry) throw SafetensorsFormat.Invalid($"{tensor} is {node.Describe()}, not an object with \"dtype\", \"shape\" and \"data_offsets\".");

        JsonNode? dtypeNode = null, shapeNode = null, offsetsNode = null;
        foreach (KeyValuePair<string, JsonNode> field in entry.Members)
        {
            ref JsonNode? slot = ref dtypeNode;
            switch (field.Key)
            {
                case "dtype": slot = ref dtypeNode; break;
                case "shape": slot = ref shapeNode; break;
                case "data_offsets": slot = ref offsetsNode; break;
                default: throw SafetensorsFormat.Invalid($"{tensor} has an unknown field {Name(field.Key)}; a tensor has only \"dtype\", \"shape\" and \"data_offsets\".");
            }

            if (slot is not null) throw SafetensorsFormat.Invalid($"{tensor} has \"{field.Key}\" twice.");
            slot = field.Value;
        }

        if (dtypeNode is null) throw SafetensorsFormat.Invalid($"{tensor} has no \"dtype\".");
        if (shapeNode is null) throw SafetensorsFormat.Invalid($"{tensor} has no \"shape\".");
        if (offsetsNode is null) throw SafetensorsFormat.Invalid($"{tensor} has no \"data_offsets\".");

        if (dtypeNode is not JsonString dtype) throw SafetensorsFormat.Invalid($"{tensor} has a \"dtype\" that is {dtypeNode.Describe()}, not a string.");
        // I64 is read for BatchNorm's num_batches_tracked alone; for any other tensor it is refused here, as every integer dtype is.
        bool isBatchCount = name == LayerTensorMapping.NumBatchesTracked || name.EndsWith("." + LayerTensorMapping.NumBatchesTracked, StringComparison.Ordinal);
        if (!SafetensorsFormat.TryParseDType(dtype.Value, out StoredElementType type) || (type == StoredElementType.Int64 && !isBatchCount))
        {
            string what = SafetensorsFormat.IsOtherKnownDType(dtype.Value) || type == StoredElementType.Int64 ? "a dtype NetGen does not read" : "an unknown dtype";
            throw SafetensorsFormat.Invalid($"{tensor} has dtype {Name(dtype.Value)}, {what}; weights must be F32, F64, F16 or BF16.");
        }

        long[] shape = ReadIntegers(tensor, "shape", shapeNode, expectedCount: -1);
        long[] offsets = ReadIntegers(tensor, "data_offsets", offsetsNode, expectedCount: 2);
        long begin = offsets[0], end = offsets[1];
        if (end < begin) throw SafetensorsFormat.Invalid($"{tensor} has data_offsets [{begin}, {end}], which end before they begin.");

        // The element count and byte size are computed with overflow checks: a hostile shape such as
        // [4294967296, 4294967296] must not wrap around to a size that happens to match its offsets.
        long count = 1, bytes;
        try
        {
            foreach (long extent in shape) count = checked(count * extent);
            bytes = checked(count * StoredElements.Size(type));
        }
        catch (OverflowException)
        {
            throw SafetensorsFormat.Invalid($"{tensor} has shape {SafetensorsTensor.FormatShape(shape)}, too many elements to address.");
        }

        if (end - begin != bytes)
        {
            throw SafetensorsFormat.Invalid(
                $"{tensor} has shape {SafetensorsTensor.FormatShape(shape)} of {dtype.Value}, {count} elements of {StoredElements.Size(type)} bytes = {bytes} bytes, " +
                $"but its data_offsets [{begin}, {end}] span {end - begin} bytes.");
        }

        return new SafetensorsTensor(name, type, shape, count, begin, end);
    }

    private static long[] ReadIntegers(string tensor, string field, JsonNode node, int expectedCount)
    {
        string expected = expectedCount == 2 ? "an array [begin, end] of two non-negative integers" : "an array of non-negative integers";
        if (node is not JsonArray array) throw SafetensorsFormat.Invalid($"{tensor} has a \"{field}\" that is {node.Describe()}, not {expected}.");
        if (expectedCount >= 0 && array.Items.Count != expectedCount)
        {
            throw SafetensorsFormat.Invalid($"{tensor} has a \"{field}\" of {array.Items.Count} numbers, not {expected}.");
        }

        var values = new long[array.Items.Count];
        for (int i = 0; i < values.Length; i++)
        {
            JsonNode item = array.Items[i];
            if (item is not JsonNumber number || !number.TryGetNonNegativeInteger(out values[i]))
            {
                throw SafetensorsFormat.Invalid($"{tensor} has {item.Describe()} in its \"{field}\", which must be {expected} (up to {long.MaxValue}).");
            }
        }

        return values;
    }

    /// <summary>
    /// Checks that the tensors tile the data section: sorted by offset, the first starts at 0 and each
    /// starts where the previous ends. The format forbids holes (bytes outside every tensor), which keeps
    /// a file from hiding a second file inside it, and overlaps, where two tensors would share bytes.
    /// Returns the length the data section must have.
    /// </summary>
    private static long CheckLayout(List<SafetensorsTensor> tensors)
    {
        // Zero-length tensors sort before a tensor at the same offset, so they never look like overlaps.
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long covered = 0;
        SafetensorsTensor? previous = null;
        foreach (SafetensorsTensor tensor in tensors)
        {
            if (tensor.Begin < covered)
            {
                throw SafetensorsFormat.Invalid(
                    $"tensor {Name(tensor.Name)} (data_offsets [{tensor.Begin}, {tensor.End}]) overlaps tensor {Name(previous!.Name)} (data_offsets [{previous.Begin}, {previous.End}]).");
            }

            if (tensor.Begin > covered)
            {
                string before = previous is null ? "before any tensor" : $"between tensor {Name(previous.Name)} and it";
                throw SafetensorsFormat.Invalid(
                    $"tensor {Name(tensor.Name)} starts at byte {tensor.Begin} of the data section, leaving bytes [{covered}, {tensor.Begin}) {before}; the format allows no bytes outside a tensor.");
            }

            covered = tensor.End;
            previous = tensor;
        }

        return covered;
    }
}
