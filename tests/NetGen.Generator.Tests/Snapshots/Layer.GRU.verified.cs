// GRU: r, z = sigmoid(W_i x + b_i + W_h h + b_h); n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h' = (1 - z) n + z h
// canonical: GRU(6,3), FLOPs per sample: 186
/// <summary>Layer 2, GRU(6, 3): weight_ih, weight_hh, bias_ih, bias_hh are Parameters[30..129), gates r, z, n.</summary>
private readonly struct Layer2 : global::NetGen.Runtime.IRecurrentShape { public int Inputs => 6; public int Hidden => 3; public int Offset => 30; }
// Step
GruStep<Layer2>(p, x, 6, states.Slice(0), StateSize, y, 3, n, r);
// Sequence
GruForwardSequence<Layer2>(p, x, y, batch, steps, default, saved, r);
// Layer 2, GRU(6, 3): back-propagation through time, the four tensors' gradients and d(inputs).
GruBackwardSequence<Layer2>(p, x, delta, dx, g, batch, steps, saved, default, r);
