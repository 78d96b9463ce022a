// Softmax: y_i = e^(x_i - max) / sum_j e^(x_j - max); dx_i = y_i (delta_i - sum_k delta_k y_k)
// canonical: Softmax, FLOPs per sample: 30
// Rows
SoftmaxForward(x, y, n, 6);
// Layer 2, Softmax: dx_i = y_i (delta_i - sum_k delta_k y_k).
SoftmaxBackward(y, delta, dx, count, 6);
// Columns
SoftmaxForwardColumns(x, y, n, 6);
// Layer 2, Softmax: dx_i = y_i (delta_i - sum_k delta_k y_k).
SoftmaxBackwardColumns(y, delta, dx, count, 6);
