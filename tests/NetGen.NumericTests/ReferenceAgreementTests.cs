using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using NetGen.NumericTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.NumericTests;

/// <summary>
/// How close each generated network comes to PyTorch's float64 numbers, as one figure per case: the
/// largest relative difference over outputs, loss, parameter gradients and input gradients (relative to
/// the largest magnitude of each quantity, so that values near zero do not dominate), printed, and held
/// below float's and double's rounding allowances.
/// </summary>
public class ReferenceAgreementTests
{
    private readonly ITestOutputHelper _output;

    public ReferenceAgreementTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Cases => ReferenceCase.Names;

    [Theory, MemberData(nameof(Cases))]
    public void Largest_relative_difference_from_pytorch(string name)
    {
        var reference = ReferenceCase.Load(name);
        double largest = Catalog.Get(name).Create() switch
        {
            Subject<float> f => Measure(f, reference),
            Subject<double> d => Measure(d, reference),
            _ => throw new InvalidOperationException(),
        };
        _output.WriteLine($"{name} ({reference.Spec}): largest relative difference from PyTorch {largest:E2}");
        Assert.InRange(largest, 0, reference.Spec.ElementType == "float" ? 1e-5 : 1e-12);
    }

    private static double Measure<T>(Subject<T> s, ReferenceCase r) where T : unmanaged
    {
        Numbers.To<T>(r.Parameters).CopyTo(s.Net.Parameters, 0);
        T[] inputs = Numbers.To<T>(r.Inputs);
        var outputs = new T[r.Outputs.Length];
        s.Net.Forward(inputs, outputs, r.Batch);
        double largest = Relative(r.Outputs, Numbers.ToDouble<T>(outputs));

        var inputGradients = new T[inputs.Length];
        s.Net.Backward(inputs, Numbers.To<T>(r.OutputGradients), inputGradients);
        largest = Math.Max(largest, Relative(r.GradientsFromOutputGradients, Numbers.ToDouble<T>(s.Net.Gradients)));
        if (r.InputGradients is not null)
        {
            largest = Math.Max(largest, Relative(r.InputGradients, Numbers.ToDouble<T>(inputGradients)));
        }
        if (r.Labels is not null)
        {
            double loss = Numbers.Widen(s.Classifier!.Backward(inputs, r.Labels));
            largest = Math.Max(largest, Math.Abs(loss - r.Loss!.Value) / Math.Abs(r.Loss.Value));
            largest = Math.Max(largest, Relative(r.Gradients!, Numbers.ToDouble<T>(s.Net.Gradients)));
        }
        if (r.Targets is not null)
        {
            double loss = Numbers.Widen(s.Regressor!.BackwardFromTargets(inputs, Numbers.To<T>(r.Targets)));
            largest = Math.Max(largest, Math.Abs(loss - r.Loss!.Value) / Math.Abs(r.Loss.Value));
            largest = Math.Max(largest, Relative(r.Gradients!, Numbers.ToDouble<T>(s.Net.Gradients)));
        }
        return largest;
    }

    /// <summary>The largest |actual - expected| over the largest |expected|.</summary>
    private static double Relative(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        double scale = expected.Max(Math.Abs);
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }
}
