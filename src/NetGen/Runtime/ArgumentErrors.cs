using System;
using System.ComponentModel;
using System.Globalization;

namespace NetGen.Runtime;

/// <summary>
/// The exceptions generated networks throw for bad arguments, built here so that every network words
/// them alike and the generated methods stay small (a throw helper keeps the hot path free of string
/// formatting).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ArgumentErrors
{
    /// <summary>A span whose length is not the one the network needs.</summary>
    public static ArgumentException WrongLength(string parameterName, long expected, int actual, string meaning)
        => new(string.Format(CultureInfo.InvariantCulture,
            "Expected a length of {0} ({1}), but the span has {2}.", expected, meaning, actual), parameterName);

    /// <summary>A batch size below one.</summary>
    public static ArgumentOutOfRangeException EmptyBatch(string parameterName, int batchSize)
        => new(parameterName, batchSize, string.Format(CultureInfo.InvariantCulture,
            "The batch size must be at least 1, but it is {0}.", batchSize));

    /// <summary>An output-gradient span that is not a whole number of samples.</summary>
    public static ArgumentException PartialSample(string parameterName, int outputSize, int actual)
        => new(string.Format(CultureInfo.InvariantCulture,
            "Expected a length that is a multiple of OutputSize = {0} (one row per sample), but the span has {1}.", outputSize, actual), parameterName);

    /// <summary>A class label outside <c>[0, outputSize)</c>.</summary>
    public static ArgumentOutOfRangeException LabelOutOfRange(string parameterName, int index, int label, int outputSize)
        => new(parameterName, label, string.Format(CultureInfo.InvariantCulture,
            "{0}[{1}] is {2}, but a label must lie in [0, {3}): one of the network's {3} outputs.", parameterName, index, label, outputSize));

    /// <summary>A learning rate that is NaN or infinite.</summary>
    public static ArgumentOutOfRangeException NonFiniteLearningRate(string parameterName, double value)
        => new(parameterName, value, "The learning rate must be a finite number.");

    /// <summary>
    /// A negative learning rate. One rule everywhere (TrainStep, the optimizers, the trainer): a step
    /// size is finite and at least 0, since a negative one climbs the loss, which is a sign slip far more
    /// often than an intent; 0 computes the gradients and leaves the parameters as they are.
    /// </summary>
    public static ArgumentOutOfRangeException NegativeLearningRate(string parameterName, double value)
        => new(parameterName, value, "The learning rate must be at least 0: a negative step would climb the loss.");

    /// <summary>A step count below one (a sequence network's whole-sequence calls).</summary>
    public static ArgumentOutOfRangeException NoSteps(string parameterName, int steps)
        => new(parameterName, steps, string.Format(CultureInfo.InvariantCulture,
            "The number of steps must be at least 1, but it is {0}.", steps));

    /// <summary>A span that is not a whole, non-zero number of sequences of <paramref name="perSequence"/> values.</summary>
    public static ArgumentException PartialSequence(string parameterName, long perSequence, int actual, string meaning)
        => new(string.Format(CultureInfo.InvariantCulture,
            "Expected a length that is a positive multiple of {0} ({1}: one block per sequence), but the span has {2}.", perSequence, meaning, actual), parameterName);

    /// <summary>A state span that is not a whole number of states.</summary>
    public static ArgumentException PartialState(string parameterName, int stateSize, int actual)
        => new(string.Format(CultureInfo.InvariantCulture,
            "Expected a length that is a multiple of StateSize = {0} (one state per sequence), but the span has {1}.", stateSize, actual), parameterName);
}
