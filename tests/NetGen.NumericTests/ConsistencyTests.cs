using System;
using System.Linq;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// The float code path held against the double one (itself held against finite differences) on a
/// network wider than any reference case, and training doing what training is for.
/// </summary>
public class ConsistencyTests
{
    [Fact]
    public void Float_network_agrees_with_its_double_twin()
    {
        var single = Catalog.Create<float>("FloatWide");
        var twin = Catalog.Create<double>("DWide");
        Assert.Equal(single.Spec.Layers, twin.Spec.Layers);

        // The same (float-representable) parameters and data in both.
        var random = new Random(31);
        const int batch = 17;
        double[] parameters = Numbers.ToDouble<float>(single.Net.Parameters);
        parameters.CopyTo(twin.Net.Parameters, 0);
        double[] inputs = Numbers.ToDouble<float>(Numbers.To<float>(Numbers.Uniform(random, batch * single.Net.InputSize, 2.0)));
        double[] outputGradients = Numbers.ToDouble<float>(Numbers.To<float>(Numbers.Uniform(random, batch * single.Net.OutputSize)));
        int[] labels = Numbers.Labels(random, batch, single.Net.OutputSize);

        var expected = new double[batch * twin.Net.OutputSize];
        var actual = new float[expected.Length];
        twin.Net.Forward(inputs, expected, batch);
        single.Net.Forward(Numbers.To<float>(inputs), actual, batch);
        Numbers.AssertClose("float outputs against double", expected, actual);

        double loss = twin.Classifier!.Backward(inputs, labels);
        float floatLoss = single.Classifier!.Backward(Numbers.To<float>(inputs), labels);
        Numbers.AssertClose("float loss against double", loss, floatLoss, Tolerance.Float(loss));
        Numbers.AssertClose("float gradients of the loss against double", twin.Net.Gradients, single.Net.Gradients);

        twin.Net.Backward(inputs, outputGradients);
        single.Net.Backward(Numbers.To<float>(inputs), Numbers.To<float>(outputGradients));
        Numbers.AssertClose("float gradients of sum(og * outputs) against double", twin.Net.Gradients, single.Net.Gradients);
    }

    [Fact]
    public void Batched_forward_agrees_with_one_sample_at_a_time()
    {
        var net = Catalog.Create<double>("DDeeper").Net;
        const int batch = 17;
        var inputs = Numbers.Uniform(new Random(37), batch * net.InputSize);
        var batched = new double[batch * net.OutputSize];
        net.Forward(inputs, batched, batch);
        var one = new double[net.OutputSize];
        for (int b = 0; b < batch; b++)
        {
            net.Forward(inputs.AsSpan(b * net.InputSize, net.InputSize), one);
            Numbers.AssertClose($"sample {b}", batched.AsSpan(b * net.OutputSize, net.OutputSize), one, Tolerance.Double(1));
        }
    }

    [Fact]
    public void TrainStep_learns_a_separable_problem()
    {
        // Three well-separated clusters in 4 dimensions; plain gradient descent on IrisNet must fit them.
        var subject = Catalog.Create<float>("IrisNet");
        var net = subject.Classifier!;
        var random = new Random(41);
        double[][] centres = [[2, 0, 0, 1], [0, 2, -1, 0], [-2, -2, 1, -1]];
        const int count = 60;
        var labels = new int[count];
        var inputs = new float[count * net.InputSize];
        for (int b = 0; b < count; b++)
        {
            labels[b] = b % 3;
            for (int i = 0; i < net.InputSize; i++)
            {
                inputs[b * net.InputSize + i] = (float)(centres[labels[b]][i] + 0.3 * (2 * random.NextDouble() - 1));
            }
        }

        float initial = net.Loss(inputs, labels);
        float previous = initial;
        for (int step = 0; step < 150; step++)
        {
            float loss = net.TrainStep(inputs, labels, 0.2f);
            Assert.True(Numbers.IsFinite(loss));
            if (step == 0)
            {
                Assert.Equal(initial, loss, 1e-5f); // TrainStep reports the loss before its update
            }
            previous = loss;
        }
        float final = net.Loss(inputs, labels);
        Assert.True(final < 0.1f * initial && final < 0.1f, $"loss went from {initial} to {final} (last TrainStep reported {previous})");
        int correct = Enumerable.Range(0, count).Count(b => net.Predict(inputs.AsSpan(b * net.InputSize, net.InputSize)) == labels[b]);
        Assert.Equal(count, correct);
    }
}
