using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Infrastructure;

/// <summary>Predict is public on every network but only on <see cref="IClassifier{T}"/> among the interfaces.</summary>
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
    public Subject(NetInfo info, INetwork<T> net, Predictor<T> predict) : base(info)
    {
        Net = net;
        Predict = predict;
    }

    public INetwork<T> Net { get; }

    /// <summary>The network's own <c>Predict</c>.</summary>
    public Predictor<T> Predict { get; }

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
        Of<RefIrisLike, float>("iris_like", "float: Linear(4,8) ReLU Linear(8,3) Softmax CrossEntropyLoss", n => n.Predict),
        Of<RefDeep, float>("deep", "float: Linear(10,16) ReLU Linear(16,16) ReLU Linear(16,4) Softmax CrossEntropyLoss", n => n.Predict),
        Of<RefLogits, float>("logits", "float: Linear(6,5) ReLU Linear(5,2)", n => n.Predict),
        Of<RefSingleSample, double>("single_sample", "double: Linear(3,4) Softmax CrossEntropyLoss", n => n.Predict),

        Of<IrisNet, float>("IrisNet", "float: Linear(4,16) ReLU Linear(16,3) Softmax CrossEntropyLoss", n => n.Predict),
        Of<FloatWide, float>("FloatWide", "float: Linear(33,100) ReLU Linear(100,7) Softmax CrossEntropyLoss", n => n.Predict),

        Of<DLinear, double>("DLinear", "double: Linear(7,13)", n => n.Predict),
        Of<DLinearReLU, double>("DLinearReLU", "double: Linear(13,7) ReLU", n => n.Predict),
        Of<DLinearSoftmax, double>("DLinearSoftmax", "double: Linear(7,5) Softmax", n => n.Predict),
        Of<DLinearSoftmaxLoss, double>("DLinearSoftmaxLoss", "double: Linear(7,5) Softmax CrossEntropyLoss", n => n.Predict),
        Of<DSoftmaxMiddle, double>("DSoftmaxMiddle", "double: Linear(7,13) Softmax Linear(13,5) Softmax CrossEntropyLoss", n => n.Predict),
        Of<DSoftmaxFirst, double>("DSoftmaxFirst", "double: Softmax Linear(7,3) ReLU", n => n.Predict),

        Of<DNarrowOut, double>("DNarrowOut", "double: Linear(7,13) ReLU Linear(13,1)", n => n.Predict),
        Of<DWide, double>("DWide", "double: Linear(33,100) ReLU Linear(100,7) Softmax CrossEntropyLoss", n => n.Predict),
        Of<DWideUnrolled, double>("DWideUnrolled", "double: Linear(33,100) ReLU Linear(100,7) Softmax CrossEntropyLoss", n => n.Predict),
        Of<DDeep, double>("DDeep", "double: Linear(1,33) ReLU Linear(33,13) ReLU Linear(13,7) Softmax CrossEntropyLoss", n => n.Predict),
        Of<DDeeper, double>("DDeeper", "double: Linear(100,33) ReLU Linear(33,7) ReLU Linear(7,13) ReLU Linear(13,1)", n => n.Predict),

        // Round 2's layer kinds, each alone (double, for finite differences), then in deep stacks of
        // awkward widths, and the PyTorch reference cases for them.
        Of<DLinearTanh, double>("DLinearTanh", "double: Linear(7,13) Tanh", n => n.Predict),
        Of<DLinearSigmoid, double>("DLinearSigmoid", "double: Linear(13,7) Sigmoid", n => n.Predict),
        Of<DLinearLeakyReLU, double>("DLinearLeakyReLU", "double: Linear(7,13) LeakyReLU(0.01)", n => n.Predict),
        Of<DLinearLeakyReLUSlope, double>("DLinearLeakyReLUSlope", "double: Linear(7,13) LeakyReLU(-0.3)", n => n.Predict),
        Of<DLinearSiLU, double>("DLinearSiLU", "double: Linear(13,7) SiLU", n => n.Predict),
        Of<DLinearMse, double>("DLinearMse", "double: Linear(7,5) MSELoss", n => n.Predict),
        Of<DTanhFirstMse, double>("DTanhFirstMse", "double: Tanh Linear(7,1) MSELoss", n => n.Predict),
        Of<DSmoothDeep, double>("DSmoothDeep", "double: Linear(7,13) Tanh Linear(13,33) SiLU Linear(33,100) Sigmoid Linear(100,1) LeakyReLU(0.1) Linear(1,7) MSELoss", n => n.Predict),
        Of<DSmoothClassifier, double>("DSmoothClassifier", "double: Linear(1,33) SiLU Linear(33,13) LeakyReLU(0.01) Linear(13,7) Softmax CrossEntropyLoss", n => n.Predict),
        Of<FloatActorCritic, float>("FloatActorCritic", "float: Linear(8,33) Tanh Linear(33,33) SiLU Linear(33,2) Tanh MSELoss", n => n.Predict),
        Of<RefTanhSigmoidMse, float>("tanh_sigmoid_mse", "float: Linear(5,7) Tanh Linear(7,4) Sigmoid Linear(4,3) MSELoss", n => n.Predict),
        Of<RefLeakySiLUMse, double>("leaky_silu_mse", "double: Linear(6,9) LeakyReLU(0.1) Linear(9,5) SiLU Linear(5,2) MSELoss", n => n.Predict),
        Of<RefSmoothClassifier, float>("smooth_classifier", "float: Linear(4,10) SiLU Linear(10,6) LeakyReLU(0.01) Linear(6,3) Softmax CrossEntropyLoss", n => n.Predict),

        Of<Outer.NestedNet, double>("NestedNet", "double: Linear(2,3) ReLU Linear(3,2) Softmax CrossEntropyLoss", n => n.Predict),
        Of<GlobalNamespaceNet, float>("GlobalNamespaceNet", "float: Linear(3,2)", n => n.Predict),
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

    private static NetInfo Of<TNet, T>(string name, string canonical, Func<TNet, Predictor<T>> predict)
        where TNet : INetwork<T>, new()
        where T : unmanaged
        => new(name, typeof(TNet), Spec.Parse(canonical), info =>
        {
            var net = new TNet();
            return new Subject<T>(info, net, predict(net));
        });
}
