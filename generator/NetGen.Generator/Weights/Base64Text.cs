using System;
using System.Globalization;
using System.IO;
using System.Threading;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Weights;

/// <summary>
/// Decodes the base64 text (RFC 4648, the standard alphabet with '=' padding) that carries a safetensors
/// file through AdditionalFiles: the compiler hands generators text only and refuses a binary file
/// (CS2015), and every safetensors file is binary from its first bytes, the little-endian header length.
/// Strict, so that a wrong file is refused with where it went wrong rather than decoded into garbage:
/// whitespace and line breaks may stand anywhere (GNU base64 wraps at 76 columns, PowerShell does not),
/// anything else outside the alphabet is an error naming its line and column, and padding may only end it.
/// </summary>
internal static class Base64Text
{
    /// <summary>The decoded bytes, or null with <paramref name="problem"/> saying what is wrong and where.</summary>
    public static byte[]? Decode(SourceText text, CancellationToken cancellationToken, out string? problem)
    {
        problem = null;
        var bytes = new MemoryStream(text.Length * 3 / 4);
        int line = 1, column = 0, quantum = 0, padding = 0, significant = 0;
        int accumulator = 0;
        // Copied out in chunks: a large file's SourceText is chunked itself, and its indexer looks each
        // character's chunk up.
        var chunk = new char[Math.Min(text.Length, 64 * 1024)];
        for (int index = 0; index < text.Length; index++)
        {
            int inChunk = index % chunk.Length;
            if (inChunk == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                text.CopyTo(index, chunk, 0, Math.Min(chunk.Length, text.Length - index));
            }
            char c = chunk[inChunk];
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
                continue;
            }
            if (c is ' ' or '\t' or '\r')
            {
                continue;
            }
            int value;
            if (c == '=')
            {
                // '=' pads the last group of four to a whole one: only in its third or fourth place.
                if (quantum < 2)
                {
                    problem = At(line, column, "a '=' where a base64 digit must stand (padding may only end a group of four)");
                    return null;
                }
                padding++;
                value = 0;
            }
            else
            {
                value = Value(c);
                if (value < 0)
                {
                    problem = At(line, column, $"{Describe(c)}, which is not a base64 digit (A-Z, a-z, 0-9, '+', '/'), '=' or whitespace");
                    return null;
                }
                if (padding > 0)
                {
                    problem = At(line, column, "a base64 digit after the '=' padding, which may only end the text");
                    return null;
                }
            }
            accumulator = (accumulator << 6) | value;
            quantum++;
            significant++;
            if (quantum == 4)
            {
                bytes.WriteByte((byte)(accumulator >> 16));
                bytes.WriteByte((byte)(accumulator >> 8));
                bytes.WriteByte((byte)accumulator);
                accumulator = 0;
                quantum = 0;
            }
        }
        if (significant == 0)
        {
            problem = "the file is empty";
            return null;
        }
        if (quantum != 0)
        {
            problem = string.Format(CultureInfo.InvariantCulture,
                "it ends after {0} base64 characters, which is not a whole number of groups of four (is it cut short, or missing its '=' padding?)", significant);
            return null;
        }
        // Each '=' stands for one byte of the last group of three that the file does not have.
        byte[] decoded = bytes.ToArray();
        if (padding == 0)
        {
            return decoded;
        }
        var trimmed = new byte[decoded.Length - padding];
        System.Array.Copy(decoded, trimmed, trimmed.Length);
        return trimmed;
    }

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        '/' => 63,
        _ => -1,
    };

    private static string At(int line, int column, string what)
        => string.Format(CultureInfo.InvariantCulture, "line {0}, column {1} has {2}", line, column, what);

    private static string Describe(char c)
        => c == '\0'
            ? "a NUL character, as a binary file has (the safetensors file itself?) rather than its base64 text"
            : c < 0x20 || c > 0x7E ? string.Format(CultureInfo.InvariantCulture, "the character U+{0:X4}", (int)c) : "'" + c + "'";
}
