using System;

namespace Digits;

/// <summary>
/// Runs the handler on the reporting thread, at once. <see cref="Progress{T}"/> would post each report
/// to the thread pool in a console program (there is no synchronization context), so reports could
/// arrive out of order, interleave with other output, or arrive after <c>Fit</c> has returned.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
