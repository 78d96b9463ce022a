using System;
using System.Reflection;
using NetGen.NumericTests.Infrastructure;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// Prepare() compiles every kernel ahead of use, for a loading screen: it must leave Parameters and
/// Gradients exactly as they were, and the network must compute the same afterwards.
/// </summary>
public class PrepareTests
{
    [Theory]
    [MemberData(nameof(Catalog.Names), MemberType = typeof(Catalog))]
    public void Prepare_changes_neither_parameters_nor_gradients(string name)
    {
        switch (Catalog.Get(name).Create())
        {
            case Subject<float> f: Check(f); break;
            case Subject<double> d: Check(d); break;
            default: throw new System.InvalidOperationException($"{name} is neither a float nor a double network.");
        }
    }

    private static void Check<T>(Subject<T> s) where T : unmanaged
    {
        INetwork<T> net = s.Net;
        var random = new Random(5);
        for (int i = 0; i < net.Gradients.Length; i++)
        {
            // A pattern no pass would write, so that a gradient left changed shows.
            net.Gradients[i] = (T)Convert.ChangeType(random.NextDouble() - 0.5, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }
        T[] parameters = (T[])net.Parameters.Clone();
        T[] gradients = (T[])net.Gradients.Clone();
        var input = new T[net.InputSize];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (T)Convert.ChangeType(0.25 * (i % 5) - 0.5, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }
        var before = new T[net.OutputSize];
        net.Forward(input, before);

        MethodInfo prepare = net.GetType().GetMethod("Prepare", Type.EmptyTypes)
            ?? throw new InvalidOperationException($"{net.GetType().Name} has no Prepare()");
        prepare.Invoke(net, null);

        Assert.Equal(parameters, net.Parameters);
        Assert.Equal(gradients, net.Gradients);
        var after = new T[net.OutputSize];
        net.Forward(input, after);
        Assert.Equal(before, after);
    }
}
