using System;

namespace NetGen;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once, on the thread that reports. The
/// <see cref="Trainer{T}"/> reports on the training thread, so every report has arrived when <c>Fit</c> returns,
/// in order. <see cref="Progress{T}"/> does not do that in a console program, a test or a game loop: without a
/// synchronization context it posts each report to the thread pool, where it may run late, out of order,
/// or after <c>Fit</c> has returned.
/// </summary>
/// <typeparam name="T">What is reported, e.g. <see cref="TrainingProgress"/>, or <see cref="EpochProgress"/> for both kinds.</typeparam>
/// <example><code>
/// trainer.Fit(features, labels, new InlineProgress&lt;TrainingProgress&gt;(p => Console.WriteLine($"{p.Epoch}: {p.Loss}")));
/// </code></example>
public sealed class InlineProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    /// <summary>Creates a progress that passes each report to <paramref name="handler"/>.</summary>
    /// <param name="handler">Called with each report, on the reporting thread, before <see cref="Report"/> returns.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public InlineProgress(Action<T> handler) => _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Calls the handler with <paramref name="value"/>, now, on this thread.</summary>
    public void Report(T value) => _handler(value);
}
