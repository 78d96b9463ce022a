using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class SafetensorsTests
{
    private static readonly NetworkArchitecture Iris = NetworkArchitecture.Parse(new IrisNet().Architecture);

    private static byte[] Save<T>(INetwork<T> network) where T : unmanaged
    {
        var stream = new MemoryStream();
        network.SaveSafetensors(stream);
        return stream.ToArray();
    }

    /// <summary>IrisNet's parameters as PyTorch names them, F32, in layer order.</summary>
    private static byte[] IrisFile(float[] parameters, string prefix = "") => SafetensorsFiles.Build(SafetensorsFiles.Linear(Iris, parameters, prefix));

    private static float[] Counting(int count) => Enumerable.Range(0, count).Select(i => (i - count / 2) / 16f).ToArray();

    /// <summary>Loads <paramref name="file"/> into a network that must refuse it, checks nothing changed, and returns the message.</summary>
    private static string Refused(byte[] file, WeightLoadOptions? options = null, bool forwardOnly = false)
    {
        var network = new IrisNet();
        long[] before = AnyNetwork.ParameterBits(network);
        Stream stream = forwardOnly ? new ForwardOnlyStream(file) : new MemoryStream(file);
        var error = Assert.Throws<InvalidDataException>(() => network.LoadSafetensors(stream, options ?? WeightLoadOptions.Default));
        Assert.Equal(before, AnyNetwork.ParameterBits(network));
        Assert.StartsWith("Cannot load safetensors: ", error.Message);
        return error.Message;
    }

    [Fact]
    public void Round_trip_restores_every_bit_of_float_and_double_parameters()
    {
        var saved = new IrisNet();
        new[] { 0f, -0f, float.Epsilon, float.MaxValue, -float.MaxValue, 1e-38f, float.NaN, float.NegativeInfinity }.CopyTo(saved.Parameters, 0);
        var loaded = new IrisNet();
        loaded.InitializeParameters(7);
        // NaN and infinity are written as they are; reading them back needs the option that allows them.
        loaded.LoadSafetensors(new MemoryStream(Save(saved)), new WeightLoadOptions { AllowNonFiniteValues = true });
        Assert.Equal(AnyNetwork.ParameterBits(saved), AnyNetwork.ParameterBits(loaded));

        var savedDouble = new DSoftmaxMiddle();
        new[] { -0d, double.Epsilon, double.MaxValue, Math.PI, 1e-308 }.CopyTo(savedDouble.Parameters, 3);
        var loadedDouble = new DSoftmaxMiddle();
        loadedDouble.InitializeParameters(7);
        loadedDouble.LoadSafetensors(new MemoryStream(Save(savedDouble)));
        Assert.Equal(AnyNetwork.ParameterBits(savedDouble), AnyNetwork.ParameterBits(loadedDouble));
    }

    [Fact]
    public void Saves_the_state_dict_of_the_equivalent_nn_Sequential()
    {
        var network = new DSoftmaxFirst();   // Softmax Linear(7,3) ReLU: the Linear is module 1 of the Sequential
        byte[] file = Save(network);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, headerLength % 8);   // padded, so that the data starts 8-byte aligned
        using var header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        var tensors = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(new[] { "1.weight", "1.bias" }, tensors.Keys);
        Assert.Equal("F64", tensors["1.weight"].GetProperty("dtype").GetString());
        Assert.Equal(new[] { 3, 7 }, tensors["1.weight"].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(new[] { 0, 168 }, tensors["1.weight"].GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(new[] { 168, 192 }, tensors["1.bias"].GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        JsonElement metadata = header.RootElement.GetProperty("__metadata__");
        Assert.Equal("pt", metadata.GetProperty("format").GetString());
        Assert.Equal(network.Architecture, metadata.GetProperty("netgen.architecture").GetString());
        Assert.Equal(8 + (int)headerLength + 8 * DSoftmaxFirst.ParameterCount, file.Length);
        Assert.Equal(network.Parameters[0], BitConverter.ToDouble(file, 8 + (int)headerLength));

        // The classifier's final Softmax follows its last Linear, so it moves no index.
        Assert.Equal(new[] { 0, 2, 4 }, NetworkArchitecture.Parse(new RefDeep().Architecture).LinearLayers.Select(l => l.SequentialIndex));
    }

    [Fact]
    public void Saving_to_a_path_replaces_the_file_atomically_and_leaves_nothing_else()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("iris.safetensors");
        File.WriteAllText(path, "an older file");
        var saved = new IrisNet();
        saved.InitializeParameters(3);
        saved.SaveSafetensors(path);
        Assert.Equal(new[] { path }, directory.Files());
        var loaded = new IrisNet();
        loaded.LoadSafetensors(path);
        Assert.Equal(saved.Parameters, loaded.Parameters);
    }

    [Fact]
    public void Loads_from_a_stream_that_cannot_seek()
    {
        float[] parameters = Counting(Iris.ParameterCount);
        var stream = new ForwardOnlyStream(IrisFile(parameters));
        var network = new IrisNet();
        network.LoadSafetensors(stream);
        Assert.Equal(parameters, network.Parameters);
    }

    [Fact]
    public void Accepts_any_prefix_a_bare_Linear_and_module_numbers_in_numeric_order()
    {
        float[] parameters = Counting(Iris.ParameterCount);
        var prefixed = new IrisNet();
        prefixed.LoadSafetensors(new MemoryStream(IrisFile(parameters, "model.net.")));
        Assert.Equal(parameters, prefixed.Parameters);

        // nn.Linear's own state_dict has no module path at all: "weight" and "bias".
        var single = new GlobalNamespaceNet();
        single.LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(new[]
        {
            new RawTensor("bias", "F32", new long[] { 2 }, SafetensorsFiles.F32(7, 8)),
            new RawTensor("weight", "F32", new long[] { 2, 3 }, SafetensorsFiles.F32(1, 2, 3, 4, 5, 6)),
        })));
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, single.Parameters);

        // Seven layers, named 0, 2, ..., 12: as strings "10" and "12" sort before "2", and the data of
        // a file written by the safetensors library is in that order; the modules must not be.
        var thirteen = NetworkArchitecture.Parse(new ThirteenModules().Architecture);
        float[] values = Counting(thirteen.ParameterCount);
        List<RawTensor> tensors = SafetensorsFiles.Linear(thirteen, values).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        Assert.Equal("0.bias", tensors[0].Name);
        Assert.Equal("10.bias", tensors[2].Name);
        var network = new ThirteenModules();
        network.LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(tensors)));
        Assert.Equal(values, network.Parameters);

        // Named modules are placed by their shapes, whatever their names (fc10 sorts before fc2).
        var iris = new IrisNet();
        List<RawTensor> named = SafetensorsFiles.Linear(Iris, parameters);
        named = named.Select(t => t with { Name = t.Name.Replace("0.", "fc2.").Replace("2.", "fc10.").Replace("fcfc10.", "fc2.") }).Reverse().ToList();
        Assert.Equal(new[] { "fc10.bias", "fc10.weight", "fc2.bias", "fc2.weight" }, named.Select(t => t.Name));
        iris.LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(named)));
        Assert.Equal(parameters, iris.Parameters);
    }

    [Fact]
    public void Converts_F64_F16_and_BF16_to_the_element_type()
    {
        var network = new GlobalNamespaceNet();   // Linear(3,2): a weight [2, 3] and a bias [2]
        // float16: 1, -2, 65504 (the largest), 2^-24 (the smallest subnormal), 0.5, -0; bfloat16: 1, 3.140625.
        network.LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(new[]
        {
            new RawTensor("0.weight", "F16", new long[] { 2, 3 }, SafetensorsFiles.U16(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3800, 0x8000)),
            new RawTensor("0.bias", "BF16", new long[] { 2 }, SafetensorsFiles.U16(0x3F80, 0x4049)),
        })));
        Assert.Equal(new[] { 1f, -2f, 65504f, MathF.Pow(2, -24), 0.5f, -0f, 1f, 3.140625f }, network.Parameters);
        Assert.True(Portable.IsNegative(network.Parameters[5]));

        var fromDouble = new GlobalNamespaceNet();
        fromDouble.LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(new[]
        {
            new RawTensor("0.weight", "F64", new long[] { 2, 3 }, SafetensorsFiles.F64(0.1, 1, 2, 3, 4, 5)),
            new RawTensor("0.bias", "F64", new long[] { 2 }, SafetensorsFiles.F64(6, 7)),
        })));
        Assert.Equal(0.1f, fromDouble.Parameters[0]);   // rounded to the nearest float

        var wide = new DLinear();   // double from float: exact
        var tensors = SafetensorsFiles.Linear(NetworkArchitecture.Parse(wide.Architecture.Replace("double", "float")), Counting(DLinear.ParameterCount));
        wide.LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(tensors)));
        Assert.Equal(Counting(DLinear.ParameterCount).Select(v => (double)v), wide.Parameters);
    }

    [Fact]
    public void Refuses_bad_header_lengths()
    {
        Assert.Contains("empty (0 bytes)", Refused(Array.Empty<byte>()));
        Assert.Contains("inside the 8-byte header length", Refused(new byte[5]));
        var negative = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(negative, -8);
        Assert.Contains("negative as a signed 64-bit number", Refused(negative));
        var absurd = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(absurd, 100_000_001);
        Assert.Contains("larger than the 100000000 bytes the format allows", Refused(absurd));
        var longer = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(longer, 57);
        Assert.Contains("header length 57 is longer than the file, which has only 56 bytes", Refused(longer));
        // A stream that cannot tell its length is read until it ends.
        Assert.Contains("ends 56 bytes into the 57-byte header", Refused(longer, forwardOnly: true));
    }

    [Theory]
    [InlineData("[1,2]", "starts with byte 0x5B, not '{'")]
    [InlineData("  {}", "starts with byte 0x20, not '{'")]
    [InlineData("{\"a\":1,}", "not valid JSON: expected a key")]
    [InlineData("{\"a\" 1}", "not valid JSON: expected ':'")]
    [InlineData("{\"a\":[1 2]}", "expected ',' or ']'")]
    [InlineData("{\"a\":01}", "leading zero")]
    [InlineData("{\"a\":\"\\x\"}", "not a JSON escape")]
    [InlineData("{\"a\":\"\\ud800\"}", "high surrogate")]
    [InlineData("{\"a\":NaN}", "where a value should start")]
    [InlineData("{\"a\":\"tab\there\"}", "control character U+0009")]
    [InlineData("{} {}", "after the end of the JSON value")]
    [InlineData("{\"__metadata__\":{\"a\":1}}", "metadata entry \"a\" is the number 1")]
    [InlineData("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", "metadata entry \"a\" appears twice")]
    [InlineData("{\"__metadata__\":[],\"x\":{}}", "must be an object of strings")]
    [InlineData("{\"__metadata__\":{},\"__metadata__\":{}}", "two \"__metadata__\"")]
    public void Refuses_a_header_that_is_not_the_JSON_the_format_asks_for(string header, string reason)
        => Assert.Contains(reason, Refused(SafetensorsFiles.WithHeader(header, Array.Empty<byte>())));

    [Fact]
    public void Refuses_deeply_nested_JSON_without_exhausting_the_stack()
        => Assert.Contains("nests deeper than 32 levels", Refused(SafetensorsFiles.WithHeader("{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}", Array.Empty<byte>())));

    [Fact]
    public void Refuses_a_header_that_is_not_UTF8()
        => Assert.Contains("not valid UTF-8 (at byte 3)", Refused(SafetensorsFiles.WithHeader(new byte[] { (byte)'{', (byte)'"', (byte)'a', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}' }, Array.Empty<byte>())));

    [Theory]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "tensor \"0.weight\" appears twice")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor \"w\" has \"dtype\" twice")]
    [InlineData("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor \"w\" has no \"dtype\"")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", "tensor \"w\" has no \"shape\"")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "tensor \"w\" has no \"data_offsets\"")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"strides\":[1]}}", "tensor \"w\" has an unknown field \"strides\"")]
    [InlineData("{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor \"w\" has dtype \"Q4\", an unknown dtype")]
    [InlineData("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "tensor \"w\" has dtype \"I64\", a dtype NetGen does not read")]
    [InlineData("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,8]}}", "\"dtype\" that is the number 32, not a string")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "tensor \"w\" has the number -2 in its \"shape\"")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", "the number 2.0 in its \"shape\"")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", "\"shape\" that is the number 2")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", "\"data_offsets\" of 3 numbers")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "data_offsets [8, 0], which end before they begin")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,99999999999999999999]}}", "up to 9223372036854775807")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "tensor \"w\" has shape [3] of F32, 3 elements of 4 bytes = 12 bytes, but its data_offsets [0, 8] span 8 bytes")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", "too many elements to address")]
    [InlineData("{\"w\":[]}", "tensor \"w\" is an array, not an object")]
    public void Refuses_a_tensor_entry_that_breaks_the_format(string header, string reason)
        => Assert.Contains(reason, Refused(SafetensorsFiles.WithHeader(header, new byte[8])));

    [Fact]
    public void Refuses_overlaps_holes_and_bytes_outside_every_tensor()
    {
        string Tensor(string name, int begin) => $"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[{begin},{begin + 4}]}}";
        Assert.Contains("tensor \"b\" (data_offsets [2, 6]) overlaps tensor \"a\" (data_offsets [0, 4])", Refused(SafetensorsFiles.WithHeader("{" + Tensor("a", 0) + "," + Tensor("b", 2) + "}", new byte[8])));
        Assert.Contains("tensor \"a\" starts at byte 4 of the data section, leaving bytes [0, 4) before any tensor", Refused(SafetensorsFiles.WithHeader("{" + Tensor("a", 4) + "}", new byte[8])));
        Assert.Contains("tensor \"b\" starts at byte 8 of the data section, leaving bytes [4, 8) between tensor \"a\" and it", Refused(SafetensorsFiles.WithHeader("{" + Tensor("b", 8) + "," + Tensor("a", 0) + "}", new byte[12])));
        Assert.Contains("the data section has 9 bytes, but its tensors cover only the first 8", Refused(SafetensorsFiles.WithHeader("{" + Tensor("a", 0) + "," + Tensor("b", 4) + "}", new byte[9])));
        Assert.Contains("the file is truncated: tensor \"b\" has data_offsets [4, 8], but the data section has only 7 bytes", Refused(SafetensorsFiles.WithHeader("{" + Tensor("a", 0) + "," + Tensor("b", 4) + "}", new byte[7])));
    }

    [Fact]
    public void Refuses_truncation_and_trailing_bytes_in_a_stream_that_cannot_seek()
    {
        byte[] file = IrisFile(Counting(Iris.ParameterCount));
        Assert.Contains("the data is truncated: tensor \"2.bias\" has data_offsets [512, 524], but the data ends after byte 518", Refused(file.AsSpan(0, file.Length - 6).ToArray(), forwardOnly: true));
        Assert.Contains("the data goes on after the last tensor's data (byte 524", Refused(file.Concat(new byte[] { 0 }).ToArray(), forwardOnly: true));
    }

    [Fact]
    public void Refuses_missing_extra_and_misshapen_tensors_naming_them()
    {
        float[] parameters = Counting(Iris.ParameterCount);
        List<RawTensor> tensors = SafetensorsFiles.Linear(Iris, parameters);

        string missing = Refused(SafetensorsFiles.Build(tensors.Take(2)));
        Assert.Contains("the file holds the tensors of 1 layer (\"0.weight\"), but the network has 2 Linear layers; the tensors of Linear layer 2, Linear(16,3), are missing: a weight [3, 16] and a bias [3]", missing);
        Assert.Contains("expected \"0.weight\" [16, 4], \"0.bias\" [16], \"2.weight\" [3, 16], \"2.bias\" [3]", missing);

        var extra = tensors.Concat(new[]
        {
            new RawTensor("4.weight", "F32", new long[] { 1, 3 }, new byte[12]),
            new RawTensor("4.bias", "F32", new long[] { 1 }, new byte[4]),
        });
        Assert.Contains("the network has 2 Linear layers; \"4.weight\" and the tensors after it are extra", Refused(SafetensorsFiles.Build(extra)));

        // A module without a bias (nn.Linear(..., bias=False)) loads with a zero bias; a bias without a weight is refused.
        var biasFree = new IrisNet();
        biasFree.InitializeParameters(3);
        biasFree.LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(tensors.Take(3))));
        Assert.Equal(parameters.Take(80 + 48), biasFree.Parameters.Take(80 + 48));
        Assert.All(biasFree.Parameters.Skip(80 + 48), b => Assert.Equal(0f, b));
        Assert.Contains("tensor \"0.weight\" is missing: the file has \"0.bias\"", Refused(SafetensorsFiles.Build(tensors.Skip(1))));
        Assert.Contains("tensor \"0.running_mean\" is neither a weight nor a bias", Refused(SafetensorsFiles.Build(tensors.Append(new RawTensor("0.running_mean", "F32", new long[] { 1 }, new byte[4])))));

        var transposed = tensors.ToList();
        transposed[2] = transposed[2] with { Shape = new long[] { 16, 3 } };
        Assert.Contains("tensor \"2.weight\" has shape [16, 3], but it falls to Linear layer 2, Linear(16,3), whose weight is [3, 16] ([outputs, inputs], the layout of nn.Linear.weight). It is transposed", Refused(SafetensorsFiles.Build(transposed)));

        var wrongBias = tensors.ToList();
        wrongBias[1] = new RawTensor("0.bias", "F32", new long[] { 1, 16 }, wrongBias[1].Data);
        Assert.Contains("tensor \"0.bias\" has shape [1, 16], but it falls to Linear layer 1, Linear(4,16), whose bias is [16]", Refused(SafetensorsFiles.Build(wrongBias)));

        Assert.Contains("the file holds no tensors", Refused(SafetensorsFiles.Build(Array.Empty<RawTensor>(), "{\"format\":\"pt\"}")));
    }

    [Fact]
    public void Refuses_non_finite_values_unless_the_options_allow_them()
    {
        float[] parameters = Counting(Iris.ParameterCount);
        parameters[80 + 2 * 16 + 5] = float.NaN;   // layer 2's weight [2, 5]
        byte[] file = IrisFile(parameters);
        Assert.Contains("tensor \"2.weight\" element [2, 5] is NaN; non-finite weights are refused unless WeightLoadOptions.AllowNonFiniteValues is set", Refused(file));
        var network = new IrisNet();
        network.LoadSafetensors(new MemoryStream(file), new WeightLoadOptions { AllowNonFiniteValues = true });
        Assert.True(float.IsNaN(network.Parameters[80 + 37]));

        // A double that overflows float is not finite once converted.
        var tiny = new GlobalNamespaceNet();
        long[] before = AnyNetwork.ParameterBits(tiny);
        var error = Assert.Throws<InvalidDataException>(() => tiny.LoadSafetensors(new MemoryStream(SafetensorsFiles.Build(new[]
        {
            new RawTensor("0.weight", "F64", new long[] { 2, 3 }, SafetensorsFiles.F64(1, 2, 3, 4, 5, 6)),
            new RawTensor("0.bias", "F64", new long[] { 2 }, SafetensorsFiles.F64(1, 1e300)),
        }))));
        Assert.Contains("tensor \"0.bias\" element [1] is 1E+300, which overflows float", error.Message);
        Assert.Equal(before, AnyNetwork.ParameterBits(tiny));
        Assert.Contains("is -Infinity", Refused(IrisFile(Enumerable.Repeat(float.NegativeInfinity, Iris.ParameterCount).ToArray())));
    }

    [Fact]
    public void Checks_its_arguments_before_reading_anything()
    {
        var network = new IrisNet();
        byte[] file = IrisFile(Counting(Iris.ParameterCount));
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => ((INetwork<float>)null!).LoadSafetensors(new MemoryStream(file))).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => network.LoadSafetensors((Stream)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => network.LoadSafetensors((string)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => network.LoadSafetensors(" ")).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => network.LoadSafetensors(new MemoryStream(file), null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => network.LoadSafetensors(new UnreadableStream())).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => network.SaveSafetensors(new MemoryStream(new byte[4], writable: false))).ParamName);
        Assert.Throws<FileNotFoundException>(() => network.LoadSafetensors(Path.Combine(Path.GetTempPath(), "netgen-no-such-file.safetensors")));
        Assert.Throws<InvalidOperationException>(() => new FailingNetwork<float>(network).SaveSafetensors(new MemoryStream()));
    }

    private sealed class UnreadableStream : MemoryStream
    {
        public override bool CanRead => false;
    }

    [Fact]
    public void A_refused_load_from_a_path_leaves_the_parameters_alone()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("bad.safetensors");
        byte[] file = IrisFile(Counting(Iris.ParameterCount));
        File.WriteAllBytes(path, file.AsSpan(0, file.Length - 1).ToArray());
        var network = new IrisNet();
        float[] before = (float[])network.Parameters.Clone();
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => network.LoadSafetensors(path)).Message);
        Assert.Equal(before, network.Parameters);
    }

    [Fact]
    public void Writes_what_its_own_reader_and_an_independent_JSON_parser_agree_on()
    {
        var network = new ThirteenModules();
        byte[] file = Save(network);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        string header = Encoding.UTF8.GetString(file, 8, headerLength);
        Assert.EndsWith("}", header.TrimEnd(' '));
        using var json = JsonDocument.Parse(header);
        Assert.Equal(new[] { "__metadata__", "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "6.weight", "6.bias", "8.weight", "8.bias", "10.weight", "10.bias", "12.weight", "12.bias" },
            json.RootElement.EnumerateObject().Select(p => p.Name));
    }
}
