using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Runtime;

/// <summary>
/// The vector operations a batch kernel needs, over one vector type: <see cref="Vector{T}"/>, or on
/// .NET 8+ <c>Vector512&lt;T&gt;</c> where 512-bit vectors are accelerated but <c>Vector&lt;T&gt;</c>
/// is narrower. One kernel body serves both, taking the width as a struct type argument.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IVectorWidth<T, TVector> where T : unmanaged where TVector : struct
{
    /// <summary>Lanes per vector.</summary>
    int Count { get; }

    /// <summary>Every lane 0.</summary>
    TVector Zero { get; }

    /// <summary>A vector from <paramref name="source"/> at <paramref name="offset"/>, unaligned and unchecked.</summary>
    TVector Load(ReadOnlySpan<T> source, int offset);

    /// <summary>
    /// A vector from <paramref name="source"/> at <paramref name="offset"/> elements, unaligned and unchecked: for
    /// loops that hold a reference per stream and step one native-sized offset, so that each load is one address
    /// (base plus scaled index) rather than 32-bit index arithmetic and a sign extension per load.
    /// </summary>
    TVector LoadAt(ref T source, nint offset);

    /// <summary>Stores <paramref name="value"/> at <paramref name="offset"/> elements from <paramref name="destination"/>, unaligned and unchecked (see <see cref="LoadAt"/>).</summary>
    void StoreAt(ref T destination, nint offset, TVector value);

    /// <summary>Stores <paramref name="value"/> at <paramref name="offset"/>, unaligned and unchecked.</summary>
    void Store(Span<T> destination, int offset, TVector value);

    /// <summary>Every lane set to <paramref name="source"/>[<paramref name="offset"/>], unchecked.</summary>
    TVector Broadcast(ReadOnlySpan<T> source, int offset);

    /// <summary><c>a + b</c> per lane.</summary>
    TVector Add(TVector a, TVector b);

    /// <summary><c>a * b + addend</c> per lane, fused where the hardware has it.</summary>
    TVector MultiplyAdd(TVector a, TVector b, TVector addend);

    /// <summary>ReLU per lane, <c>x &lt; 0 ? 0 : x</c>, as the ReLU kernels compute it (NaN and -0 pass through).</summary>
    TVector ReLU(TVector value);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    TVector Create(T value);

    /// <summary>
    /// A max pool's step per lane: <paramref name="value"/> where it is greater than <paramref name="maximum"/>
    /// or is NaN, else <paramref name="maximum"/> (a tie keeps the first maximum; the last NaN wins).
    /// </summary>
    TVector TakeLarger(TVector maximum, TVector value);
}

/// <summary><see cref="IVectorWidth{T, TVector}"/> on <see cref="Vector{T}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NumericsVectors<T, TArithmetic> : IVectorWidth<T, Vector<T>>
    where T : unmanaged
    where TArithmetic : struct, IArithmetic<T>
{
    /// <inheritdoc/>
    public int Count => Vector<T>.Count;

    /// <inheritdoc/>
    public Vector<T> Zero => Vector<T>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Load(ReadOnlySpan<T> source, int offset) => Simd.Load(source, offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> LoadAt(ref T source, nint offset) => Unsafe.ReadUnaligned<Vector<T>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref source, offset)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreAt(ref T destination, nint offset, Vector<T> value) => Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref destination, offset)), value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Span<T> destination, int offset, Vector<T> value) => Simd.Store(destination, offset, value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Broadcast(ReadOnlySpan<T> source, int offset) => Simd.Broadcast(source, offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Add(Vector<T> a, Vector<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> MultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> addend) => default(TArithmetic).MultiplyAdd(a, b, addend);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> ReLU(Vector<T> value) => Vector.ConditionalSelect(Vector.LessThan(value, Vector<T>.Zero), Vector<T>.Zero, value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Create(T value) => new(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> TakeLarger(Vector<T> maximum, Vector<T> value)
        => Vector.ConditionalSelect(Vector.BitwiseOr(Vector.LessThan(maximum, value), Vector.OnesComplement(Vector.Equals(value, value))), value, maximum);
}

#if NET8_0_OR_GREATER
/// <summary><see cref="IVectorWidth{T, TVector}"/> on 512-bit vectors.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Vectors512<T, TArithmetic> : IVectorWidth<T, Vector512<T>>
    where T : unmanaged
    where TArithmetic : struct, IArithmetic<T>
{
    /// <inheritdoc/>
    public int Count => Vector512<T>.Count;

    /// <inheritdoc/>
    public Vector512<T> Zero => Vector512<T>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Load(ReadOnlySpan<T> source, int offset) => Simd512.Load(source, offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> LoadAt(ref T source, nint offset) => Unsafe.ReadUnaligned<Vector512<T>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref source, offset)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreAt(ref T destination, nint offset, Vector512<T> value) => Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref destination, offset)), value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Span<T> destination, int offset, Vector512<T> value) => Simd512.Store(destination, offset, value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Broadcast(ReadOnlySpan<T> source, int offset) => Simd512.Broadcast(source, offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> addend) => default(TArithmetic).MultiplyAdd(a, b, addend);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> ReLU(Vector512<T> value) => Vector512.ConditionalSelect(Vector512.LessThan(value, Vector512<T>.Zero), Vector512<T>.Zero, value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Create(T value) => Vector512.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> TakeLarger(Vector512<T> maximum, Vector512<T> value)
        => Vector512.ConditionalSelect(Vector512.LessThan(maximum, value) | ~Vector512.Equals(value, value), value, maximum);
}
#endif
