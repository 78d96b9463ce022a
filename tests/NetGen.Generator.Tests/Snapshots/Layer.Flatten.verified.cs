// Flatten: y = x, read as C*H*W features; dx = delta
// canonical: Flatten, FLOPs per sample: 0
// Rows
x.CopyTo(y);
// Layer 2, Flatten: dx = delta.
delta.CopyTo(dx);
// Columns
x.CopyTo(y);
// Layer 2, Flatten: dx = delta.
delta.CopyTo(dx);
