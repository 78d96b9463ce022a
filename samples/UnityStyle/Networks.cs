using NetGen;

// Networks declared in every shape the generator accepts, so that each one's generated code is compiled
// at C# 9 against netstandard2.1: float and double, in a namespace, nested, and in the global namespace.
// Block-scoped namespaces throughout: file-scoped ones are C# 10.

/// <summary>Global namespace, float: steering for an agent that sees four features.</summary>
[Network]
[Linear(4, 16)]
[ReLU]
[Linear(16, 5)]
[Softmax]
[CrossEntropyLoss]
public partial class SteeringNet { }

namespace UnityStyle
{
    /// <summary>A namespace, double, no loss: a value estimate trained through the output-gradient Backward.</summary>
    [Network(typeof(double))]
    [Linear(6, 12)]
    [ReLU]
    [Linear(12, 1)]
    public partial class ValueNet { }

    /// <summary>A component that owns its networks, as a MonoBehaviour would.</summary>
    public partial class EnemyBrain
    {
        /// <summary>Nested, float, wide enough for the vector kernels and their scalar tails.</summary>
        [Network]
        [Linear(10, 37)]
        [ReLU]
        [Linear(37, 3)]
        [Softmax]
        [CrossEntropyLoss]
        public partial class TacticsNet { }

        /// <summary>Nested two deep, double, activations before the first Linear.</summary>
        public partial class Memory
        {
            [Network(typeof(double), FullUnroll = true)]
            [Softmax]
            [Linear(3, 3)]
            [ReLU]
            [Linear(3, 2)]
            [Softmax]
            [CrossEntropyLoss]
            public partial class RecallNet { }
        }
    }
}
