using System;

namespace NetGen;

/// <summary>Argument checks shared by the optimizers, so that each coefficient is refused with the same words.</summary>
internal static class OptimizerArguments
{
    public static void EnsureNonNegative(double value, string parameterName)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "Must be a finite number, at least 0.");
        }
    }

    public static void EnsureFraction(double value, string parameterName)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "Must be at least 0 and less than 1.");
        }
    }
}
