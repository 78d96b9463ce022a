using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using CsCheck;
using Google.Protobuf;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using NetGen.Onnx.Protobuf;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Damaged ONNX models of every kind, byte-level and structural: LoadOnnxWeights must throw
/// InvalidDataException and nothing else, and leave Parameters exactly as they were. ONNX has no checksum,
/// so damage can leave a valid model of the same network (a flipped bit inside a weight); then the
/// parameters must be exactly what the damaged model's Gemm initializers hold.
/// </summary>
public class OnnxFuzzTests(ITestOutputHelper output)
{
    private enum Damage { Truncate, FlipBits, OverwriteBytes, RandomBytes, RandomFields, EditModel, ForeignModel }

    private const int Cases = 6000;

    private static readonly string[] OpTypes = { "Gemm", "MatMul", "Add", "Relu", "Tanh", "Sigmoid", "Mul", "Softmax", "LeakyRelu", "Identity", "Constant", "Conv", "" };

    [Fact]
    public void Damaged_models_are_refused_cleanly()
    {
        int cases = 0, accepted = 0;
        var clock = Stopwatch.StartNew();
        Gen.Select(Gen.Enum<Damage>(), Gen.Int, Gen.Int[0, 3]).Sample((damage, seed, which) =>
        {
            if (Check(damage, seed, which)) Interlocked.Increment(ref accepted);
            Interlocked.Increment(ref cases);
        }, iter: Cases);

        output.WriteLine($"{cases} damaged models, {accepted} accepted (damage that left a valid model of the network), {cases - accepted} refused with InvalidDataException, in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(cases >= Cases, $"only {cases} cases ran");
        Assert.True(accepted < cases / 2, $"{accepted} of {cases} damaged models were accepted: the damage is too mild to test the loader");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{cases} cases took {clock.Elapsed}");
    }

    /// <summary>Returns whether the damaged model was accepted.</summary>
    private static bool Check(Damage damage, int seed, int which)
    {
        var random = new Random(seed);
        object template = which switch
        {
            0 => new IrisNet(),
            1 => new DSoftmaxMiddle(),
            2 => new ThirteenModules(),
            _ => new IrisNet(),
        };
        TestData.Randomize(template, seed);
        byte[] intact = which == 3
            ? File.ReadAllBytes(Path.Combine(FixtureCase.Directory, random.Next(2) == 0 ? "iris.opset9.onnx" : "iris.opset13.onnx"))
            : TestData.Export(template, new OnnxExportOptions { Opset = random.Next(2) == 0 ? 9 : 13 });
        byte[] model = Mutate(intact, damage, random);

        object target = Activator.CreateInstance(template.GetType())!;
        long[] before = AnyNetwork.ParameterBits(target);
        try
        {
            TestData.Load(target, model);
        }
        catch (InvalidDataException)
        {
            Assert.Equal(before, AnyNetwork.ParameterBits(target));
            return false;
        }

        // Accepted: each Linear layer's parameters are the raw data of the initializers its Gemm names
        // (every model here, intact, is Gemms with raw data), the weight transposed where transB is 0.
        GraphProto graph = ModelProto.Parser.ParseFrom(model).Graph;
        var expected = new List<long>();
        int size = TestData.IsDouble(target) ? 8 : 4;
        foreach (NodeProto gemm in graph.Node.Where(n => n.OpType == "Gemm"))
        {
            bool transposed = gemm.Attribute.FirstOrDefault(a => a.Name == "transB")?.I != 1;
            for (int k = 1; k < gemm.Input.Count; k++)
            {
                TensorProto tensor = graph.Initializer.Single(i => i.Name == gemm.Input[k]);
                byte[] raw = tensor.RawData.ToByteArray();
                long[] values = Enumerable.Range(0, raw.Length / size).Select(j => size == 4 ? (long)BitConverter.ToInt32(raw, j * 4) : BitConverter.ToInt64(raw, j * 8)).ToArray();
                if (k == 1 && transposed)
                {
                    int rows = (int)tensor.Dims[0], columns = (int)tensor.Dims[1];
                    values = Enumerable.Range(0, values.Length).Select(j => values[(j % rows) * columns + j / rows]).ToArray();
                }

                expected.AddRange(values);
            }

            // A Gemm that lost its bias input (damage can do that and leave a valid model) adds zero.
            if (gemm.Input.Count < 3)
            {
                TensorProto weight = graph.Initializer.Single(i => i.Name == gemm.Input[1]);
                expected.AddRange(Enumerable.Repeat(0L, (int)weight.Dims[transposed ? 1 : 0]));
            }
        }

        Assert.Equal(expected, AnyNetwork.ParameterBits(target));
        return true;
    }

    private static byte[] Mutate(byte[] model, Damage damage, Random random)
    {
        byte[] file = (byte[])model.Clone();
        switch (damage)
        {
            case Damage.Truncate:
                return file.AsSpan(0, random.Next(file.Length)).ToArray();
            case Damage.FlipBits:
                for (int flips = 1 + random.Next(3); flips > 0; flips--) file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                return file;
            case Damage.OverwriteBytes:
                int start = random.Next(file.Length), length = 1 + random.Next(Math.Min(4, file.Length - start));
                random.NextBytes(file.AsSpan(start, length));
                return file;
            case Damage.RandomBytes:
                var noise = new byte[random.Next(400)];
                random.NextBytes(noise);
                return noise;
            case Damage.RandomFields:
                return RandomFields(random);
            case Damage.EditModel:
                return Edit(ModelProto.Parser.ParseFrom(model), random).ToByteArray();
            default:
                return random.Next(3) switch
                {
                    0 => TestData.Export(new RefIrisLike()),
                    1 => File.ReadAllBytes(Path.Combine(FixtureCase.Directory, "activations.opset13.onnx")),
                    _ => TestData.Export(new ReferenceMlp<float>("float: Linear(4,16) Tanh Linear(16,3) Softmax CrossEntropyLoss")),
                };
        }
    }

    /// <summary>Well-formed protobuf of random fields: it parses, so the checks after parsing are reached with nonsense.</summary>
    private static byte[] RandomFields(Random random)
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        for (int fields = random.Next(12); fields > 0; fields--)
        {
            int number = random.Next(1, 30);
            switch (random.Next(3))
            {
                case 0:
                    output.WriteTag(number, WireFormat.WireType.Varint);
                    output.WriteInt64(random.NextInt64(-5, 30));
                    break;
                case 1:
                    output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                    var bytes = new byte[random.Next(20)];
                    random.NextBytes(bytes);
                    output.WriteBytes(ByteString.CopyFrom(bytes));
                    break;
                default:
                    output.WriteTag(number, WireFormat.WireType.Fixed32);
                    output.WriteFixed32((uint)random.Next());
                    break;
            }
        }

        output.Flush();
        return stream.ToArray();
    }

    /// <summary>One to three structural edits of a valid model, each of the kind a wrong exporter or a wrong file makes.</summary>
    private static ModelProto Edit(ModelProto model, Random random)
    {
        GraphProto graph = model.Graph;
        for (int edits = 1 + random.Next(3); edits > 0; edits--)
        {
            NodeProto node = graph.Node[random.Next(graph.Node.Count)];
            TensorProto initializer = graph.Initializer[random.Next(graph.Initializer.Count)];
            switch (random.Next(14))
            {
                case 0: node.OpType = OpTypes[random.Next(OpTypes.Length)]; break;
                case 1: graph.Node.Remove(node); break;
                case 2: graph.Node.Insert(random.Next(graph.Node.Count + 1), node.Clone()); break;
                case 3: if (node.Attribute.Count > 0) node.Attribute[0].I = random.Next(-3, 4); break;
                case 4: node.Attribute.Add(new AttributeProto { Name = random.Next(2) == 0 ? "alpha" : "axis", F = (float)random.NextDouble(), I = random.Next(-2, 3) }); break;
                case 5: if (initializer.Dims.Count > 0) initializer.Dims[random.Next(initializer.Dims.Count)] += random.Next(-2, 3); break;
                case 6: initializer.DataType = random.Next(0, 20); break;
                case 7: initializer.RawData = ByteString.CopyFrom(initializer.RawData.Span.Slice(0, random.Next(initializer.RawData.Length + 1))); break;
                case 8: if (node.Input.Count > 0) node.Input[random.Next(node.Input.Count)] = graph.Initializer[random.Next(graph.Initializer.Count)].Name; break;
                case 9: graph.Input.Add(new ValueInfoProto { Name = "extra" + random.Next(3) }); break;
                case 10: if (graph.Output.Count > 0) graph.Output.RemoveAt(random.Next(graph.Output.Count)); break;
                case 11: model.OpsetImport[0].Version = random.Next(-1, 30); break;
                case 12: initializer.Dims.Add(1); break;
                default: node.Domain = random.Next(2) == 0 ? "ai.onnx" : "com.example"; break;
            }
        }

        return model;
    }
}
