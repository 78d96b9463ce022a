using NetGen;

// Networks with residual blocks, normalisation and dropout (issue 19), declared as a user would.

namespace NetGen.NumericTests.Networks
{
    /// <summary>The PyTorch reference case (tests/fixtures/pytorch/make_block_reference.py), in double: nested blocks, LayerNorm, Dropout, BatchNorm.</summary>
    [Network(typeof(double))]
    [Linear(6, 8)] [LayerNorm]
    [Residual] [Linear(8, 8)] [Tanh] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [EndResidual]
    [Dropout(0.25)] [BatchNorm1D(8)] [Linear(8, 3)] [MSELoss]
    public partial class DBlockReference { }

    /// <summary>The same network in float.</summary>
    [Network]
    [Linear(6, 8)] [LayerNorm]
    [Residual] [Linear(8, 8)] [Tanh] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [EndResidual]
    [Dropout(0.25)] [BatchNorm1D(8)] [Linear(8, 3)] [MSELoss]
    public partial class FBlockReference { }

    /// <summary>The same network, deterministic.</summary>
    [Network(Deterministic = true)]
    [Linear(6, 8)] [LayerNorm]
    [Residual] [Linear(8, 8)] [Tanh] [Residual] [Linear(8, 8)] [ReLU] [EndResidual] [EndResidual]
    [Dropout(0.25)] [BatchNorm1D(8)] [Linear(8, 3)] [MSELoss]
    public partial class FBlockDeterministic { }

    /// <summary>A block that starts at the network's input, and a LayerNorm after the join.</summary>
    [Network(typeof(double))]
    [Residual] [Linear(5, 5)] [Tanh] [EndResidual] [LayerNorm] [Linear(5, 2)] [MSELoss]
    public partial class DResidualFirst { }

    /// <summary>A classifier with BatchNorm and Dropout between its layers.</summary>
    [Network(typeof(double))]
    [Linear(4, 6)] [BatchNorm1D(6)] [ReLU] [Dropout(0.5)] [Linear(6, 3)] [Softmax] [CrossEntropyLoss]
    public partial class DBlockClassifier { }

    /// <summary>No loss, a block around a LayerNorm from the input, dropout last: Backward with input gradients.</summary>
    [Network(typeof(double))]
    [Residual] [LayerNorm] [Linear(4, 4)] [EndResidual] [Dropout(0.3)]
    public partial class DBlockPlain { }

    /// <summary>A wide float network with awkward widths for every vector configuration.</summary>
    [Network]
    [Linear(9, 37)] [LayerNorm] [Residual] [Linear(37, 37)] [SiLU] [EndResidual] [BatchNorm1D(37)] [Dropout(0.1)] [Linear(37, 5)] [Softmax] [CrossEntropyLoss]
    public partial class FBlockWide { }

    /// <summary>BatchNorm2D after a 2-D convolution (blocks_shaped.json, conv2d_batchnorm2d).</summary>
    [Network(typeof(double))]
    [Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU] [Flatten] [Linear(60, 2)] [MSELoss]
    public partial class DConvBatchNorm2D { }

    /// <summary>BatchNorm1D and LayerNorm over (channels, length) (blocks_shaped.json, conv1d_batchnorm1d_layernorm).</summary>
    [Network(typeof(double))]
    [Input(2, 7)] [Conv1D(2, 3, 3)] [BatchNorm1D(3)] [Tanh] [LayerNorm] [Flatten] [Linear(15, 2)] [MSELoss]
    public partial class DConvBatchNorm1D { }

    /// <summary>The 2-D case in float.</summary>
    [Network]
    [Input(2, 5, 4)] [Conv2D(2, 3, 3, Padding = 1)] [BatchNorm2D(3)] [ReLU] [Flatten] [Linear(60, 2)] [MSELoss]
    public partial class FConvBatchNorm2D { }

    // Each block kind alone between two Linear layers (blocks_shaped.json, <kind>_alone), in double and float,
    // so that the largest difference from PyTorch is known per kind.

    [Network(typeof(double))] [Linear(6, 8)] [LayerNorm] [Linear(8, 3)] [MSELoss]
    public partial class DLayerNormAlone { }

    [Network] [Linear(6, 8)] [LayerNorm] [Linear(8, 3)] [MSELoss]
    public partial class FLayerNormAlone { }

    [Network(typeof(double))] [Linear(6, 8)] [BatchNorm1D(8)] [Linear(8, 3)] [MSELoss]
    public partial class DBatchNorm1DAlone { }

    [Network] [Linear(6, 8)] [BatchNorm1D(8)] [Linear(8, 3)] [MSELoss]
    public partial class FBatchNorm1DAlone { }

    [Network(typeof(double))] [Linear(6, 8)] [Residual] [Linear(8, 8)] [Tanh] [Linear(8, 8)] [EndResidual] [Linear(8, 3)] [MSELoss]
    public partial class DResidualAlone { }

    [Network] [Linear(6, 8)] [Residual] [Linear(8, 8)] [Tanh] [Linear(8, 8)] [EndResidual] [Linear(8, 3)] [MSELoss]
    public partial class FResidualAlone { }

    [Network(typeof(double))] [Linear(6, 8)] [Dropout(0.25)] [Linear(8, 3)] [MSELoss]
    public partial class DDropoutAlone { }

    [Network] [Linear(6, 8)] [Dropout(0.25)] [Linear(8, 3)] [MSELoss]
    public partial class FDropoutAlone { }
}
