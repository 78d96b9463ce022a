using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace NetGen;

/// <summary>
/// Saves a training run where it stands (the network's parameters, and the optimizer's learning rate, step
/// count and state: Adam's two moment estimates, SGD's momentum buffer) and loads it into a fresh network and
/// optimizer, so that training resumes exactly: the same steps afterwards give the same parameters, bit for
/// bit, as a run that never stopped. <see cref="ParameterPersistence.SaveParameters{T}(INetwork{T}, string)"/>
/// alone would restart Adam from zero moments, which changes every later step.
/// </summary>
/// <remarks>
/// The file (docs/training.md) holds "NGCK", a version, the element type, the optimizer's kind and coefficients,
/// its learning rate and step count, its state arrays, the parameters as a whole NetGen parameter record
/// (architecture fingerprint included), and a CRC-32 over everything. A load checks all of it before changing
/// anything: another architecture or element type, another kind of optimizer, other coefficients (a resumed
/// Adam with another beta1 would not be the same run), or a damaged file throws <see cref="InvalidDataException"/>
/// saying which, and leaves the network and the optimizer as they were. The optimizers of this library
/// (<see cref="AdamOptimizer{T}"/>, <see cref="SgdOptimizer{T}"/>) can be checkpointed; another implementation of
/// <see cref="IOptimizer{T}"/> cannot (<see cref="NotSupportedException"/>).
/// </remarks>
/// <example><code>
/// optimizer.SaveCheckpoint("run.ngck");                 // the network is optimizer.Network
/// // later, or in another process:
/// var network = new DigitsNet();
/// var optimizer = new AdamOptimizer&lt;float&gt;(network);   // the same coefficients as the saved one
/// optimizer.LoadCheckpoint("run.ngck");                 // parameters, learning rate, step count, moments
/// </code></example>
public static class OptimizerCheckpoint
{
    private const ushort CurrentVersion = 1;
    private static readonly byte[] Magic = { (byte)'N', (byte)'G', (byte)'C', (byte)'K' };
    private const string LoadPrefix = "Cannot load a NetGen checkpoint: ";

    /// <summary>Writes the optimizer's network's parameters and the optimizer's state to <paramref name="stream"/>, from its position.</summary>
    /// <param name="optimizer">The optimizer, of this library, whose run to save.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="NotSupportedException">The optimizer is not one of this library's.</exception>
    public static void SaveCheckpoint<T>(this IOptimizer<T> optimizer, Stream stream) where T : unmanaged
    {
        IOptimizerState<T> state = StateOf(optimizer);
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        byte[] file = Encode(optimizer, state);
        stream.Write(file, 0, file.Length);
    }

    /// <summary>Writes the checkpoint to the file at <paramref name="path"/>, replacing it atomically (never a half-written file).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="NotSupportedException">The optimizer is not one of this library's.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void SaveCheckpoint<T>(this IOptimizer<T> optimizer, string path) where T : unmanaged
    {
        IOptimizerState<T> state = StateOf(optimizer);
        CheckPath(path);
        byte[] file = Encode(optimizer, state);
        AtomicFile.Write(path, stream => stream.Write(file, 0, file.Length));
    }

    /// <summary>
    /// Reads a checkpoint from <paramref name="stream"/> into the optimizer and its network: parameters, learning rate,
    /// step count and state. Everything is checked before anything changes.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="NotSupportedException">The optimizer is not one of this library's.</exception>
    /// <exception cref="InvalidDataException">The checkpoint does not fit this network and optimizer, or is damaged; the message says which.</exception>
    public static void LoadCheckpoint<T>(this IOptimizer<T> optimizer, Stream stream) where T : unmanaged
    {
        IOptimizerState<T> state = StateOf(optimizer);
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanRead) throw new ArgumentException("The stream is not readable.", nameof(stream));
        Decode(optimizer, state, stream);
    }

    /// <summary>Reads the checkpoint in the file at <paramref name="path"/> into the optimizer and its network.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="NotSupportedException">The optimizer is not one of this library's.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">As for <see cref="LoadCheckpoint{T}(IOptimizer{T}, Stream)"/>.</exception>
    public static void LoadCheckpoint<T>(this IOptimizer<T> optimizer, string path) where T : unmanaged
    {
        IOptimizerState<T> state = StateOf(optimizer);
        CheckPath(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Decode(optimizer, state, stream);
    }

    private static IOptimizerState<T> StateOf<T>(IOptimizer<T> optimizer) where T : unmanaged
    {
        if (optimizer is null) throw new ArgumentNullException(nameof(optimizer));
        ElementTypes.EnsureSupported<T>();
        return optimizer as IOptimizerState<T> ?? throw new NotSupportedException(
            $"{optimizer.GetType().Name} keeps state NetGen cannot see: only AdamOptimizer<T> and SgdOptimizer<T> can be checkpointed. " +
            "Save the parameters with SaveParameters, and your optimizer's state yourself.");
    }

    // Layout after the magic: version u16, element size u16, payload length i64, payload, CRC-32 of all before it.
    // Payload: kind (u16 length + UTF-8), coefficient count u16 and each as (u16 length + UTF-8 name, f64),
    // learning rate f64, step count i64, array count u16 and each as (i32 length + values), then the parameter
    // record of ParameterFileFormat (i32 length + bytes).
    private static byte[] Encode<T>(IOptimizer<T> optimizer, IOptimizerState<T> state) where T : unmanaged
    {
        int elementSize = typeof(T) == typeof(float) ? 4 : 8;
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            WriteText(writer, state.Kind);
            var coefficients = state.Hyperparameters;
            writer.Write((ushort)coefficients.Length);
            foreach (var (name, value) in coefficients)
            {
                WriteText(writer, name);
                writer.Write(value);
            }

            writer.Write(optimizer.LearningRate);
            writer.Write(optimizer.StepCount);
            T[][] arrays = state.StateArrays;
            writer.Write((ushort)arrays.Length);
            foreach (T[] array in arrays)
            {
                writer.Write(array.Length);
                foreach (T value in array)
                {
                    if (elementSize == 4) writer.Write((float)ElementTypes.ToDouble(value));
                    else writer.Write(ElementTypes.ToDouble(value));
                }
            }

            byte[] parameters = ParameterFileFormat.Encode(optimizer.Network);
            writer.Write(parameters.Length);
            writer.Write(parameters);
        }

        byte[] body = payload.ToArray();
        var file = new byte[16 + body.Length + 4];
        Magic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), (ushort)elementSize);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(8), body.Length);
        body.CopyTo(file, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Checksums.Crc32(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    private static void Decode<T>(IOptimizer<T> optimizer, IOptimizerState<T> state, Stream stream) where T : unmanaged
    {
        var header = new byte[16];
        int read = ReadFully(stream, header);
        if (read == 0) throw Invalid("the data is empty (0 bytes).");
        if (read < 4 || !header.AsSpan(0, 4).SequenceEqual(Magic)) throw Invalid("bad magic: it does not start with \"NGCK\"; it is not a checkpoint file.");
        if (read < 16) throw Invalid($"the data is truncated: it ends after {read} bytes, inside the 16-byte header.");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(4));
        if (version != CurrentVersion) throw Invalid($"unsupported format version {version}; this library reads version {CurrentVersion}.");
        long length = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
        if (length < 0 || length > int.MaxValue - 64) throw Invalid($"the header is corrupt: payload length {length}.");

        if (stream.CanSeek && length + 4 > stream.Length - stream.Position)
        {
            throw Invalid($"the data is truncated: its header promises {16 + length + 4} bytes, and there are {16 + stream.Length - stream.Position}.");
        }

        var rest = new byte[length + 4];
        int restRead = ReadFully(stream, rest);
        if (restRead < rest.Length) throw Invalid($"the data is truncated: it ends after {16 + restRead} bytes of {16 + rest.Length}.");
        uint crc = Checksums.Crc32Finish(Checksums.Crc32Update(Checksums.Crc32Update(Checksums.Crc32Initial, header), rest.AsSpan(0, (int)length)));
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan((int)length));
        if (stored != crc) throw Invalid($"checksum mismatch: the file stores CRC-32 0x{stored:X8} but its content gives 0x{crc:X8}; the file is corrupt.");

        int elementSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
        int ourSize = typeof(T) == typeof(float) ? 4 : 8;
        if (elementSize != ourSize)
        {
            throw Invalid($"element type mismatch: the checkpoint holds {(elementSize == 4 ? "float" : "double")} values, but the network computes in {ElementTypes.Name<T>()}.");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(rest, 0, (int)length), Encoding.UTF8);
            string kind = ReadText(reader);
            if (kind != state.Kind) throw Invalid($"the checkpoint was saved from {kind}, and this optimizer is {state.Kind}.");
            var expected = state.Hyperparameters;
            int coefficientCount = reader.ReadUInt16();
            if (coefficientCount != expected.Length) throw Invalid($"{kind} with {coefficientCount} coefficients was saved; this one has {expected.Length}.");
            foreach (var (name, value) in expected)
            {
                string savedName = ReadText(reader);
                double saved = reader.ReadDouble();
                if (savedName != name || BitConverter.DoubleToInt64Bits(saved) != BitConverter.DoubleToInt64Bits(value))
                {
                    throw Invalid($"the checkpoint's {kind} has {savedName} = {saved}, and this optimizer has {name} = {value}: " +
                        "a run resumes exactly only with the coefficients it was saved with; build the optimizer with those.");
                }
            }

            double learningRate = reader.ReadDouble();
            if (!OptimizerArguments.IsValidLearningRate(learningRate)) throw Invalid($"the learning rate {learningRate} is not finite and at least 0.");
            long stepCount = reader.ReadInt64();
            if (stepCount < 0) throw Invalid($"the step count {stepCount} is negative.");

            T[][] current = state.StateArrays;
            int arrayCount = reader.ReadUInt16();
            if (arrayCount != current.Length)
            {
                throw Invalid($"the checkpoint holds {arrayCount} state arrays, and this {kind} keeps {current.Length} (SGD keeps a momentum buffer only with momentum).");
            }

            var arrays = new T[arrayCount][];
            for (int a = 0; a < arrayCount; a++)
            {
                int count = reader.ReadInt32();
                if (count != current[a].Length) throw Invalid($"state array {a} holds {count} values; the network has {current[a].Length} parameters.");
                arrays[a] = new T[count];
                for (int i = 0; i < count; i++) arrays[a][i] = ElementTypes.FromDouble<T>(ourSize == 4 ? reader.ReadSingle() : reader.ReadDouble());
            }

            int parameterLength = reader.ReadInt32();
            if (parameterLength < 0 || parameterLength > length) throw Invalid($"the parameter record's length {parameterLength} is corrupt.");
            T[] parameters = ParameterFileFormat.Decode(optimizer.Network, new MemoryStream(reader.ReadBytes(parameterLength)));

            // Everything fits: now, and only now, change the network and the optimizer.
            optimizer.LearningRate = learningRate;
            parameters.CopyTo(optimizer.Network.Parameters, 0);
            state.Restore(stepCount, arrays);
        }
        catch (EndOfStreamException)
        {
            throw Invalid("the payload ends before its last field; the file is corrupt.");
        }
    }

    private static void WriteText(BinaryWriter writer, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ushort)bytes.Length);
        writer.Write(bytes);
    }

    private static string ReadText(BinaryReader reader)
    {
        int length = reader.ReadUInt16();
        byte[] bytes = reader.ReadBytes(length);
        if (bytes.Length < length) throw new EndOfStreamException();
        return Encoding.UTF8.GetString(bytes);
    }

    private static InvalidDataException Invalid(string reason) => new(LoadPrefix + reason);

    private static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int got = stream.Read(buffer, total, buffer.Length - total);
            if (got == 0) break;
            total += got;
        }

        return total;
    }

    private static void CheckPath(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The path is empty.", nameof(path));
    }
}
