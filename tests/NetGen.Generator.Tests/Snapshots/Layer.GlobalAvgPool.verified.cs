// GlobalAvgPool: y[c] = mean of x[c, every position]; dx[c, j] = delta[c] / positions
// canonical: GlobalAvgPool, FLOPs per sample: 8
// Rows
GlobalAvgPoolForward(x, y, 2, 3, n);
// Layer 2, GlobalAvgPool: dx[c, j] = delta[c] / positions.
GlobalAvgPoolBackward(delta, dx, 2, 3, count);
// Columns
// Sample-major kernels: the chunk's values transposed into t1, the layer into t2, and back.
Transpose(x, t1.Slice(0, n * 6), 6, n);
GlobalAvgPoolForward(t1.Slice(0, n * 6), t2.Slice(0, n * 2), 2, 3, n);
Transpose(t2.Slice(0, n * 2), y, n, 2);
// Layer 2, GlobalAvgPool: dx[c, j] = delta[c] / positions.
Transpose(delta, t2.Slice(0, count * 2), 2, count);
GlobalAvgPoolBackward(t2.Slice(0, count * 2), t1.Slice(0, count * 6), 2, 3, count);
Transpose(t1.Slice(0, count * 6), dx, count, 6);
