using System;

namespace NetGen.Runtime.Tests.TestNetworks;

/// <summary>
/// y = 2 x1 - x2 + 0.5 plus seeded Gaussian noise, with x1 and x2 uniform in [-2, 2): a regression a
/// linear model learns to within the noise, so that its validation RMSE settles near the noise's
/// standard deviation.
/// </summary>
public static class LinearTask
{
    public const double W1 = 2, W2 = -1, Bias = 0.5;

    public static (T[] Features, T[] Targets) Create<T>(int samples, int seed, double noise) where T : unmanaged
    {
        var random = new Random(seed);
        var features = new T[2 * samples];
        var targets = new T[samples];
        for (int s = 0; s < samples; s++)
        {
            double x1 = 4 * random.NextDouble() - 2, x2 = 4 * random.NextDouble() - 2;
            features[2 * s] = Scalar.FromDouble<T>(x1);
            features[2 * s + 1] = Scalar.FromDouble<T>(x2);
            targets[s] = Scalar.FromDouble<T>(W1 * x1 + W2 * x2 + Bias + noise * Normal(random));
        }

        return (features, targets);
    }

    private static double Normal(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
