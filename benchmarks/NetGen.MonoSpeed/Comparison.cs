using System;
using System.Diagnostics;
using System.Linq;

namespace NetGen.MonoSpeed
{
    /// <summary>
    /// NetGen against <see cref="HandWrittenMlp"/> on the digits shape, in one process, interleaved: one
    /// sample forward, batch-64 forward, batch-64 training step. <c>compare --check</c> only checks that
    /// both compute the same outputs, losses and updated parameters (what CI runs on Mono); <c>compare</c>
    /// checks, then times each cell over many short rounds, each round NetGen and the hand-written code back
    /// to back, and prints the median times and the median of the rounds' ratios (the pairing keeps a loaded
    /// machine's swings out of the ratio as far as it can).
    /// </summary>
    internal static class Comparison
    {
        private const int Batch = 64;

        public static int Run(bool checkOnly, int rounds)
        {
            var random = new Random(7);
            var inputs = new float[Batch * DigitsShape.InputSize];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble();
            var labels = new int[Batch];
            for (int i = 0; i < labels.Length; i++) labels[i] = random.Next(DigitsShape.OutputSize);

            var network = new DigitsShape();
            network.InitializeParameters(3);
            var hand = new HandWrittenMlp();
            hand.CopyFrom(network.Parameters);

            int errors = Check(network, hand, inputs, labels);
            Console.WriteLine(errors == 0
                ? "check: NetGen and the hand-written MLP agree (one sample, batch-64 forward, 5 training steps)"
                : $"check: {errors} disagreement(s)");
            if (errors != 0 || checkOnly) return errors == 0 ? 0 : 1;

            var netgenOutputs = new float[Batch * DigitsShape.OutputSize];
            var handOutputs = new float[Batch * DigitsShape.OutputSize];
            var one = new float[DigitsShape.OutputSize];
            float sink = 0;
            var cells = new (string Name, Action NetGen, Action Hand)[]
            {
                ("one sample", () =>
                {
                    for (int s = 0; s < Batch; s++)
                    {
                        network.Forward(inputs.AsSpan(s * DigitsShape.InputSize, DigitsShape.InputSize), one);
                        sink += one[0];
                    }
                }, () =>
                {
                    for (int s = 0; s < Batch; s++)
                    {
                        hand.ForwardOne(inputs, s, one);
                        sink += one[0];
                    }
                }),
                ("batch-64 forward", () => { network.Forward(inputs, netgenOutputs, Batch); sink += netgenOutputs[0]; },
                    () => { hand.Forward(inputs, handOutputs, Batch); sink += handOutputs[0]; }),
                ("batch-64 training step", () => sink += network.TrainStep(inputs, labels, 1e-4f),
                    () => sink += hand.TrainStep(inputs, labels, 1e-4f)),
            };

            Console.WriteLine($"runtime: {Runtime()}, Vector.IsHardwareAccelerated = {System.Numerics.Vector.IsHardwareAccelerated}, Vector<float>.Count = {System.Numerics.Vector<float>.Count}");
            Console.WriteLine("| cell | NetGen (median) | hand-written (median) | NetGen / hand-written (median of rounds) |");
            Console.WriteLine("| --- | ---: | ---: | ---: |");
            foreach (var cell in cells)
            {
                // Warm up both (the JIT), then size a repetition count to about 50 ms of the slower one.
                cell.NetGen(); cell.Hand();
                long probe = Math.Max(Time(cell.NetGen, 3), Time(cell.Hand, 3)) / 3;
                int repetitions = (int)Math.Max(1, Stopwatch.Frequency / 20 / Math.Max(1, probe));
                var netgen = new double[rounds];
                var handTimes = new double[rounds];
                var ratios = new double[rounds];
                for (int round = 0; round < rounds; round++)
                {
                    // Each round times NetGen then the hand-written code back to back, in alternating order,
                    // so that the two share the machine's load of that moment; the round's ratio is the sample.
                    if (round % 2 == 0)
                    {
                        netgen[round] = Time(cell.NetGen, repetitions) / (double)repetitions;
                        handTimes[round] = Time(cell.Hand, repetitions) / (double)repetitions;
                    }
                    else
                    {
                        handTimes[round] = Time(cell.Hand, repetitions) / (double)repetitions;
                        netgen[round] = Time(cell.NetGen, repetitions) / (double)repetitions;
                    }
                    ratios[round] = netgen[round] / handTimes[round];
                }
                double n = Median(netgen), h = Median(handTimes), ratio = Median(ratios);
                Console.WriteLine($"| {cell.Name} | {Microseconds(n)} | {Microseconds(h)} | {ratio:F2} |");
            }
            Console.WriteLine($"(sink {sink})");
            return float.IsNaN(sink) ? 1 : 0;
        }

        /// <summary>Counts the places where NetGen and the hand-written MLP disagree beyond float rounding.</summary>
        private static int Check(DigitsShape network, HandWrittenMlp hand, float[] inputs, int[] labels)
        {
            int errors = 0;
            var expected = new float[DigitsShape.OutputSize];
            var actual = new float[DigitsShape.OutputSize];
            for (int s = 0; s < Batch; s++)
            {
                hand.ForwardOne(inputs, s, expected);
                network.Forward(inputs.AsSpan(s * DigitsShape.InputSize, DigitsShape.InputSize), actual);
                errors += Compare($"one sample {s}", expected, actual, 1e-5f);
            }
            var handBatch = new float[Batch * DigitsShape.OutputSize];
            var netgenBatch = new float[Batch * DigitsShape.OutputSize];
            hand.Forward(inputs, handBatch, Batch);
            network.Forward(inputs, netgenBatch, Batch);
            errors += Compare("batch-64 forward", handBatch, netgenBatch, 1e-5f);

            for (int step = 0; step < 5; step++)
            {
                float handLoss = hand.TrainStep(inputs, labels, 0.05f);
                float netgenLoss = network.TrainStep(inputs, labels, 0.05f);
                errors += Compare($"training step {step} loss", new[] { handLoss }, new[] { netgenLoss }, 1e-4f);
            }
            var handParameters = new float[DigitsShape.ParameterCount];
            hand.CopyTo(handParameters);
            errors += Compare("parameters after 5 training steps", handParameters, network.Parameters, 1e-4f);
            return errors;
        }

        /// <summary>1 if any value differs by more than the tolerance (relative to 1 or the value's size), else 0.</summary>
        private static int Compare(string what, float[] expected, float[] actual, float tolerance)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                float allowed = tolerance * Math.Max(1f, Math.Abs(expected[i]));
                if (!(Math.Abs(expected[i] - actual[i]) <= allowed))
                {
                    Console.WriteLine($"  {what}: [{i}] hand-written {expected[i]:R}, NetGen {actual[i]:R}");
                    return 1;
                }
            }
            return 0;
        }

        private static long Time(Action action, int repetitions)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < repetitions; i++) action();
            return Stopwatch.GetTimestamp() - start;
        }

        private static double Median(double[] values)
        {
            var sorted = (double[])values.Clone();
            Array.Sort(sorted);
            return sorted[sorted.Length / 2];
        }

        private static string Microseconds(double ticks) => $"{ticks * 1e6 / Stopwatch.Frequency:F1} us";

        private static string Runtime() =>
            Type.GetType("Mono.Runtime") != null ? "Mono" : System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
    }
}
