using System;

namespace NetGen.MonoSpeed
{
    /// <summary>
    /// The digits shape (64-128-64-10, ReLU, softmax, cross-entropy, plain SGD) written by hand the way a
    /// game developer writes it: float arrays, nested loops, one output at a time, buffers allocated once.
    /// The yardstick NetGen is measured against on Mono. Its parameters are copied from a NetGen network
    /// (the same layout: each layer's weights row-major [outputs, inputs], then its biases), so that both
    /// compute the same function and their outputs can be compared.
    /// </summary>
    internal sealed class HandWrittenMlp
    {
        private const int In = 64, H1 = 128, H2 = 64, Out = 10, MaxBatch = 64;

        private readonly float[] _w1 = new float[H1 * In], _b1 = new float[H1];
        private readonly float[] _w2 = new float[H2 * H1], _b2 = new float[H2];
        private readonly float[] _w3 = new float[Out * H2], _b3 = new float[Out];

        // Activations of every sample of a batch, kept for the backward pass, and the gradients.
        private readonly float[] _a1 = new float[MaxBatch * H1], _a2 = new float[MaxBatch * H2], _y = new float[MaxBatch * Out];
        private readonly float[] _d1 = new float[H1], _d2 = new float[H2], _d3 = new float[Out];
        private readonly float[] _gw1 = new float[H1 * In], _gb1 = new float[H1];
        private readonly float[] _gw2 = new float[H2 * H1], _gb2 = new float[H2];
        private readonly float[] _gw3 = new float[Out * H2], _gb3 = new float[Out];

        /// <summary>Takes a copy of NetGen's parameters (same layout).</summary>
        public void CopyFrom(float[] parameters)
        {
            int at = 0;
            foreach (float[] target in new[] { _w1, _b1, _w2, _b2, _w3, _b3 })
            {
                Array.Copy(parameters, at, target, 0, target.Length);
                at += target.Length;
            }
            if (at != parameters.Length) throw new ArgumentException("not the digits shape's parameters", nameof(parameters));
        }

        /// <summary>Writes the parameters back in NetGen's layout, to compare them after training.</summary>
        public void CopyTo(float[] parameters)
        {
            int at = 0;
            foreach (float[] source in new[] { _w1, _b1, _w2, _b2, _w3, _b3 })
            {
                Array.Copy(source, 0, parameters, at, source.Length);
                at += source.Length;
            }
        }

        /// <summary>The probabilities of <paramref name="count"/> samples, sample-major.</summary>
        public void Forward(float[] inputs, float[] outputs, int count)
        {
            for (int s = 0; s < count; s++)
            {
                ForwardSample(inputs, s);
                Array.Copy(_y, s * Out, outputs, s * Out, Out);
            }
        }

        /// <summary>The probabilities of sample <paramref name="sample"/> of the inputs into <paramref name="output"/>.</summary>
        public void ForwardOne(float[] inputs, int sample, float[] output)
        {
            ForwardSample(inputs, sample);
            Array.Copy(_y, sample * Out, output, 0, Out);
        }

        /// <summary>One SGD step on the mean cross-entropy of the batch; returns the loss.</summary>
        public float TrainStep(float[] inputs, int[] labels, float learningRate)
        {
            int count = labels.Length;
            Array.Clear(_gw1, 0, _gw1.Length); Array.Clear(_gb1, 0, _gb1.Length);
            Array.Clear(_gw2, 0, _gw2.Length); Array.Clear(_gb2, 0, _gb2.Length);
            Array.Clear(_gw3, 0, _gw3.Length); Array.Clear(_gb3, 0, _gb3.Length);
            float loss = 0;
            float scale = 1f / count;
            for (int s = 0; s < count; s++)
            {
                ForwardSample(inputs, s);
                loss -= (float)Math.Log(Math.Max(_y[(s * Out) + labels[s]], 1e-30f));

                // Softmax and cross-entropy together: dz = (y - onehot) / N.
                for (int o = 0; o < Out; o++) _d3[o] = (_y[(s * Out) + o] - (o == labels[s] ? 1f : 0f)) * scale;
                for (int o = 0; o < Out; o++)
                {
                    _gb3[o] += _d3[o];
                    for (int i = 0; i < H2; i++) _gw3[(o * H2) + i] += _d3[o] * _a2[(s * H2) + i];
                }
                for (int i = 0; i < H2; i++)
                {
                    float sum = 0;
                    for (int o = 0; o < Out; o++) sum += _w3[(o * H2) + i] * _d3[o];
                    _d2[i] = _a2[(s * H2) + i] > 0 ? sum : 0;
                }
                for (int o = 0; o < H2; o++)
                {
                    _gb2[o] += _d2[o];
                    for (int i = 0; i < H1; i++) _gw2[(o * H1) + i] += _d2[o] * _a1[(s * H1) + i];
                }
                for (int i = 0; i < H1; i++)
                {
                    float sum = 0;
                    for (int o = 0; o < H2; o++) sum += _w2[(o * H1) + i] * _d2[o];
                    _d1[i] = _a1[(s * H1) + i] > 0 ? sum : 0;
                }
                for (int o = 0; o < H1; o++)
                {
                    _gb1[o] += _d1[o];
                    for (int i = 0; i < In; i++) _gw1[(o * In) + i] += _d1[o] * inputs[(s * In) + i];
                }
            }
            Update(_w1, _gw1, learningRate); Update(_b1, _gb1, learningRate);
            Update(_w2, _gw2, learningRate); Update(_b2, _gb2, learningRate);
            Update(_w3, _gw3, learningRate); Update(_b3, _gb3, learningRate);
            return loss / count;
        }

        private static void Update(float[] parameters, float[] gradients, float learningRate)
        {
            for (int i = 0; i < parameters.Length; i++) parameters[i] -= learningRate * gradients[i];
        }

        /// <summary>Sample s of the inputs through the network: activations into _a1, _a2, probabilities into _y.</summary>
        private void ForwardSample(float[] inputs, int s)
        {
            for (int o = 0; o < H1; o++)
            {
                float sum = _b1[o];
                for (int i = 0; i < In; i++) sum += _w1[(o * In) + i] * inputs[(s * In) + i];
                _a1[(s * H1) + o] = sum > 0 ? sum : 0;
            }
            for (int o = 0; o < H2; o++)
            {
                float sum = _b2[o];
                for (int i = 0; i < H1; i++) sum += _w2[(o * H1) + i] * _a1[(s * H1) + i];
                _a2[(s * H2) + o] = sum > 0 ? sum : 0;
            }
            float max = float.NegativeInfinity;
            for (int o = 0; o < Out; o++)
            {
                float sum = _b3[o];
                for (int i = 0; i < H2; i++) sum += _w3[(o * H2) + i] * _a2[(s * H2) + i];
                _y[(s * Out) + o] = sum;
                if (sum > max) max = sum;
            }
            float total = 0;
            for (int o = 0; o < Out; o++)
            {
                float e = (float)Math.Exp(_y[(s * Out) + o] - max);
                _y[(s * Out) + o] = e;
                total += e;
            }
            for (int o = 0; o < Out; o++) _y[(s * Out) + o] /= total;
        }
    }
}
