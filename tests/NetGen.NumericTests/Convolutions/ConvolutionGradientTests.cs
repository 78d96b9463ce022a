using System;
using System.Linq;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests.Convolutions;

/// <summary>
/// The convolutional networks' gradients against central finite differences in double: the loss's
/// parameter gradients, and the parameter and input gradients of sum(dy * outputs), for a batch of 17
/// (feature-major wherever vectors are accelerated) and of 1 (sample-major).
/// </summary>
public class ConvolutionGradientTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void ClassifierLossGradientsMatchFiniteDifferences(int batch)
    {
        var net = new DCnn2D();
        var random = new Random(batch);
        GradientCheck.OfLoss(net, Numbers.Uniform(random, batch * DCnn2D.InputSize), Numbers.Labels(random, batch, DCnn2D.OutputSize), seed: batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void RegressorLossGradientsMatchFiniteDifferences(int batch)
    {
        var net = new DCnn1D();
        var random = new Random(batch + 100);
        GradientCheck.OfRegressionLoss(net, Numbers.Uniform(random, batch * DCnn1D.InputSize), Numbers.Uniform(random, batch * DCnn1D.OutputSize), seed: batch);
    }

    [Theory]
    [InlineData("DCnn2D", 1)]
    [InlineData("DCnn2D", 17)]
    [InlineData("DCnn1D", 1)]
    [InlineData("DCnn1D", 17)]
    [InlineData("KeywordSpotting", 3)]
    public void InputAndParameterGradientsMatchFiniteDifferences(string name, int batch)
    {
        INetwork<double> net = name switch
        {
            "DCnn2D" => new DCnn2D(),
            "DCnn1D" => new DCnn1D(),
            "KeywordSpotting" => new KeywordSpotting(),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such network."),
        };
        var random = new Random(batch + 200);
        double[] inputs = Numbers.Uniform(random, batch * net.InputSize);
        double[] outputGradients = Numbers.Uniform(random, batch * net.OutputSize);
        GradientCheck.OfOutputGradients(net, inputs, outputGradients, seed: batch);
        GradientCheck.OfInputGradients(net, inputs, outputGradients, seed: batch);
    }

    [Fact]
    public void AParameterFreeLayerBelowTheFirstConvolutionStillPassesTheInputGradient()
    {
        // The KeywordSpotting network's first layer has parameters; a batch of one runs sample-major, the
        // input gradient then comes from that convolution's W^T delta alone.
        var net = new KeywordSpotting();
        var random = new Random(7);
        double[] inputs = Numbers.Uniform(random, KeywordSpotting.InputSize);
        double[] outputGradients = Numbers.Uniform(random, KeywordSpotting.OutputSize);
        var inputGradients = new double[inputs.Length];
        net.Backward(inputs, outputGradients, inputGradients);
        Assert.Contains(inputGradients, g => g != 0);
        Assert.All(inputGradients, g => Assert.True(Numbers.IsFinite(g)));
    }

    [Fact]
    public void NewInstancesStartFromPyTorchsInitialisationBounds()
    {
        // Conv2D(3, 6, 3): fan-in 27; its weight and bias lie in (-1/sqrt(27), 1/sqrt(27)), as nn.Conv2d's.
        var net = new DCnn2D();
        double bound = 1 / Math.Sqrt(27);
        double[] first = net.Parameters.Take(6 * 27 + 6).ToArray();
        Assert.All(first, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(first.Max(Math.Abs) > 0.8 * bound);
        // The depthwise Conv2D(6, 6, 3, Groups = 6): fan-in 9.
        double[] depthwise = net.Parameters.Skip(6 * 27 + 6).Take(6 * 9 + 6).ToArray();
        Assert.All(depthwise, v => Assert.InRange(Math.Abs(v), 0, 1 / 3.0));
        Assert.True(depthwise.Max(Math.Abs) > 0.25);
    }
}
