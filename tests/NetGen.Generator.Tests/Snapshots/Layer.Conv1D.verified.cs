// Conv1D: y[o] = b[o] + sum over c in o's group and taps of W[o, c, taps] x[c, window]; dW = delta x-windows, db = sum delta, dx = W^T delta scattered back
// canonical: Conv1D(2,4,2,1,0,1,2), FLOPs per sample: 40
/// <summary>Layer 2, Conv1D(2, 4, 2, Groups = 2): (2, 3) -> (4, 2); W is Parameters[30..38) [4, 1, 2], b is Parameters[38..42).</summary>
private readonly struct Layer2 : global::NetGen.Runtime.IConvolutionShape
{
    public int InChannels => 2; public int OutChannels => 4; public int Groups => 2;
    public int InputHeight => 1; public int InputWidth => 3;
    public int KernelHeight => 1; public int KernelWidth => 2;
    public int StrideHeight => 1; public int StrideWidth => 1;
    public int PaddingHeight => 0; public int PaddingWidth => 0;
    public int DilationHeight => 1; public int DilationWidth => 1;
    public int Offset => 30;
}
// Rows
ConvolutionForward<Layer2>(p, x, y, n, kw);
// Layer 2, Conv1D(2, 4, 2, Groups = 2): dW = sum delta x-windows, db = sum delta, dx = W^T delta scattered back to the windows.
ConvolutionParameterGradients<Layer2>(x, delta, g, count, kw);
ConvolutionInputGradient<Layer2>(p, delta, dx, count, kw);
// Columns
ConvolutionForwardColumns<Layer2>(p, x, y, n);
// Layer 2, Conv1D(2, 4, 2, Groups = 2): dW = sum delta x-windows, db = sum delta, dx = W^T delta scattered back to the windows.
if (!ConvolutionParameterGradientsColumns<Layer2>(x, delta, g, count))
{
    Transpose(x, t1.Slice(0, count * 6), 6, count);
    Transpose(delta, t2.Slice(0, count * 8), 8, count);
    ConvolutionParameterGradients<Layer2>(t1.Slice(0, count * 6), t2.Slice(0, count * 8), g, count, kw);
}
ConvolutionInputGradientColumns<Layer2>(p, delta, dx, count);
