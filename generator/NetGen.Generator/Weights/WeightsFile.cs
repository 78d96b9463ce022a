using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Helpers;
using NetGen.Interop;
using NetGen.Safetensors;

namespace NetGen.Generator.Weights;

/// <summary>Why an AdditionalFiles item named as Weights could not be read into tensors.</summary>
internal enum WeightsFileProblem
{
    /// <summary>The compiler gave no text for it: a binary file (CS2015) or one missing on disk (CS2001).</summary>
    NotText,

    /// <summary>Text, but not base64.</summary>
    NotBase64,

    /// <summary>Base64 of something that is not a valid safetensors file.</summary>
    NotSafetensors,
}

/// <summary>One tensor of a safetensors file, its data as stored (little-endian, in its own dtype).</summary>
internal sealed record WeightsTensor(string Name, StoredElementType Type, EquatableArray<long> Shape, EquatableArray<byte> Data)
{
    public long ElementCount => Data.Count / StoredElements.Size(Type);
}

/// <summary>
/// An AdditionalFiles item that some network names as its Weights, read once: either its tensors, in the
/// order of their data, or why it could not be read. A value, compared by contents, so that a file saved
/// again unchanged lets every network baked from it stay as it was. It holds no network: matching the
/// tensors to a declaration is the next step's (<see cref="WeightsBaker"/>), so that an edit to a class
/// never reads the file again.
/// </summary>
internal sealed record WeightsFile(string Path, WeightsFileProblem? Problem, string ProblemDetail, EquatableArray<WeightsTensor> Tensors)
{
    /// <summary>What the library's messages start with; the diagnostics say "the Weights of ..." instead.</summary>
    private const string LibraryPrefix = "Cannot load safetensors: ";

    /// <summary>Reads <paramref name="text"/>, which holds a safetensors file in base64, checking every rule <c>LoadSafetensors</c> checks.</summary>
    public static WeightsFile Read(AdditionalText text, CancellationToken cancellationToken)
    {
        SourceText? source = text.GetText(cancellationToken);
        if (source is null)
        {
            return Failed(text.Path, WeightsFileProblem.NotText, "");
        }
        byte[]? bytes = Base64Text.Decode(source, cancellationToken, out string? problem);
        if (bytes is null)
        {
            return Failed(text.Path, WeightsFileProblem.NotBase64, problem!);
        }
        try
        {
            return new WeightsFile(text.Path, null, "", new EquatableArray<WeightsTensor>(ReadTensors(bytes, cancellationToken)));
        }
        catch (InvalidDataException e)
        {
            return Failed(text.Path, WeightsFileProblem.NotSafetensors, WithoutLibraryPrefix(e.Message));
        }
    }

    /// <summary>The reason in a library message, without the prefix that names the library's method.</summary>
    public static string WithoutLibraryPrefix(string message)
        => message.StartsWith(LibraryPrefix, StringComparison.Ordinal) ? message.Substring(LibraryPrefix.Length) : message;

    /// <summary>The tensors as the library's matching reads them: offsets within the data section, in order.</summary>
    public IReadOnlyList<SafetensorsTensor> AsLibraryTensors()
    {
        var tensors = new List<SafetensorsTensor>(Tensors.Count);
        long offset = 0;
        foreach (WeightsTensor tensor in Tensors)
        {
            tensors.Add(new SafetensorsTensor(tensor.Name, tensor.Type, tensor.Shape.AsSpan().ToArray(), tensor.ElementCount, offset, offset + tensor.Data.Count));
            offset += tensor.Data.Count;
        }
        return tensors;
    }

    private static WeightsFile Failed(string path, WeightsFileProblem problem, string detail)
        => new(path, problem, detail, EquatableArray<WeightsTensor>.Empty);

    /// <summary>
    /// The file's tensors, after the checks of the library's SafetensorsReader, made on bytes in memory:
    /// the 8-byte header length and its bounds, the header (the library's own parser: JSON, dtypes, shapes,
    /// offsets that tile the data section), and a data section exactly as long as its tensors.
    /// </summary>
    private static List<WeightsTensor> ReadTensors(byte[] file, CancellationToken cancellationToken)
    {
        if (file.Length < SafetensorsFormat.LengthSize)
        {
            throw SafetensorsFormat.Invalid($"the data is truncated: it ends after {file.Length} bytes, inside the 8-byte header length.");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > SafetensorsFormat.MaximumHeaderLength) SafetensorsFormat.RefuseOtherFormats(file.AsSpan(0, SafetensorsFormat.LengthSize));
        if (headerLength > long.MaxValue)
        {
            throw SafetensorsFormat.Invalid($"the header length 0x{headerLength:X16} is negative as a signed 64-bit number; the file is corrupt or not a safetensors file.");
        }
        if (headerLength > SafetensorsFormat.MaximumHeaderLength)
        {
            throw SafetensorsFormat.Invalid($"the header length {headerLength} is larger than the {SafetensorsFormat.MaximumHeaderLength} bytes the format allows; the file is corrupt or not a safetensors file.");
        }
        long afterLength = file.Length - SafetensorsFormat.LengthSize;
        if ((long)headerLength > afterLength)
        {
            throw SafetensorsFormat.Invalid($"the header length {headerLength} is longer than the file, which has only {afterLength} bytes after the length.");
        }

        int dataStart = SafetensorsFormat.LengthSize + (int)headerLength;
        SafetensorsHeader header = SafetensorsHeader.Parse(new ReadOnlySpan<byte>(file, SafetensorsFormat.LengthSize, (int)headerLength));
        long dataAvailable = file.Length - dataStart;
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

        var tensors = new List<WeightsTensor>(header.TensorsByOffset.Count);
        foreach (SafetensorsTensor tensor in header.TensorsByOffset)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = new byte[tensor.End - tensor.Begin];
            Array.Copy(file, dataStart + tensor.Begin, data, 0, data.Length);
            tensors.Add(new WeightsTensor(tensor.Name, tensor.Type, new EquatableArray<long>(tensor.Shape), new EquatableArray<byte>(data)));
        }
        return tensors;
    }
}
