using NetGen;

// The shape and block kinds (issues 17 and 19) as ONNX exports them, declared as a user would, each in
// float and double: every convolution and pool option, the global mean, Flatten, nested residual blocks,
// LayerNorm over features and over (channels, length), BatchNorm1D/2D and Dropout, first, middle and last.

namespace NetGen.Onnx.Tests.Shaped
{
    /// <summary>2-D: stride, padding, dilation, a depthwise convolution, an overlapping max pool, a padded average pool, odd sizes, a classifier.</summary>
    [Network(typeof(double))]
    [Input(3, 9, 7)]
    [Conv2D(3, 6, 3, Stride = 2, Padding = 1)] [ReLU]
    [Conv2D(6, 6, 3, Padding = 2, Dilation = 2, Groups = 6)] [Tanh]
    [MaxPool2D(3, Stride = 2, Padding = 1)]
    [Conv2D(6, 4, 2)]
    [AvgPool2D(2, Stride = 1, Padding = 1)]
    [Flatten]
    [Linear(24, 5)] [Softmax] [CrossEntropyLoss]
    public partial class DOnnxCnn2D { }

    /// <summary>The float twin of <see cref="DOnnxCnn2D"/>.</summary>
    [Network]
    [Input(3, 9, 7)]
    [Conv2D(3, 6, 3, Stride = 2, Padding = 1)] [ReLU]
    [Conv2D(6, 6, 3, Padding = 2, Dilation = 2, Groups = 6)] [Tanh]
    [MaxPool2D(3, Stride = 2, Padding = 1)]
    [Conv2D(6, 4, 2)]
    [AvgPool2D(2, Stride = 1, Padding = 1)]
    [Flatten]
    [Linear(24, 5)] [Softmax] [CrossEntropyLoss]
    public partial class FOnnxCnn2D { }

    /// <summary>1-D: stride and padding, an overlapping max pool, grouped and dilated, a padded average pool, the global mean.</summary>
    [Network(typeof(double))]
    [Input(2, 13)]
    [Conv1D(2, 4, 3, Stride = 2, Padding = 1)] [Tanh]
    [MaxPool1D(3, Stride = 2, Padding = 1)]
    [Conv1D(4, 6, 2, Dilation = 2, Groups = 2)] [ReLU]
    [AvgPool1D(2, Stride = 1, Padding = 1)]
    [GlobalAvgPool]
    [Linear(6, 3)] [MSELoss]
    public partial class DOnnxCnn1D { }

    /// <summary>The float twin of <see cref="DOnnxCnn1D"/>.</summary>
    [Network]
    [Input(2, 13)]
    [Conv1D(2, 4, 3, Stride = 2, Padding = 1)] [Tanh]
    [MaxPool1D(3, Stride = 2, Padding = 1)]
    [Conv1D(4, 6, 2, Dilation = 2, Groups = 2)] [ReLU]
    [AvgPool1D(2, Stride = 1, Padding = 1)]
    [GlobalAvgPool]
    [Linear(6, 3)] [MSELoss]
    public partial class FOnnxCnn1D { }

    /// <summary>Grouped, strided 2-D convolution into a padded overlapping average pool and the 2-D global mean; the output is shaped (no Linear).</summary>
    [Network(typeof(double))]
    [Input(4, 7, 6)]
    [Conv2D(4, 6, 3, Stride = 2, Groups = 2)] [SiLU]
    [AvgPool2D(3, Stride = 2, Padding = 1)]
    [GlobalAvgPool]
    public partial class DOnnxGrouped2D { }

    /// <summary>The float twin of <see cref="DOnnxGrouped2D"/>.</summary>
    [Network]
    [Input(4, 7, 6)]
    [Conv2D(4, 6, 3, Stride = 2, Groups = 2)] [SiLU]
    [AvgPool2D(3, Stride = 2, Padding = 1)]
    [GlobalAvgPool]
    public partial class FOnnxGrouped2D { }

    /// <summary>A network that ends in a (channels, length) value: its ONNX output keeps that shape.</summary>
    [Network(typeof(double))]
    [Input(2, 11)]
    [Conv1D(2, 3, 2, Stride = 3, Padding = 1)] [LeakyReLU(0.1)]
    [MaxPool1D(2, Stride = 1)]
    public partial class DOnnxShapedOutput { }

    /// <summary>The float twin of <see cref="DOnnxShapedOutput"/>.</summary>
    [Network]
    [Input(2, 11)]
    [Conv1D(2, 3, 2, Stride = 3, Padding = 1)] [LeakyReLU(0.1)]
    [MaxPool1D(2, Stride = 1)]
    public partial class FOnnxShapedOutput { }

    /// <summary>Nested residual blocks, LayerNorm, Dropout, BatchNorm1D over features.</summary>
    [Network(typeof(double))]
    [Linear(6, 8)] [LayerNorm]
    [Residual] [Linear(8, 8)] [Tanh] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [EndResidual]
    [Dropout(0.25)] [BatchNorm1D(8)] [Linear(8, 3)] [MSELoss]
    public partial class DOnnxBlocks { }

    /// <summary>The float twin of <see cref="DOnnxBlocks"/>.</summary>
    [Network]
    [Linear(6, 8)] [LayerNorm]
    [Residual] [Linear(8, 8)] [Tanh] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [EndResidual]
    [Dropout(0.25)] [BatchNorm1D(8)] [Linear(8, 3)] [MSELoss]
    public partial class FOnnxBlocks { }

    /// <summary>A block from the input around a LayerNorm, Dropout last (the output is the join, renamed).</summary>
    [Network(typeof(double))]
    [Residual] [LayerNorm] [Linear(4, 4)] [EndResidual] [Dropout(0.3)]
    public partial class DOnnxDropoutLast { }

    /// <summary>The float twin of <see cref="DOnnxDropoutLast"/>.</summary>
    [Network]
    [Residual] [LayerNorm] [Linear(4, 4)] [EndResidual] [Dropout(0.3)]
    public partial class FOnnxDropoutLast { }

    /// <summary>A wide classifier: awkward widths, a residual SiLU block, BatchNorm1D and Dropout before the head.</summary>
    [Network]
    [Linear(9, 37)] [LayerNorm] [Residual] [Linear(37, 37)] [SiLU] [EndResidual] [BatchNorm1D(37)] [Dropout(0.1)] [Linear(37, 5)] [Softmax] [CrossEntropyLoss]
    public partial class FOnnxBlocksWide { }

    /// <summary>The double twin of <see cref="FOnnxBlocksWide"/>.</summary>
    [Network(typeof(double))]
    [Linear(9, 37)] [LayerNorm] [Residual] [Linear(37, 37)] [SiLU] [EndResidual] [BatchNorm1D(37)] [Dropout(0.1)] [Linear(37, 5)] [Softmax] [CrossEntropyLoss]
    public partial class DOnnxBlocksWide { }

    /// <summary>BatchNorm2D after a padded 2-D convolution, a residual block over (channels, height, width).</summary>
    [Network(typeof(double))]
    [Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU]
    [Residual] [Conv2D(3, 3, 3, Padding = 1)] [Tanh] [EndResidual]
    [Flatten] [Linear(60, 2)] [MSELoss]
    public partial class DOnnxBatchNorm2D { }

    /// <summary>The float twin of <see cref="DOnnxBatchNorm2D"/>.</summary>
    [Network]
    [Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU]
    [Residual] [Conv2D(3, 3, 3, Padding = 1)] [Tanh] [EndResidual]
    [Flatten] [Linear(60, 2)] [MSELoss]
    public partial class FOnnxBatchNorm2D { }

    /// <summary>BatchNorm1D and LayerNorm over (channels, length), Dropout between.</summary>
    [Network(typeof(double))]
    [Input(2, 7)] [Conv1D(2, 3, 3)] [BatchNorm1D(3)] [Tanh] [Dropout(0.5)] [LayerNorm] [Flatten] [Linear(15, 2)] [MSELoss]
    public partial class DOnnxBatchNorm1D { }

    /// <summary>The float twin of <see cref="DOnnxBatchNorm1D"/>.</summary>
    [Network]
    [Input(2, 7)] [Conv1D(2, 3, 3)] [BatchNorm1D(3)] [Tanh] [Dropout(0.5)] [LayerNorm] [Flatten] [Linear(15, 2)] [MSELoss]
    public partial class FOnnxBatchNorm1D { }

    /// <summary>The PyTorch case onnx_blocks (make_onnx_shaped_fixtures.py): nested residual blocks, LayerNorm, Dropout, no BatchNorm.</summary>
    [Network]
    [Linear(6, 8)] [LayerNorm]
    [Residual] [Linear(8, 8)] [Tanh] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [EndResidual]
    [Dropout(0.25)] [Linear(8, 3)] [MSELoss]
    public partial class FOnnxResidualLayerNorm { }

    /// <summary>The PyTorch case onnx_conv_layernorm: LayerNorm over (channels, length).</summary>
    [Network]
    [Input(2, 7)] [Conv1D(2, 3, 3)] [Tanh] [LayerNorm] [Flatten] [Linear(15, 2)] [MSELoss]
    public partial class FOnnxConvLayerNorm { }

    /// <summary>The double twin of <see cref="FOnnxResidualLayerNorm"/>.</summary>
    [Network(typeof(double))]
    [Linear(6, 8)] [LayerNorm]
    [Residual] [Linear(8, 8)] [Tanh] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [EndResidual]
    [Dropout(0.25)] [Linear(8, 3)] [MSELoss]
    public partial class DOnnxResidualLayerNorm { }

    /// <summary>The PyTorch case onnx_blocks_batchnorm: a residual block, LayerNorm, Dropout and BatchNorm1D with trained running statistics.</summary>
    [Network]
    [Linear(6, 8)] [LayerNorm] [Residual] [Linear(8, 8)] [Tanh] [EndResidual] [Dropout(0.25)] [BatchNorm1D(8)] [Linear(8, 3)] [MSELoss]
    public partial class FOnnxBlocksBatchNorm { }

    /// <summary>The PyTorch case onnx_cnn2d_batchnorm, whose export torch fuses (a BatchNorm2D after a Conv).</summary>
    [Network]
    [Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU] [MaxPool2D(2)] [Flatten] [Linear(12, 2)] [MSELoss]
    public partial class FOnnxCnn2DBatchNorm { }
}
