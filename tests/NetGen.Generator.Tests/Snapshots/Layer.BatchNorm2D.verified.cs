// BatchNorm2D: training: y = (x - mean_B) / sqrt(var_B + 1e-5) * weight + bias per channel over the batch and positions; inference: the running statistics
// canonical: BatchNorm2D(2), FLOPs per sample: 24
// Rows
BatchNormForward(p, 30, b, 0, x, y, n, 2, 3);
// Rows, training
BatchNormForwardTraining(p, 30, x, y, w.Slice(n * Layer2Statistics, n * 6), n, 2, 3);
// Layer 2, BatchNorm2D(2), per channel over the batch: dweight = sum delta xh, dbias = sum delta, dx = weight r (delta - mean(delta) - xh mean(delta xh)).
BatchNormBackward(p, g, 30, x, w.Slice(count * Layer2Statistics, count * 6), delta, dx, count, 2, 3);
// Columns
BatchNormForwardColumns(p, 30, b, 0, x, y, n, 2, 3);
// Columns, training
BatchNormForwardTrainingColumns(p, 30, x, y, w.Slice(n * Layer2Statistics, n * 6), n, 2, 3);
// Layer 2, BatchNorm2D(2), per channel over the batch: dweight = sum delta xh, dbias = sum delta, dx = weight r (delta - mean(delta) - xh mean(delta xh)).
BatchNormBackwardColumns(p, g, 30, x, w.Slice(count * Layer2Statistics, count * 6), delta, dx, count, 2, 3);
