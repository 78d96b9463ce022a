// MaxPool1D: y = the largest value of each window; dx: delta to the window's first maximum
// canonical: MaxPool1D(2,1,1), FLOPs per sample: 16
/// <summary>Layer 2, MaxPool1D(2, Stride = 1, Padding = 1): (2, 3) -> (2, 4).</summary>
private readonly struct Layer2 : global::NetGen.Runtime.IPoolShape
{
    public int Channels => 2; public int InputHeight => 1; public int InputWidth => 3;
    public int KernelHeight => 1; public int KernelWidth => 2;
    public int StrideHeight => 1; public int StrideWidth => 1;
    public int PaddingHeight => 0; public int PaddingWidth => 1;
}
// Rows
MaxPoolForward<Layer2>(x, y, n);
// Layer 2, MaxPool1D(2, Stride = 1, Padding = 1): dx = delta at each window's first maximum, 0 elsewhere.
MaxPoolBackward<Layer2>(x, delta, dx, count);
// Columns
MaxPoolForwardColumns<Layer2>(x, y, n);
// Layer 2, MaxPool1D(2, Stride = 1, Padding = 1): dx = delta at each window's first maximum, 0 elsewhere.
MaxPoolBackwardColumns<Layer2>(x, delta, dx, count);
