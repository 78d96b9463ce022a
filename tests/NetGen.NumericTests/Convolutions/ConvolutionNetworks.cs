using NetGen;

// The convolutional networks under test, declared as a user would. The double ones are the networks of
// tests/fixtures/pytorch/make_conv_network_reference.py (same layers, same order), checked against
// PyTorch's numbers and against finite differences; the float twins run the same fixtures at float
// tolerance, and the deterministic twin pins its bits on every vector width.

namespace NetGen.NumericTests.Convolutions
{
    /// <summary>2-D: stride, padding, dilation, a depthwise convolution, an overlapping max pool, a padded average pool, odd sizes.</summary>
    [Network(typeof(double))]
    [Input(3, 9, 7)]
    [Conv2D(3, 6, 3, Stride = 2, Padding = 1)] [ReLU]
    [Conv2D(6, 6, 3, Padding = 2, Dilation = 2, Groups = 6)] [Tanh]
    [MaxPool2D(3, Stride = 2, Padding = 1)]
    [Conv2D(6, 4, 2)]
    [AvgPool2D(2, Stride = 1, Padding = 1)]
    [Flatten]
    [Linear(24, 5)] [Softmax] [CrossEntropyLoss]
    public partial class DCnn2D { }

    /// <summary>1-D: stride and padding, an overlapping max pool, grouped and dilated, a padded average pool, the global mean, a regression head.</summary>
    [Network(typeof(double))]
    [Input(2, 13)]
    [Conv1D(2, 4, 3, Stride = 2, Padding = 1)] [Tanh]
    [MaxPool1D(3, Stride = 2, Padding = 1)]
    [Conv1D(4, 6, 2, Dilation = 2, Groups = 2)] [ReLU]
    [AvgPool1D(2, Stride = 1, Padding = 1)]
    [GlobalAvgPool]
    [Linear(6, 3)] [MSELoss]
    public partial class DCnn1D { }

    /// <summary>The float twin of <see cref="DCnn2D"/>.</summary>
    [Network]
    [Input(3, 9, 7)]
    [Conv2D(3, 6, 3, Stride = 2, Padding = 1)] [ReLU]
    [Conv2D(6, 6, 3, Padding = 2, Dilation = 2, Groups = 6)] [Tanh]
    [MaxPool2D(3, Stride = 2, Padding = 1)]
    [Conv2D(6, 4, 2)]
    [AvgPool2D(2, Stride = 1, Padding = 1)]
    [Flatten]
    [Linear(24, 5)] [Softmax] [CrossEntropyLoss]
    public partial class FCnn2D { }

    /// <summary>The float twin of <see cref="DCnn1D"/>.</summary>
    [Network]
    [Input(2, 13)]
    [Conv1D(2, 4, 3, Stride = 2, Padding = 1)] [Tanh]
    [MaxPool1D(3, Stride = 2, Padding = 1)]
    [Conv1D(4, 6, 2, Dilation = 2, Groups = 2)] [ReLU]
    [AvgPool1D(2, Stride = 1, Padding = 1)]
    [GlobalAvgPool]
    [Linear(6, 3)] [MSELoss]
    public partial class FCnn1D { }

    /// <summary><see cref="FCnn2D"/> in deterministic mode: the same bits on every machine and vector width.</summary>
    [Network(Deterministic = true)]
    [Input(3, 9, 7)]
    [Conv2D(3, 6, 3, Stride = 2, Padding = 1)] [ReLU]
    [Conv2D(6, 6, 3, Padding = 2, Dilation = 2, Groups = 6)] [Tanh]
    [MaxPool2D(3, Stride = 2, Padding = 1)]
    [Conv2D(6, 4, 2)]
    [AvgPool2D(2, Stride = 1, Padding = 1)]
    [Flatten]
    [Linear(24, 5)] [Softmax] [CrossEntropyLoss]
    public partial class DetCnn2D { }

    /// <summary>API.md's example: the 8x8 digits CNN.</summary>
    [Network]
    [Input(1, 8, 8)]
    [Conv2D(1, 8, 3, Padding = 1)] [ReLU]
    [MaxPool2D(2)]
    [Flatten]
    [Linear(128, 10)] [Softmax] [CrossEntropyLoss]
    public partial class DigitsCnn { }

    /// <summary>A keyword-spotting-sized 1-D network (issue 17's example), whose convolutions rent their window matrices past the stack budget in double.</summary>
    [Network(typeof(double))]
    [Input(1, 128)]
    [Conv1D(1, 16, 5)] [ReLU] [MaxPool1D(2)]
    [Conv1D(16, 32, 5)] [ReLU]
    [GlobalAvgPool]
    [Linear(32, 10)]
    public partial class KeywordSpotting { }

    /// <summary>Input before a dense network: the first Linear's width stated twice, the same.</summary>
    [Network]
    [Input(4)] [Linear(4, 3)] [Softmax] [CrossEntropyLoss]
    public partial class InputThenLinear { }
}
