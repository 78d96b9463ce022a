using System;
using System.Globalization;
using System.Text;

namespace NetGen.Generator.Emission;

/// <summary>
/// Writes C# source with indentation and braces managed for the caller, so that emitters say what to
/// write and never count spaces. Numbers are formatted with the invariant culture.
/// </summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length == 0)
        {
            _text.Append('\n');
            return this;
        }
        _text.Append(' ', _depth * 4).Append(line).Append('\n');
        return this;
    }

    public CodeWriter Lines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned scope is disposed.</summary>
    public Scope Block(string header)
    {
        Line(header);
        return Open();
    }

    /// <summary>Opens a bare brace block.</summary>
    public Scope Open()
    {
        Line("{");
        _depth++;
        return new Scope(this);
    }

    private void Close()
    {
        // No blank line just before a closing brace, however the emitters separated their members.
        while (_text.Length >= 2 && _text[_text.Length - 1] == '\n' && _text[_text.Length - 2] == '\n')
        {
            _text.Length--;
        }
        _depth--;
        Line("}");
    }

    /// <summary>Appends <paramref name="text"/> to the line last written, e.g. the ';' after an initializer's closing brace.</summary>
    public CodeWriter AppendToLastLine(string text)
    {
        _text.Length--; // the last line's '\n'
        _text.Append(text).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Closes a brace block when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly CodeWriter _writer;

        public Scope(CodeWriter writer) => _writer = writer;

        public void Dispose() => _writer.Close();
    }
}
