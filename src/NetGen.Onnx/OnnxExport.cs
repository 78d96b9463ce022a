using System;
using System.Collections.Generic;
using System.IO;
using Google.Protobuf;
using NetGen.Onnx.Internal;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx;

/// <summary>
/// Writes a NetGen network as an ONNX model that ONNX Runtime, Unity Sentis and Barracuda load.
/// </summary>
/// <remarks>
/// <para>
/// The graph has one input, <c>[batch, InputSize]</c> (the batch dimension is symbolic), or
/// <c>[batch, C, L]</c> / <c>[batch, C, H, W]</c> after an <c>Input</c> of channels (PyTorch's layout), and
/// one output of the last layer's shape (<c>[batch, OutputSize]</c> for features), which holds what <c>Forward</c> writes; a classifier (a network ending in
/// <c>Softmax CrossEntropyLoss</c>) has a second output with the logits that go into its final Softmax.
/// Each Linear layer is a <c>Gemm</c> with <c>transB=1</c>, its weight <c>[outputs, inputs]</c> and bias
/// stored as initializers named <c>{index}.weight</c> and <c>{index}.bias</c>, with the index of the layer
/// in the equivalent PyTorch <c>nn.Sequential</c> (every layer but the loss), as <c>torch.onnx.export</c>
/// names them. ReLU, Tanh, Sigmoid, LeakyReLU (slope as <c>alpha</c>) and Softmax are one node each,
/// SiLU is <c>x * Sigmoid(x)</c> (a Sigmoid and a Mul). The loss is not exported: it is not part of inference.
/// Values are written in the network's element type (float or double; Unity runs float models).
/// </para>
/// <para>
/// The shape and block kinds are written as <c>torch.onnx.export</c> writes the PyTorch modules in eval
/// mode: Conv1D/Conv2D as <c>Conv</c> (<c>kernel_shape</c>, <c>strides</c>, <c>pads</c>, <c>dilations</c>,
/// <c>group</c>), MaxPool as <c>MaxPool</c>, AvgPool as <c>AveragePool</c> with <c>count_include_pad=1</c>,
/// GlobalAvgPool as <c>GlobalAveragePool</c> then <c>Flatten</c> (C features), Flatten as <c>Flatten</c>,
/// a residual join as an <c>Add</c>, LayerNorm as <c>LayerNormalization</c> from opset 17 (decomposed into
/// ReduceMean, Sub, Mul, Add, Sqrt and Div before), BatchNorm1D/2D as an inference-form
/// <c>BatchNormalization</c> with <c>{index}.running_mean</c> and <c>{index}.running_var</c> from
/// <see cref="INetwork{T}.Buffers"/>; Input and Dropout write no node.
/// </para>
/// <para>
/// A sequence network (GRU or LSTM layers) has input <c>[batch, steps, InputSize]</c> and outputs
/// <c>[batch, steps, OutputSize]</c>, with GRU and LSTM nodes; README's Sequences section says how.
/// </para>
/// </remarks>
public static class OnnxExport
{
    /// <summary>Writes the network as an ONNX model at opset 13 to <paramref name="path"/>, replacing the file atomically.</summary>
    /// <param name="network">The network to export.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the network is inconsistent (its arrays, its Buffers or its Architecture disagree with it).</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind that NetGen.Onnx cannot write.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void ExportOnnx<T>(this INetwork<T> network, string path) where T : unmanaged
        => ExportOnnx(network, path, OnnxExportOptions.Default);

    /// <summary>Writes the network as an ONNX model, as <paramref name="options"/> say, to <paramref name="path"/>, replacing the file atomically.</summary>
    /// <param name="network">The network to export.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="options">The opset and the names to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, an option's name is empty or clashes with another name in the graph, or the network is inconsistent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The opset is outside [<see cref="OnnxOpsets.Lowest"/>, <see cref="OnnxOpsets.Highest"/>].</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind that NetGen.Onnx cannot write.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void ExportOnnx<T>(this INetwork<T> network, string path, OnnxExportOptions options) where T : unmanaged
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The path is empty.", nameof(path));
        // Encoded before the file is opened, so that a failure leaves no trace on disk.
        byte[] model = Encode(network, options);
        AtomicFile.Write(path, stream => stream.Write(model, 0, model.Length));
    }

    /// <summary>Writes the network as an ONNX model, as <paramref name="options"/> say (null: the defaults), to <paramref name="stream"/> from its current position.</summary>
    /// <param name="network">The network to export.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <param name="options">The opset and the names to write, or null for <see cref="OnnxExportOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException">The network or the stream is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable, an option's name is empty or clashes with another name in the graph, or the network is inconsistent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The opset is outside [<see cref="OnnxOpsets.Lowest"/>, <see cref="OnnxOpsets.Highest"/>].</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind that NetGen.Onnx cannot write.</exception>
    public static void ExportOnnx<T>(this INetwork<T> network, Stream stream, OnnxExportOptions? options = null) where T : unmanaged
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        byte[] model = Encode(network, options ?? OnnxExportOptions.Default);
        stream.Write(model, 0, model.Length);
    }

    private static byte[] Encode<T>(INetwork<T> network, OnnxExportOptions options) where T : unmanaged
    {
        NetworkArchitecture architecture = NetworkChecks.Check(network);
        if (options is null) throw new ArgumentNullException(nameof(options));
        if (options.Opset < OnnxOpsets.Lowest || options.Opset > OnnxOpsets.Highest)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset, $"OnnxExportOptions.Opset is {options.Opset}; NetGen writes ONNX opsets {OnnxOpsets.Lowest} to {OnnxOpsets.Highest}.");
        }

        CheckName(options.InputName, nameof(OnnxExportOptions.InputName));
        CheckName(options.OutputName, nameof(OnnxExportOptions.OutputName));
        CheckName(options.LogitsName, nameof(OnnxExportOptions.LogitsName));
        CheckName(options.BatchDimensionName, nameof(OnnxExportOptions.BatchDimensionName));

        int bufferCount = OnnxShapedLayers.BufferCount(architecture);
        if (bufferCount > 0 && (network.Buffers is null || network.Buffers.Length != bufferCount))
        {
            throw new ArgumentException($"The network's Buffers must hold {bufferCount} running statistics, as its BatchNorm layers need.", nameof(network));
        }

        ModelProto model = OnnxModelWriter.Build(architecture, network.Parameters, network.Buffers ?? Array.Empty<T>(), options);
        CheckUniqueNames(model.Graph);
        return model.ToByteArray();
    }

    private static void CheckName(string name, string option)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"OnnxExportOptions.{option} is empty.", "options");
    }

    /// <summary>ONNX requires every value to be produced once; a chosen name that equals a weight's or another value's would break that.</summary>
    private static void CheckUniqueNames(GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<string>();
        foreach (ValueInfoProto input in graph.Input) all.Add(input.Name);
        foreach (TensorProto initializer in graph.Initializer) all.Add(initializer.Name);
        foreach (NodeProto node in graph.Node) all.AddRange(node.Output);
        foreach (string name in all)
        {
            if (!names.Add(name))
            {
                throw new ArgumentException($"The name \"{name}\" would name two values in the graph; give InputName, OutputName and LogitsName names that differ from each other and from the weights' (\"0.weight\", ...).", "options");
            }
        }
    }
}
