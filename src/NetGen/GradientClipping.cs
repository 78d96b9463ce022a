using System;

namespace NetGen;

/// <summary>
/// Gradient clipping by global norm, as PyTorch's <c>torch.nn.utils.clip_grad_norm_(parameters, max_norm)</c>:
/// the L2 norm of every gradient together, and where it exceeds the maximum, every gradient scaled by
/// <c>maxNorm / (norm + 1e-6)</c>. Recurrent networks trained through time need it: one long sequence can
/// make the gradients explode. The optimizers (<see cref="SgdOptimizer{T}.MaxGradientNorm"/>,
/// <see cref="AdamOptimizer{T}.MaxGradientNorm"/>) and the trainers (<see cref="TrainerOptions.MaxGradientNorm"/>)
/// apply it before each update.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales <paramref name="gradients"/> in place so that their global L2 norm is at most
    /// <paramref name="maxNorm"/> (PyTorch's rule: by <c>maxNorm / (norm + 1e-6)</c> where that is below 1) and
    /// returns the norm before clipping. The norm is summed in double, value after value, so it is the same
    /// on every machine and vector width, and each value is scaled by one rounded multiplication. Where the
    /// norm is not finite (a NaN or infinite gradient) nothing is scaled: the update that follows is refused
    /// by the optimizers anyway, and the gradients stay as the backward pass left them.
    /// </summary>
    /// <param name="gradients">The gradients, e.g. a network's <see cref="INetwork{T}.Gradients"/>.</param>
    /// <param name="maxNorm">The largest norm allowed: finite and greater than 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not finite or not greater than 0.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static double ClipByGlobalNorm<T>(Span<T> gradients, double maxNorm) where T : unmanaged
    {
        ElementTypes.EnsureSupported<T>();
        EnsureMaxNorm(maxNorm, nameof(maxNorm));
        double sum = 0;
        foreach (T value in gradients)
        {
            double v = ElementTypes.ToDouble(value);
            sum += v * v;
        }

        double norm = Math.Sqrt(sum);
        if (double.IsNaN(norm) || double.IsInfinity(norm)) return norm;
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient >= 1) return norm;
        if (typeof(T) == typeof(float))
        {
            Span<float> values = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gradients);
            float factor = (float)coefficient;
            for (int i = 0; i < values.Length; i++) values[i] *= factor;
        }
        else
        {
            Span<double> values = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(gradients);
            for (int i = 0; i < values.Length; i++) values[i] *= coefficient;
        }

        return norm;
    }

    /// <summary>Clips <paramref name="network"/>'s <see cref="INetwork{T}.Gradients"/>: see <see cref="ClipByGlobalNorm{T}(Span{T}, double)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    public static double ClipByGlobalNorm<T>(INetwork<T> network, double maxNorm) where T : unmanaged
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        return ClipByGlobalNorm<T>(network.Gradients, maxNorm);
    }

    /// <summary>A maximum norm is finite and greater than 0, or the option is off (null).</summary>
    internal static void EnsureMaxNorm(double? maxNorm, string parameterName)
    {
        if (maxNorm is double value && !(value > 0 && !double.IsInfinity(value)))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "The maximum gradient norm must be a finite number greater than 0 (or null for no clipping).");
        }
    }
}
