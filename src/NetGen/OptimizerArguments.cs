using System;
using NetGen.Runtime;

namespace NetGen;

/// <summary>Argument checks shared by the optimizers, schedules and trainer, so that each coefficient is refused with the same words.</summary>
internal static class OptimizerArguments
{
    /// <summary>
    /// The library's one rule for a learning rate: finite and at least 0, refused with the exceptions a
    /// generated <c>TrainStep</c> throws (<see cref="ArgumentErrors.NonFiniteLearningRate"/>,
    /// <see cref="ArgumentErrors.NegativeLearningRate"/>), so that a rate refused in one place is refused
    /// in every place, with the same type and words.
    /// </summary>
    public static void EnsureLearningRate(double value, string parameterName)
    {
        // Finiteness first, as the generated check does: negative infinity is reported as not finite.
        if (!IsFinite(value)) throw ArgumentErrors.NonFiniteLearningRate(parameterName, value);
        if (value < 0) throw ArgumentErrors.NegativeLearningRate(parameterName, value);
    }

    /// <summary>Whether <paramref name="value"/> satisfies <see cref="EnsureLearningRate"/>.</summary>
    public static bool IsValidLearningRate(double value) => IsFinite(value) && value >= 0;

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

    private static bool IsFinite(double value) => value - value == 0;
}
