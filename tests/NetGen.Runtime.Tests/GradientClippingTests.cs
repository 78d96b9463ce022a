using System;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Gradient clipping by global norm against PyTorch's clip_grad_norm_, and as the optimizers' and the
/// trainer's option: it clips before the update, leaves small gradients alone, refuses bad maxima, and
/// never touches parameters when a gradient is not finite.
/// </summary>
public class GradientClippingTests
{
    [Fact]
    public void Clipping_matches_pytorchs_clip_grad_norm()
    {
        // torch.nn.utils.clip_grad_norm_([p], 2.5) with p.grad = [3, 4, 12] (torch 1.13): norm 13, float64 grads below.
        double[] gradients = { 3, 4, 12 };
        Assert.Equal(13.0, GradientClipping.ClipByGlobalNorm<double>(gradients, 2.5));
        Assert.Equal(new[] { 0.5769230325443822, 0.7692307100591762, 2.3076921301775286 }, gradients);

        float[] singles = { 3, 4, 12 };
        Assert.Equal(13.0, GradientClipping.ClipByGlobalNorm<float>(singles, 2.5));
        float[] torch = { 0.5769230127334595f, 0.7692307233810425f, 2.307692050933838f };
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(singles[i] - torch[i]) <= 2.5e-7f * Math.Abs(torch[i]), $"[{i}] {singles[i]:R} against PyTorch's {torch[i]:R}");
        }
    }

    [Fact]
    public void Gradients_within_the_norm_stay_as_they_are_and_non_finite_ones_are_not_scaled()
    {
        double[] small = { 0.3, -0.4 };
        Assert.Equal(0.5, GradientClipping.ClipByGlobalNorm<double>(small, 1.0), 12);
        Assert.Equal(new[] { 0.3, -0.4 }, small);

        double[] broken = { double.NaN, 100 };
        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm<double>(broken, 1.0)));
        Assert.Equal(100, broken[1]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bad_maximum_is_refused_everywhere(double maxNorm)
    {
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm<double>(new double[2], maxNorm)).ParamName);
        var network = new GeneratedSoftmaxRegressionDouble();
        var sgd = new SgdOptimizer<double>(network);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.MaxGradientNorm = maxNorm);
        Assert.Null(sgd.MaxGradientNorm);
        var adam = new AdamOptimizer<double>(network);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.MaxGradientNorm = maxNorm);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainer<double>(network, adam, new TrainerOptions { MaxGradientNorm = maxNorm }));
    }

    [Fact]
    public void The_optimizers_clip_before_they_step()
    {
        double[] inputs = { 3, -2, 1.5, 4 };
        int[] labels = { 0, 2 };
        foreach (bool adam in new[] { false, true })
        {
            var clipped = new GeneratedSoftmaxRegressionDouble();
            var reference = new GeneratedSoftmaxRegressionDouble();
            IOptimizer<double> optimizer;
            IOptimizer<double> manual;
            if (adam)
            {
                optimizer = new AdamOptimizer<double>(clipped, learningRate: 0.1) { MaxGradientNorm = 0.05 };
                manual = new AdamOptimizer<double>(reference, learningRate: 0.1);
            }
            else
            {
                optimizer = new SgdOptimizer<double>(clipped, learningRate: 0.1, momentum: 0.5) { MaxGradientNorm = 0.05 };
                manual = new SgdOptimizer<double>(reference, learningRate: 0.1, momentum: 0.5);
            }

            for (int step = 0; step < 3; step++)
            {
                clipped.Backward(inputs, labels);
                Assert.True(optimizer.Step());
                reference.Backward(inputs, labels);
                double norm = GradientClipping.ClipByGlobalNorm(reference, 0.05);
                Assert.True(norm > 0.05, "the gradients are large enough to be clipped");
                Assert.True(manual.Step());
                Assert.Equal(reference.Parameters, clipped.Parameters);
                Assert.Equal(reference.Gradients, clipped.Gradients);
            }
        }
    }

    [Fact]
    public void A_non_finite_gradient_changes_nothing()
    {
        var network = new GeneratedSoftmaxRegressionDouble();
        var sgd = new SgdOptimizer<double>(network, learningRate: 0.1) { MaxGradientNorm = 1 };
        double[] before = (double[])network.Parameters.Clone();
        network.Gradients[1] = double.PositiveInfinity;
        network.Gradients[2] = 50;
        Assert.False(sgd.Step());
        Assert.Equal(before, network.Parameters);
        Assert.Equal(50, network.Gradients[2]);
    }

    [Fact]
    public void The_trainer_clips_each_batch()
    {
        var random = new Random(4);
        float[] features = Enumerable.Range(0, 64).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();
        int[] labels = Enumerable.Range(0, 32).Select(i => i % 3).ToArray();
        var clipped = new GeneratedSoftmaxRegression();
        var free = new GeneratedSoftmaxRegression();
        var options = new TrainerOptions { Epochs = 1, BatchSize = 32, Shuffle = false };
        new ClassifierTrainer<float>(free, new SgdOptimizer<float>(free, learningRate: 1), options).Fit(features, labels);
        new ClassifierTrainer<float>(clipped, new SgdOptimizer<float>(clipped, learningRate: 1), options with { MaxGradientNorm = 1e-3 }).Fit(features, labels);
        var initial = new GeneratedSoftmaxRegression().Parameters;
        double moved = Math.Sqrt(clipped.Parameters.Select((p, i) => (double)(p - initial[i]) * (p - initial[i])).Sum());
        double movedFreely = Math.Sqrt(free.Parameters.Select((p, i) => (double)(p - initial[i]) * (p - initial[i])).Sum());
        // One step of rate 1 with gradients clipped to norm 1e-3 moves the parameters by at most 1e-3.
        Assert.InRange(moved, 0.5e-3, 1.0001e-3);
        Assert.True(movedFreely > 0.01, $"unclipped, the step is larger ({movedFreely})");
    }
}
