using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.Blocks;

/// <summary>bn1d of tests/fixtures/pytorch/make_batchnorm_state_reference.py.</summary>
[Network] [Linear(5, 6)] [BatchNorm1D(6)] [ReLU] [Linear(6, 3)] [MSELoss]
public partial class FBatchNormState1D { }

/// <summary>bn1d in double.</summary>
[Network(typeof(double))] [Linear(5, 6)] [BatchNorm1D(6)] [ReLU] [Linear(6, 3)] [MSELoss]
public partial class DBatchNormState1D { }

/// <summary>bn2d of make_batchnorm_state_reference.py.</summary>
[Network(typeof(double))] [Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU] [Flatten] [Linear(60, 2)] [MSELoss]
public partial class DBatchNormState2D { }

/// <summary>bn2d in float.</summary>
[Network] [Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU] [Flatten] [Linear(60, 2)] [MSELoss]
public partial class FBatchNormState2D { }

/// <summary>
/// BatchNorm's running statistics through safetensors (issue 19, item 4): PyTorch's state_dict of a network
/// trained in train() mode, with running_mean, running_var and num_batches_tracked (I64), loads into
/// Parameters and Buffers and gives PyTorch's eval() outputs; SaveSafetensors writes them back as PyTorch
/// names them; and a load that fails changes neither Parameters nor Buffers.
/// </summary>
public class BatchNormSafetensorsTests
{
    private static string FixturePath(string file) => Path.Combine(Path.GetDirectoryName(typeof(BatchNormSafetensorsTests).Assembly.Location)!, "fixtures", "pytorch", file);

    private static JsonElement Case(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(FixturePath("batchnorm_state.json")));
        return document.RootElement.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name).Clone();
    }

    private static double[] Values(JsonElement element, string property) => element.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static TheoryData<string> Networks => new() { "F1D", "D1D", "D2D", "F2D" };

    private static (Func<object> Create, string Case) Network(string which) => which switch
    {
        "F1D" => (() => new FBatchNormState1D(), "bn1d"),
        "D1D" => (() => new DBatchNormState1D(), "bn1d"),
        "D2D" => (() => new DBatchNormState2D(), "bn2d"),
        _ => (() => new FBatchNormState2D(), "bn2d"),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void PyTorchsTrainedStateDictLoadsAndGivesItsEvalOutputs(string which)
    {
        (Func<object> create, string name) = Network(which);
        object network = create();
        if (network is INetwork<float> f) LoadsAndInfers(f, name);
        else LoadsAndInfers((INetwork<double>)network, name);
    }

    private static void LoadsAndInfers<T>(INetwork<T> network, string name) where T : unmanaged
    {
        JsonElement reference = Case(name);
        network.LoadSafetensors(FixturePath("batchnorm_" + name + ".safetensors"));
        // The file's values exactly (F32 widens exactly; F64 within Mono's ulp of parsing the JSON's decimals).
        Numbers.AssertClose("parameters", Values(reference, "parameters"), Numbers.ToDouble<T>(network.Parameters), new Tolerance(1e-7, 1e-7));
        Numbers.AssertClose("buffers", Values(reference, "buffers"), Numbers.ToDouble<T>(network.Buffers), new Tolerance(1e-7, 1e-7));
        Assert.True(Values(reference, "buffers").Any(v => Math.Abs(v) > 0.05 && Math.Abs(v - 1) > 0.05), "the running statistics moved away from 0s and 1s");

        int batch = reference.GetProperty("batch").GetInt32();
        T[] inputs = Values(reference, "inputs").Select(Numbers.From<T>).ToArray();
        var outputs = new T[batch * network.OutputSize];
        network.Forward(inputs, outputs, batch);
        Numbers.AssertClose("eval outputs", Values(reference, "eval_outputs"), outputs);
    }

    [Fact]
    public void LoadedRunningStatisticsAreWhatInferenceUses()
    {
        // Without the buffers (the starting 0s and 1s) the same parameters give other outputs: the outputs above
        // come from the loaded running statistics, not from the parameters alone.
        JsonElement reference = Case("bn1d");
        var network = new DBatchNormState1D();
        network.LoadSafetensors(FixturePath("batchnorm_bn1d.safetensors"));
        new DBatchNormState1D().Buffers.CopyTo(network.Buffers, 0);
        double[] inputs = Values(reference, "inputs");
        var outputs = new double[5 * 3];
        network.Forward(inputs, outputs, 5);
        double[] expected = Values(reference, "eval_outputs");
        Assert.True(expected.Zip(outputs, (a, b) => Math.Abs(a - b)).Max() > 1e-2);
    }

    [Fact]
    public void SaveSafetensorsWritesRunningStatisticsAsPyTorchNamesThemAndLoadsThemBack()
    {
        var source = new DBatchNormState2D();
        source.LoadSafetensors(FixturePath("batchnorm_bn2d.safetensors"));
        using var stream = new MemoryStream();
        source.SaveSafetensors(stream);
        byte[] file = stream.ToArray();

        Dictionary<string, (string DType, long[] Shape, byte[] Data)> tensors = Parse(file);
        Assert.Equal(new[] { "0.bias", "0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var", "1.weight", "4.bias", "4.weight" }, tensors.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal("I64", tensors["1.num_batches_tracked"].DType);
        Assert.Empty(tensors["1.num_batches_tracked"].Shape);
        Assert.Equal(0L, BinaryPrimitives.ReadInt64LittleEndian(tensors["1.num_batches_tracked"].Data));
        Assert.Equal(source.Buffers.Take(3).Select(BitConverter.DoubleToInt64Bits), Doubles(tensors["1.running_mean"].Data).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(source.Buffers.Skip(3).Select(BitConverter.DoubleToInt64Bits), Doubles(tensors["1.running_var"].Data).Select(BitConverter.DoubleToInt64Bits));

        var copy = new DBatchNormState2D();
        stream.Position = 0;
        copy.LoadSafetensors(stream);
        Assert.Equal(source.Parameters.Select(BitConverter.DoubleToInt64Bits), copy.Parameters.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(source.Buffers.Select(BitConverter.DoubleToInt64Bits), copy.Buffers.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void AFloatNetworkRoundTripsItsBuffersBitForBit()
    {
        var source = new FBatchNormState1D();
        source.LoadSafetensors(FixturePath("batchnorm_bn1d.safetensors"));
        string path = Path.Combine(Path.GetTempPath(), "netgen-bn-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            source.SaveSafetensors(path);
            var copy = new FBatchNormState1D();
            copy.LoadSafetensors(path);
            // (BitConverter.SingleToInt32Bits is not in .NET Framework, which the Mono run builds for.)
            Assert.True(Numbers.SameBits<float>(source.Parameters, copy.Parameters), "parameters bit for bit");
            Assert.True(Numbers.SameBits<float>(source.Buffers, copy.Buffers), "buffers bit for bit");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AFileWithoutNumBatchesTrackedLoads()
    {
        Dictionary<string, (string DType, long[] Shape, byte[] Data)> tensors = Parse(File.ReadAllBytes(FixturePath("batchnorm_bn1d.safetensors")));
        tensors.Remove("1.num_batches_tracked");
        var network = new FBatchNormState1D();
        network.LoadSafetensors(new MemoryStream(Build(tensors)));
        Numbers.AssertClose("buffers", Values(Case("bn1d"), "buffers"), Numbers.ToDouble<float>(network.Buffers), new Tolerance(1e-7, 1e-7));
    }

    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "missing running_var", "1.running_var" },
        { "negative num_batches_tracked", "-3" },
        { "num_batches_tracked as F32", "num_batches_tracked" },
        { "running_mean as I64", "I64" },
        { "running_mean of the wrong shape", "[7]" },
        { "truncated", "truncated" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void AFailedLoadLeavesParametersAndBuffersAsTheyWere(string broken, string named)
    {
        Dictionary<string, (string DType, long[] Shape, byte[] Data)> tensors = Parse(File.ReadAllBytes(FixturePath("batchnorm_bn1d.safetensors")));
        byte[] file;
        switch (broken)
        {
            case "missing running_var":
                tensors.Remove("1.running_var");
                file = Build(tensors);
                break;
            case "negative num_batches_tracked":
                var count = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(count, -3);
                tensors["1.num_batches_tracked"] = ("I64", Array.Empty<long>(), count);
                file = Build(tensors);
                break;
            case "num_batches_tracked as F32":
                tensors["1.num_batches_tracked"] = ("F32", Array.Empty<long>(), new byte[4]);
                file = Build(tensors);
                break;
            case "running_mean as I64":
                tensors["1.running_mean"] = ("I64", new long[] { 6 }, new byte[48]);
                file = Build(tensors);
                break;
            case "running_mean of the wrong shape":
                tensors["1.running_mean"] = ("F32", new long[] { 7 }, new byte[28]);
                file = Build(tensors);
                break;
            default:
                byte[] whole = Build(tensors);
                file = whole.AsSpan(0, whole.Length - 5).ToArray();
                break;
        }

        var network = new FBatchNormState1D();
        network.InitializeParameters(3);
        for (int i = 0; i < network.Buffers.Length; i++) network.Buffers[i] = 0.25f * (i + 1);
        float[] parameters = (float[])network.Parameters.Clone();
        float[] buffers = (float[])network.Buffers.Clone();

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => network.LoadSafetensors(new MemoryStream(file)));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Equal(parameters, network.Parameters);
        Assert.Equal(buffers, network.Buffers);
    }

    private static double[] Doubles(byte[] data)
        => Enumerable.Range(0, data.Length / 8).Select(i => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8 * i)))).ToArray();

    /// <summary>A safetensors file's tensors by name: dtype, shape and bytes.</summary>
    private static Dictionary<string, (string DType, long[] Shape, byte[] Data)> Parse(byte[] file)
    {
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, length));
        var tensors = new Dictionary<string, (string, long[], byte[])>(StringComparer.Ordinal);
        foreach (JsonProperty property in header.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__") continue;
            long[] offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            tensors.Add(property.Name, (
                property.Value.GetProperty("dtype").GetString()!,
                property.Value.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
                file.AsSpan(8 + length + (int)offsets[0], (int)(offsets[1] - offsets[0])).ToArray()));
        }

        return tensors;
    }

    /// <summary>A safetensors file of <paramref name="tensors"/>, in name order.</summary>
    private static byte[] Build(Dictionary<string, (string DType, long[] Shape, byte[] Data)> tensors)
    {
        var json = new StringBuilder("{");
        long offset = 0;
        foreach (KeyValuePair<string, (string DType, long[] Shape, byte[] Data)> tensor in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (json.Length > 1) json.Append(',');
            json.Append('"').Append(tensor.Key).Append("\":{\"dtype\":\"").Append(tensor.Value.DType).Append("\",\"shape\":[")
                .Append(string.Join(",", tensor.Value.Shape)).Append("],\"data_offsets\":[").Append(offset).Append(',').Append(offset + tensor.Value.Data.Length).Append("]}");
            offset += tensor.Value.Data.Length;
        }

        json.Append('}');
        byte[] header = Encoding.UTF8.GetBytes(json.ToString());
        var file = new byte[8 + header.Length + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        int at = 8 + header.Length;
        foreach (KeyValuePair<string, (string DType, long[] Shape, byte[] Data)> tensor in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            tensor.Value.Data.CopyTo(file, at);
            at += tensor.Value.Data.Length;
        }

        return file;
    }
}
