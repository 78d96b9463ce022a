using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests;

public class StandardizerTests
{
    // Three samples of three features: the second is constant, the third large beside its spread.
    private static readonly double[] Data = { 1, 5, 1000, 2, 5, 1002, 6, 5, 1004 };

    [Fact]
    public void Fits_mean_and_population_deviation_per_feature_and_scales_a_constant_feature_by_1()
    {
        Standardizer s = Standardizer.Fit(Data, 3);
        Assert.Equal(3, s.FeatureCount);
        Assert.Equal(new[] { 3.0, 5.0, 1002.0 }, s.Means);
        Assert.Equal(Math.Sqrt(14.0 / 3), s.Scales[0], 14);
        Assert.Equal(1.0, s.Scales[1]);
        Assert.Equal(Math.Sqrt(8.0 / 3), s.Scales[2], 12);

        double[] z = (double[])Data.Clone();
        s.Apply(z);
        for (int f = 0; f < 3; f++)
        {
            double[] column = Enumerable.Range(0, 3).Select(i => z[i * 3 + f]).ToArray();
            Assert.Equal(0, column.Average(), 12);
            Assert.Equal(f == 1 ? 0 : 1, Math.Sqrt(column.Select(x => x * x).Average()), 12);
        }

        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(0.0, z[i * 3 + 1]));
        s.Invert(z);
        for (int i = 0; i < Data.Length; i++) Assert.Equal(Data[i], z[i], 10);
    }

    [Fact]
    public void Applies_into_another_span_in_float_and_leaves_the_source()
    {
        float[] data = Data.Select(x => (float)x).ToArray();
        Standardizer s = Standardizer.Fit(data, 3);
        float[] z = new float[data.Length];
        s.Apply<float>(data, z);
        Assert.Equal(Data.Select(x => (float)x), data);
        Assert.Equal((float)((6 - 3) / Math.Sqrt(14.0 / 3)), z[6]);
        float[] back = new float[z.Length];
        s.Invert<float>(z, back);
        for (int i = 0; i < data.Length; i++) Assert.Equal(data[i], back[i], 3);
    }

#if NET
    [Fact]
    public void Apply_and_invert_allocate_nothing()
    {
        Standardizer s = Standardizer.Fit(Data, 3);
        var values = new float[300];
        s.Apply(values);
        s.Invert(values);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            s.Apply(values);
            s.Invert<float>(values.AsSpan());
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
#endif

    [Fact]
    public void Bad_arguments_are_refused_naming_them()
    {
        Assert.Equal("featureCount", Assert.Throws<ArgumentOutOfRangeException>(() => Standardizer.Fit(Data, 0)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => Standardizer.Fit(Data, 4)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => Standardizer.Fit(Array.Empty<double>(), 3)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => Standardizer.Fit((double[])null!, 3)).ParamName);
        double[] withNaN = (double[])Data.Clone();
        withNaN[5] = double.NaN;
        var nan = Assert.Throws<ArgumentException>(() => Standardizer.Fit(withNaN, 3));
        Assert.Equal("data", nan.ParamName);
        Assert.Contains("Sample 1, feature 2 is NaN", nan.Message);

        Standardizer s = Standardizer.Fit(Data, 3);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => s.Apply(new double[4])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => s.Apply<double>(new double[3], new double[6])).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => s.Invert(new float[5])).ParamName);
        Assert.Throws<NotSupportedException>(() => s.Apply(new int[3]));
    }

    [Fact]
    public void Saves_and_loads_the_same_statistics_to_a_file_and_a_stream()
    {
        Standardizer s = Standardizer.Fit(Data, 3);
        using var directory = new TemporaryDirectory();
        s.Save(directory.File("inputs.ngst"));
        Standardizer loaded = Standardizer.Load(directory.File("inputs.ngst"));
        Assert.Equal(s.Means, loaded.Means);
        Assert.Equal(s.Scales, loaded.Scales);

        using var stream = new MemoryStream();
        s.Save(stream);
        s.Save(stream);   // two records in a row: a load reads one and stops
        stream.Position = 0;
        Assert.Equal(s.Scales, Standardizer.Load(stream).Scales);
        Assert.Equal(s.Means, Standardizer.Load(stream).Means);
    }

    [Fact]
    public void A_damaged_file_is_refused_saying_why()
    {
        using var stream = new MemoryStream();
        Standardizer.Fit(Data, 3).Save(stream);
        byte[] file = stream.ToArray();

        string Refusal(byte[] bytes) => Assert.Throws<InvalidDataException>(() => Standardizer.Load(new MemoryStream(bytes))).Message;
        Assert.Contains("empty", Refusal(Array.Empty<byte>()));
        Assert.Contains("bad magic", Refusal(new byte[] { 1, 2, 3, 4, 5 }));
        Assert.Contains("truncated", Refusal(file.Take(file.Length - 1).ToArray()));
        byte[] flipped = (byte[])file.Clone();
        flipped[20] ^= 1;
        Assert.Contains("checksum mismatch", Refusal(flipped));
        using var directory = new TemporaryDirectory();
        File.WriteAllBytes(directory.File("extra.ngst"), file.Concat(new byte[] { 0 }).ToArray());
        Assert.Contains("1 bytes of unexpected data", Assert.Throws<InvalidDataException>(() => Standardizer.Load(directory.File("extra.ngst"))).Message);
    }
}
