using System;
using System.Linq;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class NetworkArchitectureTests
{
    [Fact]
    public void Reads_layers_widths_offsets_and_sequential_indices()
    {
        var architecture = NetworkArchitecture.Parse("float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss");
        Assert.Equal("float", architecture.ElementType);
        Assert.Equal(new[] { "Linear", "ReLU", "Linear", "Softmax", "CrossEntropyLoss" }, architecture.Layers.Select(l => l.Kind));
        Assert.Equal(4, architecture.InputSize);
        Assert.Equal(3, architecture.OutputSize);
        Assert.Equal(new[] { 4, 16, 16, 3, 3 }, architecture.Layers.Select(l => l.Inputs));
        Assert.Equal(new[] { 0, 80 }, architecture.LinearLayers.Select(l => l.ParameterOffset));
        Assert.Equal(80 + 51, architecture.ParameterCount);
        Assert.Equal(new[] { 0, 2 }, architecture.LinearLayers.Select(l => l.SequentialIndex));
        Assert.Equal(-1, architecture.Layers[4].SequentialIndex);
        Assert.True(architecture.IsClassifier);
        Assert.Equal(80 + 48, architecture.LinearLayers[1].BiasOffset);
    }

    [Fact]
    public void Reads_kinds_it_has_never_heard_of_generically()
    {
        var architecture = NetworkArchitecture.Parse("double: Tanh Linear(3,5) LeakyReLU(0.01) Linear(5,2) SiLU MSELoss");
        Assert.Equal(new[] { "Tanh", "Linear", "LeakyReLU", "Linear", "SiLU", "MSELoss" }, architecture.Layers.Select(l => l.Kind));
        Assert.Equal(new[] { "0.01" }, architecture.Layers[2].Arguments);
        Assert.Equal(3, architecture.Layers[0].Inputs);
        Assert.Equal(new[] { 1, 3 }, architecture.LinearLayers.Select(l => l.SequentialIndex));
        Assert.False(architecture.IsClassifier);
        Assert.Equal("MSELoss", architecture.Loss!.Kind);
    }

    [Theory]
    [InlineData("Linear(4,3)", "element type")]
    [InlineData("int: Linear(4,3)", "not float or double")]
    [InlineData("float: ReLU Softmax", "no layer states the network's input")]
    [InlineData("float:", "no layers")]
    [InlineData("float: Linear(4,3) Linear(4,2)", "Linear(4,2) takes 4 features, but 3 flows into it")]
    [InlineData("float: Linear(4,0)", "has \"0\" as argument 2, not a positive integer")]
    [InlineData("float: Linear(4)", "has 1 argument, not 2")]
    [InlineData("float: Linear(4,3) CrossEntropyLoss ReLU", "must be the last layer")]
    [InlineData("float: Linear(4,3) LeakyReLU(0.1", "never closed")]
    [InlineData("float: Linear(65536,65536)", "more than a .NET array holds")]
    public void Refuses_text_that_is_not_an_architecture(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse(text));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Checks_the_text_against_the_network_it_describes()
    {
        Assert.Equal(3 * 2 + 2, NetworkArchitecture.Of(new SoftmaxRegression<float>(3, 2)).ParameterCount);
        var error = Assert.Throws<ArgumentException>(() => NetworkArchitecture.Of(new LyingNetwork()));
        Assert.Equal("network", error.ParamName);
        Assert.Contains("ParameterCount 5", error.Message);
    }

    /// <summary>A network whose Architecture describes other sizes than it has.</summary>
    private sealed class LyingNetwork : INetwork<float>
    {
        public int InputSize => 3;
        public int OutputSize => 2;
        public int ParameterCount => 5;
        public float[] Parameters { get; } = new float[5];
        public float[] Gradients { get; } = new float[5];
        public float[] Buffers { get; } = Array.Empty<float>();
        public void Prepare() { }   // written by hand: no kernels to compile ahead
        public string Architecture => "float: Linear(3,2)";
        public void Forward(ReadOnlySpan<float> input, Span<float> output) => throw new NotSupportedException();
        public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize) => throw new NotSupportedException();
        public void Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients) => throw new NotSupportedException();

        public void Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, Span<float> inputGradients) => throw new NotSupportedException();
    }
}
