using System;

namespace NetGen.Safetensors;

/// <summary>
/// Where a byte string stops being UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF), for the header's error message. Worked out here rather than read from
/// <c>DecoderFallbackException.Index</c>, which runtimes disagree on: Mono reports it short by the length
/// of the bad sequence (-1 for a bad first byte), so the message would name the wrong byte.
/// </summary>
internal static class Utf8Validation
{
    /// <summary>The offset of the first byte of the first invalid sequence, or -1 when all of it is UTF-8.</summary>
    public static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            byte lead = bytes[i];
            if (lead < 0x80)
            {
                i++;
                continue;
            }

            int continuations;
            byte secondLowest = 0x80, secondHighest = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) continuations = 1;
            else if (lead >= 0xE0 && lead <= 0xEF) continuations = 2;
            else if (lead >= 0xF0 && lead <= 0xF4) continuations = 3;
            else return i; // a continuation byte first, an overlong lead (C0, C1), or beyond U+10FFFF (F5-FF)

            // The second byte's range rules out overlong forms (E0, F0), surrogates (ED) and code points
            // above U+10FFFF (F4); the rest must be plain continuation bytes.
            if (lead == 0xE0) secondLowest = 0xA0;
            else if (lead == 0xED) secondHighest = 0x9F;
            else if (lead == 0xF0) secondLowest = 0x90;
            else if (lead == 0xF4) secondHighest = 0x8F;

            if (i + continuations >= bytes.Length) return i;
            if (bytes[i + 1] < secondLowest || bytes[i + 1] > secondHighest) return i;
            for (int k = 2; k <= continuations; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80) return i;
            }

            i += continuations + 1;
        }

        return -1;
    }
}
