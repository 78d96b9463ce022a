// LayerNorm: y = (x - mean) / sqrt(var + 1e-5) * weight + bias over each sample; dx = r (u - mean(u) - xh mean(u xh)), u = delta * weight
// canonical: LayerNorm, FLOPs per sample: 48
// Rows
LayerNormForward(p, 30, x, y, default, n, 6);
// Rows, training
LayerNormForward(p, 30, x, y, w.Slice(n * Layer2Statistics, n * 2), n, 6);
// Layer 2, LayerNorm: dweight = sum delta xh, dbias = sum delta, dx = r (u - mean(u) - xh mean(u xh)).
LayerNormBackward(p, g, 30, x, w.Slice(count * Layer2Statistics, count * 2), delta, dx, count, 6);
// Columns
LayerNormForwardColumns(p, 30, x, y, default, n, 6);
// Columns, training
LayerNormForwardColumns(p, 30, x, y, w.Slice(n * Layer2Statistics, n * 2), n, 6);
// Layer 2, LayerNorm: dweight = sum delta xh, dbias = sum delta, dx = r (u - mean(u) - xh mean(u xh)).
LayerNormBackwardColumns(p, g, 30, x, w.Slice(count * Layer2Statistics, count * 2), delta, dx, count, 6);
