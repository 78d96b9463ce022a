// Linear: y = W x + b; dW = delta x^T, db = delta, dx = W^T delta
// canonical: Linear(6,3), FLOPs per sample: 36
/// <summary>Layer 2, Linear(6, 3): W is Parameters[30..48) row-major [3, 6], b is Parameters[48..51).</summary>
private readonly struct Layer2 : global::NetGen.Runtime.ILinearShape { public int Inputs => 6; public int Outputs => 3; public int Offset => 30; }

/// <summary>Layer 2, Linear(6, 3), written out: each output one independent sum, for runtimes without hardware vectors and inputs narrower than a vector.</summary>
[global::System.Runtime.CompilerServices.MethodImpl((global::System.Runtime.CompilerServices.MethodImplOptions)512)]
private static void ForwardLayer2(global::System.ReadOnlySpan<float> p, global::System.ReadOnlySpan<float> x, global::System.Span<float> y, int count)
{
    if (PreferVectors(6))
    {
        LinearForward<Layer2>(p, x, y, count);
        return;
    }
    // Constant-length slices let the JIT drop the bounds checks.
    global::System.ReadOnlySpan<float> w = p.Slice(30, 21);
    for (int s = 0; s < count; s++)
    {
        global::System.ReadOnlySpan<float> u = x.Slice(s * 6, 6);
        global::System.Span<float> v = y.Slice(s * 3, 3);
        float u5 = u[5], u4 = u[4], u3 = u[3], u2 = u[2], u1 = u[1], u0 = u[0];
        v[0] = w[18] + w[0] * u0 + w[1] * u1 + w[2] * u2 + w[3] * u3 + w[4] * u4 + w[5] * u5;
        v[1] = w[19] + w[6] * u0 + w[7] * u1 + w[8] * u2 + w[9] * u3 + w[10] * u4 + w[11] * u5;
        v[2] = w[20] + w[12] * u0 + w[13] * u1 + w[14] * u2 + w[15] * u3 + w[16] * u4 + w[17] * u5;
    }
}
// Rows
ForwardLayer2(p, x, y, n);
// Layer 2, Linear(6, 3): dW = sum delta x^T, db = sum delta, dx = W^T delta.
LinearParameterGradients<Layer2>(x, delta, g, count);
LinearInputGradient<Layer2>(p, delta, dx, count);
// Columns
LinearForwardColumns<Layer2>(p, x, y, n);
// Layer 2, Linear(6, 3): dW = sum delta x^T, db = sum delta, dx = W^T delta.
Transpose(x, t1.Slice(0, count * 6), 6, count);
Transpose(delta, t2.Slice(0, count * 3), 3, count);
LinearParameterGradients<Layer2>(t1.Slice(0, count * 6), t2.Slice(0, count * 3), g, count);
LinearInputGradientColumns<Layer2>(p, delta, dx, count);
