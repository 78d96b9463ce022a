// AvgPool1D: y = the mean of each window, padding counted as zeros; dx = delta / window size to each of its inputs
// canonical: AvgPool1D(2,1,1), FLOPs per sample: 24
/// <summary>Layer 2, AvgPool1D(2, Stride = 1, Padding = 1): (2, 3) -> (2, 4).</summary>
private readonly struct Layer2 : global::NetGen.Runtime.IPoolShape
{
    public int Channels => 2; public int InputHeight => 1; public int InputWidth => 3;
    public int KernelHeight => 1; public int KernelWidth => 2;
    public int StrideHeight => 1; public int StrideWidth => 1;
    public int PaddingHeight => 0; public int PaddingWidth => 1;
}
// Rows
AvgPoolForward<Layer2>(x, y, n);
// Layer 2, AvgPool1D(2, Stride = 1, Padding = 1): dx = delta / window size at each of its window's inputs.
AvgPoolBackward<Layer2>(delta, dx, count);
// Columns
AvgPoolForwardColumns<Layer2>(x, y, n);
// Layer 2, AvgPool1D(2, Stride = 1, Padding = 1): dx = delta / window size at each of its window's inputs.
AvgPoolBackwardColumns<Layer2>(delta, dx, count);
