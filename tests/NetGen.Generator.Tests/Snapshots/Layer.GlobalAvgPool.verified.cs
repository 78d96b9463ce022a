// GlobalAvgPool: y[c] = mean of x[c, every position]; dx[c, j] = delta[c] / positions
// canonical: GlobalAvgPool, FLOPs per sample: 8
// Rows
GlobalAvgPoolForward(x, y, 2, 3, n);
// Layer 2, GlobalAvgPool: dx[c, j] = delta[c] / positions.
GlobalAvgPoolBackward(delta, dx, 2, 3, count);
// Columns
GlobalAvgPoolForwardColumns(x, y, 2, 3, n);
// Layer 2, GlobalAvgPool: dx[c, j] = delta[c] / positions.
GlobalAvgPoolBackwardColumns(delta, dx, 2, 3, count);
