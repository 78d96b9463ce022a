using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// API.md: a new instance is initialised as PyTorch's nn.Linear, uniformly in
/// (-1/sqrt(inputs), 1/sqrt(inputs)) for weights and biases, from a fixed seed;
/// InitializeParameters(seed) does the same with another seed.
/// </summary>
public class InitializationTests
{
    public static IEnumerable<object[]> Names => Catalog.Names;

    [Theory, MemberData(nameof(Names))]
    public void New_parameters_lie_within_each_layers_bound_and_are_spread(string name)
    {
        var subject = Catalog.Get(name).Create();
        double[] parameters = subject.ParameterValues();
        Assert.Equal(subject.Spec.ParameterCount, parameters.Length);
        CheckLayers(subject.Spec, parameters);
    }

    [Theory, MemberData(nameof(Names))]
    public void Two_new_instances_are_equal(string name)
    {
        var info = Catalog.Get(name);
        Assert.Equal(info.Create().ParameterValues(), info.Create().ParameterValues());
    }

    [Theory, MemberData(nameof(Names))]
    public void InitializeParameters_is_deterministic_and_seeds_differ(string name)
    {
        var info = Catalog.Get(name);
        var a = info.Create();
        var b = info.Create();
        a.InitializeParameters(42);
        b.InitializeParameters(42);
        double[] first = a.ParameterValues();
        Assert.Equal(first, b.ParameterValues());
        CheckLayers(info.Spec, first);

        b.InitializeParameters(43);
        double[] other = b.ParameterValues();
        CheckLayers(info.Spec, other);
        Assert.True(first.Zip(other, (x, y) => x != y).Count(differs => differs) > first.Length / 2,
            "seeds 42 and 43 should give different parameters");
        Assert.NotEqual(first, info.Create().ParameterValues()); // and differ from the default seed's

        // Re-seeding restores exactly, whatever the parameters were before.
        b.FillParameters(double.NaN);
        b.InitializeParameters(42);
        Assert.Equal(first, b.ParameterValues());
    }

    /// <summary>Every Linear's weights and bias within its bound, not all equal, using both signs, centred.</summary>
    private static void CheckLayers(Spec spec, double[] parameters)
    {
        foreach (var slot in spec.Linears)
        {
            double bound = 1 / Math.Sqrt(slot.Inputs);
            // For float, the bound itself rounded to float is the largest value the range can round to.
            double limit = spec.ElementType == "float" ? (float)bound : bound;
            var weights = parameters.AsSpan(slot.Offset, slot.WeightCount).ToArray();
            var biases = parameters.AsSpan(slot.BiasOffset, slot.Outputs).ToArray();
            foreach (var (part, values) in new[] { ("weights", weights), ("biases", biases) })
            {
                string where = $"{spec}: Linear({slot.Inputs},{slot.Outputs}) {part}";
                Assert.All(values, v => Assert.True(Math.Abs(v) < limit || (spec.ElementType == "float" && Math.Abs(v) == limit),
                    $"{where}: {v} outside (-{bound}, {bound})"));
                if (values.Length >= 2)
                {
                    Assert.True(values.Distinct().Count() > 1, $"{where}: all equal");
                }
            }

            var all = parameters.AsSpan(slot.Offset, slot.Count).ToArray();
            if (all.Length >= 100)
            {
                // Uniform on (-b, b): mean 0 with standard error b / sqrt(3n); a spread reaching most of the range.
                double mean = all.Average();
                Assert.True(Math.Abs(mean) < 5 * bound / Math.Sqrt(3.0 * all.Length), $"{spec}: layer mean {mean} is not centred");
                Assert.True(all.Max() > 0.75 * bound && all.Min() < -0.75 * bound, $"{spec}: layer values do not span (-{bound}, {bound})");
                double variance = all.Select(v => v * v).Average();
                Assert.InRange(variance, bound * bound / 3 * 0.6, bound * bound / 3 * 1.4);
            }
        }
    }

    /// <summary>
    /// API.md: the same values on every runtime, operating system and vector width. These numbers were
    /// recorded from the generator's first version (default seed, and seeds 42 and -7); CI runs this
    /// under four vector configurations, so a drift anywhere shows here. If the seeding scheme changes
    /// on purpose, record the new numbers - and know that saved models' defaults change with them.
    /// </summary>
    [Theory]
    [InlineData("IrisNet", null, 0.2816475033760071, -0.18581289052963257, 0.23434482514858246, -4.533810137188993)]
    [InlineData("IrisNet", 42, -0.0382433719933033, -0.1687442809343338, -0.11137222498655319, 2.658975363476202)]
    [InlineData("DWide", null, 0.09805707874558195, -0.06469174570423106, -0.06853259548639572, 2.0336042773891916)]
    [InlineData("DWide", -7, -0.06258987438662598, 0.11809525859892081, -0.044914858804212345, 4.2514234744663995)]
    public void Initial_values_are_the_recorded_ones_in_every_configuration(string name, int? seed, double first, double second, double last, double sum)
    {
        var subject = Catalog.Get(name).Create();
        if (seed is int s)
        {
            subject.InitializeParameters(s);
        }
        double[] values = subject.ParameterValues();
        Assert.Equal(first, values[0]);
        Assert.Equal(second, values[1]);
        Assert.Equal(last, values[^1]);
        Assert.Equal(sum, values.Sum(), 1e-12);
    }
}
