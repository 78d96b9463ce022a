using System;
using NetGen;

namespace NetGen.MonoSpeed
{
    /// <summary>The digits shape of NetGen.Benchmarks (64-128-64-10, ReLU, softmax, cross-entropy).</summary>
    [Network] [Linear(64, 128)] [ReLU] [Linear(128, 64)] [ReLU] [Linear(64, 10)] [Softmax] [CrossEntropyLoss]
    public partial class DigitsShape { }

    /// <summary>
    /// <c>train</c>: 5,000 training steps at batch 64; <c>forward64</c>: 10,000 forward passes at batch 64;
    /// <c>forward1</c>: 200,000 single-sample forward passes; <c>compare</c>: NetGen against a hand-written
    /// MLP in one process (see <see cref="Comparison"/>); <c>loop</c> and <c>generic-loop</c>: 200,000
    /// dot products of 4,096 floats without NetGen, plain and through a struct type argument. Prints a
    /// number that depends on every result, so that nothing can be skipped.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length >= 1 && args[0] == "compare")
            {
                bool checkOnly = Array.IndexOf(args, "--check") >= 0;
                return Comparison.Run(checkOnly, rounds: 31);
            }
            string workload = args.Length == 1 ? args[0] : "";
            var network = new DigitsShape();
            network.InitializeParameters(1);
            var random = new Random(1);
            var inputs = new float[64 * DigitsShape.InputSize];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble();
            var labels = new int[64];
            for (int i = 0; i < labels.Length; i++) labels[i] = random.Next(DigitsShape.OutputSize);
            var outputs = new float[64 * DigitsShape.OutputSize];

            float check = 0;
            switch (workload)
            {
                case "train":
                    for (int step = 0; step < 5_000; step++) check += network.TrainStep(inputs, labels, 0.001f);
                    break;
                case "forward64":
                    for (int pass = 0; pass < 10_000; pass++)
                    {
                        network.Forward(inputs, outputs, 64);
                        check += outputs[pass % outputs.Length];
                    }
                    break;
                case "forward1":
                    for (int pass = 0; pass < 200_000; pass++)
                    {
                        network.Forward(inputs.AsSpan(pass % 64 * DigitsShape.InputSize, DigitsShape.InputSize), outputs.AsSpan(0, DigitsShape.OutputSize));
                        check += outputs[pass % DigitsShape.OutputSize];
                    }
                    break;
                case "loop":
                    // Not NetGen: the same dot products as a plain loop, and through a struct type argument
                    // as the shared kernels do their arithmetic, to tell the JIT's scalar code from NetGen's.
                    for (int pass = 0; pass < 200_000; pass++) check += PlainDot(inputs, outputs);
                    break;
                case "generic-loop":
                    for (int pass = 0; pass < 200_000; pass++) check += GenericDot<float, FloatMultiplyAdd>.Dot(inputs, 0.001f, outputs[0]);
                    break;
                default:
                    Console.Error.WriteLine("usage: NetGen.MonoSpeed train | forward64 | forward1 | loop | generic-loop | compare [--check]");
                    return 2;
            }

            Console.WriteLine($"{workload}: {check}");
            return float.IsNaN(check) || float.IsInfinity(check) ? 1 : 0;
        }

        /// <summary>Sums inputs[i] * 0.001 over the 4,096 inputs, one element at a time.</summary>
        private static float PlainDot(float[] inputs, float[] outputs)
        {
            float sum = outputs[0];
            for (int i = 0; i < inputs.Length; i++) sum = (inputs[i] * 0.001f) + sum;
            return sum;
        }
    }

    /// <summary>The arithmetic as a struct type argument, the pattern of NetGen's shared kernels.</summary>
    internal interface IMultiplyAdd<T>
    {
        T MultiplyAdd(T a, T b, T addend);
    }

    internal readonly struct FloatMultiplyAdd : IMultiplyAdd<float>
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public float MultiplyAdd(float a, float b, float addend) => (a * b) + addend;
    }

    internal static class GenericDot<T, TArithmetic> where T : unmanaged where TArithmetic : struct, IMultiplyAdd<T>
    {
        /// <summary>The same sum as <c>PlainDot</c>, each step through <typeparamref name="TArithmetic"/>.</summary>
        public static T Dot(T[] inputs, T scale, T start)
        {
            T sum = start;
            for (int i = 0; i < inputs.Length; i++) sum = default(TArithmetic).MultiplyAdd(inputs[i], scale, sum);
            return sum;
        }
    }
}
