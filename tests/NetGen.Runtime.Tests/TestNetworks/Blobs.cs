using System;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>Three well separated Gaussian clouds in the plane, seeded: a problem softmax regression solves.</summary>
public static class Blobs
{
    private static readonly (double X, double Y)[] Centres = { (0, 3), (3, -2), (-3, -2) };

    public static (T[] Features, int[] Labels) Create<T>(int perClass, int seed) where T : unmanaged
    {
        var random = new Random(seed);
        var features = new T[3 * perClass * 2];
        var labels = new int[3 * perClass];
        for (int s = 0; s < labels.Length; s++)
        {
            int label = s % 3;
            labels[s] = label;
            features[2 * s] = Scalar.FromDouble<T>(Centres[label].X + 0.7 * Normal(random));
            features[2 * s + 1] = Scalar.FromDouble<T>(Centres[label].Y + 0.7 * Normal(random));
        }

        return (features, labels);
    }

    private static double Normal(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
