// Sigmoid: y = 1 / (1 + e^-x); dx = delta * y (1 - y)
// canonical: Sigmoid, FLOPs per sample: 120
// Rows
SigmoidForward(x, y);
// Layer 2, Sigmoid: dx = delta * y (1 - y).
SigmoidBackward(y, delta, dx);
// Columns
SigmoidForward(x, y);
// Layer 2, Sigmoid: dx = delta * y (1 - y).
SigmoidBackward(y, delta, dx);
