// Tanh: y = tanh(x); dx = delta * (1 - y^2)
// canonical: Tanh, FLOPs per sample: 120
// Rows
TanhForward(x, y);
// Layer 2, Tanh: dx = delta * (1 - y^2).
TanhBackward(y, delta, dx);
// Columns
TanhForward(x, y);
// Layer 2, Tanh: dx = delta * (1 - y^2).
TanhBackward(y, delta, dx);
