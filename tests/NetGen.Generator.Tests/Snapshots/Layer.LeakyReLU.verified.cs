// LeakyReLU: y = x >= 0 ? x : slope * x; dx = delta * (x >= 0 ? 1 : slope)
// canonical: LeakyReLU(0.2), FLOPs per sample: 12
// Rows
LeakyReLUForward(x, y, 0.2f);
// Layer 2, LeakyReLU(0.2): dx = delta * (x >= 0 ? 1 : slope).
LeakyReLUBackward(x, delta, dx, 0.2f);
// Columns
LeakyReLUForward(x, y, 0.2f);
// Layer 2, LeakyReLU(0.2): dx = delta * (x >= 0 ? 1 : slope).
LeakyReLUBackward(x, delta, dx, 0.2f);
