// EndResidual: y = f(x) + x; the delta flows into f unchanged and around the block to x
// canonical: EndResidual, FLOPs per sample: 6
// Rows
ResidualJoin(x, x2, y);
// Layer 4, EndResidual: the delta goes on into the block unchanged; a copy is kept for the path around it.
delta.CopyTo(s1.Slice(0, count * 6));
delta.CopyTo(dx);
// Columns
ResidualJoin(x, x2, y);
// Layer 4, EndResidual: the delta goes on into the block unchanged; a copy is kept for the path around it.
delta.CopyTo(s1.Slice(0, count * 6));
delta.CopyTo(dx);
