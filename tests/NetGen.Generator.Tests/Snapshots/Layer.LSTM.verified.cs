// LSTM: i, f, o = sigmoid(W_i x + b_i + W_h h + b_h); g = tanh(...); c' = f c + i g; h' = o tanh(c')
// canonical: LSTM(6,3), FLOPs per sample: 240
/// <summary>Layer 2, LSTM(6, 3): weight_ih, weight_hh, bias_ih, bias_hh are Parameters[30..162), gates i, f, g, o.</summary>
private readonly struct Layer2 : global::NetGen.Runtime.IRecurrentShape { public int Inputs => 6; public int Hidden => 3; public int Offset => 30; }
// Step
LstmStep<Layer2>(p, x, 6, states.Slice(0), StateSize, y, 3, n, r);
// Sequence
LstmForwardSequence<Layer2>(p, x, y, batch, steps, default, saved, r);
// Layer 2, LSTM(6, 3): back-propagation through time, the four tensors' gradients and d(inputs).
LstmBackwardSequence<Layer2>(p, x, delta, dx, g, batch, steps, saved, default, r);
