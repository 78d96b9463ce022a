// SiLU: y = x * sigmoid(x); dx = delta * (s + x s (1 - s)), s = sigmoid(x)
// canonical: SiLU, FLOPs per sample: 126
// Rows
SiLUForward(x, y);
// Layer 2, SiLU: dx = delta * (s + x s (1 - s)), s = sigmoid(x).
SiLUBackward(x, delta, dx);
// Columns
SiLUForward(x, y);
// Layer 2, SiLU: dx = delta * (s + x s (1 - s)), s = sigmoid(x).
SiLUBackward(x, delta, dx);
