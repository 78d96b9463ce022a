using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Security.Cryptography;
using NetGen;

namespace Framework
{
    /// <summary>
    /// NetGen on .NET Framework 4.7.2 (or Mono): train Iris with the Trainer and Adam, save and reload the
    /// parameters as safetensors, then train the lockstep twin and print the hash of its parameters.
    /// Written in C# 9 without top-level statements, as a .NET Framework project may be.
    /// </summary>
    public static class Program
    {
        private const int Seed = 7;

        /// <summary>
        /// The lockstep network's parameters after its training below, as the first 8 bytes of their
        /// SHA-256: pinned, so that every runtime and vector width this program runs on must reproduce it.
        /// </summary>
        private const string LockstepHash = "8924abde16c79412";

        /// <summary>28 of the 30 held-out flowers; chance is a third.</summary>
        private const double RequiredAccuracy = 0.9;

        public static int Main()
        {
            Type mono = Type.GetType("Mono.Runtime");
            Console.WriteLine($"Runtime: {(mono is null ? System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription : "Mono " + MonoVersion(mono))}; " +
                $"Vector<float>.Count = {Vector<float>.Count}, hardware-accelerated: {Vector.IsHardwareAccelerated}");

            (float[] features, int[] labels) = ReadIris(Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "iris.csv"));
            (float[] trainX, int[] trainY, float[] testX, int[] testY) = Split(features, labels);

            var network = new IrisNet();
            network.InitializeParameters(Seed);
            var options = new TrainerOptions { Epochs = 200, BatchSize = 8, Seed = Seed };
            var trainer = new ClassifierTrainer<float>(network, new AdamOptimizer<float>(network, 0.01f), options);
            TrainingResult result = trainer.Fit(trainX, trainY);
            double accuracy = Accuracy(network, testX, testY);
            Console.WriteLine($"IrisNet: {result.Message} Held-out accuracy {accuracy.ToString("P1", CultureInfo.InvariantCulture)} on {testY.Length} flowers.");

            // Persistence works the same on this runtime: save, load into a fresh network, same answers.
            string path = Path.Combine(Path.GetTempPath(), $"netgen-framework-{Guid.NewGuid():N}.safetensors");
            try
            {
                network.SaveSafetensors(path);
                var reloaded = new IrisNet();
                reloaded.LoadSafetensors(path);
                bool same = reloaded.Parameters.SequenceEqual(network.Parameters);
                Console.WriteLine($"Saved to safetensors and loaded back: {(same ? "the same parameters" : "DIFFERENT parameters")}.");
                if (!same) return 1;
            }
            finally
            {
                File.Delete(path);
            }

            var lockstep = new LockstepIrisNet();
            lockstep.InitializeParameters(Seed);
            for (int epoch = 0; epoch < 50; epoch++)
            {
                for (int start = 0; start + 8 <= trainY.Length; start += 8)
                {
                    lockstep.TrainStep(trainX.AsSpan(start * 4, 8 * 4), trainY.AsSpan(start, 8), 0.05f);
                }
            }
            double lockstepAccuracy = Accuracy(lockstep, testX, testY);
            string hash = Hash(lockstep.Parameters);
            Console.WriteLine($"LockstepIrisNet: held-out accuracy {lockstepAccuracy.ToString("P1", CultureInfo.InvariantCulture)}; " +
                $"parameters' SHA-256 {hash} ({(hash == LockstepHash ? "the pinned hash, as on every runtime and vector width" : "NOT the pinned " + LockstepHash)}).");

            return accuracy >= RequiredAccuracy && lockstepAccuracy >= RequiredAccuracy && hash == LockstepHash ? 0 : 1;
        }

        private static (float[] Features, int[] Labels) ReadIris(string path)
        {
            // Columns: four measurements, then the species as 0, 1 or 2.
            float[][] rows = File.ReadAllLines(path).Skip(1).Where(line => line.Length > 0)
                .Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
                .ToArray();
            return (rows.SelectMany(r => r.Take(4)).ToArray(), rows.Select(r => (int)r[4]).ToArray());
        }

        /// <summary>
        /// samples/Iris's split: a seeded shuffle, then every fifth flower of each species held out; each
        /// feature standardised with the training flowers' mean and deviation.
        /// </summary>
        private static (float[], int[], float[], int[]) Split(float[] features, int[] labels)
        {
            var random = new Random(Seed);
            int[] order = Enumerable.Range(0, labels.Length).OrderBy(_ => random.Next()).ToArray();
            int[] test = order.GroupBy(i => labels[i]).SelectMany(g => g.Where((_, k) => k % 5 == 0)).ToArray();
            int[] train = order.Except(test).ToArray();
            float[] trainX = Gather(features, train), testX = Gather(features, test);
            for (int f = 0; f < 4; f++)
            {
                double mean = train.Average(i => features[i * 4 + f]);
                double deviation = Math.Sqrt(train.Average(i => (features[i * 4 + f] - mean) * (features[i * 4 + f] - mean)));
                foreach (float[] set in new[] { trainX, testX })
                {
                    for (int i = f; i < set.Length; i += 4) set[i] = (float)((set[i] - mean) / deviation);
                }
            }
            return (trainX, train.Select(i => labels[i]).ToArray(), testX, test.Select(i => labels[i]).ToArray());
        }

        private static float[] Gather(float[] features, int[] indices) => indices.SelectMany(i => features.Skip(i * 4).Take(4)).ToArray();

        private static double Accuracy(IClassifier<float> network, float[] x, int[] y)
            => (double)Enumerable.Range(0, y.Length).Count(i => network.Predict(x.AsSpan(i * 4, 4)) == y[i]) / y.Length;

        private static string Hash(float[] parameters)
        {
            byte[] bytes = new byte[parameters.Length * sizeof(float)];
            Buffer.BlockCopy(parameters, 0, bytes, 0, bytes.Length);
            using (SHA256 sha = SHA256.Create())
            {
                return string.Concat(sha.ComputeHash(bytes).Take(8).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
            }
        }

        private static string MonoVersion(Type mono)
            => mono.GetMethod("GetDisplayName", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)?.Invoke(null, null) as string ?? "(unknown version)";
    }
}
