// BatchNorm1D: training: y = (x - mean_B) / sqrt(var_B + 1e-5) * weight + bias per channel over the batch; inference: the running statistics
// canonical: BatchNorm1D(6), FLOPs per sample: 24
// Rows
BatchNormForward(p, 30, b, 0, x, y, n, 6, 1);
// Rows, training
BatchNormForwardTraining(p, 30, x, y, w.Slice(n * Layer2Statistics, n * 18), n, 6, 1);
// Layer 2, BatchNorm1D(6), per channel over the batch: dweight = sum delta xh, dbias = sum delta, dx = weight r (delta - mean(delta) - xh mean(delta xh)).
BatchNormBackward(p, g, 30, x, w.Slice(count * Layer2Statistics, count * 18), delta, dx, count, 6, 1);
// Columns
BatchNormForwardColumns(p, 30, b, 0, x, y, n, 6, 1);
// Columns, training
BatchNormForwardTrainingColumns(p, 30, x, y, w.Slice(n * Layer2Statistics, n * 18), n, 6, 1);
// Layer 2, BatchNorm1D(6), per channel over the batch: dweight = sum delta xh, dbias = sum delta, dx = weight r (delta - mean(delta) - xh mean(delta xh)).
BatchNormBackwardColumns(p, g, 30, x, w.Slice(count * Layer2Statistics, count * 18), delta, dx, count, 6, 1);
