// Conv2D: y[o] = b[o] + sum over c in o's group and taps of W[o, c, taps] x[c, window]; dW = delta x-windows, db = sum delta, dx = W^T delta scattered back
// canonical: Conv2D(1,3,2,1,1,2,1), FLOPs per sample: 162
/// <summary>Layer 2, Conv2D(1, 3, 2, Padding = 1, Dilation = 2): (1, 2, 3) -> (3, 2, 3); W is Parameters[30..42) [3, 1, 2, 2], b is Parameters[42..45).</summary>
private readonly struct Layer2 : global::NetGen.Runtime.IConvolutionShape
{
    public int InChannels => 1; public int OutChannels => 3; public int Groups => 1;
    public int InputHeight => 2; public int InputWidth => 3;
    public int KernelHeight => 2; public int KernelWidth => 2;
    public int StrideHeight => 1; public int StrideWidth => 1;
    public int PaddingHeight => 1; public int PaddingWidth => 1;
    public int DilationHeight => 2; public int DilationWidth => 2;
    public int Offset => 30;
}
// Rows
ConvolutionForward<Layer2>(p, x, y, n, kw);
// Layer 2, Conv2D(1, 3, 2, Padding = 1, Dilation = 2): dW = sum delta x-windows, db = sum delta, dx = W^T delta scattered back to the windows.
ConvolutionParameterGradients<Layer2>(x, delta, g, count, kw);
ConvolutionInputGradient<Layer2>(p, delta, dx, count, kw);
// Columns
ConvolutionForwardColumns<Layer2>(p, x, y, n);
// Layer 2, Conv2D(1, 3, 2, Padding = 1, Dilation = 2): dW = sum delta x-windows, db = sum delta, dx = W^T delta scattered back to the windows.
if (!ConvolutionParameterGradientsColumns<Layer2>(x, delta, g, count))
{
    Transpose(x, t1.Slice(0, count * 6), 6, count);
    Transpose(delta, t2.Slice(0, count * 18), 18, count);
    ConvolutionParameterGradients<Layer2>(t1.Slice(0, count * 6), t2.Slice(0, count * 18), g, count, kw);
}
ConvolutionInputGradientColumns<Layer2>(p, delta, dx, count);
