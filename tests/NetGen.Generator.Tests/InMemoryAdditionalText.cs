using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests;

/// <summary>
/// An AdditionalFiles item held in memory, as the compiler hands one to generators: a path and its text.
/// A null text is what the compiler gives for a file it could not read as text (a binary file, CS2015, or
/// a missing one, CS2001). It counts the reads, so that tests can tell that a step did not read it again.
/// </summary>
internal sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText? _text;
    private int _reads;

    public InMemoryAdditionalText(string path, string? text)
    {
        Path = path;
        _text = text is null ? null : SourceText.From(text);
    }

    public override string Path { get; }

    /// <summary>How many times the generator asked for the text.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public override SourceText? GetText(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return _text;
    }
}
