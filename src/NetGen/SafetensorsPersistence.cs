using System;
using System.IO;
using NetGen.Safetensors;

namespace NetGen;

/// <summary>
/// Loads and saves a network's <see cref="INetwork{T}.Parameters"/> as safetensors, the format of
/// PyTorch's <c>safetensors.torch.save_file(model.state_dict(), path)</c>, so that weights move between
/// NetGen and PyTorch (docs/weights-interop.md).
/// </summary>
/// <remarks>
/// <para>
/// <b>The equivalent nn.Sequential.</b> A declaration corresponds to an <c>nn.Sequential</c> of its layers
/// without the loss: <c>Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss</c> is
/// <c>nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3), nn.Softmax(dim=-1))</c>, whose state_dict
/// names the tensors <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, <c>2.bias</c>. A classifier's final
/// Softmax comes after its last Linear, so a model trained the usual PyTorch way, without that Softmax
/// (with <c>nn.CrossEntropyLoss</c> on the logits), has the same names and loads the same.
/// </para>
/// <para>
/// <b>Loading</b> gives each Linear layer one module of the file (the tensors <c>&lt;module&gt;.weight</c>
/// and <c>&lt;module&gt;.bias</c>), whatever its prefix (<c>net.0.weight</c>, <c>model.mlp.weight</c>).
/// <c>save_file</c> sorts names, so the order of modules is taken from the names only where it is
/// certain: <c>nn.Sequential</c> indices, compared as numbers (<c>10.weight</c> after <c>2.weight</c>).
/// Elsewhere the shapes decide; where several orders of the modules fit (two <c>Linear(16, 16)</c> named
/// <c>mlp</c> and <c>ff</c>), the load is refused naming them, and
/// <see cref="WeightLoadOptions.ModuleNames"/> says which module each layer takes. A module without a
/// bias (<c>nn.Linear(..., bias=False)</c>) loads with a zero bias, which computes the same; saving
/// writes every bias. F32, F64, F16 and BF16 tensors convert to the network's element type. A weight is
/// <c>[outputs, inputs]</c>, as in <c>nn.Linear.weight</c> and in <see cref="INetwork{T}.Parameters"/>.
/// A file that <c>torch.save</c> wrote (a zip or pickle) is refused, saying how to save safetensors instead.
/// </para>
/// <para>
/// A file that does not fit (a bad or oversized header, malformed JSON, a duplicate name, an unknown
/// dtype, a shape that disagrees with its byte range, overlapping tensors or bytes outside every tensor,
/// a truncated file, a missing or extra tensor, a wrong shape, or a non-finite value unless
/// <see cref="WeightLoadOptions.AllowNonFiniteValues"/>) throws <see cref="InvalidDataException"/>
/// naming the tensor and what was expected, and leaves <see cref="INetwork{T}.Parameters"/> and
/// <see cref="INetwork{T}.Buffers"/> exactly as they were.
/// </para>
/// <para>
/// <b>Buffers.</b> A BatchNorm layer's running statistics (<see cref="INetwork{T}.Buffers"/>) are its
/// module's <c>running_mean</c> and <c>running_var</c>, loaded and saved beside its <c>weight</c> and
/// <c>bias</c>, and required on load. PyTorch's <c>num_batches_tracked</c> (an I64 scalar) is optional on load,
/// checked to be a count (not negative) and not kept: PyTorch reads it only where momentum is None, and
/// NetGen's momentum is fixed at 0.1. Saving writes it as 0, as an I64 scalar, so that PyTorch's strict
/// <c>load_state_dict</c> accepts the file. No other tensor may be an integer.
/// </para>
/// </remarks>
public static class SafetensorsPersistence
{
    /// <summary>Loads the network's parameters from the safetensors file at <paramref name="path"/>.</summary>
    /// <param name="network">The network to load into; its parameters change only if the whole load succeeds.</param>
    /// <param name="path">The file to read.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the network is inconsistent (its arrays or its Architecture disagree with it).</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file of this network's weights; the message says why. <c>Parameters</c> is unchanged.</exception>
    public static void LoadSafetensors<T>(this INetwork<T> network, string path) where T : unmanaged
        => LoadSafetensors(network, path, WeightLoadOptions.Default);

    /// <summary>Loads the network's parameters from the safetensors file at <paramref name="path"/>, checked as <paramref name="options"/> say.</summary>
    /// <param name="network">The network to load into; its parameters change only if the whole load succeeds.</param>
    /// <param name="path">The file to read.</param>
    /// <param name="options">How values are checked, and (<see cref="WeightLoadOptions.ModuleNames"/>) which module each Linear layer takes.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, the network is inconsistent, or <see cref="WeightLoadOptions.ModuleNames"/> does not name one module per Linear layer.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file of this network's weights; <c>Parameters</c> is unchanged.</exception>
    public static void LoadSafetensors<T>(this INetwork<T> network, string path, WeightLoadOptions options) where T : unmanaged
    {
        NetworkArchitecture architecture = CheckNetwork(network);
        CheckPath(path);
        CheckOptions(architecture, options);
        SafetensorsValues<T> values;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan))
        {
            values = SafetensorsReader.Read<T>(architecture, stream, options);
        }

        Apply(network, values);
    }

    /// <summary>
    /// Loads the network's parameters from safetensors data starting at the current position of
    /// <paramref name="stream"/>. As in a file, the data section runs to the end: the stream must end
    /// where the last tensor's data ends.
    /// </summary>
    /// <param name="network">The network to load into; its parameters change only if the whole load succeeds.</param>
    /// <param name="stream">A readable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable, or the network is inconsistent.</exception>
    /// <exception cref="InvalidDataException">The data is not a valid safetensors file of this network's weights; <c>Parameters</c> is unchanged.</exception>
    public static void LoadSafetensors<T>(this INetwork<T> network, Stream stream) where T : unmanaged
        => LoadSafetensors(network, stream, WeightLoadOptions.Default);

    /// <summary>Loads the network's parameters from safetensors data in <paramref name="stream"/>, checked as <paramref name="options"/> say.</summary>
    /// <param name="network">The network to load into; its parameters change only if the whole load succeeds.</param>
    /// <param name="stream">A readable stream, read to its end; it is left open.</param>
    /// <param name="options">How values are checked, and (<see cref="WeightLoadOptions.ModuleNames"/>) which module each Linear layer takes.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable, the network is inconsistent, or <see cref="WeightLoadOptions.ModuleNames"/> does not name one module per Linear layer.</exception>
    /// <exception cref="InvalidDataException">The data is not a valid safetensors file of this network's weights; <c>Parameters</c> is unchanged.</exception>
    public static void LoadSafetensors<T>(this INetwork<T> network, Stream stream, WeightLoadOptions options) where T : unmanaged
    {
        NetworkArchitecture architecture = CheckNetwork(network);
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanRead) throw new ArgumentException("The stream is not readable.", nameof(stream));
        CheckOptions(architecture, options);
        Apply(network, SafetensorsReader.Read<T>(architecture, stream, options));
    }

    /// <summary>
    /// Saves the network's parameters as the safetensors file of the equivalent <c>nn.Sequential</c>'s
    /// state_dict (see the class remarks for the names), in the network's dtype (F32 or F64), replacing
    /// <paramref name="path"/> atomically: readers see the old file or the new, never half of one.
    /// Values are written bit for bit, NaN and infinities included.
    /// </summary>
    /// <param name="network">The network whose parameters to write.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the network is inconsistent.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void SaveSafetensors<T>(this INetwork<T> network, string path) where T : unmanaged
    {
        NetworkArchitecture architecture = CheckNetwork(network);
        CheckPath(path);
        // Encoded before the file is opened, so that a failure leaves no trace on disk.
        byte[] file = SafetensorsWriter.Encode(architecture, network.Parameters, network.Buffers);
        AtomicFile.Write(path, stream => stream.Write(file, 0, file.Length));
    }

    /// <summary>Writes the network's parameters as safetensors to <paramref name="stream"/>, from its current position.</summary>
    /// <param name="network">The network whose parameters to write.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable, or the network is inconsistent.</exception>
    public static void SaveSafetensors<T>(this INetwork<T> network, Stream stream) where T : unmanaged
    {
        NetworkArchitecture architecture = CheckNetwork(network);
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        byte[] file = SafetensorsWriter.Encode(architecture, network.Parameters, network.Buffers);
        stream.Write(file, 0, file.Length);
    }

    /// <summary>Copies a whole, checked load into the network: its parameters and its buffers together.</summary>
    private static void Apply<T>(INetwork<T> network, SafetensorsValues<T> values) where T : unmanaged
    {
        values.Parameters.CopyTo(network.Parameters, 0);
        if (values.Buffers.Length > 0) values.Buffers.CopyTo(network.Buffers, 0);
    }

    private static NetworkArchitecture CheckNetwork<T>(INetwork<T> network) where T : unmanaged
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        ElementTypes.EnsureSupported<T>();
        VectorKernels.EnsureConsistent(network, nameof(network));
        NetworkArchitecture architecture = NetworkArchitecture.Of(network);
        // Checked here, where the buffers are read and written, rather than in Of, which serves callers that never touch them.
        int buffers = network.Buffers?.Length ?? 0;
        if (architecture.BufferCount != buffers)
        {
            throw new ArgumentException($"The network's Architecture \"{architecture.Text}\" describes {architecture.BufferCount} buffer values, but its Buffers has {buffers}.", nameof(network));
        }

        return architecture;
    }

    /// <summary>What can be checked in the options without the file: one module name per Linear layer, none empty or repeated.</summary>
    private static void CheckOptions(NetworkArchitecture architecture, WeightLoadOptions options)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        if (options.ModuleNames is not { } names) return;
        int layers = architecture.LinearLayers.Count;
        if (names.Count != layers)
        {
            throw new ArgumentException(
                $"WeightLoadOptions.ModuleNames has {names.Count} name{(names.Count == 1 ? "" : "s")}, but the network has {layers} Linear layer{(layers == 1 ? "" : "s")} ({architecture.Text}): name the module of each, in order.",
                nameof(options));
        }

        for (int i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrEmpty(names[i])) throw new ArgumentException($"WeightLoadOptions.ModuleNames[{i}] is {(names[i] is null ? "null" : "empty")}: name the module of Linear layer {i + 1}.", nameof(options));
            for (int j = 0; j < i; j++)
            {
                if (names[j] == names[i]) throw new ArgumentException($"WeightLoadOptions.ModuleNames names \"{names[i]}\" twice (for Linear layers {j + 1} and {i + 1}); each layer has a module of its own.", nameof(options));
            }
        }
    }

    private static void CheckPath(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The path is empty.", nameof(path));
    }
}
