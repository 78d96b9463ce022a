namespace NetGen;

/// <summary>
/// What an optimizer of this library keeps between steps, so that a checkpoint can save it and a fresh
/// optimizer resume from it exactly (<see cref="OptimizerCheckpoint"/>).
/// </summary>
internal interface IOptimizerState<T> where T : unmanaged
{
    /// <summary>The optimizer's name in a checkpoint, e.g. "Adam".</summary>
    string Kind { get; }

    /// <summary>The coefficients a resumed run must share, by name, in a fixed order.</summary>
    (string Name, double Value)[] Hyperparameters { get; }

    /// <summary>The per-parameter state arrays (Adam's two moments; SGD's momentum buffer, or none), in the layout of Parameters.</summary>
    T[][] StateArrays { get; }

    /// <summary>Puts back a saved step count and state, already checked to fit.</summary>
    void Restore(long stepCount, T[][] stateArrays);
}
