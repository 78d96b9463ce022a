using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Google.Protobuf;
using NetGen.Onnx.Internal;
using NetGen.Onnx.Protobuf;

namespace NetGen.Onnx;

/// <summary>
/// Loads a network's parameters from the initializers of an ONNX model whose graph computes the network's
/// declaration: PyTorch's <c>torch.onnx.export</c> of the equivalent <c>nn.Sequential</c> (at any opset), or
/// a model written by <see cref="OnnxExport"/>.
/// </summary>
/// <remarks>
/// <para>
/// The graph is checked node by node against the declaration before any weight is read: one chain from
/// the single input to an output, with per Linear layer a <c>Gemm</c> (<c>transB=1</c> and a weight
/// <c>[outputs, inputs]</c>, or <c>transB=0</c> and <c>[inputs, outputs]</c>) or a <c>MatMul</c> by an
/// <c>[inputs, outputs]</c> weight followed by an <c>Add</c> of the bias (what PyTorch writes when the
/// input is not 2-D), and per activation its operator (<c>Relu</c>, <c>Tanh</c>, <c>Sigmoid</c>,
/// <c>LeakyRelu</c> with the declared slope as alpha, <c>Sigmoid</c> then <c>Mul</c> for SiLU, <c>Softmax</c>
/// along the last axis). A classifier's graph may stop before its final Softmax, as a PyTorch model trained
/// with <c>nn.CrossEntropyLoss</c> on its logits does. Convolutions, pools, Flatten, residual joins, LayerNorm, BatchNorm and Dropout are read in the
/// forms <see cref="OnnxExport"/> and <c>torch.onnx.export</c> write them (see the README's ONNX section);
/// a BatchNormalization's running statistics go to <see cref="INetwork{T}.Buffers"/>. Constant and Identity nodes are looked through; a Linear without a bias
/// (<c>nn.Linear(..., bias=False)</c>) loads with a zero bias, which computes the same, as
/// <c>LoadSafetensors</c> does too. Weights may be float, double, float16 or bfloat16; they convert to the network's
/// element type.
/// </para>
/// <para>
/// A sequence network's graph (GRU and LSTM layers) is checked the same way: per GRU/LSTM layer a <c>GRU</c> /
/// <c>LSTM</c> node that computes what PyTorch's does (forward, the declared hidden_size, GRU's
/// <c>linear_before_reset=1</c>, default activations, no clip, a zero initial state) and the <c>Squeeze</c> of its
/// direction axis, per Linear a <c>MatMul</c> and <c>Add</c> on every step, per activation its operator, and
/// <c>Transpose</c>s that swap batch and steps; beside the chain only the nodes <c>torch.onnx.export</c> writes to
/// build the zero initial states.
/// </para>
/// <para>
/// A file that is not ONNX, is damaged, or whose graph differs (an operator, an attribute, a shape, an
/// extra or missing node) throws <see cref="InvalidDataException"/> saying where it differs (the node's
/// index and operator, and the layer of the declaration that should be there), and leaves
/// <see cref="INetwork{T}.Parameters"/> and <see cref="INetwork{T}.Buffers"/> exactly as they were.
/// </para>
/// </remarks>
public static class OnnxWeights
{
    /// <summary>Loads the network's parameters from the ONNX model at <paramref name="path"/>.</summary>
    /// <param name="network">The network to load into; its parameters change only if the whole load succeeds.</param>
    /// <param name="path">The model file.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the network is inconsistent.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind that NetGen.Onnx does not know.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model of this network; the message says where it differs. <c>Parameters</c> is unchanged.</exception>
    public static void LoadOnnxWeights<T>(this INetwork<T> network, string path) where T : unmanaged
        => LoadOnnxWeights(network, path, WeightLoadOptions.Default);

    /// <summary>Loads the network's parameters from the ONNX model at <paramref name="path"/>, checked as <paramref name="options"/> say.</summary>
    /// <param name="network">The network to load into; its parameters change only if the whole load succeeds.</param>
    /// <param name="path">The model file.</param>
    /// <param name="options">How values are checked; <see cref="WeightLoadOptions.ModuleNames"/> must be null (an ONNX file carries its order).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, the network is inconsistent, or <paramref name="options"/> sets ModuleNames.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind that NetGen.Onnx does not know.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model of this network; <c>Parameters</c> is unchanged.</exception>
    public static void LoadOnnxWeights<T>(this INetwork<T> network, string path, WeightLoadOptions options) where T : unmanaged
    {
        NetworkArchitecture architecture = NetworkChecks.Check(network);
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The path is empty.", nameof(path));
        CheckOptions(options);
        byte[] file = File.ReadAllBytes(path);
        (T[] values, T[] buffers) = Decode<T>(architecture, file, options);
        CheckBuffers(network, buffers);
        values.CopyTo(network.Parameters, 0);
        if (buffers.Length > 0) buffers.CopyTo(network.Buffers, 0);
    }

    /// <summary>Loads the network's parameters from an ONNX model read from <paramref name="stream"/> (from its position to its end).</summary>
    /// <param name="network">The network to load into; its parameters change only if the whole load succeeds.</param>
    /// <param name="stream">A readable stream, read to its end; it is left open.</param>
    /// <param name="options">How values are checked, or null for <see cref="WeightLoadOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException">The network or the stream is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable, the network is inconsistent, or <paramref name="options"/> sets ModuleNames.</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind that NetGen.Onnx does not know.</exception>
    /// <exception cref="InvalidDataException">The data is not an ONNX model of this network; <c>Parameters</c> is unchanged.</exception>
    public static void LoadOnnxWeights<T>(this INetwork<T> network, Stream stream, WeightLoadOptions? options = null) where T : unmanaged
    {
        NetworkArchitecture architecture = NetworkChecks.Check(network);
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanRead) throw new ArgumentException("The stream is not readable.", nameof(stream));
        if (options is not null) CheckOptions(options);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        (T[] values, T[] buffers) = Decode<T>(architecture, buffer.ToArray(), options ?? WeightLoadOptions.Default);
        CheckBuffers(network, buffers);
        values.CopyTo(network.Parameters, 0);
        if (buffers.Length > 0) buffers.CopyTo(network.Buffers, 0);
    }

    /// <summary>
    /// Refuses what does not apply to ONNX rather than ignore it: an ONNX graph says which initializer each
    /// layer reads, so <see cref="WeightLoadOptions.ModuleNames"/> (for safetensors files, whose names do not
    /// always say the order) has nothing to choose.
    /// </summary>
    private static void CheckOptions(WeightLoadOptions options)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        if (options.ModuleNames is not null)
        {
            throw new ArgumentException(
                "WeightLoadOptions.ModuleNames chooses the order of a safetensors file's modules; an ONNX file carries its order in its graph, so LoadOnnxWeights takes no module names: leave ModuleNames null.",
                nameof(options));
        }
    }

    /// <summary>The network must hold the running statistics the file's BatchNorm layers fill, or nothing is changed.</summary>
    private static void CheckBuffers<T>(INetwork<T> network, T[] buffers) where T : unmanaged
    {
        // A network without batch normalisation has nothing to fill; its Buffers are not read.
        if (buffers.Length == 0) return;
        if (network.Buffers is null || network.Buffers.Length != buffers.Length)
        {
            throw new ArgumentException($"The network's Buffers must hold {buffers.Length} running statistics, as its BatchNorm layers need.", nameof(network));
        }
    }

    /// <summary>Parses the model, matches its graph and reads the weights (and any BatchNorm's running statistics) into new arrays; the network is not touched.</summary>
    private static (T[] Parameters, T[] Buffers) Decode<T>(NetworkArchitecture architecture, byte[] file, WeightLoadOptions options) where T : unmanaged
    {
        if (file.Length == 0) throw OnnxErrors.Invalid("the data is empty (0 bytes).");
        ModelProto model;
        try
        {
            // Parsed from the whole array, so that a length inside the file that promises more than the
            // file holds fails at once instead of allocating what it promises.
            model = ModelProto.Parser.ParseFrom(file);
        }
        catch (InvalidProtocolBufferException e)
        {
            // What torch.save writes (a zip since PyTorch 1.6, a bare pickle before) is the likeliest wrong file.
            bool zip = file.Length >= 4 && file[0] == (byte)'P' && file[1] == (byte)'K' && file[2] == 3 && file[3] == 4;
            bool pickle = file.Length >= 2 && file[0] == 0x80 && file[1] >= 2 && file[1] <= 5;
            if (zip || pickle)
            {
                throw OnnxErrors.Invalid(
                    $"the data is {(zip ? "a zip archive" : "a Python pickle")}, which is what torch.save writes (a .pt or .pth file), not an ONNX model: " +
                    "export the model with torch.onnx.export(model, example_input, \"model.onnx\"), or save safetensors with save_file(model.state_dict(), \"model.safetensors\") and use LoadSafetensors.");
            }

            throw OnnxErrors.Invalid($"the data is not an ONNX model (protobuf: {e.Message}).");
        }
        catch (DecoderFallbackException)
        {
            throw OnnxErrors.Invalid("the data is not an ONNX model (protobuf: a string is not valid UTF-8).");
        }

        // A network with GRU or LSTM layers is read by its own matcher (OnnxSequenceWeightReader).
        // Sequence networks hold no batch norm (NG0069), so they have no buffers to read.
        if (OnnxSequenceModelWriter.IsSequenceNetwork(architecture)) return (OnnxSequenceWeightReader.Read<T>(model, architecture, options), Array.Empty<T>());

        IReadOnlyList<LinearInitializers> layers = OnnxGraphMatcher.Match(model, architecture);
        var values = new T[architecture.ParameterCount];
        var buffers = new T[OnnxShapedLayers.BufferCount(architecture)];
        int bufferOffset = 0;
        foreach (LinearInitializers linear in layers)
        {
            // A BatchNorm's running statistics, per layer in order: its means, then its variances.
            if (linear.RunningMean is not null && linear.RunningVariance is not null)
            {
                T[] mean = OnnxTensors.Read<T>(linear.RunningMean, "the running mean of " + linear.Role, options);
                mean.CopyTo(buffers, bufferOffset);
                OnnxTensors.Read<T>(linear.RunningVariance, "the running variance of " + linear.Role, options).CopyTo(buffers, bufferOffset + mean.Length);
                bufferOffset += 2 * mean.Length;
            }

            NetworkLayer layer = linear.Layer;
            T[] weight = OnnxTensors.Read<T>(linear.Weight, "the weight of " + linear.Role, options);
            if (linear.InputsByOutputs)
            {
                // Stored [inputs, outputs]; NetGen's layout is [outputs, inputs].
                for (int i = 0; i < layer.Inputs; i++)
                {
                    for (int o = 0; o < layer.Outputs; o++) values[layer.Tensors[0].Offset + o * layer.Inputs + i] = weight[i * layer.Outputs + o];
                }
            }
            else
            {
                weight.CopyTo(values, layer.Tensors[0].Offset);
            }

            // Without a bias the layer adds zero, which the new array already holds.
            if (linear.Bias is not null) OnnxTensors.Read<T>(linear.Bias, "the bias of " + linear.Role, options).CopyTo(values, layer.Tensors[1].Offset);
        }

        return (values, buffers);
    }
}
