using System;
using System.Linq;
using System.Text;
using Xunit.Sdk;

namespace NetGen.NumericTests.Infrastructure;

/// <summary>
/// Central finite differences of a double network's scalar objective with respect to its parameters,
/// compared with the <c>Gradients</c> its <c>Backward</c> wrote.
/// </summary>
public static class GradientCheck
{
    /// <summary>The step: central differences have error O(h^2) from truncation and O(eps/h) from rounding.</summary>
    public const double H = 1e-6;

    /// <summary>At most this many parameters are perturbed; larger networks get a random sample.</summary>
    public const int MaxChecked = 300;

    /// <summary>
    /// Checks <c>Backward(inputs, labels)</c> against finite differences of the mean cross-entropy, which
    /// the test computes itself from <c>Forward</c>'s outputs (so a wrong <c>Loss</c> cannot hide a wrong
    /// gradient); checks on the way that <c>Loss</c> and <c>Backward</c>'s return value agree with it.
    /// </summary>
    public static void OfLoss(IClassifier<double> net, double[] inputs, int[] labels, int seed)
    {
        int batch = labels.Length;
        var outputs = new double[batch * net.OutputSize];
        double Objective()
        {
            net.Forward(inputs, outputs, batch);
            return Oracle.MeanCrossEntropy(outputs, labels, net.OutputSize);
        }

        double loss = Objective();
        Numbers.AssertClose("Loss", loss, net.Loss(inputs, labels), Tolerance.Double(loss));
        StaleState(net);
        double returned = net.Backward(inputs, labels);
        Numbers.AssertClose("Backward's returned loss", loss, returned, Tolerance.Double(loss));
        Compare("d(mean loss)/dParameters", net, net.Gradients.ToArray(), Objective, Math.Abs(loss) + 1, seed);
    }

    /// <summary>
    /// Checks <c>BackwardFromTargets(inputs, targets)</c> against finite differences of the mean squared
    /// error, computed by the test from <c>Forward</c>'s outputs; and that <c>Loss</c> and the returned
    /// loss agree with it.
    /// </summary>
    public static void OfRegressionLoss(IRegressor<double> net, double[] inputs, double[] targets, int seed)
    {
        int batch = targets.Length / net.OutputSize;
        var outputs = new double[batch * net.OutputSize];
        double Objective()
        {
            net.Forward(inputs, outputs, batch);
            return Oracle.MeanSquaredError(outputs, targets);
        }

        double loss = Objective();
        Numbers.AssertClose("Loss", loss, net.Loss(inputs, targets), Tolerance.Double(loss));
        StaleState(net);
        double returned = net.BackwardFromTargets(inputs, targets);
        Numbers.AssertClose("BackwardFromTargets' returned loss", loss, returned, Tolerance.Double(loss));
        Compare("d(mean squared error)/dParameters", net, net.Gradients.ToArray(), Objective, Math.Abs(loss) + 1, seed);
    }

    /// <summary>
    /// Checks <c>Backward(inputs, outputGradients)</c> against finite differences of
    /// <c>sum over b, j of outputGradients[b, j] * outputs[b, j]</c>.
    /// </summary>
    public static void OfOutputGradients(INetwork<double> net, double[] inputs, double[] outputGradients, int seed)
    {
        int batch = outputGradients.Length / net.OutputSize;
        var outputs = new double[batch * net.OutputSize];
        double Objective()
        {
            net.Forward(inputs, outputs, batch);
            return Oracle.Dot(outputGradients, outputs);
        }

        Objective();
        double magnitude = 1;
        for (int k = 0; k < outputs.Length; k++)
        {
            magnitude += Math.Abs(outputGradients[k] * outputs[k]);
        }
        StaleState(net);
        net.Backward(inputs, outputGradients);
        Compare("d(sum og*outputs)/dParameters", net, net.Gradients.ToArray(), Objective, magnitude, seed);
    }

    /// <summary>
    /// Checks <c>Backward(inputs, outputGradients, inputGradients)</c>: the same parameter gradients as the
    /// two-argument Backward, and input gradients that match finite differences of
    /// <c>sum over b, j of outputGradients[b, j] * outputs[b, j]</c> with respect to each input.
    /// </summary>
    public static void OfInputGradients(INetwork<double> net, double[] inputs, double[] outputGradients, int seed)
    {
        int batch = outputGradients.Length / net.OutputSize;
        var outputs = new double[batch * net.OutputSize];
        double Objective()
        {
            net.Forward(inputs, outputs, batch);
            return Oracle.Dot(outputGradients, outputs);
        }

        Objective();
        double magnitude = 1;
        for (int k = 0; k < outputs.Length; k++)
        {
            magnitude += Math.Abs(outputGradients[k] * outputs[k]);
        }
        net.Backward(inputs, outputGradients);
        double[] parameterGradients = net.Gradients.ToArray();
        StaleState(net);
        var inputGradients = new double[inputs.Length];
        inputGradients.AsSpan().Fill(double.NaN);
        net.Backward(inputs, outputGradients, inputGradients);
        if (!parameterGradients.AsSpan().SequenceEqual(net.Gradients))
        {
            throw new XunitException($"Backward with input gradients of {net.Architecture} wrote other parameter gradients than Backward without them.");
        }
        Compare("d(sum og*outputs)/dInputs", net, inputs, inputGradients, Objective, magnitude, seed);
    }

    /// <summary>
    /// Fills Gradients with NaN first: Backward must overwrite them, never accumulate into them.
    /// </summary>
    private static void StaleState(INetwork<double> net) => net.Gradients.AsSpan().Fill(double.NaN);

    private static void Compare(string what, INetwork<double> net, double[] analytic, Func<double> objective, double magnitude, int seed)
        => Compare(what, net, net.Parameters, analytic, objective, magnitude, seed);

    /// <summary>
    /// Fisher-Yates, written here rather than Random.Shuffle (.NET 8+), so that the .NET Framework build
    /// that CI runs on Mono samples the same parameters as every other run.
    /// </summary>
    private static void Shuffle(Random random, int[] values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Central differences of <paramref name="objective"/> in each (or a sample) of <paramref name="parameters"/>' values.</summary>
    private static void Compare(string what, INetwork<double> net, double[] parameters, double[] analytic, Func<double> objective, double magnitude, int seed)
    {
        int[] indices = Enumerable.Range(0, parameters.Length).ToArray();
        if (indices.Length > MaxChecked)
        {
            Shuffle(new Random(seed), indices);
            // Always include the first and last parameters (first weight, last bias): off-by-one territory.
            indices = indices.Take(MaxChecked - 2).Append(0).Append(parameters.Length - 1).Distinct().ToArray();
        }

        // Rounding in the objective, amplified by 1/(2h), plus a relative allowance for truncation.
        double roundingAllowance = 64 * 2.220446049250313e-16 * magnitude / H;
        var report = new StringBuilder();
        int failures = 0;
        double largest = 0;
        foreach (int p in indices)
        {
            double saved = parameters[p];
            parameters[p] = saved + H;
            double plus = objective();
            parameters[p] = saved - H;
            double minus = objective();
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * H);
            largest = Math.Max(largest, Math.Abs(numeric));
            double allowed = 1e-6 + 1e-5 * Math.Abs(numeric) + roundingAllowance;
            if (!(Math.Abs(analytic[p] - numeric) <= allowed))
            {
                if (failures++ < 10)
                {
                    report.Append($"\n  parameter [{p}]: finite difference {numeric:R}, Gradients {analytic[p]:R}");
                }
            }
        }
        if (failures > 0)
        {
            throw new XunitException($"{what} of {net.Architecture}: {failures} of {indices.Length} checked parameters disagree:{report}");
        }
        // Guard against a vacuous pass: the checked gradients must not all be (near) zero.
        if (largest < 1e-4)
        {
            throw new XunitException($"{what} of {net.Architecture}: every finite difference is below 1e-4; the check proves nothing.");
        }
    }
}
