using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace NetGen;

/// <summary>
/// Scales each feature to mean 0 and standard deviation 1, from statistics fitted on training data:
/// <c>z = (x - mean) / standardDeviation</c>, per feature, and back with <see cref="Invert{T}(Span{T})"/>. Fit it on
/// the training samples only, apply it to every set (training, validation, test, and each input at run time),
/// and save it beside the parameters, since the network has learned the scaled values. For a regressor, fit a
/// second one on the targets, train on the scaled targets, and invert the network's outputs to get back to the
/// targets' units.
/// </summary>
/// <remarks>
/// <para>
/// The statistics are computed in double whatever the element type: the mean, and the population standard
/// deviation (dividing by the count, as scikit-learn's <c>StandardScaler</c> and NumPy's <c>std</c> do). A feature
/// that is constant in the training data has a standard deviation of 0; it is scaled by 1 instead (so it becomes
/// 0 there), never divided by 0, as scikit-learn does.
/// </para>
/// <para>
/// <see cref="Apply{T}(Span{T})"/> and <see cref="Invert{T}(Span{T})"/> allocate nothing and are thread-safe: a fitted
/// standardiser never changes. Data is sample-major, <see cref="FeatureCount"/> values per sample, as everywhere in NetGen.
/// </para>
/// </remarks>
/// <example><code>
/// Standardizer inputs = Standardizer.Fit(trainFeatures, WineNet.InputSize);
/// inputs.Apply(trainFeatures);                 // in place
/// inputs.Apply(testFeatures);
/// Standardizer targets = Standardizer.Fit(trainTargets, WineNet.OutputSize);
/// targets.Apply(trainTargets);
/// // ... train ...
/// network.Forward(testFeatures, predictions, testCount);
/// targets.Invert(predictions);                  // back to the targets' units
/// inputs.Save("wine.inputs.ngst");
/// </code></example>
public sealed class Standardizer
{
    private const ushort CurrentVersion = 1;
    private const int HeaderSize = 12;
    private static readonly byte[] Magic = { (byte)'N', (byte)'G', (byte)'S', (byte)'T' };
    private const string LoadPrefix = "Cannot load a NetGen standardizer: ";

    private readonly double[] _means;
    private readonly double[] _scales;

    private Standardizer(double[] means, double[] scales)
    {
        _means = means;
        _scales = scales;
    }

    /// <summary>Values per sample.</summary>
    public int FeatureCount => _means.Length;

    /// <summary>Each feature's mean in the data it was fitted on.</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>What each feature is divided by: its population standard deviation, or 1 where that is 0 (a constant feature).</summary>
    public IReadOnlyList<double> Scales => _scales;

    /// <summary>As <see cref="Fit{T}(ReadOnlySpan{T}, int)"/>, for an array, so that the element type is inferred: <c>Standardizer.Fit(features, 13)</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public static Standardizer Fit<T>(T[] data, int featureCount) where T : unmanaged
        => Fit((ReadOnlySpan<T>)(data ?? throw new ArgumentNullException(nameof(data))), featureCount);

    /// <summary>Fits the means and standard deviations of each of <paramref name="featureCount"/> features in <paramref name="data"/>.</summary>
    /// <param name="data">Sample-major: sample <c>s</c> is <c>data[s * featureCount .. (s + 1) * featureCount)</c>. Every value finite.</param>
    /// <param name="featureCount">Values per sample; at least 1 (e.g. the network's <c>InputSize</c>, or <c>OutputSize</c> for targets).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is below 1.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="data"/> is empty, not a whole number of samples, or holds a NaN or infinite value (the message
    /// names its sample and feature).
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static Standardizer Fit<T>(ReadOnlySpan<T> data, int featureCount) where T : unmanaged
    {
        ElementTypes.EnsureSupported<T>();
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "Must be at least 1.");
        if (data.Length == 0) throw new ArgumentException("There are no samples to fit: the data is empty.", nameof(data));
        if (data.Length % featureCount != 0)
        {
            throw new ArgumentException($"Expected a multiple of featureCount = {featureCount} values (one sample after another), but there are {data.Length}.", nameof(data));
        }

        int samples = data.Length / featureCount;
        var means = new double[featureCount];
        for (int i = 0; i < data.Length; i++)
        {
            double x = ElementTypes.ToDouble(data[i]);
            if (x - x != 0)
            {
                throw new ArgumentException(
                    $"Sample {i / featureCount}, feature {i % featureCount} is {x}: a standardizer is fitted on finite values only.", nameof(data));
            }

            means[i % featureCount] += x;
        }

        for (int f = 0; f < featureCount; f++) means[f] /= samples;

        // A second pass over the deviations, rather than E[x^2] - E[x]^2, which cancels badly for a feature
        // whose mean is large beside its spread (proline's ~750 mg/L, spread ~300).
        var scales = new double[featureCount];
        for (int i = 0; i < data.Length; i++)
        {
            double d = ElementTypes.ToDouble(data[i]) - means[i % featureCount];
            scales[i % featureCount] += d * d;
        }

        for (int f = 0; f < featureCount; f++)
        {
            double deviation = Math.Sqrt(scales[f] / samples);
            scales[f] = deviation > 0 ? deviation : 1;
        }

        return new Standardizer(means, scales);
    }

    /// <summary>As <see cref="Apply{T}(Span{T})"/>, for an array, so that the element type is inferred.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public void Apply<T>(T[] data) where T : unmanaged => Apply<T>((data ?? throw new ArgumentNullException(nameof(data))).AsSpan());

    /// <summary>Standardises <paramref name="data"/> in place: <c>(x - mean) / scale</c> per feature. Allocation-free.</summary>
    /// <param name="data">Sample-major, a whole number of samples of <see cref="FeatureCount"/> values; may be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is not a whole number of samples.</exception>
    public void Apply<T>(Span<T> data) where T : unmanaged => Apply<T>(data, data);

    /// <summary>Writes the standardised <paramref name="source"/> into <paramref name="destination"/>, which may be the same memory. Allocation-free.</summary>
    /// <param name="source">Sample-major, a whole number of samples of <see cref="FeatureCount"/> values.</param>
    /// <param name="destination">As long as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">A span is not a whole number of samples, or the two differ in length.</exception>
    public void Apply<T>(ReadOnlySpan<T> source, Span<T> destination) where T : unmanaged
    {
        CheckSpans(source, destination);
        int width = _means.Length;
        for (int i = 0; i < source.Length; i++)
        {
            int f = i % width;
            destination[i] = ElementTypes.FromDouble<T>((ElementTypes.ToDouble(source[i]) - _means[f]) / _scales[f]);
        }
    }

    /// <summary>As <see cref="Invert{T}(Span{T})"/>, for an array, so that the element type is inferred.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public void Invert<T>(T[] data) where T : unmanaged => Invert<T>((data ?? throw new ArgumentNullException(nameof(data))).AsSpan());

    /// <summary>Undoes <see cref="Apply{T}(Span{T})"/> in place: <c>z * scale + mean</c> per feature, e.g. on a regressor's outputs. Allocation-free.</summary>
    /// <param name="data">Sample-major, a whole number of samples of <see cref="FeatureCount"/> values; may be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is not a whole number of samples.</exception>
    public void Invert<T>(Span<T> data) where T : unmanaged => Invert<T>(data, data);

    /// <summary>Writes <paramref name="source"/> back in original units into <paramref name="destination"/>, which may be the same memory. Allocation-free.</summary>
    /// <param name="source">Sample-major, a whole number of samples of <see cref="FeatureCount"/> values.</param>
    /// <param name="destination">As long as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">A span is not a whole number of samples, or the two differ in length.</exception>
    public void Invert<T>(ReadOnlySpan<T> source, Span<T> destination) where T : unmanaged
    {
        CheckSpans(source, destination);
        int width = _means.Length;
        for (int i = 0; i < source.Length; i++)
        {
            int f = i % width;
            destination[i] = ElementTypes.FromDouble<T>(ElementTypes.ToDouble(source[i]) * _scales[f] + _means[f]);
        }
    }

    /// <summary>
    /// Writes the standardizer to <paramref name="stream"/> (docs/training.md describes the format: "NGST", a version,
    /// the feature count, each feature's mean and scale as IEEE doubles, and a CRC-32), starting at its position.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    public void Save(Stream stream)
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        byte[] file = Encode();
        stream.Write(file, 0, file.Length);
    }

    /// <summary>Writes the standardizer to the file at <paramref name="path"/>, replacing it atomically (never a half-written file).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path)
    {
        CheckPath(path);
        byte[] file = Encode();
        AtomicFile.Write(path, stream => stream.Write(file, 0, file.Length));
    }

    /// <summary>Reads a standardizer written by <see cref="Save(Stream)"/> from the current position of <paramref name="stream"/>, and no further.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The data is empty, truncated, corrupt or of another version; the message says which.</exception>
    public static Standardizer Load(Stream stream)
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanRead) throw new ArgumentException("The stream is not readable.", nameof(stream));
        return Decode(stream);
    }

    /// <summary>Reads a standardizer written by <see cref="Save(string)"/>; the file must hold exactly one.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">As for <see cref="Load(Stream)"/>, or the file goes on after the checksum.</exception>
    public static Standardizer Load(string path)
    {
        CheckPath(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Standardizer loaded = Decode(stream);
        long extra = stream.Length - stream.Position;
        if (extra > 0) throw new InvalidDataException($"{LoadPrefix}the file has {extra} bytes of unexpected data after its checksum.");
        return loaded;
    }

    private byte[] Encode()
    {
        int count = _means.Length;
        var file = new byte[HeaderSize + 16 * count + 4];
        Magic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), CurrentVersion);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(8), count);
        for (int f = 0; f < count; f++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(HeaderSize + 16 * f), BitConverter.DoubleToInt64Bits(_means[f]));
            BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(HeaderSize + 16 * f + 8), BitConverter.DoubleToInt64Bits(_scales[f]));
        }

        int checksumOffset = file.Length - 4;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(checksumOffset), Checksums.Crc32(file.AsSpan(0, checksumOffset)));
        return file;
    }

    private static Standardizer Decode(Stream stream)
    {
        var header = new byte[HeaderSize];
        int read = ReadFully(stream, header);
        if (read == 0) throw new InvalidDataException(LoadPrefix + "the data is empty (0 bytes).");
        if (read < Magic.Length || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException(LoadPrefix + "bad magic: it does not start with \"NGST\"; it is not a standardizer file.");
        }

        if (read < HeaderSize) throw new InvalidDataException($"{LoadPrefix}the data is truncated: it ends after {read} bytes, inside the {HeaderSize}-byte header.");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(4));
        if (version != CurrentVersion) throw new InvalidDataException($"{LoadPrefix}unsupported format version {version}; this library reads version {CurrentVersion}.");
        int count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        // A feature count no network could have is damage, not a request for gigabytes.
        if (count < 1 || count > 1 << 24) throw new InvalidDataException($"{LoadPrefix}the header is corrupt: feature count {count}.");

        var body = new byte[16 * count + 4];
        int bodyRead = ReadFully(stream, body);
        if (bodyRead < body.Length)
        {
            throw new InvalidDataException($"{LoadPrefix}the data is truncated: it ends after {HeaderSize + bodyRead} bytes; its header promises {count} features, {HeaderSize + body.Length} bytes in all.");
        }

        uint crc = Checksums.Crc32Update(Checksums.Crc32Initial, header);
        crc = Checksums.Crc32Finish(Checksums.Crc32Update(crc, body.AsSpan(0, body.Length - 4)));
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(body.Length - 4));
        if (stored != crc) throw new InvalidDataException($"{LoadPrefix}checksum mismatch: the file stores CRC-32 0x{stored:X8} but its content gives 0x{crc:X8}; the file is corrupt.");

        var means = new double[count];
        var scales = new double[count];
        for (int f = 0; f < count; f++)
        {
            means[f] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(16 * f)));
            scales[f] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(16 * f + 8)));
            if (means[f] - means[f] != 0 || !(scales[f] > 0) || double.IsInfinity(scales[f]))
            {
                throw new InvalidDataException($"{LoadPrefix}feature {f} has mean {means[f]} and scale {scales[f]}; a mean must be finite and a scale finite and positive.");
            }
        }

        return new Standardizer(means, scales);
    }

    private void CheckSpans<T>(ReadOnlySpan<T> source, Span<T> destination) where T : unmanaged
    {
        ElementTypes.EnsureSupported<T>();
        if (source.Length % _means.Length != 0)
        {
            throw new ArgumentException($"Expected a multiple of FeatureCount = {_means.Length} values (one sample after another), but there are {source.Length}.", nameof(source));
        }

        if (destination.Length != source.Length)
        {
            throw new ArgumentException($"Expected {source.Length} values, as many as the source; got {destination.Length}.", nameof(destination));
        }
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer.Slice(total));
            if (read == 0) break;
            total += read;
        }

        return total;
    }

    private static void CheckPath(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The path is empty.", nameof(path));
    }
}
