using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

/// <summary>
/// <see cref="IArithmetic{T}"/> on float for <c>[Network(Deterministic = true)]</c>: never fused (a multiply
/// then an add, each rounded, where the default mode fuses them on FMA hardware), and exp from
/// <see cref="DeterministicMath"/> rather than the platform's library, so that every machine computes
/// the same bits.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DeterministicFloatArithmetic : IArithmetic<float>
{
    /// <inheritdoc/>
    public bool IsDeterministic => true;

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
    public float Exp(float x) => DeterministicMath.Exp(x);

    /// <inheritdoc/>
    public float Tanh(float x) => DeterministicMath.Tanh(x);

    /// <inheritdoc/>
    public Vector<float> Exp(Vector<float> x) => PerLane(x, DeterministicMath.Exp);

    /// <inheritdoc/>
    public Vector<float> Exp(Vector<float> x, out Vector<float> scale)
    {
        scale = Vector<float>.One;
        return PerLane(x, DeterministicMath.Exp);
    }

    /// <inheritdoc/>
    public Vector<float> Tanh(Vector<float> x) => PerLane(x, DeterministicMath.Tanh);

    /// <summary>
    /// The scalar function on each lane: never reached from the kernels (which take their scalar paths
    /// where <see cref="IsDeterministic"/>), and by construction the same bits as those paths.
    /// </summary>
    private static Vector<float> PerLane(Vector<float> x, Func<float, float> function)
    {
        Span<float> lanes = stackalloc float[Vector<float>.Count];
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = function(x[i]);
        }
        return VectorLoading.Load<float>(lanes);
    }

    /// <inheritdoc/>
    public double ExpDouble(double x) => DeterministicMath.Exp(x);

    /// <inheritdoc/>
    public double LogDouble(double x) => DeterministicMath.Log(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ToDouble(float value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float FromDouble(double value) => (float)value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsFinite(float value) => FloatBits.IsFinite(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> addend) => (a * b) + addend;

#if NET8_0_OR_GREATER
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) => (a * b) + addend;
#endif
}

/// <summary><see cref="IArithmetic{T}"/> on double for <c>[Network(Deterministic = true)]</c>: see <see cref="DeterministicFloatArithmetic"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DeterministicDoubleArithmetic : IArithmetic<double>
{
    /// <inheritdoc/>
    public bool IsDeterministic => true;

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
    public double Exp(double x) => DeterministicMath.Exp(x);

    /// <inheritdoc/>
    public double Tanh(double x) => DeterministicMath.Tanh(x);

    /// <inheritdoc/>
    public Vector<double> Exp(Vector<double> x) => PerLane(x, DeterministicMath.Exp);

    /// <inheritdoc/>
    public Vector<double> Exp(Vector<double> x, out Vector<double> scale)
    {
        scale = Vector<double>.One;
        return PerLane(x, DeterministicMath.Exp);
    }

    /// <inheritdoc/>
    public Vector<double> Tanh(Vector<double> x) => PerLane(x, DeterministicMath.Tanh);

    /// <summary>
    /// The scalar function on each lane: never reached from the kernels (which take their scalar paths
    /// where <see cref="IsDeterministic"/>), and by construction the same bits as those paths.
    /// </summary>
    private static Vector<double> PerLane(Vector<double> x, Func<double, double> function)
    {
        Span<double> lanes = stackalloc double[Vector<double>.Count];
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = function(x[i]);
        }
        return VectorLoading.Load<double>(lanes);
    }

    /// <inheritdoc/>
    public double ExpDouble(double x) => DeterministicMath.Exp(x);

    /// <inheritdoc/>
    public double LogDouble(double x) => DeterministicMath.Log(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ToDouble(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double FromDouble(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsFinite(double value) => FloatBits.IsFinite(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<double> MultiplyAdd(Vector<double> a, Vector<double> b, Vector<double> addend) => (a * b) + addend;

#if NET8_0_OR_GREATER
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> addend) => (a * b) + addend;
#endif
}
