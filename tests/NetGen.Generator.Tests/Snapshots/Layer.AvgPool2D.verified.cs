// AvgPool2D: y = the mean of each window, padding counted as zeros; dx = delta / window size to each of its inputs
// canonical: AvgPool2D(2,2,1), FLOPs per sample: 20
/// <summary>Layer 2, AvgPool2D(2, Padding = 1): (1, 2, 3) -> (1, 2, 2).</summary>
private readonly struct Layer2 : global::NetGen.Runtime.IPoolShape
{
    public int Channels => 1; public int InputHeight => 2; public int InputWidth => 3;
    public int KernelHeight => 2; public int KernelWidth => 2;
    public int StrideHeight => 2; public int StrideWidth => 2;
    public int PaddingHeight => 1; public int PaddingWidth => 1;
}
// Rows
AvgPoolForward<Layer2>(x, y, n);
// Layer 2, AvgPool2D(2, Padding = 1): dx = delta / window size at each of its window's inputs.
AvgPoolBackward<Layer2>(delta, dx, count);
// Columns
AvgPoolForwardColumns<Layer2>(x, y, n);
// Layer 2, AvgPool2D(2, Padding = 1): dx = delta / window size at each of its window's inputs.
AvgPoolBackwardColumns<Layer2>(delta, dx, count);
