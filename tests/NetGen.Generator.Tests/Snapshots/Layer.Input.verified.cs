// Input: the sample's shape: (features), (channels, length) or (channels, height, width)
// canonical: Input(6), FLOPs per sample: 0
// Rows
x.CopyTo(y);
delta.CopyTo(dx);
// Columns
x.CopyTo(y);
delta.CopyTo(dx);
