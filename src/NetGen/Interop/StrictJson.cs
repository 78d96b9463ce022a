using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Interop;

/// <summary>A parsed JSON value, with where it started in the text (for messages).</summary>
internal abstract class JsonNode
{
    protected JsonNode(int position) => Position = position;

    /// <summary>The character index in the text where the value starts.</summary>
    public int Position { get; }

    /// <summary>What the value is, for messages: "an object", "the string \"F32\"", ...</summary>
    public abstract string Describe();
}

/// <summary>A JSON object. Members stay in text order and duplicates are kept, so that the reader of the
/// tree can refuse them with a message that says what the duplicated key means.</summary>
internal sealed class JsonObject : JsonNode
{
    public JsonObject(int position, List<KeyValuePair<string, JsonNode>> members) : base(position) => Members = members;

    public List<KeyValuePair<string, JsonNode>> Members { get; }

    public override string Describe() => "an object";
}

internal sealed class JsonArray : JsonNode
{
    public JsonArray(int position, List<JsonNode> items) : base(position) => Items = items;

    public List<JsonNode> Items { get; }

    public override string Describe() => "an array";
}

internal sealed class JsonString : JsonNode
{
    public JsonString(int position, string value) : base(position) => Value = value;

    public string Value { get; }

    public override string Describe() => $"the string {StrictJson.Quote(Value)}";
}

/// <summary>A number, kept as its text: the reader decides what it may be (here, only non-negative integers).</summary>
internal sealed class JsonNumber : JsonNode
{
    public JsonNumber(int position, string text) : base(position) => Text = text;

    public string Text { get; }

    /// <summary>The value if the text is a plain non-negative integer (no sign, fraction or exponent) that fits a long.</summary>
    public bool TryGetNonNegativeInteger(out long value)
    {
        value = 0;
        foreach (char c in Text)
        {
            if (c < '0' || c > '9') return false;
        }

        return long.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public override string Describe() => $"the number {Text}";
}

/// <summary>true, false or null.</summary>
internal sealed class JsonLiteral : JsonNode
{
    public JsonLiteral(int position, string text) : base(position) => Text = text;

    public string Text { get; }

    public override string Describe() => Text;
}

/// <summary>
/// A small strict JSON reader (RFC 8259) for file headers, so that the library needs no JSON package:
/// netstandard2.1, which Unity uses, has no System.Text.Json. It accepts exactly the JSON grammar (no
/// comments, trailing commas, single quotes, NaN, or unescaped control characters), checks that
/// <c>\u</c> escapes pair their surrogates, and limits nesting so that hostile input cannot exhaust the
/// stack. Every failure is a <see cref="FormatException"/> saying what was wrong and where.
/// </summary>
internal sealed class StrictJson
{
    /// <summary>Deeper than any header needs (safetensors uses three levels), shallow enough for any stack.</summary>
    private const int MaximumDepth = 32;

    private readonly string _text;
    private int _position;

    private StrictJson(string text) => _text = text;

    /// <summary>Parses <paramref name="text"/>, which must hold exactly one JSON value with optional whitespace around it.</summary>
    /// <exception cref="FormatException">The text is not JSON.</exception>
    public static JsonNode Parse(string text)
    {
        var reader = new StrictJson(text);
        reader.SkipWhitespace();
        JsonNode value = reader.ReadValue(depth: 1);
        reader.SkipWhitespace();
        if (reader._position != text.Length) throw reader.Error($"unexpected {reader.Found()} after the end of the JSON value");
        return value;
    }

    /// <summary>A JSON string literal for <paramref name="value"/>, escaping what JSON requires.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendQuoted(builder, value);
        return builder.ToString();
    }

    /// <summary>Appends <paramref name="value"/> as a JSON string literal.</summary>
    public static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }

    private JsonNode ReadValue(int depth)
    {
        if (depth > MaximumDepth) throw Error($"the JSON nests deeper than {MaximumDepth} levels");
        if (_position >= _text.Length) throw Error("the JSON ends where a value should start");
        char c = _text[_position];
        switch (c)
        {
            case '{': return ReadObject(depth);
            case '[': return ReadArray(depth);
            case '"': return new JsonString(_position, ReadString());
            case 't': return ReadLiteral("true");
            case 'f': return ReadLiteral("false");
            case 'n': return ReadLiteral("null");
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                throw Error($"unexpected {Found()} where a value should start");
        }
    }

    private JsonObject ReadObject(int depth)
    {
        int start = _position;
        _position++; // '{'
        var members = new List<KeyValuePair<string, JsonNode>>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return new JsonObject(start, members);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"') throw Error($"expected a key (a string) in the object, found {Found()}");
            string key = ReadString();
            SkipWhitespace();
            Expect(':', "after the key " + Quote(key));
            SkipWhitespace();
            members.Add(new KeyValuePair<string, JsonNode>(key, ReadValue(depth + 1)));
            SkipWhitespace();
            char next = Peek();
            _position++;
            if (next == '}') return new JsonObject(start, members);
            if (next != ',')
            {
                _position--;
                throw Error($"expected ',' or '}}' after the value of {Quote(key)}, found {Found()}");
            }
        }
    }

    private JsonArray ReadArray(int depth)
    {
        int start = _position;
        _position++; // '['
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return new JsonArray(start, items);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ReadValue(depth + 1));
            SkipWhitespace();
            char next = Peek();
            _position++;
            if (next == ']') return new JsonArray(start, items);
            if (next != ',')
            {
                _position--;
                throw Error($"expected ',' or ']' in the array, found {Found()}");
            }
        }
    }

    private string ReadString()
    {
        int start = _position;
        _position++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                _position = start;
                throw Error("a string is never closed");
            }

            char c = _text[_position++];
            if (c == '"') return builder.ToString();
            if (c < 0x20)
            {
                _position--;
                throw Error($"a string holds the control character U+{(int)c:X4}, which JSON allows only escaped");
            }

            if (char.IsSurrogate(c))
            {
                // The text came from strict UTF-8 decoding, so surrogates arrive paired; kept as they are.
                builder.Append(c);
                continue;
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_position >= _text.Length) throw Error("a string ends inside an escape");
            char escape = _text[_position++];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    char unit = ReadHexUnit();
                    if (char.IsHighSurrogate(unit))
                    {
                        if (_position + 1 >= _text.Length || _text[_position] != '\\' || _text[_position + 1] != 'u')
                        {
                            throw Error("a \\u escape holds a high surrogate that no low surrogate follows");
                        }

                        _position += 2;
                        char low = ReadHexUnit();
                        if (!char.IsLowSurrogate(low)) throw Error("a \\u escape holds a high surrogate followed by something other than a low surrogate");
                        builder.Append(unit).Append(low);
                    }
                    else if (char.IsLowSurrogate(unit))
                    {
                        throw Error("a \\u escape holds a low surrogate with no high surrogate before it");
                    }
                    else
                    {
                        builder.Append(unit);
                    }

                    break;
                default:
                    _position--;
                    throw Error($"'\\{escape}' is not a JSON escape");
            }
        }
    }

    private char ReadHexUnit()
    {
        if (_position + 4 > _text.Length) throw Error("a \\u escape is cut short");
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            char h = _text[_position + i];
            int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (digit < 0)
            {
                _position += i;
                throw Error("a \\u escape needs four hexadecimal digits");
            }

            value = value * 16 + digit;
        }

        _position += 4;
        return (char)value;
    }

    /// <summary>A number in JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private JsonNumber ReadNumber()
    {
        int start = _position;
        if (Peek() == '-') _position++;
        if (Peek() == '0')
        {
            _position++;
            if (IsDigit(Peek())) throw Error("a number has a leading zero");
        }
        else if (IsDigit(Peek()))
        {
            while (IsDigit(Peek())) _position++;
        }
        else
        {
            throw Error("a '-' is not followed by a digit");
        }

        if (Peek() == '.')
        {
            _position++;
            if (!IsDigit(Peek())) throw Error("a number's decimal point is not followed by a digit");
            while (IsDigit(Peek())) _position++;
        }

        if (Peek() == 'e' || Peek() == 'E')
        {
            _position++;
            if (Peek() == '+' || Peek() == '-') _position++;
            if (!IsDigit(Peek())) throw Error("a number's exponent has no digits");
            while (IsDigit(Peek())) _position++;
        }

        return new JsonNumber(start, _text.Substring(start, _position - start));
    }

    private JsonLiteral ReadLiteral(string literal)
    {
        int start = _position;
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0) throw Error($"unexpected {Found()} where a value should start");
        _position += literal.Length;
        return new JsonLiteral(start, literal);
    }

    private void Expect(char expected, string where)
    {
        if (Peek() != expected) throw Error($"expected '{expected}' {where}, found {Found()}");
        _position++;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            _position++;
        }
    }

    /// <summary>The character at the position, or '\0' at the end (which no valid token starts with).</summary>
    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private string Found()
    {
        if (_position >= _text.Length) return "the end of the text";
        char c = _text[_position];
        return c < 0x20 || c > 0x7E ? $"U+{(int)c:X4}" : $"'{c}'";
    }

    private FormatException Error(string message)
        => new(string.Format(CultureInfo.InvariantCulture, "{0} (at character {1})", message, _position + 1));
}
