using NetGen;

namespace Framework
{
    /// <summary>The Iris classifier of samples/Iris, here trained by NetGen's Trainer with Adam.</summary>
    [Network]
    [Linear(4, 16)]
    [ReLU]
    [Linear(16, 3)]
    [Softmax]
    [CrossEntropyLoss]
    public partial class IrisNet { }

    /// <summary>
    /// The same network in the lockstep mode: its parameters after training are the same bits on Mono
    /// and on .NET, at every vector width, which the program shows by printing their hash.
    /// </summary>
    [Network(Deterministic = true)]
    [Linear(4, 16)]
    [Tanh]
    [Linear(16, 3)]
    [Softmax]
    [CrossEntropyLoss]
    public partial class LockstepIrisNet { }
}
