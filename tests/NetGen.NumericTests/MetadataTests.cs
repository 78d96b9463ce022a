using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NetGen.NumericTests.Infrastructure;
using NetGen.NumericTests.Networks;
using Xunit;

namespace NetGen.NumericTests;

/// <summary>
/// The generated surface: the constants, Architecture's canonical text, Describe()'s table, the
/// interfaces, and Parameters/Gradients as live arrays of ParameterCount values.
/// </summary>
public class MetadataTests
{
    public static IEnumerable<object[]> Names => Catalog.Names;

    [Fact]
    public void Constants_are_compile_time_constants()
    {
        // These lines compile only if the members are consts.
        const int irisInputs = IrisNet.InputSize, irisOutputs = IrisNet.OutputSize, irisParameters = IrisNet.ParameterCount;
        const int wideParameters = DWide.ParameterCount;
        Assert.Equal(4, irisInputs);
        Assert.Equal(3, irisOutputs);
        Assert.Equal(4 * 16 + 16 + 16 * 3 + 3, irisParameters);
        Assert.Equal(33 * 100 + 100 + 100 * 7 + 7, wideParameters);
        Assert.Equal(1, DNarrowOut.OutputSize);
        Assert.Equal(7, DSoftmaxFirst.InputSize);
        Assert.Equal(3, GlobalNamespaceNet.InputSize);
        Assert.Equal(2, Outer.NestedNet.OutputSize);
    }

    [Fact]
    public void The_API_md_example_reads_as_documented()
    {
        var net = new IrisNet();
        Assert.Equal("float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss", ((INetwork<float>)net).Architecture);
        IClassifier<float> classifier = net; // compiles only if IrisNet implements IClassifier<float>
        Assert.Equal(IrisNet.ParameterCount, classifier.ParameterCount);
        net.InitializeParameters(7);
        Assert.Contains("Linear", IrisNet.Describe());
    }

    [Fact]
    public void Describe_ends_with_the_paths_this_process_takes()
    {
        // Each vector configuration CI runs takes its own branch here: AVX-512 (the written-out forward and
        // 512-bit batches), narrower vectors, and none.
        string lanes = LaneNetworks.LaneScalarIn.Describe();
        Assert.Contains("Paths in this process", lanes);
        int count = System.Numerics.Vector<float>.Count;
        if (!System.Numerics.Vector.IsHardwareAccelerated)
        {
            Assert.Contains("no hardware vectors", lanes);
            Assert.Contains("Every call: the scalar kernels", lanes);
        }
        else
        {
            Assert.Contains($"Vector<float> of {count}", lanes);
#if NET8_0_OR_GREATER
            Assert.Equal(NetGen.Runtime.FloatKernels.LanesAccelerated, lanes.Contains("written out in ForwardInLanes"));
#else
            // The written-out forward exists only in the library's .NET 8+ build.
            Assert.DoesNotContain("ForwardInLanes", lanes);
#endif
            Assert.Contains($"batches of {count} or more: feature-major", lanes);
            // Layer 3 is Linear(16, 16) followed by ReLU: feature-major inference applies that ReLU in its
            // stores (and layer 1's, also followed by ReLU).
            Assert.Contains("ReLU applied in the stores of layers 1, 3", lanes);
        }
        // No written-out forward for a double network, and none for a network of large layers.
        Assert.DoesNotContain("ForwardInLanes", LaneNetworks.LaneScalarInTwin.Describe());
        Assert.DoesNotContain("ForwardInLanes", DWide.Describe());
        // The deterministic mode runs every call feature-major.
        Assert.Contains("Every call: feature-major", Networks.Deterministic.DetWide.Describe());
        Assert.Contains("deterministic arithmetic", Networks.Deterministic.DetWide.Describe());
        // A convolution followed by ReLU fuses it too; a Tanh after a convolution does not.
        string cnn = Convolutions.DCnn2D.Describe();
        Assert.Equal(System.Numerics.Vector.IsHardwareAccelerated, cnn.Contains("ReLU applied in the stores of layer 1;") || cnn.EndsWith("ReLU applied in the stores of layer 1\n", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Names))]
    public void Architecture_is_the_canonical_text(string name)
    {
        var info = Catalog.Get(name);
        Assert.Equal(info.Spec.Canonical, Property<string>(info.Create(), "Architecture"));
    }

    [Theory, MemberData(nameof(Names))]
    public void Predict_exists_exactly_on_classifiers(string name)
    {
        // The index of the largest output is a class only where the outputs are class scores; a regressor's
        // Predict returned 0 for every input of a one-output network.
        var info = Catalog.Get(name);
        bool classifier = info.Type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassifier<>));
        Assert.Equal(info.Spec.EndsInCrossEntropy, classifier);
        Assert.Equal(classifier, info.Type.GetMember("Predict", BindingFlags.Public | BindingFlags.Instance).Length > 0);
    }

    [Theory, MemberData(nameof(Names))]
    public void Sizes_are_public_constants_and_agree_with_the_interface(string name)
    {
        var info = Catalog.Get(name);
        var subject = info.Create();
        foreach (var (member, expected) in new[]
        {
            ("InputSize", info.Spec.InputSize), ("OutputSize", info.Spec.OutputSize), ("ParameterCount", info.Spec.ParameterCount),
        })
        {
            var field = info.Type.GetField(member, BindingFlags.Public | BindingFlags.Static);
            Assert.True(field is { IsLiteral: true }, $"{info.Type}: {member} is not a public const");
            Assert.Equal(expected, (int)field!.GetValue(null)!);
            Assert.Equal(expected, Property<int>(subject, member));
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void Parameters_and_Gradients_are_live_arrays_of_ParameterCount_values(string name)
    {
        var subject = Catalog.Get(name).Create();
        int count = subject.Spec.ParameterCount;
        var parameters = (Array)Property<object>(subject, "Parameters");
        var gradients = (Array)Property<object>(subject, "Gradients");
        Assert.Equal(count, parameters.Length);
        Assert.Equal(count, gradients.Length);
        Assert.Same(parameters, Property<object>(subject, "Parameters"));
        Assert.Same(gradients, Property<object>(subject, "Gradients"));
        Assert.NotSame(parameters, gradients);
    }

    [Theory, MemberData(nameof(Names))]
    public void Implements_the_interfaces_for_its_element_type(string name)
    {
        var info = Catalog.Get(name);
        var element = info.Spec.ElementType == "float" ? typeof(float) : typeof(double);
        var other = element == typeof(float) ? typeof(double) : typeof(float);
        Assert.True(typeof(INetwork<>).MakeGenericType(element).IsAssignableFrom(info.Type), $"{info.Type} is not an INetwork<{element.Name}>");
        Assert.False(typeof(INetwork<>).MakeGenericType(other).IsAssignableFrom(info.Type));
        Assert.Equal(info.Spec.EndsInCrossEntropy, typeof(IClassifier<>).MakeGenericType(element).IsAssignableFrom(info.Type));
    }

    [Theory, MemberData(nameof(Names))]
    public void Describe_mentions_every_layer_and_the_parameter_counts(string name)
    {
        var info = Catalog.Get(name);
        var describe = info.Type.GetMethod("Describe", BindingFlags.Public | BindingFlags.Static, binder: null, Type.EmptyTypes, modifiers: null);
        Assert.NotNull(describe);
        string text = (string)describe!.Invoke(null, null)!;

        foreach (var kind in info.Spec.Layers.GroupBy(l => l.Kind))
        {
            int mentions = Regex.Matches(text, Regex.Escape(kind.Key)).Count;
            Assert.True(mentions >= kind.Count(), $"Describe() of {info.Spec} mentions {kind.Key} {mentions} times, expected at least {kind.Count()}:\n{text}");
        }
        Assert.Matches(NumberPattern(info.Spec.ParameterCount), text);
        foreach (var slot in info.Spec.Linears)
        {
            Assert.Matches(NumberPattern(slot.Count), text);
        }
        Assert.True(text.Split('\n').Length >= info.Spec.Layers.Count, $"Describe() should be a table with a row per layer:\n{text}");
    }

    /// <summary>The number on its own, with or without thousands separators.</summary>
    private static Regex NumberPattern(int value)
    {
        string grouped = value.ToString("N0", CultureInfo.InvariantCulture).Replace(",", "[,'_  ]?");
        return new Regex($@"(?<![\d.]){grouped}(?![\d])");
    }

    private static TValue Property<TValue>(Subject subject, string name)
    {
        // Through the interface, since the constants take the plain names on the class.
        var element = subject.Spec.ElementType == "float" ? typeof(float) : typeof(double);
        var property = typeof(INetwork<>).MakeGenericType(element).GetProperty(name)!;
        return (TValue)property.GetValue(subject.Instance)!;
    }
}
