using System;
using System.IO;
using System.Linq;
using System.Numerics;
using NetGen.Benchmarks.HandWritten;
using NetGen.Benchmarks.Onnx;
using NetGen.Benchmarks.Reporting;
using NetGen.Benchmarks.Roofline;

namespace NetGen.Benchmarks;

/// <summary>
/// Checks that what the benchmarks time computes the right thing: a fast baseline that is wrong would
/// make every ratio a lie. Run with <c>--selfcheck</c>; ends with "N passed, N failed".
/// </summary>
public sealed partial class SelfCheck(TextWriter log)
{
    private int _passed;
    private int _failed;

    /// <summary>Runs every check; true when all passed.</summary>
    public bool Run()
    {
        foreach (NetworkShape shape in NetworkShape.All)
        {
            CheckHandWrittenForward(shape);
            CheckHandWrittenTrainStepLowersLoss(shape);
            CheckOnnxOutputs(shape);
            CheckNetGenAgainstHandWritten(shape);
        }

        CheckConvolutionNetworks();

        // Finite differences cost two losses per parameter: every parameter of iris, a spread of digits'
        // (two hidden layers, so the chain through ReLU is exercised too).
        CheckHandWrittenGradient(NetworkShape.Named("iris"), parameterStride: 1);
        CheckHandWrittenGradient(NetworkShape.Named("digits"), parameterStride: 97);

        log.WriteLine($"Vector<float>: {Vector<float>.Count} lanes, hardware FMA: {FmaPeakKernel.HasHardwareFma}; rough in-process roofline: " +
                      $"Vector<float> {RooflineReference.MeasureInProcess(vector512: false):0.0} GFLOP/s, " +
                      $"Vector512 {RooflineReference.MeasureInProcess(vector512: true):0.0} GFLOP/s");
        log.WriteLine($"{_passed} passed, {_failed} failed");
        return _failed == 0;
    }

    /// <summary>NetGen's generated networks against the hand-written one; see NetGenCases.cs.</summary>
    partial void CheckNetGenAgainstHandWritten(NetworkShape shape);

    private void CheckHandWrittenForward(NetworkShape shape)
    {
        const int batchSize = 8;
        var mlp = new HandWrittenNetwork(shape, batchSize);
        mlp.LoadParameters(SampleData.Parameters(shape));
        float[] inputs = SampleData.Inputs(shape, batchSize);
        int[] labels = SampleData.Labels(shape, batchSize);

        var batchOutputs = new float[batchSize * shape.OutputSize];
        mlp.Forward(inputs, batchOutputs, batchSize);
        var sampleOutput = new float[shape.OutputSize];
        double worstBatchMismatch = 0, worstRowSum = 0, crossEntropy = 0;
        for (int b = 0; b < batchSize; b++)
        {
            mlp.Forward(inputs.AsSpan(b * shape.InputSize, shape.InputSize), sampleOutput, 1);
            ReadOnlySpan<float> row = batchOutputs.AsSpan(b * shape.OutputSize, shape.OutputSize);
            worstBatchMismatch = Math.Max(worstBatchMismatch, MaxAbsDifference(row, sampleOutput));
            worstRowSum = Math.Max(worstRowSum, Math.Abs(Sum(row) - 1));
            crossEntropy -= Math.Log(row[labels[b]]);
        }

        crossEntropy /= batchSize;
        Expect(worstBatchMismatch == 0, $"hand-written {shape}: batch forward equals per-sample forward (max diff {worstBatchMismatch:g3})");
        Expect(worstRowSum < 1e-5, $"hand-written {shape}: softmax rows sum to 1 (worst |sum-1| {worstRowSum:g3})");
        float loss = mlp.Loss(inputs, labels);
        Expect(Math.Abs(loss - crossEntropy) < 1e-4 * Math.Max(1, crossEntropy),
            $"hand-written {shape}: Loss {loss:g6} equals -mean log p[label] {crossEntropy:g6}");
    }

    private void CheckHandWrittenGradient(NetworkShape shape, int parameterStride)
    {
        const int batchSize = 5;
        const float step = 1e-3f;
        var mlp = new HandWrittenNetwork(shape, batchSize);
        float[] parameters = SampleData.Parameters(shape);
        float[] inputs = SampleData.Inputs(shape, batchSize);
        int[] labels = SampleData.Labels(shape, batchSize);
        mlp.LoadParameters(parameters);
        mlp.Backward(inputs, labels);
        float[] analytic = mlp.GetGradients();

        int checkedCount = 0, badCount = 0;
        double worstError = 0;
        for (int p = 0; p < parameters.Length; p += parameterStride)
        {
            // Central difference in float: truncation error ~ step^2, rounding ~ 1e-7 * loss / step,
            // hence the tolerance of a few 1e-3: a real bug (a missing 1/N, a transposed product, a wrong
            // ReLU mask) is off by the size of the gradient itself.
            float original = parameters[p];
            parameters[p] = original + step;
            mlp.LoadParameters(parameters);
            float lossUp = mlp.Loss(inputs, labels);
            parameters[p] = original - step;
            mlp.LoadParameters(parameters);
            float lossDown = mlp.Loss(inputs, labels);
            parameters[p] = original;

            double numeric = (lossUp - (double)lossDown) / (2 * step);
            double error = Math.Abs(numeric - analytic[p]);
            worstError = Math.Max(worstError, error);
            checkedCount++;
            if (error > 2e-3 + 2e-2 * Math.Abs(numeric))
            {
                badCount++;
            }
        }

        Expect(badCount == 0,
            $"hand-written {shape}: gradient matches central finite differences on {checkedCount} parameters " +
            $"({badCount} off, worst |error| {worstError:g3}, largest |gradient| {analytic.Max(Math.Abs):g3})");
    }

    private void CheckHandWrittenTrainStepLowersLoss(NetworkShape shape)
    {
        const int batchSize = 16;
        var mlp = new HandWrittenNetwork(shape, batchSize);
        mlp.LoadParameters(SampleData.Parameters(shape));
        float[] inputs = SampleData.Inputs(shape, batchSize);
        int[] labels = SampleData.Labels(shape, batchSize);
        float before = mlp.Loss(inputs, labels);
        for (int step = 0; step < 20; step++)
        {
            mlp.TrainStep(inputs, labels, 0.05f);
        }

        float after = mlp.Loss(inputs, labels);
        Expect(after < before, $"hand-written {shape}: 20 SGD steps lower the loss ({before:g4} -> {after:g4})");
    }

    private void CheckOnnxOutputs(NetworkShape shape)
    {
        const int batchSize = 4;
        float[] inputs = SampleData.Inputs(shape, batchSize);
        var handWritten = new HandWrittenNetwork(shape, batchSize);
        handWritten.LoadParameters(SampleData.Parameters(shape));
        var expected = new float[batchSize * shape.OutputSize];
        handWritten.Forward(inputs, expected, batchSize);

        using var single = new OnnxModelRunner(shape.OnnxModelPath, shape.InputSize, shape.OutputSize, 1);
        using var batch = new OnnxModelRunner(shape.OnnxModelPath, shape.InputSize, shape.OutputSize, batchSize);
        inputs.CopyTo(batch.Input, 0);
        batch.Run();
        double worstSingleMismatch = 0;
        for (int b = 0; b < batchSize; b++)
        {
            inputs.AsSpan(b * shape.InputSize, shape.InputSize).CopyTo(single.Input);
            single.Run();
            worstSingleMismatch = Math.Max(worstSingleMismatch,
                MaxAbsDifference(batch.Output.AsSpan(b * shape.OutputSize, shape.OutputSize), single.Output));
        }

        // Same weights (read from the model), same inputs: only summation order may differ.
        double worstMismatch = MaxAbsDifference(batch.Output, expected);
        Expect(worstMismatch < 1e-5, $"ONNX {shape}: probabilities equal the hand-written network's (max diff {worstMismatch:g3})");
        Expect(worstSingleMismatch < 1e-5, $"ONNX {shape}: batch rows equal single-sample runs (max diff {worstSingleMismatch:g3})");
    }

    private void Expect(bool condition, string what)
    {
        if (condition)
        {
            _passed++;
        }
        else
        {
            _failed++;
        }

        log.WriteLine((condition ? "pass  " : "FAIL  ") + what);
    }

    private static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        return sum;
    }

    private static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        return worst;
    }
}
