using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.NumericTests.Networks;

namespace NetGen.NumericTests.Infrastructure;

/// <summary>A classifier's Predict (<see cref="IClassifier{T}"/>); other networks have none.</summary>
public delegate int Predictor<T>(ReadOnlySpan<T> input);

/// <summary>A fresh instance of a network under test, with what the tests know about it.</summary>
public abstract class Subject
{
    protected Subject(NetInfo info) => Info = info;

    public NetInfo Info { get; }

    public Spec Spec => Info.Spec;

    public abstract object Instance { get; }

    /// <summary>A copy of the parameters, as doubles.</summary>
    public abstract double[] ParameterValues();

    /// <summary>Sets every parameter to <paramref name="value"/>.</summary>
    public abstract void FillParameters(double value);

    /// <summary>Calls the generated <c>InitializeParameters(int)</c>, which no interface declares.</summary>
    public void InitializeParameters(int seed)
    {
        var method = Instance.GetType().GetMethod("InitializeParameters", [typeof(int)])
            ?? throw new Xunit.Sdk.XunitException($"{Info.Type}: no public InitializeParameters(int).");
        try
        {
            method.Invoke(Instance, [seed]);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}

/// <inheritdoc />
public sealed class Subject<T> : Subject where T : unmanaged
{
    public Subject(NetInfo info, INetwork<T> net) : base(info)
    {
        Net = net;
        Predict = net is IClassifier<T> classifier ? classifier.Predict : null;
    }

    public INetwork<T> Net { get; }

    /// <summary>The network's own <c>Predict</c> where it is a classifier; null otherwise, since only classifiers have one.</summary>
    public Predictor<T>? Predict { get; }

    /// <summary>The network as a classifier, or null where it does not end in CrossEntropyLoss.</summary>
    public IClassifier<T>? Classifier => Net as IClassifier<T>;

    /// <summary>The network as a regressor, or null where it does not end in MSELoss.</summary>
    public IRegressor<T>? Regressor => Net as IRegressor<T>;

    public override object Instance => Net;

    public override double[] ParameterValues()
    {
        var result = new double[Net.Parameters.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Convert.ToDouble(Net.Parameters[i], System.Globalization.CultureInfo.InvariantCulture);
        }
        return result;
    }

    public override void FillParameters(double value) =>
        Net.Parameters.AsSpan().Fill((T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A network type under test and the architecture the tests expect of it.</summary>
public sealed class NetInfo
{
    private readonly Func<NetInfo, Subject> _create;

    internal NetInfo(string name, Type type, Spec spec, Func<NetInfo, Subject> create)
    {
        Name = name;
        Type = type;
        Spec = spec;
        _create = create;
    }

    public string Name { get; }

    public Type Type { get; }

    public Spec Spec { get; }

    public Subject Create() => _create(this);

    public override string ToString() => Name;
}

/// <summary>Every network declared in Networks.cs, by name, with its expected canonical architecture.</summary>
public static class Catalog
{
    public static readonly IReadOnlyList<NetInfo> All =
    [
        // Reference cases: the names are the JSON files' "name".
        Of<RefIrisLike, float>("iris_like", "float: Linear(4,8) ReLU Linear(8,3) Softmax CrossEntropyLoss"),
        Of<RefDeep, float>("deep", "float: Linear(10,16) ReLU Linear(16,16) ReLU Linear(16,4) Softmax CrossEntropyLoss"),
        Of<RefLogits, float>("logits", "float: Linear(6,5) ReLU Linear(5,2)"),
        Of<RefSingleSample, double>("single_sample", "double: Linear(3,4) Softmax CrossEntropyLoss"),

        Of<IrisNet, float>("IrisNet", "float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss"),
        Of<FloatWide, float>("FloatWide", "float: Linear(33,100) ReLU Linear(100,7) Softmax CrossEntropyLoss"),

        Of<DLinear, double>("DLinear", "double: Linear(7,13)"),
        Of<DLinearReLU, double>("DLinearReLU", "double: Linear(13,7) ReLU"),
        Of<DLinearSoftmax, double>("DLinearSoftmax", "double: Linear(7,5) Softmax"),
        Of<DLinearSoftmaxLoss, double>("DLinearSoftmaxLoss", "double: Linear(7,5) Softmax CrossEntropyLoss"),
        Of<DSoftmaxMiddle, double>("DSoftmaxMiddle", "double: Linear(7,13) Softmax Linear(13,5) Softmax CrossEntropyLoss"),
        Of<DSoftmaxFirst, double>("DSoftmaxFirst", "double: Softmax Linear(7,3) ReLU"),

        Of<DNarrowOut, double>("DNarrowOut", "double: Linear(7,13) ReLU Linear(13,1)"),
        Of<DWide, double>("DWide", "double: Linear(33,100) ReLU Linear(100,7) Softmax CrossEntropyLoss"),
        Of<DWideUnrolled, double>("DWideUnrolled", "double: Linear(33,100) ReLU Linear(100,7) Softmax CrossEntropyLoss"),
        Of<DDeep, double>("DDeep", "double: Linear(1,33) ReLU Linear(33,13) ReLU Linear(13,7) Softmax CrossEntropyLoss"),
        Of<DDeeper, double>("DDeeper", "double: Linear(100,33) ReLU Linear(33,7) ReLU Linear(7,13) ReLU Linear(13,1)"),

        // Round 2's layer kinds, each alone (double, for finite differences), then in deep stacks of
        // awkward widths, and the PyTorch reference cases for them.
        Of<DLinearTanh, double>("DLinearTanh", "double: Linear(7,13) Tanh"),
        Of<DLinearSigmoid, double>("DLinearSigmoid", "double: Linear(13,7) Sigmoid"),
        Of<DLinearLeakyReLU, double>("DLinearLeakyReLU", "double: Linear(7,13) LeakyReLU(0.01)"),
        Of<DLinearLeakyReLUSlope, double>("DLinearLeakyReLUSlope", "double: Linear(7,13) LeakyReLU(-0.3)"),
        Of<DLinearSiLU, double>("DLinearSiLU", "double: Linear(13,7) SiLU"),
        Of<DLinearMse, double>("DLinearMse", "double: Linear(7,5) MSELoss"),
        Of<DTanhFirstMse, double>("DTanhFirstMse", "double: Tanh Linear(7,1) MSELoss"),
        Of<DSmoothDeep, double>("DSmoothDeep", "double: Linear(7,13) Tanh Linear(13,33) SiLU Linear(33,100) Sigmoid Linear(100,1) LeakyReLU(0.1) Linear(1,7) MSELoss"),
        Of<DSmoothClassifier, double>("DSmoothClassifier", "double: Linear(1,33) SiLU Linear(33,13) LeakyReLU(0.01) Linear(13,7) Softmax CrossEntropyLoss"),
        Of<FloatActorCritic, float>("FloatActorCritic", "float: Linear(8,33) Tanh Linear(33,33) SiLU Linear(33,2) Tanh MSELoss"),
        Of<RefTanhSigmoidMse, float>("tanh_sigmoid_mse", "float: Linear(5,7) Tanh Linear(7,4) Sigmoid Linear(4,3) MSELoss"),
        Of<RefLeakySiLUMse, double>("leaky_silu_mse", "double: Linear(6,9) LeakyReLU(0.1) Linear(9,5) SiLU Linear(5,2) MSELoss"),
        Of<RefSmoothClassifier, float>("smooth_classifier", "float: Linear(4,10) SiLU Linear(10,6) LeakyReLU(0.01) Linear(6,3) Softmax CrossEntropyLoss"),

        Of<Outer.NestedNet, double>("NestedNet", "double: Linear(2,3) ReLU Linear(3,2) Softmax CrossEntropyLoss"),
        Of<GlobalNamespaceNet, float>("GlobalNamespaceNet", "float: Linear(3,2)"),
    ];

    public static NetInfo Get(string name) =>
        All.SingleOrDefault(n => n.Name == name) ?? throw new ArgumentException($"No network '{name}' in the catalog.", nameof(name));

    /// <summary>A new instance of the network called <paramref name="name"/>, with element type <typeparamref name="T"/>.</summary>
    public static Subject<T> Create<T>(string name) where T : unmanaged => (Subject<T>)Get(name).Create();

    /// <summary>Every network's name, as xunit theory data.</summary>
    public static IEnumerable<object[]> Names => All.Select(n => new object[] { n.Name });

    /// <summary>The names of the networks that end in MSELoss, as xunit theory data.</summary>
    public static IEnumerable<object[]> RegressorNames => All.Where(n => n.Spec.EndsInMeanSquaredError).Select(n => new object[] { n.Name });

    /// <summary>The names of the networks that end in CrossEntropyLoss, as xunit theory data.</summary>
    public static IEnumerable<object[]> ClassifierNames => All.Where(n => n.Spec.EndsInCrossEntropy).Select(n => new object[] { n.Name });

    private static NetInfo Of<TNet, T>(string name, string canonical)
        where TNet : INetwork<T>, new()
        where T : unmanaged
        => new(name, typeof(TNet), Spec.Parse(canonical), info => new Subject<T>(info, new TNet()));
}
