using System;
using NetGen;

namespace UnityStyle
{
    /// <summary>
    /// A little Unity-style code using the networks: buffers allocated once in the constructor (as in
    /// Awake), then a per-frame Update that allocates nothing, and a Learn step between rounds.
    /// </summary>
    public sealed partial class EnemyBrain
    {
        private readonly TacticsNet _tactics = new TacticsNet();
        private readonly ValueNet _value = new ValueNet();
        private readonly Memory.RecallNet _recall = new Memory.RecallNet();
        private readonly float[] _senses = new float[TacticsNet.InputSize];
        private readonly float[] _probabilities = new float[TacticsNet.OutputSize];
        private readonly double[] _state = new double[ValueNet.InputSize];
        private readonly double[] _valueOut = new double[ValueNet.OutputSize];
        private readonly double[] _valueGradient = { 1.0 };

        public EnemyBrain(int seed)
        {
            _tactics.InitializeParameters(seed);
            _value.InitializeParameters(seed + 1);
            _recall.InitializeParameters(seed + 2);
        }

        /// <summary>Chooses a tactic for this frame and returns its probability.</summary>
        public float Update(float distance, float health, float ammo, int tactic)
        {
            Array.Clear(_senses, 0, _senses.Length);
            _senses[0] = distance;
            _senses[1] = health;
            _senses[2] = ammo;
            _senses[3 + (tactic % 7)] = 1f;
            _tactics.Forward(_senses, _probabilities);
            return _probabilities[_tactics.Predict(_senses)];
        }

        /// <summary>One imitation step towards <paramref name="labels"/>; returns the loss.</summary>
        public float Learn(ReadOnlySpan<float> senses, ReadOnlySpan<int> labels, float learningRate)
            => _tactics.TrainStep(senses, labels, learningRate);

        /// <summary>The value estimate and its gradient with respect to the parameters.</summary>
        public double Value(ReadOnlySpan<double> state)
        {
            state.CopyTo(_state);
            _value.Forward(_state, _valueOut);
            _value.Backward(_state, _valueGradient);
            return _valueOut[0];
        }

        public int Recall(double a, double b, double c)
        {
            Span<double> input = stackalloc double[Memory.RecallNet.InputSize];
            input[0] = a;
            input[1] = b;
            input[2] = c;
            return _recall.Predict(input);
        }

        /// <summary>Every network through the interfaces, as a generic helper sees them.</summary>
        public static string Summary(INetwork<float> tactics, IClassifier<double> recall)
            => tactics.Architecture + " | " + recall.Architecture + " | " + SteeringNet.Describe();
    }

    /// <summary>Batch inference for a crowd of agents on the global-namespace network.</summary>
    public static class Crowd
    {
        public static void Steer(SteeringNet network, float[] senses, float[] actions, int agents)
            => network.Forward(senses.AsSpan(0, agents * SteeringNet.InputSize), actions.AsSpan(0, agents * SteeringNet.OutputSize), agents);
    }
}
