using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Runtime;

// LeakyReLU, elementwise like ReLU: layout-independent, y may be x itself and dx may be delta itself.
// Vector lanes and scalar tails do the same operations, so every value gets the same bits wherever it
// sits.
public abstract partial class NetworkKernels<T, TArithmetic>
{
    /// <summary>
    /// LeakyReLU: <c>y = x &gt;= 0 ? x : slope * x</c> elementwise (PyTorch's nn.LeakyReLU); y may be x
    /// itself. NaN fails the comparison and gives <c>slope * NaN</c>, NaN, so training sees it; -0 stays -0.
    /// </summary>
    [MethodImpl(Optimized)]
    public static void LeakyReLUForward(ReadOnlySpan<T> x, Span<T> y, T slope)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<T>(slope);
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> v = Simd.Load(x, k);
                Simd.Store(y, k, Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, Vector<T>.Zero), v, v * factor));
            }
        }
        for (; k < x.Length; k++)
        {
            y[k] = A.GreaterThanOrEqual(x[k], A.Zero) ? x[k] : A.Multiply(x[k], slope);
        }
    }

    /// <summary>
    /// LeakyReLU backward from the input: <c>dx = delta * (x &gt;= 0 ? 1 : slope)</c>, the derivative at 0
    /// taken as 1 (as in <see cref="ReLUBackward"/>); dx may be delta itself.
    /// </summary>
    /// <remarks>
    /// A NaN input fails the comparison and takes the negative side, <c>delta * slope</c>, as PyTorch's
    /// leaky_relu_backward and this library's ReLU backward do: the forward already turned that NaN into
    /// a NaN output, so the loss is NaN and the training step is skipped; the gradient need not carry it.
    /// </remarks>
    [MethodImpl(Optimized)]
    public static void LeakyReLUBackward(ReadOnlySpan<T> x, ReadOnlySpan<T> delta, Span<T> dx, T slope)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<T>(slope);
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> open = Vector.GreaterThanOrEqual(Simd.Load(x, k), Vector<T>.Zero);
                Simd.Store(dx, k, Simd.Load(delta, k) * Vector.ConditionalSelect(open, Vector<T>.One, factor));
            }
        }
        for (; k < x.Length; k++)
        {
            dx[k] = A.Multiply(delta[k], A.GreaterThanOrEqual(x[k], A.Zero) ? A.One : slope);
        }
    }
}
