// Dropout: training: y = x * mask, mask 0 with probability p else 1/(1-p), dx = delta * mask; inference: y = x
// canonical: Dropout(0.25), FLOPs per sample: 6
// Rows
x.CopyTo(y);
// Rows, training
DropoutForward(x, y, w.Slice(n * Layer2Mask, n * 6), n, 6, 0.25, ref random);
// Layer 2, Dropout(0.25): dx = delta * mask, the mask its forward drew.
DropoutBackward(w.Slice(count * Layer2Mask, count * 6), delta, dx);
// Columns
x.CopyTo(y);
// Columns, training
DropoutForwardColumns(x, y, w.Slice(n * Layer2Mask, n * 6), n, 6, 0.25, ref random);
// Layer 2, Dropout(0.25): dx = delta * mask, the mask its forward drew.
DropoutBackward(w.Slice(count * Layer2Mask, count * 6), delta, dx);
