using System;
using System.Numerics;
using NetGen.Runtime.Tests.TestNetworks;
using Xunit;

namespace NetGen.Runtime.Tests;

public class OptimizerTests
{
    private static readonly double[] StartParameters = { 0.5, -1.25, 2.0, 0.0, 3.5, -0.75 };

    /// <summary>The gradient at step t (from 1): varied in sign, size and over time; one stays 0.</summary>
    private static double[] GradientsAtStep(int t) => new[] { 0.1 * t, -0.2, 0.3 / t, 1.5, -0.05 * t * t, 0.0 };

    /// <summary>A network with exactly six parameters (Linear(2,2)) set to <see cref="StartParameters"/>.</summary>
    private static SoftmaxRegression<T> SixParameterNetwork<T>() where T : unmanaged
    {
        var network = new SoftmaxRegression<T>(2, 2);
        for (int i = 0; i < 6; i++) network.Parameters[i] = Scalar.FromDouble<T>(StartParameters[i]);
        return network;
    }

    private static void RunThreeSteps<T>(INetwork<T> network, IOptimizer<T> optimizer) where T : unmanaged
    {
        for (int t = 1; t <= 3; t++)
        {
            double[] g = GradientsAtStep(t);
            for (int i = 0; i < g.Length; i++) network.Gradients[i] = Scalar.FromDouble<T>(g[i]);
            Assert.True(optimizer.Step());
        }

        Assert.Equal(3, optimizer.StepCount);
    }

    private static void AssertParameters<T>(double[] expected, INetwork<T> network, double tolerance) where T : unmanaged
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double actual = Scalar.ToDouble(network.Parameters[i]);
            Assert.True(Math.Abs(actual - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"parameter {i}: expected {expected[i]:R}, got {actual:R}");
        }
    }

    // The expected values below were computed with python3 in double precision, by a plain loop over
    // the formulas in the brief (PyTorch's documented update rules), from StartParameters and
    // GradientsAtStep, three steps. float gets a tolerance for its 24-bit rounding; double must agree to
    // a few ulps (the library folds the bias corrections as PyTorch does, so the last bits may differ).
    private const double DoubleTolerance = 1e-13;
    private const double FloatTolerance = 2e-6;

    [Fact]
    public void Adam_with_PyTorch_defaults_matches_independently_computed_values()
    {
        double[] expected = { 0.4970768169554485, -1.24700000015, 1.9971946619487162, -0.0029999999799999923, 3.502749801881058, -0.75 };
        var d = SixParameterNetwork<double>();
        RunThreeSteps(d, new AdamOptimizer<double>(d));
        AssertParameters(expected, d, DoubleTolerance);
        var f = SixParameterNetwork<float>();
        RunThreeSteps(f, new AdamOptimizer<float>(f));
        AssertParameters(expected, f, FloatTolerance);
    }

    [Fact]
    public void Adam_with_weight_decay_matches_independently_computed_values()
    {
        double[] expected = { 0.4703945842442005, -1.2200029910343033, 1.9706657244805372, -0.029999360668648143, 3.4756633960746255, -0.7200137183586266 };
        var d = SixParameterNetwork<double>();
        RunThreeSteps(d, new AdamOptimizer<double>(d, learningRate: 0.01, weightDecay: 0.1));
        AssertParameters(expected, d, DoubleTolerance);
        var f = SixParameterNetwork<float>();
        RunThreeSteps(f, new AdamOptimizer<float>(f, learningRate: 0.01, weightDecay: 0.1));
        AssertParameters(expected, f, FloatTolerance);
    }

    [Fact]
    public void Sgd_with_momentum_and_weight_decay_matches_independently_computed_values()
    {
        double[] expected = { 0.40215538949999996, -1.1308894787500001, 1.869118568, -0.8407801500000001, 3.5768928015, -0.74579609925 };
        var d = SixParameterNetwork<double>();
        RunThreeSteps(d, new SgdOptimizer<double>(d, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01));
        AssertParameters(expected, d, DoubleTolerance);
        var f = SixParameterNetwork<float>();
        RunThreeSteps(f, new SgdOptimizer<float>(f, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01));
        AssertParameters(expected, f, FloatTolerance);
    }

    [Fact]
    public void Sgd_with_Nesterov_momentum_matches_independently_computed_values()
    {
        double[] expected = { 0.35056756198049993, -1.07925414924625, 1.8214726865120001, -1.2052648288499999, 3.6286484982885, -0.74397367585575 };
        var d = SixParameterNetwork<double>();
        RunThreeSteps(d, new SgdOptimizer<double>(d, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true));
        AssertParameters(expected, d, DoubleTolerance);
        var f = SixParameterNetwork<float>();
        RunThreeSteps(f, new SgdOptimizer<float>(f, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true));
        AssertParameters(expected, f, FloatTolerance);
    }

    /// <summary>
    /// Every length from 2 to three vector widths and a bit: whole blocks, tails of every size, and
    /// lengths shorter than one vector. Compared with a scalar double loop written from the formulas.
    /// </summary>
    [Fact]
    public void Every_length_is_updated_like_a_scalar_reference_loop()
    {
        CheckEveryLength<float>(2e-5);
        CheckEveryLength<double>(1e-12);
    }

    private static void CheckEveryLength<T>(double tolerance) where T : unmanaged
    {
        var random = new Random(7);
        for (int count = 2; count <= 3 * Vector<T>.Count + 3; count++)
        {
            var adamNet = new SoftmaxRegression<T>(count - 1, 1, seed: count);
            var sgdNet = new SoftmaxRegression<T>(count - 1, 1, seed: count);
            var adam = new AdamOptimizer<T>(adamNet, learningRate: 0.05, weightDecay: 0.01);
            var sgd = new SgdOptimizer<T>(sgdNet, learningRate: 0.05, momentum: 0.8, weightDecay: 0.01);
            double[] adamRef = Array.ConvertAll(adamNet.Parameters, Scalar.ToDouble);
            double[] sgdRef = (double[])adamRef.Clone();
            double[] m = new double[count], v = new double[count], buf = new double[count];
            for (int t = 1; t <= 4; t++)
            {
                for (int i = 0; i < count; i++)
                {
                    // Gradients exactly representable in T, so both sides start from the same numbers.
                    double g = Scalar.ToDouble(Scalar.FromDouble<T>(random.NextDouble() * 2 - 1));
                    adamNet.Gradients[i] = sgdNet.Gradients[i] = Scalar.FromDouble<T>(g);

                    double ga = g + 0.01 * adamRef[i];
                    m[i] = 0.9 * m[i] + 0.1 * ga;
                    v[i] = 0.999 * v[i] + 0.001 * ga * ga;
                    adamRef[i] -= 0.05 * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-8);

                    double gs = g + 0.01 * sgdRef[i];
                    buf[i] = 0.8 * buf[i] + gs;
                    sgdRef[i] -= 0.05 * buf[i];
                }

                Assert.True(adam.Step());
                Assert.True(sgd.Step());
            }

            AssertParameters(adamRef, adamNet, tolerance);
            AssertParameters(sgdRef, sgdNet, tolerance);
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_gradient_anywhere_refuses_the_step_and_changes_nothing(double bad)
    {
        CheckRefusal<float>(bad);
        CheckRefusal<double>(bad);
    }

    private static void CheckRefusal<T>(double bad) where T : unmanaged
    {
        int count = 2 * Vector<T>.Count + 3;
        // The bad value in the first block, the last block and the scalar tail.
        foreach (int position in new[] { 0, 2 * Vector<T>.Count - 1, count - 1 })
        {
            foreach (bool adam in new[] { true, false })
            {
                var network = new SoftmaxRegression<T>(count - 1, 1, seed: 3);
                var twin = new SoftmaxRegression<T>(count - 1, 1, seed: 3);
                IOptimizer<T> optimizer = adam ? new AdamOptimizer<T>(network) : new SgdOptimizer<T>(network, 0.1, momentum: 0.9);
                IOptimizer<T> twinOptimizer = adam ? new AdamOptimizer<T>(twin) : new SgdOptimizer<T>(twin, 0.1, momentum: 0.9);

                FillGradients(network, 0.25);
                FillGradients(twin, 0.25);
                Assert.True(optimizer.Step());
                Assert.True(twinOptimizer.Step());

                T[] before = (T[])network.Parameters.Clone();
                FillGradients(network, -0.5);
                network.Gradients[position] = Scalar.FromDouble<T>(bad);
                Assert.False(optimizer.Step());
                Assert.Equal(before, network.Parameters);
                Assert.Equal(1, optimizer.StepCount);

                // The optimizer's state was not touched either: its next step equals that of a twin
                // that never saw the refused one.
                FillGradients(network, 0.125);
                FillGradients(twin, 0.125);
                Assert.True(optimizer.Step());
                Assert.True(twinOptimizer.Step());
                Assert.Equal(twin.Parameters, network.Parameters);
            }
        }
    }

    private static void FillGradients<T>(INetwork<T> network, double value) where T : unmanaged
    {
        for (int i = 0; i < network.Gradients.Length; i++) network.Gradients[i] = Scalar.FromDouble<T>(value * (1 + i % 3));
    }

    [Fact]
    public void Changing_the_learning_rate_changes_the_next_step()
    {
        var network = SixParameterNetwork<double>();
        var sgd = new SgdOptimizer<double>(network, learningRate: 0.1);
        network.Gradients.AsSpan().Fill(1.0);
        sgd.Step();
        sgd.LearningRate = 0.5;
        sgd.Step();
        for (int i = 0; i < 6; i++) Assert.Equal(StartParameters[i] - 0.1 - 0.5, network.Parameters[i], 12);
    }

    [Fact]
    public void Reset_forgets_momentum_and_moments()
    {
        foreach (bool adam in new[] { true, false })
        {
            var network = SixParameterNetwork<double>();
            var fresh = SixParameterNetwork<double>();
            IOptimizer<double> optimizer = adam ? new AdamOptimizer<double>(network) : new SgdOptimizer<double>(network, 0.1, momentum: 0.9);
            IOptimizer<double> freshOptimizer = adam ? new AdamOptimizer<double>(fresh) : new SgdOptimizer<double>(fresh, 0.1, momentum: 0.9);
            network.Gradients.AsSpan().Fill(3.0);
            optimizer.Step();
            optimizer.Reset();
            Assert.Equal(0, optimizer.StepCount);
            StartParameters.CopyTo(network.Parameters, 0);

            network.Gradients.AsSpan().Fill(-1.0);
            fresh.Gradients.AsSpan().Fill(-1.0);
            optimizer.Step();
            freshOptimizer.Step();
            Assert.Equal(fresh.Parameters, network.Parameters);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_parameter_named()
    {
        var network = SixParameterNetwork<float>();
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => new AdamOptimizer<float>(null!)).ParamName);
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => new SgdOptimizer<float>(null!)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(network, -1)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(network, double.NaN)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(network, 0.1, momentum: 1)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new SgdOptimizer<float>(network, 0.1, nesterov: true)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(network, beta1: 1)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(network, beta2: -0.1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(network, epsilon: double.PositiveInfinity)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(network, weightDecay: -1)).ParamName);
        var sgd = new SgdOptimizer<float>(network);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -0.1);
        Assert.Equal(1e-3, sgd.LearningRate);
    }

#if NET
    // No per-thread allocation counter on .NET Framework and Mono: modern .NET only.
    [Fact]
    public void Optimizer_steps_allocate_nothing()
    {
        var network = new SoftmaxRegression<float>(40, 10);
        IOptimizer<float>[] optimizers =
        {
            new AdamOptimizer<float>(network),
            new SgdOptimizer<float>(network, 0.01),
            new SgdOptimizer<float>(network, 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true),
        };
        FillGradients(network, 1e-3);
        foreach (var optimizer in optimizers) optimizer.Step(); // warm up: JIT and first-call work
        long allocated = AllocatedByHundredSteps(optimizers);
        if (allocated != 0)
        {
            // Once, under DOTNET_EnableHWIntrinsic=0, 7,648 bytes appeared on this thread in these 100 steps and
            // not in the next run, as CI once saw 7,080 bytes in one network call (NumericTests' AllocationTests,
            // which repeat the same way): a one-time allocation that NetGen's code does not make, cause unknown.
            // Steps that allocate every time still fail here.
            long again = AllocatedByHundredSteps(optimizers);
            Assert.True(again == 0, $"100 optimizer steps allocated {allocated} bytes, and {again} bytes when run again.");
        }
    }

    private static long AllocatedByHundredSteps(IOptimizer<float>[] optimizers)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            foreach (var optimizer in optimizers) optimizer.Step();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
#endif
}
