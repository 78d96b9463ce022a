using System;
using System.Linq;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// An optimizer updates the network it was built for and no other: it says which, refuses to step once
/// that network hands out other arrays, and a trainer refuses an optimizer built for another network
/// (which used to "complete" while training nothing).
/// </summary>
public class OptimizerBindingTests
{
    private static IOptimizer<T>[] BothOptimizers<T>(INetwork<T> network) where T : unmanaged
        => new IOptimizer<T>[] { new SgdOptimizer<T>(network, 0.1, momentum: 0.9), new AdamOptimizer<T>(network, 0.1) };

    [Fact]
    public void Optimizers_expose_the_network_they_were_built_for()
    {
        var network = new SoftmaxRegression<float>(2, 3);
        Assert.All(BothOptimizers(network), optimizer => Assert.Same(network, optimizer.Network));
    }

    [Fact]
    public void A_trainer_refuses_an_optimizer_built_for_another_network()
    {
        var trained = new SoftmaxRegression<float>(2, 3, seed: 1);
        var other = new SoftmaxRegression<float>(2, 3, seed: 2);
        foreach (IOptimizer<float> optimizer in BothOptimizers<float>(other))
        {
            var refused = Assert.Throws<ArgumentException>(() => new ClassifierTrainer<float>(trained, optimizer));
            Assert.Equal("optimizer", refused.ParamName);
            Assert.Contains("built for another network", refused.Message);
        }
    }

    [Fact]
    public void A_trainer_refuses_an_optimizer_that_does_not_say_which_network_it_updates()
    {
        var network = new SoftmaxRegression<float>(2, 3);
        var refused = Assert.Throws<ArgumentException>(() => new ClassifierTrainer<float>(network, new NetworklessOptimizer()));
        Assert.Equal("optimizer", refused.ParamName);
        Assert.Contains("Network is null", refused.Message);
    }

    /// <summary>A user's optimizer that does not (yet) report its network.</summary>
    private sealed class NetworklessOptimizer : IOptimizer<float>
    {
        public INetwork<float> Network => null!;
        public double LearningRate { get; set; }
        public long StepCount => 0;
        public bool Step() => true;
        public void Reset() { }
    }

    [Fact]
    public void A_trainer_accepts_an_optimizer_built_for_the_network_inside_a_wrapper()
    {
        // The wrapper hands out its inner network's arrays, which is what the optimizer updates: training
        // the wrapper with the inner network's optimizer does train it.
        var (features, labels) = Blobs.Create<double>(perClass: 10, seed: 1);
        var inner = new SoftmaxRegression<double>(2, 3);
        var wrapper = new RecordingClassifier<double>(inner);
        double[] before = (double[])inner.Parameters.Clone();
        var optimizer = new SgdOptimizer<double>(inner, 0.1);

        TrainingResult result = new ClassifierTrainer<double>(wrapper, optimizer, new TrainerOptions { Epochs = 2, BatchSize = 10 }).Fit(features, labels);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(6, wrapper.Batches.Count);
        Assert.Equal(6, optimizer.StepCount);
        Assert.NotEqual(before, inner.Parameters);
        Assert.True(result.History[^1].Loss < result.History[0].Loss);
    }

    [Fact]
    public void Optimizers_refuse_to_step_once_the_network_hands_out_other_parameters_or_gradients()
    {
        foreach (bool replaceParameters in new[] { true, false })
        {
            var network = new ArrayReplacingNetwork<double>(new SoftmaxRegression<double>(2, 3));
            foreach (IOptimizer<double> optimizer in BothOptimizers<double>(network))
            {
                network.Gradients.AsSpan().Fill(0.5);
                Assert.True(optimizer.Step());
                double[] ownParameters = (double[])network.Parameters.Clone();
                double[] replacement = Enumerable.Repeat(0.25, network.ParameterCount).ToArray();
                if (replaceParameters) network.ReplacementParameters = replacement;
                else network.ReplacementGradients = replacement;

                var refused = Assert.Throws<InvalidOperationException>(() => optimizer.Step());
                Assert.Contains(replaceParameters ? "Parameters is no longer the array" : "Gradients is no longer the array", refused.Message);
                // Nothing moved: neither the arrays it was built with, nor the replacement, nor its step count.
                Assert.Equal(1, optimizer.StepCount);
                Assert.Equal(Enumerable.Repeat(0.25, network.ParameterCount), replacement);
                network.ReplacementParameters = network.ReplacementGradients = null;
                Assert.Equal(ownParameters, network.Parameters);

                // Given its own arrays back, it steps again.
                Assert.True(optimizer.Step());
                Assert.Equal(2, optimizer.StepCount);
            }
        }
    }
}
