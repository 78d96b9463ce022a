// .NET Framework and Mono have no per-thread allocation counter (GC.GetAllocatedBytesForCurrentThread),
// so the allocation contract is checked on modern .NET only.
#if NET
using System;
using System.Numerics;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// API.md: inference never allocates; training allocates nothing once it has seen a batch at least as
/// large. Measured with GC.GetAllocatedBytesForCurrentThread around each call, after one warm-up call
/// of each method with the largest batch (which also gets the JIT and static constructors out of the way).
/// </summary>
public class AllocationTests
{
    private const int LargestBatch = 17;

    [Theory]
    [InlineData("IrisNet")]
    [InlineData("FloatWide")]
    [InlineData("deep")]
    [InlineData("logits")]
    [InlineData("DWide")]
    [InlineData("DWideUnrolled")]
    [InlineData("DDeeper")]
    [InlineData("DSoftmaxMiddle")]
    [InlineData("FloatActorCritic")]
    [InlineData("DSmoothDeep")]
    [InlineData("DSmoothClassifier")]
    public void Steady_state_calls_allocate_nothing(string name)
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
        var classifier = s.Classifier;
        var regressor = s.Regressor;
        var random = new Random(17);
        var inputs = Numbers.To<T>(Numbers.Uniform(random, LargestBatch * net.InputSize));
        var outputs = new T[LargestBatch * net.OutputSize];
        var outputGradients = Numbers.To<T>(Numbers.Uniform(random, LargestBatch * net.OutputSize));
        var labels = Numbers.Labels(random, LargestBatch, net.OutputSize);
        var targets = Numbers.To<T>(Numbers.Uniform(random, LargestBatch * net.OutputSize));
        var inputGradients = new T[LargestBatch * net.InputSize];
        T learningRate = Numbers.From<T>(1e-3);
        int inSize = net.InputSize, outSize = net.OutputSize;

        // Warm-up: each method once, with the largest batch.
        net.Forward(inputs.AsSpan(0, inSize), outputs.AsSpan(0, outSize));
        net.Forward(inputs, outputs, LargestBatch);
        s.Predict?.Invoke(inputs.AsSpan(0, inSize));
        net.Backward(inputs, outputGradients);
        net.Backward(inputs, outputGradients, inputGradients);
        if (regressor is not null)
        {
            regressor.Loss(inputs, targets);
            regressor.BackwardFromTargets(inputs, targets);
            regressor.TrainStep(inputs, targets, learningRate);
        }
        if (classifier is not null)
        {
            classifier.Loss(inputs, labels);
            classifier.Backward(inputs, labels);
            classifier.TrainStep(inputs, labels, learningRate);
        }

        foreach (int batch in new[] { LargestBatch, 1, 3, 16 })
        {
            var x = inputs.AsSpan(0, batch * inSize);
            var y = outputs.AsSpan(0, batch * outSize);
            var og = outputGradients.AsSpan(0, batch * outSize);
            var t = labels.AsSpan(0, batch);
            string at = $"{s.Spec} at batch {batch}";

            long before = GC.GetAllocatedBytesForCurrentThread();
            net.Forward(x.Slice(0, inSize), y.Slice(0, outSize));
            AssertNone(before, "Forward(input, output)", at);

            before = GC.GetAllocatedBytesForCurrentThread();
            net.Forward(x, y, batch);
            AssertNone(before, "Forward(inputs, outputs, batchSize)", at);

            if (s.Predict is { } predict)
            {
                before = GC.GetAllocatedBytesForCurrentThread();
                predict(x.Slice(0, inSize));
                AssertNone(before, "Predict", at);
            }

            before = GC.GetAllocatedBytesForCurrentThread();
            net.Backward(x, og);
            AssertNone(before, "Backward(inputs, outputGradients)", at);

            before = GC.GetAllocatedBytesForCurrentThread();
            net.Backward(x, og, inputGradients.AsSpan(0, batch * inSize));
            AssertNone(before, "Backward(inputs, outputGradients, inputGradients)", at);

            if (regressor is not null)
            {
                var tt = targets.AsSpan(0, batch * outSize);
                before = GC.GetAllocatedBytesForCurrentThread();
                regressor.Loss(x, tt);
                AssertNone(before, "Loss(inputs, targets)", at);

                before = GC.GetAllocatedBytesForCurrentThread();
                regressor.BackwardFromTargets(x, tt);
                AssertNone(before, "BackwardFromTargets", at);

                before = GC.GetAllocatedBytesForCurrentThread();
                regressor.TrainStep(x, tt, learningRate);
                AssertNone(before, "TrainStep(inputs, targets, learningRate)", at);
            }

            if (classifier is not null)
            {
                before = GC.GetAllocatedBytesForCurrentThread();
                classifier.Loss(x, t);
                AssertNone(before, "Loss", at);

                before = GC.GetAllocatedBytesForCurrentThread();
                classifier.Backward(x, t);
                AssertNone(before, "Backward(inputs, labels)", at);

                before = GC.GetAllocatedBytesForCurrentThread();
                classifier.TrainStep(x, t, learningRate);
                AssertNone(before, "TrainStep", at);
            }
        }
    }

    private static void AssertNone(long before, string call, string at)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{call} allocated {allocated} bytes ({at}).");
    }
}
#endif
