using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Elementwise building blocks shared by the optimizers. Spans are walked as whole
/// <see cref="Vector{T}"/> blocks, then a scalar tail of fewer than <see cref="Vector{T}.Count"/>
/// elements; so every vector width, and every length, is handled.
/// </summary>
internal static class VectorKernels
{
    /// <summary>Whether every value is neither NaN nor infinite. <c>x - x</c> is 0 exactly for finite x and NaN otherwise.</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        ReadOnlySpan<Vector<T>> blocks = MemoryMarshal.Cast<T, Vector<T>>(values);
        for (int b = 0; b < blocks.Length; b++)
        {
            Vector<T> v = blocks[b];
            if (!Vector.EqualsAll(v - v, Vector<T>.Zero)) return false;
        }

        for (int i = blocks.Length * Vector<T>.Count; i < values.Length; i++)
        {
            if (!ElementTypes.IsFinite(values[i])) return false;
        }

        return true;
    }

    /// <summary>
    /// Throws unless the network's parameter and gradient arrays both have <see cref="INetwork{T}.ParameterCount"/>
    /// elements: an optimizer or a loader that trusted a wrong length would read or write out of place.
    /// </summary>
    public static void EnsureConsistent<T>(INetwork<T> network, string parameterName) where T : unmanaged
    {
        int count = network.ParameterCount;
        if (network.Parameters is null || network.Parameters.Length != count)
        {
            throw new ArgumentException(
                $"The network's Parameters must have ParameterCount ({count}) elements.", parameterName);
        }

        if (network.Gradients is null || network.Gradients.Length != count)
        {
            throw new ArgumentException(
                $"The network's Gradients must have ParameterCount ({count}) elements.", parameterName);
        }
    }
}
