using System;
using System.Text;
using NetGen.Safetensors;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// The safetensors reader names the first byte of a header that is not UTF-8 from its own scan, since
/// runtimes disagree on DecoderFallbackException.Index (Mono's is short by the bad sequence's length).
/// </summary>
public class Utf8ValidationTests
{
    [Theory]
    [InlineData(new byte[] { }, -1)]
    [InlineData(new byte[] { (byte)'{', (byte)'}' }, -1)]
    [InlineData(new byte[] { 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9D, 0x84, 0x9E }, -1)] // é € 𝄞
    [InlineData(new byte[] { 0xFF }, 0)]
    [InlineData(new byte[] { (byte)'a', 0x80 }, 1)]              // a continuation byte with no lead
    [InlineData(new byte[] { (byte)'a', (byte)'b', 0xC3, (byte)'(' }, 2)] // a lead without its continuation
    [InlineData(new byte[] { 0xC0, 0xAF }, 0)]                    // overlong '/'
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF }, 0)]              // overlong, three bytes
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 0)]              // a UTF-16 surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 0)]        // above U+10FFFF
    [InlineData(new byte[] { (byte)'x', 0xE2, 0x82 }, 1)]         // cut short at the end
    [InlineData(new byte[] { 0xF0, 0x9D, 0x84, (byte)'A' }, 0)]   // a four-byte form broken at its last byte
    public void Finds_the_first_byte_of_the_first_invalid_sequence(byte[] bytes, int expected)
        => Assert.Equal(expected, Utf8Validation.FirstInvalidByte(bytes));

#if NET
    /// <summary>
    /// Against .NET's strict decoder over many random byte strings drawn mostly from UTF-8's own bytes:
    /// valid exactly when it decodes, and at the byte .NET's exception names when not.
    /// </summary>
    [Fact]
    public void Agrees_with_the_strict_decoder_of_dotnet()
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        byte[] alphabet = { 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF };
        var random = new Random(11);
        int invalid = 0;
        for (int trial = 0; trial < 50_000; trial++)
        {
            var bytes = new byte[random.Next(1, 9)];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = random.Next(3) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            int expected = -1;
            try
            {
                strict.GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                expected = e.Index;
                invalid++;
            }
            Assert.True(expected == Utf8Validation.FirstInvalidByte(bytes), $"{BitConverter.ToString(bytes)}: .NET says {expected}, NetGen {Utf8Validation.FirstInvalidByte(bytes)}");
        }
        Assert.InRange(invalid, 1_000, 49_000); // both kinds were drawn often
    }
#endif
}
