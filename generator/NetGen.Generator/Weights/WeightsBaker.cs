using NetGen.Layouts;
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Interop;
using NetGen.Safetensors;

namespace NetGen.Generator.Weights;

/// <summary>Why a network's Weights could not be baked; each kind is its own diagnostic (NG0023 to NG0029, NG0040 and NG0043).</summary>
internal enum WeightsProblemKind
{
    NotFound,
    Ambiguous,
    NotText,
    NotBase64,
    NotSafetensors,
    DoesNotFit,
    NotFinite,
    OrderAmbiguous,
    ModuleNameNotInFile,
}

/// <summary>A refusal, with what its message needs: the file's path (where one was found) and the reason.</summary>
/// <param name="Matches">For an ambiguous path, how many items it matches.</param>
/// <param name="Remedy">For an ambiguous order, how to choose it.</param>
internal sealed record WeightsProblem(WeightsProblemKind Kind, string Path, string Detail, int Matches = 0, string Remedy = "");

/// <summary>One tensor's place in the baked parameters, for the comments of the generated file.</summary>
/// <param name="LayerNumber">The layer's position in the declaration, from 1 (as in the generated file's table).</param>
/// <param name="LayerText">The layer as a reader writes it, e.g. <c>Linear(4, 16)</c>.</param>
/// <param name="Role"><c>weight</c> or <c>bias</c>.</param>
/// <param name="Name">The tensor's name in the file, e.g. <c>0.weight</c>; empty for a bias the file does not have (zeros).</param>
/// <param name="StoredType">Its dtype in the file, e.g. <c>F16</c>.</param>
/// <param name="Shape">Its shape as PyTorch prints it, e.g. <c>[16, 4]</c>.</param>
/// <param name="Offset">Where it starts in Parameters.</param>
/// <param name="Count">How many parameters it fills.</param>
/// <param name="IsBuffer">Whether it fills Buffers (a BatchNorm layer's running statistics) rather than Parameters; its values follow every parameter's in the baked bytes.</param>
internal sealed record BakedTensor(int LayerNumber, string LayerText, string Role, string Name, string StoredType, string Shape, int Offset, int Count, bool IsBuffer = false);

/// <summary>
/// The parameters a baked network starts from: every value's IEEE 754 bits in the network's element type,
/// little-endian, in Parameters order, then the Buffers' values in their order (exactly the bytes the
/// generated code embeds), and which tensor filled which range.
/// </summary>
internal sealed record BakedParameters(string Weights, EquatableArray<byte> Bytes, EquatableArray<BakedTensor> Tensors);

/// <summary>A network with Weights and the files read that its path matches (one, unless it is missing or ambiguous).</summary>
internal sealed record BakeInput(NetworkSpec Spec, EquatableArray<WeightsFile> Files);

/// <summary>
/// A network with Weights after its file was matched and converted: baked parameters to emit, or the
/// problem to report (then nothing is generated). Keyed by the spec, with no location: an edit that
/// leaves the declaration as it was leaves this step Cached, however the file's text moved.
/// </summary>
internal sealed record BakeOutcome(NetworkSpec Spec, BakedParameters? Baked, WeightsProblem? Problem);

/// <summary>
/// Matches a network's Weights to the files read for it and converts its tensors, with the library's
/// rules: the AdditionalFiles item by <see cref="WeightsPath"/>; the tensors to the Linear layers through
/// the library's <c>LayerTensorMapping</c> over its reading of the architecture text (the order from
/// Sequential indices where the names fix it, else from the shapes, else from WeightsModuleNames);
/// each value through the library's <c>StoredElements.Convert</c> (F32, F64, F16 and BF16 to float or
/// double, rounding to nearest), every non-finite value refused. The result is what
/// <c>LoadSafetensors</c> would load from the same file, bit for bit.
/// </summary>
internal static class WeightsBaker
{
    public static BakeOutcome Bake(NetworkSpec spec, EquatableArray<WeightsFile> files, CancellationToken cancellationToken)
    {
        string weights = spec.Weights!;
        List<WeightsFile> matches = files.Where(file => WeightsPath.Matches(file.Path, weights)).OrderBy(file => file.Path, StringComparer.Ordinal).ToList();
        if (matches.Count == 0)
        {
            return Refused(spec, WeightsProblemKind.NotFound, "", "");
        }
        if (matches.Count > 1)
        {
            return new BakeOutcome(spec, null, new WeightsProblem(WeightsProblemKind.Ambiguous, "", string.Join(", ", matches.Select(m => "'" + m.Path + "'")), matches.Count));
        }

        WeightsFile file = matches[0];
        switch (file.Problem)
        {
            case WeightsFileProblem.NotText: return Refused(spec, WeightsProblemKind.NotText, file.Path, "");
            case WeightsFileProblem.NotBase64: return Refused(spec, WeightsProblemKind.NotBase64, file.Path, file.ProblemDetail);
            case WeightsFileProblem.NotSafetensors: return Refused(spec, WeightsProblemKind.NotSafetensors, file.Path, file.ProblemDetail);
            case null: break;
            default: throw new InvalidOperationException($"A weights file problem WeightsBaker does not know: {file.Problem}. Give it its diagnostic here and in WeightsDiagnostics.");
        }

        NetworkArchitecture architecture = NetworkArchitecture.Parse(Kinds.ArchitectureText.Of(spec));
        IReadOnlyList<string>? moduleNames = spec.WeightsModuleNames.Count == 0 ? null : spec.WeightsModuleNames.Select(n => n.Value).ToList();
        TensorMatch match = LayerTensorMapping.TryMatch(architecture, file.AsLibraryTensors(), moduleNames);
        switch (match.Problem)
        {
            case TensorMatchProblem.DoesNotFit: return Refused(spec, WeightsProblemKind.DoesNotFit, file.Path, match.Reason);
            case TensorMatchProblem.UnknownModuleName: return Refused(spec, WeightsProblemKind.ModuleNameNotInFile, file.Path, match.Reason);
            case TensorMatchProblem.Ambiguous:
                string remedy = match.HowToChoose(names => $"[Network(..., Weights = \"{spec.Weights}\", WeightsModuleNames = {names})]");
                return new BakeOutcome(spec, null, new WeightsProblem(WeightsProblemKind.OrderAmbiguous, file.Path, match.Reason, Remedy: remedy));
            case TensorMatchProblem.None: break;
            default: throw new InvalidOperationException($"A tensor match problem WeightsBaker does not know: {match.Problem}. Give it its diagnostic here and in WeightsDiagnostics.");
        }
        IReadOnlyList<LayerTensors> layers = match.Layers!;
        cancellationToken.ThrowIfCancellationRequested();

        var data = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var placed = new List<BakedTensor>();
        byte[] bytes;
        string? refusal = spec.ElementType == ElementType.Float
            ? Convert<float>(spec, layers, data, architecture, placed, LittleEndianFloats, out bytes, out WeightsProblemKind kind)
            : Convert<double>(spec, layers, data, architecture, placed, LittleEndianDoubles, out bytes, out kind);
        if (refusal is not null)
        {
            return Refused(spec, kind, file.Path, refusal);
        }
        return new BakeOutcome(spec, new BakedParameters(weights, new EquatableArray<byte>(bytes), new EquatableArray<BakedTensor>(placed)), null);
    }

    private static BakeOutcome Refused(NetworkSpec spec, WeightsProblemKind kind, string path, string detail)
        => new(spec, null, new WeightsProblem(kind, path, detail));

    /// <summary>
    /// Converts every matched tensor into a T[] in Parameters order followed by the Buffers, as
    /// SafetensorsReader does (num_batches_tracked checked and not kept); returns the refusal of the first
    /// value that cannot be baked, else null with the values' bytes in <paramref name="bytes"/>.
    /// </summary>
    private static string? Convert<T>(NetworkSpec spec, IReadOnlyList<LayerTensors> layers, Dictionary<string, WeightsTensor> data, NetworkArchitecture architecture, List<BakedTensor> placed, Func<T[], byte[]> toBytes, out byte[] bytes, out WeightsProblemKind kind)
        where T : unmanaged
    {
        kind = WeightsProblemKind.DoesNotFit;
        var values = new T[architecture.ParameterCount + architecture.BufferCount];
        bytes = Array.Empty<byte>();
        foreach (LayerTensors layer in layers)
        {
            // The layer as the generated file's table writes it, by its kind (the architecture text's layers are the spec's, in order).
            LayerSpec declared = spec.Layers[layer.Layer.Index];
            string layerText = Kinds.LayerCatalog.For(declared.Kind).DisplayText(declared);
            for (int t = 0; t < layer.Tensors.Count; t++)
            {
                NetworkTensor? owned = layer.Destination(t);
                SafetensorsTensor? tensor = layer.Tensors[t];
                if (tensor is not null && SafetensorsFormat.IntegerWhereFloatBelongs(tensor, isBatchCount: owned is null) is string refusal) return refusal;
                if (owned is null)
                {
                    // num_batches_tracked: a count NetGen does not keep (LayerTensorMapping.NumBatchesTracked), checked all the same.
                    if (tensor is not null && BinaryPrimitives.ReadInt64LittleEndian(data[tensor.Name].Data.AsSpan()) < 0)
                    {
                        return $"tensor {SafetensorsHeader.Name(tensor.Name)} is negative, but num_batches_tracked counts training batches";
                    }
                    continue;
                }
                bool isBuffer = layer.IsBuffer(t);
                int offset = owned.Offset;
                int start = isBuffer ? architecture.ParameterCount + offset : offset;
                string role = owned.Name;
                if (tensor is null)
                {
                    // A tensor the module leaves out (nn.Linear(..., bias=False)): zeros, which the new array already holds.
                    placed.Add(new BakedTensor(layer.Layer.Index + 1, layerText, role, "", "", "", offset, owned.Count, isBuffer));
                    continue;
                }
                WeightsTensor stored = data[tensor.Name];
                int count = (int)tensor.ElementCount;
                int bad = StoredElements.Convert(tensor.Type, stored.Data.AsSpan(), values.AsSpan(start, count), allowNonFinite: false, out double badValue);
                if (bad >= 0)
                {
                    kind = WeightsProblemKind.NotFinite;
                    return $"tensor {SafetensorsHeader.Name(tensor.Name)} element {StoredElements.Position(tensor.Shape, bad)} is {StoredElements.DescribeNonFinite<T>(badValue)}";
                }
                placed.Add(new BakedTensor(layer.Layer.Index + 1, layerText, role, tensor.Name, SafetensorsFormat.DTypeName(tensor.Type), tensor.ShapeText, offset, count, isBuffer));
            }
        }
        bytes = toBytes(values);
        return null;
    }

    // The bits are written little-endian explicitly, whatever the machine that runs the compiler.
    private static byte[] LittleEndianFloats(float[] values)
    {
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values.AsSpan());
        var bytes = new byte[bits.Length * 4];
        for (int i = 0; i < bits.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), bits[i]);
        }
        return bytes;
    }

    private static byte[] LittleEndianDoubles(double[] values)
    {
        ReadOnlySpan<long> bits = MemoryMarshal.Cast<double, long>(values.AsSpan());
        var bytes = new byte[bits.Length * 8];
        for (int i = 0; i < bits.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), bits[i]);
        }
        return bytes;
    }
}
