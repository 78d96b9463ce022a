using System;
using System.IO;
using System.Linq;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using NetGen.Onnx.Protobuf;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>What an exported model holds, read back with the same ONNX messages, and how export treats bad arguments.</summary>
public class OnnxExportTests
{
    private static ModelProto Read(byte[] model) => ModelProto.Parser.ParseFrom(model);

    [Fact]
    public void A_classifier_is_Gemms_its_activations_and_Softmax_with_logits_beside_the_output()
    {
        var network = new IrisNet();
        ModelProto model = Read(TestData.Export(network));
        Assert.Equal(7, model.IrVersion);
        Assert.Equal(13, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal("NetGen", model.ProducerName);
        Assert.Equal(network.Architecture, model.MetadataProps.Single(p => p.Key == "netgen.architecture").Value);

        GraphProto graph = model.Graph;
        Assert.Equal(new[] { "Gemm", "Relu", "Gemm", "Softmax" }, graph.Node.Select(n => n.OpType));
        foreach (NodeProto gemm in graph.Node.Where(n => n.OpType == "Gemm"))
        {
            Assert.Equal(1, gemm.Attribute.Single(a => a.Name == "transB").I);
        }

        Assert.Equal(-1, graph.Node[3].Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal(new[] { "input", "0.weight", "0.bias" }, graph.Node[0].Input);
        Assert.Equal("logits", graph.Node[2].Output.Single());
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }, graph.Initializer.Select(i => i.Name));
        Assert.Equal(new long[] { 16, 4 }, graph.Initializer[0].Dims);
        Assert.Equal(new long[] { 3 }, graph.Initializer[3].Dims);
        Assert.Equal((int)TensorProto.Types.DataType.Float, graph.Initializer[0].DataType);
        Assert.Equal(4 * 64, graph.Initializer[0].RawData.Length);
        Assert.Equal(network.Parameters[1], BitConverter.ToSingle(graph.Initializer[0].RawData.ToByteArray(), 4));

        Assert.Equal("input", graph.Input.Single().Name);
        Assert.Equal(new[] { "output", "logits" }, graph.Output.Select(o => o.Name));
        TensorShapeProto shape = graph.Input[0].Type.TensorType.Shape;
        Assert.Equal("batch", shape.Dim[0].DimParam);
        Assert.Equal(4, shape.Dim[1].DimValue);
        Assert.Equal(3, graph.Output[1].Type.TensorType.Shape.Dim[1].DimValue);

        var (inputs, outputs) = OnnxRuntimeRunner.Signature(TestData.Export(network));
        Assert.Equal(new[] { -1, 4 }, inputs["input"]);
        Assert.Equal(new[] { -1, 3 }, outputs["output"]);
        Assert.Equal(new[] { -1, 3 }, outputs["logits"]);
    }

    [Fact]
    public void At_opset_9_Softmax_takes_axis_1_and_the_IR_version_is_4()
    {
        ModelProto model = Read(TestData.Export(new DSoftmaxMiddle(), new OnnxExportOptions { Opset = 9 }));
        Assert.Equal(4, model.IrVersion);
        Assert.Equal(9, model.OpsetImport.Single().Version);
        Assert.All(model.Graph.Node.Where(n => n.OpType == "Softmax"), n => Assert.Equal(1, n.Attribute.Single(a => a.Name == "axis").I));
        Assert.Equal((int)TensorProto.Types.DataType.Double, model.Graph.Initializer[0].DataType);
        // The middle Softmax is module 1 of the Sequential: the second Linear is "2".
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }, model.Graph.Initializer.Select(i => i.Name));
    }

    [Fact]
    public void A_network_without_a_loss_has_one_output_and_each_activation_its_nodes()
    {
        var network = new ReferenceMlp<float>("float: Tanh Linear(3,4) LeakyReLU(0.25) Linear(4,4) SiLU Linear(4,2) Sigmoid");
        GraphProto graph = Read(TestData.Export(network)).Graph;
        Assert.Equal(new[] { "Tanh", "Gemm", "LeakyRelu", "Gemm", "Sigmoid", "Mul", "Gemm", "Sigmoid" }, graph.Node.Select(n => n.OpType));
        Assert.Equal(0.25f, graph.Node[2].Attribute.Single().F);
        NodeProto sigmoid = graph.Node[4], mul = graph.Node[5];
        Assert.Equal(new[] { sigmoid.Input[0], sigmoid.Output[0] }, mul.Input);   // x * sigmoid(x)
        Assert.Equal("output", graph.Output.Single().Name);
        Assert.Equal(new[] { "1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias" }, graph.Initializer.Select(i => i.Name));
    }

    [Fact]
    public void The_names_can_be_chosen()
    {
        var options = new OnnxExportOptions { InputName = "obs_0", OutputName = "actions", LogitsName = "scores", BatchDimensionName = "N" };
        var (inputs, outputs) = OnnxRuntimeRunner.Signature(TestData.Export(new IrisNet(), options));
        Assert.Equal(new[] { "obs_0" }, inputs.Keys);
        Assert.Equal(new[] { "actions", "scores" }, outputs.Keys.OrderBy(k => k));
        Assert.Equal("N", Read(TestData.Export(new IrisNet(), options)).Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
    }

    [Fact]
    public void Export_to_a_path_replaces_the_file_atomically()
    {
        string directory = Path.Combine(Path.GetTempPath(), "netgen-onnx-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "iris.onnx");
            File.WriteAllText(path, "an older file");
            var network = new IrisNet();
            network.ExportOnnx(path);
            Assert.Equal(new[] { path }, Directory.GetFiles(directory));
            Assert.Equal(TestData.Export(network), File.ReadAllBytes(path));
            network.ExportOnnx(path, new OnnxExportOptions { Opset = 9 });
            Assert.Equal(9, Read(File.ReadAllBytes(path)).OpsetImport[0].Version);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_before_anything_is_written()
    {
        var network = new IrisNet();
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => ((INetwork<float>)null!).ExportOnnx(new MemoryStream())).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => network.ExportOnnx((string)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => network.ExportOnnx("")).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => network.ExportOnnx((Stream)null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => network.ExportOnnx(new MemoryStream(new byte[1], writable: false))).ParamName);

        var stream = new MemoryStream();
        var opset = Assert.Throws<ArgumentOutOfRangeException>(() => network.ExportOnnx(stream, new OnnxExportOptions { Opset = 8 }));
        Assert.Contains("opsets 9 to 21", opset.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.ExportOnnx(stream, new OnnxExportOptions { Opset = 22 }));
        Assert.Contains("InputName is empty", Assert.Throws<ArgumentException>(() => network.ExportOnnx(stream, new OnnxExportOptions { InputName = " " })).Message);
        Assert.Contains("\"0.weight\" would name two values", Assert.Throws<ArgumentException>(() => network.ExportOnnx(stream, new OnnxExportOptions { OutputName = "0.weight" })).Message);
        Assert.Contains("\"x\" would name two values", Assert.Throws<ArgumentException>(() => network.ExportOnnx(stream, new OnnxExportOptions { InputName = "x", LogitsName = "x" })).Message);

        var unknown = new ReferenceMlp<float>("float: Linear(3,4) GELU Linear(4,2)");
        var error = Assert.Throws<NotSupportedException>(() => unknown.ExportOnnx(stream));
        Assert.Contains("no ONNX form for the layer GELU (layer 2", error.Message);
        Assert.Contains("Linear, LeakyReLU, ReLU, SiLU, Sigmoid, Softmax, Tanh", error.Message);
        Assert.Equal(0, stream.Length);
    }
}
