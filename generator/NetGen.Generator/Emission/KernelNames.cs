namespace NetGen.Generator.Emission;

/// <summary>
/// The runtime kernels the generated code calls, by name, in one place. Generated networks reach them
/// through their nested <c>Kernels</c> class, which derives from the library's <c>FloatKernels</c> or
/// <c>DoubleKernels</c>; a rename on either side is caught by KernelNameTests, which finds each name
/// here among the library's methods, rather than by a compile error inside a user's generated file.
/// </summary>
internal static class KernelNames
{
    /// <summary>Rows to columns and back: <c>Transpose(source, destination, rows, columns)</c>.</summary>
    public const string Transpose = nameof(Transpose);

    /// <summary>A frozen network's copy of the parameters, pinned, from a 64-byte boundary: <c>AllocateAlignedColumns(length, out start)</c>.</summary>
    public const string AllocateAlignedColumns = nameof(AllocateAlignedColumns);

    /// <summary>A weight matrix transposed into a frozen copy at the same offset: <c>TransposeMatrix(source, destination, offset, rows, columns)</c>.</summary>
    public const string TransposeMatrix = nameof(TransposeMatrix);

    /// <summary>A feature-major pass's scratch from its first 64-byte boundary: <c>AlignedScratch(scratch, length)</c>.</summary>
    public const string AlignedScratch = nameof(AlignedScratch);

    /// <summary>A Linear layer's sample-major forward, specialised by its shape struct.</summary>
    public const string LinearForward = nameof(LinearForward);

    /// <summary>A Linear layer's feature-major forward.</summary>
    public const string LinearForwardColumns = nameof(LinearForwardColumns);

    /// <summary>A Linear layer's feature-major forward with the ReLU after it applied as it stores (inference).</summary>
    public const string LinearReLUForwardColumns = nameof(LinearReLUForwardColumns);

    /// <summary>A convolution's feature-major forward with the ReLU after it applied as it stores (inference).</summary>
    public const string ConvolutionReLUForwardColumns = nameof(ConvolutionReLUForwardColumns);

    /// <summary>The paths part of a feed-forward network's Describe(): what this process runs.</summary>
    public const string DescribePaths = nameof(DescribePaths);

    /// <summary>dW = sum delta x^T and db = sum delta over sample-major rows.</summary>
    public const string LinearParameterGradients = nameof(LinearParameterGradients);

    /// <summary>dx = W^T delta, sample-major.</summary>
    public const string LinearInputGradient = nameof(LinearInputGradient);

    /// <summary>dx = W^T delta, feature-major.</summary>
    public const string LinearInputGradientColumns = nameof(LinearInputGradientColumns);

    /// <summary>The written-out one-sample forward's lane helpers (net8.0 and later, AVX-512).</summary>
    public const string LaneReLU = nameof(LaneReLU);

    /// <summary>The sum of a vector's lanes, by halving: <c>LaneTotal(vector)</c>.</summary>
    public const string LaneTotal = nameof(LaneTotal);

    /// <summary>tanh on a vector of outputs, as a rational approximation.</summary>
    public const string LaneTanh = nameof(LaneTanh);

    /// <summary>LeakyReLU, sigmoid and SiLU on a vector of outputs, as the shared kernels compute them.</summary>
    public const string LaneLeakyReLU = nameof(LaneLeakyReLU);

    /// <inheritdoc cref="LaneLeakyReLU"/>
    public const string LaneSigmoid = nameof(LaneSigmoid);

    /// <inheritdoc cref="LaneLeakyReLU"/>
    public const string LaneSiLU = nameof(LaneSiLU);

    /// <summary>Folds a 16-lane sum of 8 outputs into 8 lanes (code generated before the in-block sums calls it).</summary>
    public const string LaneSumToHalf = nameof(LaneSumToHalf);

    /// <summary>The sum across lanes of a group of rows: pairs of rows within 128-bit blocks.</summary>
    public const string LanePairSums = nameof(LanePairSums);

    /// <summary>The sum across lanes: fours of rows within 128-bit blocks.</summary>
    public const string LaneQuadSums = nameof(LaneQuadSums);

    /// <summary>The sum across lanes: the last levels, across 128-bit blocks, to the group's sums in order.</summary>
    public const string LaneBlockSums = nameof(LaneBlockSums);

    /// <summary>A convolution's forward (im2col and a register-blocked product), specialised by its shape struct.</summary>
    public const string ConvolutionForward = nameof(ConvolutionForward);

    /// <summary>A convolution's weight and bias gradients.</summary>
    public const string ConvolutionParameterGradients = nameof(ConvolutionParameterGradients);

    /// <summary>A convolution's input gradient (the transposed convolution of the delta).</summary>
    public const string ConvolutionInputGradient = nameof(ConvolutionInputGradient);

    /// <summary>Max pooling forward and backward (the gradient goes to each window's first maximum).</summary>
    public const string MaxPoolForward = nameof(MaxPoolForward);

    /// <inheritdoc cref="MaxPoolForward"/>
    public const string MaxPoolBackward = nameof(MaxPoolBackward);

    /// <summary>Average pooling forward and backward (padding counted, as PyTorch's default).</summary>
    public const string AvgPoolForward = nameof(AvgPoolForward);

    /// <inheritdoc cref="AvgPoolForward"/>
    public const string AvgPoolBackward = nameof(AvgPoolBackward);

    /// <summary>The mean over every position of each channel, and its gradient.</summary>
    public const string GlobalAvgPoolForward = nameof(GlobalAvgPoolForward);

    /// <inheritdoc cref="GlobalAvgPoolForward"/>
    public const string GlobalAvgPoolBackward = nameof(GlobalAvgPoolBackward);

    /// <summary>Whether a batch of this many samples runs feature-major: <c>UseColumns(count)</c>.</summary>
    public const string UseColumns = nameof(UseColumns);

    /// <summary>Whether vectors beat a written-out scalar layer this many inputs wide: <c>PreferVectors(inputs)</c>.</summary>
    public const string PreferVectors = nameof(PreferVectors);

    /// <summary>Softmax over each sample (with the layout's suffix, see <see cref="InLayout"/>).</summary>
    public const string SoftmaxForward = nameof(SoftmaxForward);

    /// <summary>dx_i = y_i (delta_i - sum_k delta_k y_k).</summary>
    public const string SoftmaxBackward = nameof(SoftmaxBackward);

    /// <summary>The mean cross-entropy of probabilities against labels.</summary>
    public const string CrossEntropy = nameof(CrossEntropy);

    /// <summary>The delta of Softmax and cross-entropy together, (p - onehot) / count.</summary>
    public const string CrossEntropyBackward = nameof(CrossEntropyBackward);

    /// <summary>The mean squared error against targets.</summary>
    public const string MeanSquaredError = nameof(MeanSquaredError);

    /// <summary>The delta of the mean squared error, 2 (y - t) / values.</summary>
    public const string MeanSquaredErrorBackward = nameof(MeanSquaredErrorBackward);

    /// <summary>A recurrent layer's step of one or many sequences: <c>GruStep</c>, <c>LstmStep</c> (see <see cref="Recurrent"/>).</summary>
    public const string RecurrentStep = "Step";

    /// <summary>A frozen network's step over transposed weights: <c>GruStepColumns</c>, <c>LstmStepColumns</c>.</summary>
    public const string RecurrentStepColumns = "StepColumns";

    /// <summary>A recurrent layer's tensors into a frozen copy, its weight matrices transposed.</summary>
    public const string TransposeRecurrentLayer = nameof(TransposeRecurrentLayer);

    /// <summary>The workspace a recurrent step of <c>count</c> sequences needs: <c>GruStepWorkspaceLength</c>, ...</summary>
    public const string RecurrentStepWorkspaceLength = "StepWorkspaceLength";

    /// <summary>A recurrent layer over whole sequences, keeping what BPTT reads: <c>GruForwardSequence</c>, ...</summary>
    public const string RecurrentForwardSequence = "ForwardSequence";

    /// <summary>Back-propagation through time: <c>GruBackwardSequence</c>, ...</summary>
    public const string RecurrentBackwardSequence = "BackwardSequence";

    /// <summary>A recurrent cell's kernel: <paramref name="cell"/> (<c>Gru</c>, <c>Lstm</c>) then the part (<see cref="RecurrentStep"/>, ...).</summary>
    public static string Recurrent(string cell, string part) => cell + part;

    /// <summary>A residual join, y = a + b (Kinds/Blocks).</summary>
    public const string ResidualJoin = nameof(ResidualJoin);

    /// <summary>Where a residual block's input adds the delta its join passed around the block.</summary>
    public const string ResidualBackward = nameof(ResidualBackward);

    /// <summary>Dropout's training forward: draws the mask, then y = x * mask (with the layout's suffix).</summary>
    public const string DropoutForward = nameof(DropoutForward);

    /// <summary>dx = delta * mask, in either layout.</summary>
    public const string DropoutBackward = nameof(DropoutBackward);

    /// <summary>LayerNorm's forward, keeping each sample's statistics in training (with the layout's suffix).</summary>
    public const string LayerNormForward = nameof(LayerNormForward);

    /// <summary>LayerNorm's backward over its kept statistics (with the layout's suffix).</summary>
    public const string LayerNormBackward = nameof(LayerNormBackward);

    /// <summary>BatchNorm's evaluation-mode forward, from the running statistics (with the layout's suffix).</summary>
    public const string BatchNormForward = nameof(BatchNormForward);

    /// <summary>BatchNorm's training forward, from the batch's statistics, which it keeps (with the layout's suffix).</summary>
    public const string BatchNormForwardTraining = nameof(BatchNormForwardTraining);

    /// <summary>BatchNorm's backward over the batch statistics its forward kept (with the layout's suffix).</summary>
    public const string BatchNormBackward = nameof(BatchNormBackward);

    /// <summary>One update of a BatchNorm layer's running statistics, once a training call is kept.</summary>
    public const string BatchNormUpdateRunning = nameof(BatchNormUpdateRunning);

    /// <summary>A kernel's name in a layout: as is for sample-major rows, with <c>Columns</c> for feature-major.</summary>
    public static string InLayout(string kernel, Layout layout) => kernel + layout.Suffix();

    /// <summary>An elementwise kind's forward kernel: <c>ReLUForward</c>, <c>TanhForward</c>, ...</summary>
    public static string ActivationForward(string kind) => kind + "Forward";

    /// <summary>An elementwise kind's backward kernel: <c>ReLUBackward</c>, <c>TanhBackward</c>, ...</summary>
    public static string ActivationBackward(string kind) => kind + "Backward";

    /// <summary>Every fixed name above, in each layout it is called in, for the tests that find each in the library and in generated code.</summary>
    public static readonly string[] Fixed =
    {
        Transpose, AlignedScratch, AllocateAlignedColumns, TransposeMatrix, LinearForward, LinearForwardColumns, LinearReLUForwardColumns, ConvolutionReLUForwardColumns, DescribePaths, LinearParameterGradients, LinearInputGradient, LinearInputGradientColumns,
        LaneReLU, LaneTotal, LaneLeakyReLU, LaneTanh, LaneSigmoid, LaneSiLU, LaneSumToHalf, LanePairSums, LaneQuadSums, LaneBlockSums, UseColumns, PreferVectors,
        ConvolutionForward, ConvolutionParameterGradients, ConvolutionInputGradient, MaxPoolForward, MaxPoolBackward, AvgPoolForward, AvgPoolBackward,
        GlobalAvgPoolForward, GlobalAvgPoolBackward,
        InLayout(ConvolutionForward, Layout.Columns), InLayout(ConvolutionInputGradient, Layout.Columns), InLayout(ConvolutionParameterGradients, Layout.Columns), InLayout(MaxPoolForward, Layout.Columns), InLayout(MaxPoolBackward, Layout.Columns), InLayout(AvgPoolForward, Layout.Columns),
        InLayout(AvgPoolBackward, Layout.Columns), InLayout(GlobalAvgPoolForward, Layout.Columns), InLayout(GlobalAvgPoolBackward, Layout.Columns),
        SoftmaxForward, SoftmaxBackward, CrossEntropy, CrossEntropyBackward, MeanSquaredError, MeanSquaredErrorBackward,
        InLayout(SoftmaxForward, Layout.Columns), InLayout(SoftmaxBackward, Layout.Columns), InLayout(CrossEntropy, Layout.Columns),
        InLayout(CrossEntropyBackward, Layout.Columns), InLayout(MeanSquaredError, Layout.Columns), InLayout(MeanSquaredErrorBackward, Layout.Columns),
        Recurrent("Gru", RecurrentStepColumns), Recurrent("Lstm", RecurrentStepColumns), TransposeRecurrentLayer,
        Recurrent("Gru", RecurrentStep), Recurrent("Gru", RecurrentStepWorkspaceLength), Recurrent("Gru", RecurrentForwardSequence), Recurrent("Gru", RecurrentBackwardSequence),
        Recurrent("Lstm", RecurrentStep), Recurrent("Lstm", RecurrentStepWorkspaceLength), Recurrent("Lstm", RecurrentForwardSequence), Recurrent("Lstm", RecurrentBackwardSequence),
        ResidualJoin, ResidualBackward, DropoutForward, InLayout(DropoutForward, Layout.Columns), DropoutBackward,
        LayerNormForward, InLayout(LayerNormForward, Layout.Columns), LayerNormBackward, InLayout(LayerNormBackward, Layout.Columns),
        BatchNormForward, InLayout(BatchNormForward, Layout.Columns), BatchNormForwardTraining, InLayout(BatchNormForwardTraining, Layout.Columns),
        BatchNormBackward, InLayout(BatchNormBackward, Layout.Columns), BatchNormUpdateRunning,
    };
}
