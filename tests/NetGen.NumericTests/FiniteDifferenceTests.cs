using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// Gradients of double networks against central finite differences: each layer kind alone, Softmax in
/// odd places, and whole networks of several depths and awkward widths, for batches of 1, 3 and 17.
/// Batches above 1 are what catch a 1/N applied twice or not at all.
/// </summary>
public class FiniteDifferenceTests
{
    private static readonly int[] BatchSizes = [1, 3, 17];

    private static readonly string[] Networks =
    [
        "DLinear", "DLinearReLU", "DLinearSoftmax", "DLinearSoftmaxLoss", "DSoftmaxMiddle", "DSoftmaxFirst",
        "DNarrowOut", "DWide", "DWideUnrolled", "DDeep", "DDeeper", "NestedNet", "single_sample",
        "DLinearTanh", "DLinearSigmoid", "DLinearLeakyReLU", "DLinearLeakyReLUSlope", "DLinearSiLU", "DLinearMse",
        "DTanhFirstMse", "DSmoothDeep", "DSmoothClassifier", "leaky_silu_mse",
    ];

    public static IEnumerable<object[]> AllCases =>
        from name in Networks from batch in BatchSizes select new object[] { name, batch };

    public static IEnumerable<object[]> ClassifierCases =>
        from name in Networks
        where Catalog.Get(name).Spec.EndsInCrossEntropy
        from batch in BatchSizes
        select new object[] { name, batch };

    [Theory, MemberData(nameof(AllCases))]
    public void Backward_with_output_gradients_matches_finite_differences(string name, int batch)
    {
        var subject = Catalog.Create<double>(name);
        var net = subject.Net;
        var random = new Random(Seed(name, batch, 1));
        var inputs = Numbers.Uniform(random, batch * net.InputSize, 2.0);
        var outputGradients = Numbers.Uniform(random, batch * net.OutputSize, 1.0);

        // The generated outputs are the oracle's, so the objective differentiated below is the right one.
        var outputs = new double[batch * net.OutputSize];
        net.Forward(inputs, outputs, batch);
        Numbers.AssertClose("Forward", Oracle.Forward(subject.Spec, net.Parameters, inputs, batch), outputs, Tolerance.Double(1));

        GradientCheck.OfOutputGradients(net, inputs, outputGradients, seed: batch);
    }

    [Theory, MemberData(nameof(AllCases))]
    public void Backward_with_input_gradients_matches_finite_differences_in_the_inputs(string name, int batch)
    {
        var subject = Catalog.Create<double>(name);
        var net = subject.Net;
        var random = new Random(Seed(name, batch, 3));
        var inputs = Numbers.Uniform(random, batch * net.InputSize, 2.0);
        var outputGradients = Numbers.Uniform(random, batch * net.OutputSize, 1.0);
        GradientCheck.OfInputGradients(net, inputs, outputGradients, seed: batch);
    }

    public static IEnumerable<object[]> RegressorCases =>
        from name in Networks
        where Catalog.Get(name).Spec.EndsInMeanSquaredError
        from batch in BatchSizes
        select new object[] { name, batch };

    [Theory, MemberData(nameof(RegressorCases))]
    public void BackwardFromTargets_matches_finite_differences_of_the_mean_squared_error(string name, int batch)
    {
        var subject = Catalog.Create<double>(name);
        var random = new Random(Seed(name, batch, 4));
        var inputs = Numbers.Uniform(random, batch * subject.Net.InputSize, 2.0);
        var targets = Numbers.Uniform(random, batch * subject.Net.OutputSize, 1.0);
        GradientCheck.OfRegressionLoss(subject.Regressor!, inputs, targets, seed: batch);
    }

    [Theory, MemberData(nameof(ClassifierCases))]
    public void Backward_with_labels_matches_finite_differences_of_the_mean_loss(string name, int batch)
    {
        var subject = Catalog.Create<double>(name);
        var random = new Random(Seed(name, batch, 2));
        var inputs = Numbers.Uniform(random, batch * subject.Net.InputSize, 2.0);
        var labels = Numbers.Labels(random, batch, subject.Net.OutputSize);
        GradientCheck.OfLoss(subject.Classifier!, inputs, labels, seed: batch);
    }

    /// <summary>A seed that is the same in every run (string.GetHashCode is randomised per process).</summary>
    private static int Seed(string name, int batch, int salt)
    {
        int hash = salt;
        foreach (char c in name)
        {
            hash = unchecked(hash * 31 + c);
        }
        return unchecked(hash * 31 + batch);
    }

    [Fact]
    public void Gradients_do_not_depend_on_an_earlier_larger_batch()
    {
        // Scratch buffers sized for 17 samples must not leak stale rows into a 3-sample backward pass.
        var net = Catalog.Create<double>("DWide").Classifier!;
        var random = new Random(7);
        var big = Numbers.Uniform(random, 17 * net.InputSize);
        var small = Numbers.Uniform(random, 3 * net.InputSize);
        int[] bigLabels = Numbers.Labels(random, 17, net.OutputSize), smallLabels = Numbers.Labels(random, 3, net.OutputSize);

        var fresh = Catalog.Create<double>("DWide").Classifier!;
        double freshLoss = fresh.Backward(small, smallLabels);

        net.Backward(big, bigLabels);
        double loss = net.Backward(small, smallLabels);
        Assert.Equal(freshLoss, loss);
        Numbers.AssertBitwiseEqual<double>("Gradients after a larger batch", fresh.Gradients, net.Gradients);
    }

    [Fact]
    public void ReLU_derivative_at_zero_is_one()
    {
        // Zero weights and biases put every pre-activation exactly at 0, where API.md defines the slope as 1:
        // dBias[j] = sum over b of og[b, j], dW[j, i] = sum over b of og[b, j] * x[b, i].
        var subject = Catalog.Create<double>("DLinearReLU");
        var net = subject.Net;
        Array.Clear(net.Parameters, 0, net.Parameters.Length);
        var random = new Random(3);
        const int batch = 3;
        var inputs = Numbers.Uniform(random, batch * net.InputSize);
        var outputGradients = Numbers.Uniform(random, batch * net.OutputSize);
        net.Backward(inputs, outputGradients);

        var slot = subject.Spec.Linears[0];
        var expected = new double[net.ParameterCount];
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < slot.Outputs; o++)
            {
                double delta = outputGradients[b * slot.Outputs + o];
                expected[slot.BiasOffset + o] += delta;
                for (int i = 0; i < slot.Inputs; i++)
                {
                    expected[slot.Weight(o, i)] += delta * inputs[b * slot.Inputs + i];
                }
            }
        }
        Numbers.AssertClose("Gradients at the ReLU kink", expected, net.Gradients, Tolerance.Double(1));
    }

    [Fact]
    public void A_confident_wrong_answer_gives_a_large_finite_loss_in_double()
    {
        // Logits (1000, 0, 0, 0, 0) and label 1: loss = 1000 + log(1 + 4e-1000) = 1000, not infinity.
        var subject = Catalog.Create<double>("DLinearSoftmaxLoss");
        var net = subject.Classifier!;
        Array.Clear(net.Parameters, 0, net.Parameters.Length);
        net.Parameters[subject.Spec.Linears[0].BiasOffset] = 1000;
        var inputs = new double[net.InputSize];
        inputs.AsSpan().Fill(0.5);

        Assert.Equal(1000, net.Loss(inputs, [1]), 1e-9);
        Assert.Equal(1000, net.Backward(inputs, [1]), 1e-9);
        Assert.All(net.Gradients, g => Assert.True(Numbers.IsFinite(g)));
        // Fused softmax + loss: dLogits = y - onehot(1) = (1, -1, 0, 0, 0), so dBias is that.
        Numbers.AssertClose("dBias", [1, -1, 0, 0, 0],
            net.Gradients.AsSpan(subject.Spec.Linears[0].BiasOffset, 5), Tolerance.Double(1));
        var outputs = new double[net.OutputSize];
        net.Forward(inputs, outputs);
        Numbers.AssertClose("softmax of (1000, 0, 0, 0, 0)", [1, 0, 0, 0, 0], outputs, Tolerance.Double(1));
    }

    [Fact]
    public void A_confident_wrong_answer_gives_a_large_finite_loss_in_float()
    {
        // e^200 overflows float; a softmax that subtracts the row maximum and a log-sum-exp loss do not.
        var subject = Catalog.Create<float>("IrisNet");
        var net = subject.Classifier!;
        Array.Clear(net.Parameters, 0, net.Parameters.Length);
        net.Parameters[subject.Spec.Linears[1].BiasOffset] = 200f;
        var inputs = new float[] { 0.5f, -0.5f, 0.25f, 1f };

        Assert.Equal(200f, net.Loss(inputs, [2]), 1e-3f);
        Assert.Equal(200f, net.TrainStep(inputs, [2], 0.01f), 1e-3f);
        Assert.All(net.Parameters, p => Assert.True(Numbers.IsFinite(p)));
        Assert.NotEqual(200f, net.Parameters[subject.Spec.Linears[1].BiasOffset]); // the step was applied
    }
}
