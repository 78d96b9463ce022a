using System;
using System.Linq;
using System.Numerics;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// API.md's Bad input rules for a regressor's targets, the learning-rate rule (finite and at least 0) on
/// every TrainStep, a non-finite target changing nothing, and the saturating activations at the far ends
/// of their inputs.
/// </summary>
public class RegressionTests
{
    public static TheoryData<string> Regressors => new(Catalog.All.Where(n => n.Spec.EndsInMeanSquaredError).Select(n => n.Name));

    [Theory, MemberData(nameof(Regressors))]
    public void Targets_of_the_wrong_length_are_refused_by_name_and_change_nothing(string name)
    {
        switch (Catalog.Get(name).Create())
        {
            case Subject<float> f: WrongTargets(f); break;
            case Subject<double> d: WrongTargets(d); break;
            default: throw new System.InvalidOperationException($"{name} is neither a float nor a double network.");
        }
    }

    [Theory, MemberData(nameof(Regressors))]
    public void A_non_finite_target_makes_TrainStep_change_nothing(string name)
    {
        switch (Catalog.Get(name).Create())
        {
            case Subject<float> f: NonFiniteTarget(f, float.NaN); NonFiniteTarget(f, float.PositiveInfinity); break;
            case Subject<double> d: NonFiniteTarget(d, double.NaN); NonFiniteTarget(d, double.NegativeInfinity); break;
            default: throw new System.InvalidOperationException($"{name} is neither a float nor a double network.");
        }
    }

    [Theory]
    [InlineData("IrisNet")]
    [InlineData("FloatActorCritic")]
    [InlineData("DSmoothDeep")]
    [InlineData("DWide")]
    public void A_negative_or_non_finite_learning_rate_is_refused_before_anything_changes(string name)
    {
        switch (Catalog.Get(name).Create())
        {
            case Subject<float> f: BadLearningRates(f, [-0.1f, float.NaN, float.NegativeInfinity]); break;
            case Subject<double> d: BadLearningRates(d, [-1e-9, double.NaN, double.PositiveInfinity]); break;
            default: throw new System.InvalidOperationException($"{name} is neither a float nor a double network.");
        }
    }

    [Theory]
    [InlineData(1e4)]
    [InlineData(-1e4)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Saturating_activations_give_no_NaN_at_the_far_ends(double input)
    {
        // Weights of 1 and biases of 0 pass the input straight to every activation of the deep stack.
        var s = Catalog.Create<double>("DSmoothDeep");
        s.Net.Parameters.AsSpan().Fill(1);
        foreach (var slot in s.Spec.Linears)
        {
            s.Net.Parameters.AsSpan(slot.BiasOffset, slot.Outputs).Clear();
        }
        var inputs = Enumerable.Repeat(input, s.Net.InputSize).ToArray();
        var outputs = new double[s.Net.OutputSize];
        s.Net.Forward(inputs, outputs);
        Assert.All(outputs, o => Assert.False(double.IsNaN(o), $"Forward of {input} gave NaN"));
        var tanh = Catalog.Create<double>("DLinearTanh");
        tanh.Net.Parameters.AsSpan().Fill(1);
        var y = new double[tanh.Net.OutputSize];
        tanh.Net.Forward(Enumerable.Repeat(input, tanh.Net.InputSize).ToArray(), y);
        // tanh saturates exactly at +-1.
        Assert.All(y, v => Assert.Equal(Math.Sign(input), v));
    }

    private static void WrongTargets<T>(Subject<T> s) where T : unmanaged
    {
        IRegressor<T> net = s.Regressor!;
        var inputs = Numbers.To<T>(Numbers.Uniform(new Random(3), 2 * net.InputSize));
        T[] before = net.Parameters.ToArray();
        foreach (int length in new[] { 0, 2 * net.OutputSize - 1, 2 * net.OutputSize + 1, 3 * net.OutputSize })
        {
            var targets = new T[length];
            var lr = Numbers.From<T>(0.1);
            // Empty or not whole samples: the targets are wrong; whole samples of another batch size: the inputs.
            string expected = length == 0 || length % net.OutputSize != 0 ? "targets" : "inputs";
            Assert.Equal(expected, Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(inputs, targets, lr)).ParamName);
            Assert.Equal(expected, Assert.ThrowsAny<ArgumentException>(() => net.Loss(inputs, targets)).ParamName);
            Assert.Equal(expected, Assert.ThrowsAny<ArgumentException>(() => net.BackwardFromTargets(inputs, targets)).ParamName);
        }
        Numbers.AssertBitwiseEqual<T>("Parameters after refused calls", before, net.Parameters);
    }

    private static void NonFiniteTarget<T>(Subject<T> s, T poison) where T : unmanaged
    {
        IRegressor<T> net = s.Regressor!;
        var random = new Random(5);
        var inputs = Numbers.To<T>(Numbers.Uniform(random, 3 * net.InputSize));
        var targets = Numbers.To<T>(Numbers.Uniform(random, 3 * net.OutputSize));
        targets[net.OutputSize] = poison;
        T[] before = net.Parameters.ToArray();
        T loss = net.TrainStep(inputs, targets, Numbers.From<T>(0.1));
        Assert.False(Numbers.IsFinite(loss), $"{s.Spec}: TrainStep returned the finite loss {loss} for a target of {poison}");
        Numbers.AssertBitwiseEqual<T>("Parameters after a non-finite target", before, net.Parameters);
    }

    private static void BadLearningRates<T>(Subject<T> s, T[] rates) where T : unmanaged
    {
        var random = new Random(7);
        var inputs = Numbers.To<T>(Numbers.Uniform(random, 2 * s.Net.InputSize));
        T[] before = s.Net.Parameters.ToArray();
        foreach (T rate in rates)
        {
            ArgumentOutOfRangeException e = s.Classifier is { } classifier
                ? Assert.Throws<ArgumentOutOfRangeException>(() => classifier.TrainStep(inputs, [0, 1], rate))
                : Assert.Throws<ArgumentOutOfRangeException>(() => s.Regressor!.TrainStep(inputs, new T[2 * s.Net.OutputSize], rate));
            Assert.Equal("learningRate", e.ParamName);
        }
        Numbers.AssertBitwiseEqual<T>("Parameters after refused learning rates", before, s.Net.Parameters);
    }
}
