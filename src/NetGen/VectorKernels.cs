using System;

namespace NetGen;

/// <summary>
/// Checks shared by the optimizers and the persistence code (the finiteness check they share with
/// generated networks is <see cref="Runtime.Simd.AllFinite{T}(ReadOnlySpan{T})"/>).
/// </summary>
internal static class VectorKernels
{
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
