// Residual: marks the block's input x, which [EndResidual] adds back: y = x + f(x); dx = delta through f + delta around it
// canonical: Residual, FLOPs per sample: 0
// Rows
// The block's input stays where it is: its join reads it there.
// Layer 2, Residual: the block's input gets both gradients, the one back through the block and the one its join passed around it.
ResidualBackward(delta, s1.Slice(0, count * 6), dx);
// Columns
// The block's input stays where it is: its join reads it there.
// Layer 2, Residual: the block's input gets both gradients, the one back through the block and the one its join passed around it.
ResidualBackward(delta, s1.Slice(0, count * 6), dx);
