// MaxPool2D: y = the largest value of each window; dx: delta to the window's first maximum
// canonical: MaxPool2D(2,2,1), FLOPs per sample: 16
/// <summary>Layer 2, MaxPool2D(2, Padding = 1): (1, 2, 3) -> (1, 2, 2).</summary>
private readonly struct Layer2 : global::NetGen.Runtime.IPoolShape
{
    public int Channels => 1; public int InputHeight => 2; public int InputWidth => 3;
    public int KernelHeight => 2; public int KernelWidth => 2;
    public int StrideHeight => 2; public int StrideWidth => 2;
    public int PaddingHeight => 1; public int PaddingWidth => 1;
}
// Rows
MaxPoolForward<Layer2>(x, y, n);
// Layer 2, MaxPool2D(2, Padding = 1): dx = delta at each window's first maximum, 0 elsewhere.
MaxPoolBackward<Layer2>(x, delta, dx, count);
// Columns
MaxPoolForwardColumns<Layer2>(x, y, n);
// Layer 2, MaxPool2D(2, Padding = 1): dx = delta at each window's first maximum, 0 elsewhere.
MaxPoolBackwardColumns<Layer2>(x, delta, dx, count);
