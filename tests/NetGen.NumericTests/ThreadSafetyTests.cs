using System;
using System.Numerics;
using System.Threading;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// API.md: inference is thread-safe. Many threads calling Forward and Predict at once on one instance
/// must get, bit for bit, what the same calls gave one at a time; shared scratch space would not.
/// </summary>
public class ThreadSafetyTests
{
    private const int Threads = 8;
    private const int Samples = 64;
    private const int Batch = 17;
    private const int Rounds = 25;

    [Theory]
    [InlineData("IrisNet")]
    [InlineData("FloatWide")]
    [InlineData("DWide")]
    [InlineData("DDeeper")]
    [InlineData("logits")]
    public void Concurrent_inference_gives_the_sequential_answers(string name)
    {
        switch (Catalog.Get(name).Create())
        {
            case Subject<float> f: Check(f); break;
            case Subject<double> d: Check(d); break;
            default: throw new System.InvalidOperationException($"{name} is neither a float nor a double network.");
        }
    }

    private static void Check<T>(Subject<T> s) where T : unmanaged
    {
        var net = s.Net;
        int inSize = net.InputSize, outSize = net.OutputSize;
        var inputs = Numbers.To<T>(Numbers.Uniform(new Random(23), Samples * inSize, 3.0));

        // The sequential answers: per sample, and in batches of 17 starting at each thread's offset.
        var single = new T[Samples * outSize];
        var predicted = new int[Samples];
        for (int i = 0; i < Samples; i++)
        {
            net.Forward(inputs.AsSpan(i * inSize, inSize), single.AsSpan(i * outSize, outSize));
            predicted[i] = s.Predict?.Invoke(inputs.AsSpan(i * inSize, inSize)) ?? -1;
        }
        var batched = new T[Threads][];
        for (int t = 0; t < Threads; t++)
        {
            batched[t] = new T[Batch * outSize];
            net.Forward(inputs.AsSpan(t * 5 * inSize, Batch * inSize), batched[t], Batch);
        }

        var failures = new string?[Threads];
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int id = t;
            threads[t] = new Thread(() =>
            {
                var output = new T[outSize];
                var outputs = new T[Batch * outSize];
                start.SignalAndWait();
                for (int round = 0; round < Rounds && failures[id] is null; round++)
                {
                    for (int k = 0; k < Samples; k++)
                    {
                        // Each thread walks the samples from a different starting point.
                        int i = (k + id * 7) % Samples;
                        var input = inputs.AsSpan(i * inSize, inSize);
                        net.Forward(input, output);
                        if (!Numbers.SameBits<T>(output, single.AsSpan(i * outSize, outSize)))
                        {
                            failures[id] = $"thread {id}: Forward of sample {i} differed from the sequential answer";
                        }
                        int p = s.Predict?.Invoke(input) ?? -1;
                        if (p != predicted[i])
                        {
                            failures[id] = $"thread {id}: Predict of sample {i} gave {p}, sequentially {predicted[i]}";
                        }
                    }
                    net.Forward(inputs.AsSpan(id * 5 * inSize, Batch * inSize), outputs, Batch);
                    if (!Numbers.SameBits<T>(outputs, batched[id]))
                    {
                        failures[id] = $"thread {id}: batched Forward differed from the sequential answer";
                    }
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
        Assert.All(failures, f => Assert.True(f is null, $"{s.Spec}: {f}"));
    }
}
