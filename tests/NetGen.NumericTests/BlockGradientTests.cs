using System;
using System.Linq;
using NetGen.NumericTests.Infrastructure;
using NetGen.NumericTests.Networks;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// Finite differences in double of the training-mode loss (batch statistics, dropout with its mask held
/// fixed by reseeding the network's generator before each call) against Backward's parameter and input
/// gradients, for residual blocks (nested, and from the input), LayerNorm, BatchNorm1D and Dropout; in
/// both layouts (one sample and small batches sample-major, larger batches feature-major where vectors
/// are accelerated).
/// </summary>
public class BlockGradientTests
{
    /// <summary>
    /// Reseeds the network's dropout generator (what InitializeParameters(seed) does besides the
    /// parameters and buffers, which are put back), so that the next training call draws the same mask.
    /// </summary>
    internal static void Reseed<T>(INetwork<T> net, int seed) where T : unmanaged
    {
        T[] parameters = net.Parameters.ToArray(), buffers = net.Buffers.ToArray();
        ((dynamic)net).InitializeParameters(seed);
        parameters.CopyTo(net.Parameters, 0);
        buffers.CopyTo(net.Buffers, 0);
    }

    /// <summary>The training-mode loss of one call, from a reseeded generator.</summary>
    private static double TrainingLoss(IRegressor<double> net, double[] inputs, double[] targets)
    {
        Reseed(net, 7);
        return net.BackwardFromTargets(inputs, targets);
    }

    /// <summary>
    /// The training-mode outputs, which no member returns: recovered from the training loss, which is
    /// (1/M) sum (y - t)^2, so that L(t = 0) - L(t = e_i) = (2 y_i - 1) / M. Each call is reseeded.
    /// </summary>
    internal static double[] TrainingOutputs(IRegressor<double> net, double[] inputs, int batch, Action reseed)
    {
        int m = batch * net.OutputSize;
        var targets = new double[m];
        reseed();
        double zero = net.BackwardFromTargets(inputs, targets);
        var outputs = new double[m];
        for (int i = 0; i < m; i++)
        {
            targets[i] = 1;
            reseed();
            outputs[i] = ((m * (zero - net.BackwardFromTargets(inputs, targets))) + 1) / 2;
            targets[i] = 0;
        }
        return outputs;
    }

    private static double[] Random(int count, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => ((random.NextDouble() * 2) - 1) * scale).ToArray();
    }

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[] { nameof(DBlockReference), nameof(DResidualFirst) })
        {
            foreach (int batch in new[] { 2, 3, 9, 21 })
            {
                data.Add(name, batch);
            }
        }
        data.Add(nameof(DResidualFirst), 1);
        return data;
    }

    private static IRegressor<double> Create(string name) => name switch
    {
        nameof(DBlockReference) => new DBlockReference(),
        nameof(DResidualFirst) => new DResidualFirst(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such network in this test."),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ParameterGradientsMatchFiniteDifferencesOfTheTrainingLoss(string name, int batch)
    {
        IRegressor<double> net = Create(name);
        ((dynamic)net).InitializeParameters(batch);
        // Normalisations' weights away from 1 and biases away from 0, so that their gradients matter.
        Random(net.ParameterCount, batch + 100, 0.3).Select((v, i) => net.Parameters[i] + v).ToArray().CopyTo(net.Parameters, 0);
        double[] inputs = Random(batch * net.InputSize, batch, 1.5), targets = Random(batch * net.OutputSize, batch + 1);

        TrainingLoss(net, inputs, targets);
        double[] analytic = net.Gradients.ToArray();
        const double h = 1e-6;
        for (int i = 0; i < net.ParameterCount; i++)
        {
            double saved = net.Parameters[i];
            net.Parameters[i] = saved + h;
            double plus = TrainingLoss(net, inputs, targets);
            net.Parameters[i] = saved - h;
            double minus = TrainingLoss(net, inputs, targets);
            net.Parameters[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-6 + (1e-5 * Math.Abs(numeric)),
                $"{name}, batch {batch}: d(loss)/d(parameter {i}) is {analytic[i]:R} by Backward, {numeric:R} by finite differences.");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InputGradientsMatchFiniteDifferencesOfTheTrainingLoss(string name, int batch)
    {
        IRegressor<double> net = Create(name);
        ((dynamic)net).InitializeParameters(batch + 50);
        double[] inputs = Random(batch * net.InputSize, batch + 2, 1.5), targets = Random(batch * net.OutputSize, batch + 3);
        int m = targets.Length;
        double[] outputs = TrainingOutputs(net, inputs, batch, () => Reseed(net, 7));
        double[] outputGradients = outputs.Select((y, i) => 2 * (y - targets[i]) / m).ToArray();
        Reseed(net, 7);
        var analytic = new double[inputs.Length];
        net.Backward(inputs, outputGradients, analytic);

        const double h = 1e-6;
        for (int i = 0; i < inputs.Length; i++)
        {
            double saved = inputs[i];
            inputs[i] = saved + h;
            double plus = TrainingLoss(net, inputs, targets);
            inputs[i] = saved - h;
            double minus = TrainingLoss(net, inputs, targets);
            inputs[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-6 + (1e-5 * Math.Abs(numeric)),
                $"{name}, batch {batch}: d(loss)/d(input {i}) is {analytic[i]:R} by Backward, {numeric:R} by finite differences.");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(17)]
    public void ClassifierGradientsMatchFiniteDifferencesOfTheTrainingLoss(int batch)
    {
        var net = new DBlockClassifier();
        net.InitializeParameters(batch);
        double[] inputs = Random(batch * DBlockClassifier.InputSize, batch, 2);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % DBlockClassifier.OutputSize).ToArray();
        double Loss()
        {
            Reseed(net, 3);
            return net.Backward(inputs, labels);
        }

        Loss();
        double[] analytic = net.Gradients.ToArray();
        const double h = 1e-6;
        for (int i = 0; i < DBlockClassifier.ParameterCount; i++)
        {
            double saved = net.Parameters[i];
            net.Parameters[i] = saved + h;
            double plus = Loss();
            net.Parameters[i] = saved - h;
            double minus = Loss();
            net.Parameters[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-6 + (1e-5 * Math.Abs(numeric)),
                $"batch {batch}: d(loss)/d(parameter {i}) is {analytic[i]:R} by Backward, {numeric:R} by finite differences.");
        }
    }
}
