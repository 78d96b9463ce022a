using NetGen;
using UnityEngine;

namespace NetGen.Samples
{
    /// <summary>
    /// Four features an agent sees (where its target is, left or right, near or far, and its own speed) to
    /// three actions (steer left, go straight, steer right). NetGen generates the rest of this class when
    /// Unity compiles the project: Forward, Predict, TrainStep, Parameters, with no allocation.
    /// </summary>
    [Network]
    [Linear(4, 16)]
    [ReLU]
    [Linear(16, 3)]
    [Softmax]
    [CrossEntropyLoss]
    public partial class SteeringNet { }

    /// <summary>
    /// Runs <see cref="SteeringNet"/> every frame to choose an action, and learns from a teacher (a
    /// hand-written rule standing in for a player's choices or a reward) in batches of 32 frames. Put it on
    /// any GameObject and press Play: <see cref="accuracy"/> climbs towards 1 in the Inspector within a few
    /// seconds. Every buffer is allocated once, in the fields: a frame allocates nothing, so the garbage
    /// collector never runs because of it.
    /// </summary>
    public sealed class SteeringAgent : MonoBehaviour
    {
        private const int BatchSize = 32;

        [Tooltip("Step size of each training step (plain SGD).")]
        public float learningRate = 0.5f;

        [Tooltip("The mean cross-entropy of the last training batch.")]
        public float loss;

        [Tooltip("How often the network chose the teacher's action over the last batch of frames.")]
        public float accuracy;

        [Tooltip("Training steps taken so far.")]
        public int steps;

        private readonly SteeringNet _network = new SteeringNet();
        private readonly float[] _features = new float[SteeringNet.InputSize];
        private readonly float[] _batchFeatures = new float[BatchSize * SteeringNet.InputSize];
        private readonly int[] _batchActions = new int[BatchSize];
        private int _filled;
        private int _agreed;
        private uint _random = 2463534242;

        private void Awake()
        {
            _network.InitializeParameters(seed: 1);
        }

        private void Update()
        {
            // 1. What the agent sees this frame (a game would read its world here).
            float targetSide = NextSigned(), targetDistance = Next01(), speed = Next01(), noise = NextSigned() * 0.1f;
            _features[0] = targetSide;
            _features[1] = targetDistance;
            _features[2] = speed;
            _features[3] = noise;

            // 2. Inference: the network's choice, this frame.
            int chosen = _network.Predict(_features);

            // 3. The teacher's choice, kept with the features for the next training step.
            int taught = targetSide < -0.2f ? 0 : targetSide > 0.2f ? 2 : 1;
            if (chosen == taught)
            {
                _agreed++;
            }
            System.Array.Copy(_features, 0, _batchFeatures, _filled * SteeringNet.InputSize, SteeringNet.InputSize);
            _batchActions[_filled++] = taught;

            // 4. Training, once a batch is full: one step of gradient descent on it.
            if (_filled == BatchSize)
            {
                loss = _network.TrainStep(_batchFeatures, _batchActions, learningRate);
                accuracy = _agreed / (float)BatchSize;
                steps++;
                _filled = 0;
                _agreed = 0;
            }
        }

        /// <summary>A xorshift generator: UnityEngine.Random would do as well; this one keeps the sample repeatable.</summary>
        private float Next01()
        {
            _random ^= _random << 13;
            _random ^= _random >> 17;
            _random ^= _random << 5;
            return (_random >> 8) * (1f / 16777216f);
        }

        private float NextSigned() => (Next01() * 2f) - 1f;
    }
}
