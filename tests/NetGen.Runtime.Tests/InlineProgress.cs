using System;

namespace NetGen.Runtime.Tests;

/// <summary>
/// An IProgress that calls its handler on the reporting thread, at once: Progress&lt;T&gt; would post
/// each report to the thread pool, where a test could not count on seeing it before Fit returns.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
