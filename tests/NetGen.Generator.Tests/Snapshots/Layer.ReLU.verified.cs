// ReLU: y = max(x, 0); dx = delta * 1(x >= 0)
// canonical: ReLU, FLOPs per sample: 6
// Rows
ReLUForward(x, y);
// Layer 2, ReLU: dx = delta * 1(x >= 0).
ReLUBackward(x, delta, dx);
// Columns
ReLUForward(x, y);
// Layer 2, ReLU: dx = delta * 1(x >= 0).
ReLUBackward(x, delta, dx);
