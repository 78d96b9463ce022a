using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

/// <summary>
/// The arithmetic the shared kernels need on one element type. netstandard2.1 has no generic maths, so
/// the kernels take this as a struct type argument: each call is on <c>default(TArithmetic)</c>, which the
/// JIT devirtualises and inlines, leaving the plain float or double instruction.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IArithmetic<T> where T : unmanaged
{
    /// <summary>
    /// True for the deterministic mode's arithmetic: then the elementwise transcendental kernels and the
    /// loss sums take their scalar path, whose order of operations is the same on every vector width
    /// (the vector paths use fused multiply-adds where the hardware has them).
    /// </summary>
    bool IsDeterministic { get; }

    /// <summary>0.</summary>
    T Zero { get; }

    /// <summary>1.</summary>
    T One { get; }

    /// <summary><c>a + b</c>.</summary>
    T Add(T a, T b);

    /// <summary><c>a - b</c>.</summary>
    T Subtract(T a, T b);

    /// <summary><c>a * b</c>.</summary>
    T Multiply(T a, T b);

    /// <summary><c>a * b + addend</c>, rounded twice (scalar code never fuses, as C# does not).</summary>
    T MultiplyAdd(T a, T b, T addend);

    /// <summary><c>a / b</c>.</summary>
    T Divide(T a, T b);

    /// <summary><c>a &lt; b</c> (false when either is NaN).</summary>
    bool LessThan(T a, T b);

    /// <summary><c>a &gt;= b</c> (false when either is NaN).</summary>
    bool GreaterThanOrEqual(T a, T b);

    /// <summary><c>e^x</c>, from the platform's maths library.</summary>
    T Exp(T x);

    /// <summary>e^x in double, for the losses' log-sum-exp (the platform's, or NetGen's own where deterministic).</summary>
    double ExpDouble(double x);

    /// <summary>The natural logarithm in double, for the losses.</summary>
    double LogDouble(double x);

    /// <summary><paramref name="value"/> widened to double.</summary>
    double ToDouble(T value);

    /// <summary><paramref name="value"/> rounded to the element type.</summary>
    T FromDouble(double value);

    /// <summary>True when <paramref name="value"/> is neither NaN nor infinite.</summary>
    bool IsFinite(T value);

    /// <summary><c>a * b + addend</c> per lane, fused where the hardware has fused multiply-add.</summary>
    Vector<T> MultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> addend);

    /// <summary>
    /// <c>tanh(x)</c> for the scalar twins, by the vector code's method on the platform's e^x, so that its
    /// accuracy does not depend on the platform's tanh: see <see cref="VectorMath.Tanh(float)"/>.
    /// </summary>
    T Tanh(T x);

    /// <summary>
    /// <c>e^x</c> per lane, written out rather than called (see <see cref="VectorMath"/>): within about an
    /// ulp, 0 and +infinity where e^x rounds to them, NaN for NaN.
    /// </summary>
    Vector<T> Exp(Vector<T> x);

    /// <summary>
    /// <c>e^x</c> per lane as a normal number times a power of two, <c>e^x = result * scale</c>, so that
    /// <c>f * e^x</c> can be taken as <c>(f * result) * scale</c>, rounded once where it is subnormal: see
    /// <see cref="VectorMath.Exp(Vector{float}, out Vector{float})"/>.
    /// </summary>
    Vector<T> Exp(Vector<T> x, out Vector<T> scale);

    /// <summary><c>tanh(x)</c> per lane, written out rather than called (see <see cref="VectorMath.Tanh(Vector{float})"/>).</summary>
    Vector<T> Tanh(Vector<T> x);

#if NET8_0_OR_GREATER
    /// <summary><c>a * b + addend</c> per lane, fused (AVX-512 always has fused multiply-add).</summary>
    Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> addend);
#endif
}

/// <summary><see cref="IArithmetic{T}"/> on float.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct FloatArithmetic : IArithmetic<float>
{
    /// <inheritdoc/>
    public bool IsDeterministic => false;

    /// <inheritdoc/>
    public float Zero => 0f;

    /// <inheritdoc/>
    public float One => 1f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Add(float a, float b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Subtract(float a, float b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Multiply(float a, float b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float MultiplyAdd(float a, float b, float addend) => (a * b) + addend;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Divide(float a, float b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool LessThan(float a, float b) => a < b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool GreaterThanOrEqual(float a, float b) => a >= b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Exp(float x) => MathF.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ToDouble(float value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ExpDouble(double x) => Math.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double LogDouble(double x) => Math.Log(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float FromDouble(double value) => (float)value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsFinite(float value) => FloatBits.IsFinite(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> addend) => Simd.MultiplyAdd(a, b, addend);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Tanh(float x) => VectorMath.Tanh(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Exp(Vector<float> x) => VectorMath.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Exp(Vector<float> x, out Vector<float> scale) => VectorMath.Exp(x, out scale);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Tanh(Vector<float> x) => VectorMath.Tanh(x);

#if NET8_0_OR_GREATER
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) => Simd512.MultiplyAdd(a, b, addend);
#endif
}

/// <summary><see cref="IArithmetic{T}"/> on double.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DoubleArithmetic : IArithmetic<double>
{
    /// <inheritdoc/>
    public bool IsDeterministic => false;

    /// <inheritdoc/>
    public double Zero => 0d;

    /// <inheritdoc/>
    public double One => 1d;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Add(double a, double b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Subtract(double a, double b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Multiply(double a, double b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double MultiplyAdd(double a, double b, double addend) => (a * b) + addend;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Divide(double a, double b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool LessThan(double a, double b) => a < b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool GreaterThanOrEqual(double a, double b) => a >= b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Exp(double x) => Math.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ToDouble(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ExpDouble(double x) => Math.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double LogDouble(double x) => Math.Log(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double FromDouble(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsFinite(double value) => FloatBits.IsFinite(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<double> MultiplyAdd(Vector<double> a, Vector<double> b, Vector<double> addend) => Simd.MultiplyAdd(a, b, addend);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Tanh(double x) => VectorMath.Tanh(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<double> Exp(Vector<double> x) => VectorMath.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<double> Exp(Vector<double> x, out Vector<double> scale) => VectorMath.Exp(x, out scale);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<double> Tanh(Vector<double> x) => VectorMath.Tanh(x);

#if NET8_0_OR_GREATER
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> addend) => Simd512.MultiplyAdd(a, b, addend);
#endif
}
