using System;
using System.Buffers.Binary;
using System.IO;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class PersistenceTests
{
    private static byte[] Save<T>(INetwork<T> network) where T : unmanaged
    {
        var stream = new MemoryStream();
        network.SaveParameters(stream);
        return stream.ToArray();
    }

    private static long[] Bits<T>(T[] values) where T : unmanaged
        => Array.ConvertAll(values, v => typeof(T) == typeof(float)
            ? Portable.Bits((float)Scalar.ToDouble(v))
            : BitConverter.DoubleToInt64Bits(Scalar.ToDouble(v)));

    /// <summary>Loads <paramref name="file"/> into a network that must refuse it, and returns the message.</summary>
    private static string Refused<T>(INetwork<T> network, byte[] file) where T : unmanaged
    {
        long[] before = Bits(network.Parameters);
        var error = Assert.Throws<InvalidDataException>(() => network.LoadParameters(new MemoryStream(file)));
        Assert.Equal(before, Bits(network.Parameters));
        Assert.StartsWith("Cannot load NetGen parameters: ", error.Message);
        return error.Message;
    }

    [Fact]
    public void Round_trip_restores_every_bit_of_float_parameters()
    {
        var saved = new SoftmaxRegression<float>(5, 3, seed: 1);
        float[] special = { 0f, -0f, float.Epsilon, -float.MaxValue, float.MaxValue, 1e-38f, float.PositiveInfinity };
        special.CopyTo(saved.Parameters, 0);
        var loaded = new SoftmaxRegression<float>(5, 3, seed: 2);
        loaded.LoadParameters(new MemoryStream(Save(saved)));
        Assert.Equal(Bits(saved.Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void Round_trip_restores_every_bit_of_double_parameters()
    {
        var saved = new SoftmaxRegression<double>(5, 3, seed: 1);
        double[] special = { 0d, -0d, double.Epsilon, -double.MaxValue, double.MaxValue, 1e-308, double.NegativeInfinity, Math.PI };
        special.CopyTo(saved.Parameters, 0);
        var loaded = new SoftmaxRegression<double>(5, 3, seed: 2);
        loaded.LoadParameters(new MemoryStream(Save(saved)));
        Assert.Equal(Bits(saved.Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void Round_trip_through_a_file()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ngpm");
        var saved = new SoftmaxRegression<double>(4, 3, seed: 1);
        saved.SaveParameters(path);
        var loaded = new SoftmaxRegression<double>(4, 3, seed: 2);
        loaded.LoadParameters(path);
        Assert.Equal(saved.Parameters, loaded.Parameters);
        Assert.Equal(new[] { path }, directory.Files());
    }

    [Fact]
    public void Records_can_follow_each_other_in_one_stream()
    {
        var first = new SoftmaxRegression<float>(4, 3, seed: 1);
        var second = new SoftmaxRegression<double>(2, 2, seed: 2);
        var stream = new MemoryStream();
        first.SaveParameters(stream);
        second.SaveParameters(stream);
        stream.Position = 0;
        var firstCopy = new SoftmaxRegression<float>(4, 3, seed: 3);
        var secondCopy = new SoftmaxRegression<double>(2, 2, seed: 4);
        firstCopy.LoadParameters(stream);
        secondCopy.LoadParameters(stream);
        Assert.Equal(first.Parameters, firstCopy.Parameters);
        Assert.Equal(second.Parameters, secondCopy.Parameters);
        Assert.Equal(stream.Length, stream.Position);
    }

    /// <summary>
    /// The exact bytes for parameters [1.5, -2] of Linear(1,1) Softmax CrossEntropyLoss, computed with
    /// python3 from docs/parameter-format.md (struct.pack little-endian, zlib.crc32, FNV-1a 64 written out):
    /// the format is pinned to its documentation, not just to itself.
    /// </summary>
    [Theory]
    [InlineData(false, "4e47504d01000100020000002b000000c32f68864abbf9700000c03f000000c003b15b59")]
    [InlineData(true, "4e47504d01000200020000002c0000000a123f1c0affe3f5000000000000f83f00000000000000c0d810c899")]
    public void The_bytes_on_disk_are_those_the_format_document_describes(bool isDouble, string expectedHex)
    {
        byte[] file;
        if (isDouble)
        {
            var network = new SoftmaxRegression<double>(1, 1);
            network.Parameters[0] = 1.5;
            network.Parameters[1] = -2;
            file = Save(network);
        }
        else
        {
            var network = new SoftmaxRegression<float>(1, 1);
            network.Parameters[0] = 1.5f;
            network.Parameters[1] = -2f;
            file = Save(network);
        }

        Assert.Equal(expectedHex, Portable.LowerHex(file));
    }

    [Fact]
    public void The_checksums_match_their_published_test_vectors()
    {
        Assert.Equal(0xCBF43926u, Checksums.Crc32("123456789"u8));
        Assert.Equal(0xAF63DC4C8601EC8CUL, Checksums.Fnv1a64("a"u8));
    }

    [Fact]
    public void Empty_data_is_refused()
        => Assert.Contains("empty", Refused(new SoftmaxRegression<float>(4, 3), Array.Empty<byte>()));

    [Fact]
    public void Data_that_is_not_a_parameter_file_is_refused_for_its_magic()
    {
        Assert.Contains("bad magic", Refused(new SoftmaxRegression<float>(4, 3), "{\"weights\": [1, 2, 3]}"u8.ToArray()));
        Assert.Contains("bad magic", Refused(new SoftmaxRegression<float>(4, 3), new byte[] { (byte)'N', (byte)'X' }));
    }

    [Fact]
    public void Truncation_anywhere_is_refused_as_truncated()
    {
        var network = new SoftmaxRegression<float>(4, 3);
        byte[] file = Save(network);
        var target = new SoftmaxRegression<float>(4, 3, seed: 9);
        foreach (int length in new[] { 2, 10, 23, 24, 30, file.Length - 5, file.Length - 1 })
        {
            Assert.Contains("truncated", Refused(target, file.AsSpan(0, length).ToArray()));
        }
    }

    [Fact]
    public void A_newer_format_version_is_refused()
    {
        byte[] file = Save(new SoftmaxRegression<float>(4, 3));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 2);
        Assert.Contains("unsupported format version 2", Refused(new SoftmaxRegression<float>(4, 3), file));
    }

    [Fact]
    public void An_unknown_element_type_code_is_refused()
    {
        byte[] file = Save(new SoftmaxRegression<float>(4, 3));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 7);
        Assert.Contains("unknown element type code 7", Refused(new SoftmaxRegression<float>(4, 3), file));
    }

    [Fact]
    public void Float_parameters_are_refused_by_a_double_network_and_the_reverse()
    {
        Assert.Contains("element type mismatch: the file holds float parameters, but the network computes in double",
            Refused(new SoftmaxRegression<double>(4, 3), Save(new SoftmaxRegression<float>(4, 3))));
        Assert.Contains("element type mismatch: the file holds double parameters, but the network computes in float",
            Refused(new SoftmaxRegression<float>(4, 3), Save(new SoftmaxRegression<double>(4, 3))));
    }

    [Fact]
    public void Parameters_of_another_architecture_are_refused_even_with_the_same_count()
    {
        // Linear(3,2) and Linear(1,4) both have 8 parameters.
        string message = Refused(new SoftmaxRegression<float>(1, 4), Save(new SoftmaxRegression<float>(3, 2)));
        Assert.Contains("architecture mismatch", message);
        Assert.Contains("float: Linear(1,4) Softmax CrossEntropyLoss", message);
        Assert.Contains("architecture mismatch", Refused(new SoftmaxRegression<float>(5, 5), Save(new SoftmaxRegression<float>(3, 2))));
    }

    [Fact]
    public void A_record_whose_count_disagrees_with_its_own_architecture_is_refused()
    {
        // Such a file is intact but could only have been written by another tool: the header of
        // Linear(4,3) with one parameter too many, and a valid checksum.
        var network = new SoftmaxRegression<float>(4, 3);
        byte[] good = Save(network);
        byte[] file = new byte[good.Length + 4];
        good.AsSpan(0, good.Length - 4).CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(8), network.ParameterCount + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Checksums.Crc32(file.AsSpan(0, file.Length - 4)));
        Assert.Contains("parameter count mismatch: the file holds 16 parameters, the network has 15", Refused(network, file));
    }

    [Fact]
    public void A_flipped_bit_is_refused_as_a_checksum_mismatch()
    {
        // Bits in the architecture fields, the values and the checksum itself. (A flip in the magic,
        // version, element code or count is refused too, for that field: see the fuzz test.)
        var network = new SoftmaxRegression<double>(4, 3);
        byte[] file = Save(network);
        foreach (int position in new[] { 12, 15, 16, 23, 24, 60, file.Length - 1 })
        {
            byte[] damaged = (byte[])file.Clone();
            damaged[position] ^= 0x10;
            Assert.Contains("checksum mismatch", Refused(new SoftmaxRegression<double>(4, 3, seed: 5), damaged));
        }
    }

    [Fact]
    public void A_file_with_data_after_its_checksum_is_refused()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ngpm");
        var network = new SoftmaxRegression<float>(4, 3);
        network.SaveParameters(path);
        File.AppendAllText(path, "extra");
        var target = new SoftmaxRegression<float>(4, 3, seed: 8);
        float[] before = (float[])target.Parameters.Clone();
        var error = Assert.Throws<InvalidDataException>(() => target.LoadParameters(path));
        Assert.Contains("5 bytes of unexpected data after its checksum", error.Message);
        Assert.Equal(before, target.Parameters);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_parameter_named()
    {
        var network = new SoftmaxRegression<float>(2, 2);
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => ((INetwork<float>)null!).SaveParameters(new MemoryStream())).ParamName);
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => ((INetwork<float>)null!).LoadParameters("x")).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => network.SaveParameters((Stream)null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => network.LoadParameters((Stream)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => network.SaveParameters((string)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => network.LoadParameters((string)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => network.SaveParameters(" ")).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => network.SaveParameters(new MemoryStream(new byte[8], writable: false))).ParamName);
        using var directory = new TemporaryDirectory();
        Assert.Throws<FileNotFoundException>(() => network.LoadParameters(directory.File("missing.ngpm")));
    }
}
