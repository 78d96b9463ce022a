using NetGen;

// The networks under test. Each is declared here exactly as a user would, and listed in Catalog.cs with
// the canonical architecture text that the test suite expects, written by hand from API.md.

namespace NetGen.NumericTests.Networks
{
    // ---- The PyTorch reference cases (shared/reference/*.json); layers copied from the JSON. ----

    [Network]
    [Linear(4, 8)] [ReLU] [Linear(8, 3)] [Softmax] [CrossEntropyLoss]
    public partial class RefIrisLike { }

    [Network]
    [Linear(10, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 4)] [Softmax] [CrossEntropyLoss]
    public partial class RefDeep { }

    [Network]
    [Linear(6, 5)] [ReLU] [Linear(5, 2)]
    public partial class RefLogits { }

    [Network(typeof(double))]
    [Linear(3, 4)] [Softmax] [CrossEntropyLoss]
    public partial class RefSingleSample { }

    // ---- The example from API.md, in float, and a wide float network with awkward widths. ----

    [Network]
    [Linear(4, 16)]
    [ReLU]
    [Linear(16, 3)]
    [Softmax]
    [CrossEntropyLoss]
    public partial class IrisNet { }

    [Network]
    [Linear(33, 100), ReLU, Linear(100, 7), Softmax, CrossEntropyLoss]
    public partial class FloatWide { }

    // ---- Each layer kind alone, in double, for finite differences. ----

    [Network(typeof(double))]
    [Linear(7, 13)]
    public partial class DLinear { }

    [Network(typeof(double))]
    [Linear(13, 7)] [ReLU]
    public partial class DLinearReLU { }

    [Network(typeof(double))]
    [Linear(7, 5)] [Softmax]
    public partial class DLinearSoftmax { }

    [Network(typeof(double))]
    [Linear(7, 5)] [Softmax] [CrossEntropyLoss]
    public partial class DLinearSoftmaxLoss { }

    /// <summary>Softmax in the middle, then a Linear and the fused Softmax + loss.</summary>
    [Network(typeof(double))]
    [Linear(7, 13)] [Softmax] [Linear(13, 5)] [Softmax] [CrossEntropyLoss]
    public partial class DSoftmaxMiddle { }

    /// <summary>Softmax before the first Linear (API.md: Softmax may stand anywhere), ReLU last.</summary>
    [Network(typeof(double))]
    [Softmax] [Linear(7, 3)] [ReLU]
    public partial class DSoftmaxFirst { }

    // ---- Whole networks of several depths and awkward widths (1, 7, 13, 33, 100), in double. ----

    [Network(typeof(double))]
    [Linear(7, 13)] [ReLU] [Linear(13, 1)]
    public partial class DNarrowOut { }

    [Network(typeof(double))]
    [Linear(33, 100)] [ReLU] [Linear(100, 7)] [Softmax] [CrossEntropyLoss]
    public partial class DWide { }

    /// <summary>The same network as <see cref="DWide"/>, with every kernel unrolled whatever its size.</summary>
    [Network(typeof(double), FullUnroll = true)]
    [Linear(33, 100)] [ReLU] [Linear(100, 7)] [Softmax] [CrossEntropyLoss]
    public partial class DWideUnrolled { }

    [Network(typeof(double))]
    [Linear(1, 33)] [ReLU] [Linear(33, 13)] [ReLU] [Linear(13, 7)] [Softmax] [CrossEntropyLoss]
    public partial class DDeep { }

    [Network(typeof(double))]
    [Linear(100, 33)] [ReLU] [Linear(33, 7)] [ReLU] [Linear(7, 13)] [ReLU] [Linear(13, 1)]
    public partial class DDeeper { }

    // ---- Round 2's layer kinds: each alone, in double, for finite differences. ----

    [Network(typeof(double))]
    [Linear(7, 13)] [Tanh]
    public partial class DLinearTanh { }

    [Network(typeof(double))]
    [Linear(13, 7)] [Sigmoid]
    public partial class DLinearSigmoid { }

    /// <summary>PyTorch's default slope, 0.01, from the attribute without an argument.</summary>
    [Network(typeof(double))]
    [Linear(7, 13)] [LeakyReLU]
    public partial class DLinearLeakyReLU { }

    /// <summary>A negative slope, which PyTorch allows: the function is then not monotonic.</summary>
    [Network(typeof(double))]
    [Linear(7, 13)] [LeakyReLU(-0.3)]
    public partial class DLinearLeakyReLUSlope { }

    [Network(typeof(double))]
    [Linear(13, 7)] [SiLU]
    public partial class DLinearSiLU { }

    /// <summary>MSELoss may follow any layer: here a Linear directly.</summary>
    [Network(typeof(double))]
    [Linear(7, 5)] [MSELoss]
    public partial class DLinearMse { }

    /// <summary>An activation before the first Linear, then a regression head of width 1.</summary>
    [Network(typeof(double))]
    [Tanh] [Linear(7, 1)] [MSELoss]
    public partial class DTanhFirstMse { }

    // ---- ...and in deep stacks of awkward widths (1, 7, 13, 33, 100). ----

    [Network(typeof(double))]
    [Linear(7, 13)] [Tanh] [Linear(13, 33)] [SiLU] [Linear(33, 100)] [Sigmoid] [Linear(100, 1)] [LeakyReLU(0.1)] [Linear(1, 7)] [MSELoss]
    public partial class DSmoothDeep { }

    [Network(typeof(double))]
    [Linear(1, 33)] [SiLU] [Linear(33, 13)] [LeakyReLU] [Linear(13, 7)] [Softmax] [CrossEntropyLoss]
    public partial class DSmoothClassifier { }

    /// <summary>An actor head as reinforcement learning uses it: tanh-bounded outputs, trained by MSE, in float.</summary>
    [Network]
    [Linear(8, 33)] [Tanh] [Linear(33, 33)] [SiLU] [Linear(33, 2)] [Tanh] [MSELoss]
    public partial class FloatActorCritic { }

    // ---- PyTorch reference cases for them (reference/make_reference.py). ----

    [Network]
    [Linear(5, 7)] [Tanh] [Linear(7, 4)] [Sigmoid] [Linear(4, 3)] [MSELoss]
    public partial class RefTanhSigmoidMse { }

    [Network(typeof(double))]
    [Linear(6, 9)] [LeakyReLU(0.1)] [Linear(9, 5)] [SiLU] [Linear(5, 2)] [MSELoss]
    public partial class RefLeakySiLUMse { }

    [Network]
    [Linear(4, 10)] [SiLU] [Linear(10, 6)] [LeakyReLU] [Linear(6, 3)] [Softmax] [CrossEntropyLoss]
    public partial class RefSmoothClassifier { }

    // ---- Declarations in unusual places (API.md: any namespace, nested in partial types). ----

    public static partial class Outer
    {
        [Network(typeof(double))]
        [Linear(2, 3)] [ReLU] [Linear(3, 2)] [Softmax] [CrossEntropyLoss]
        public partial class NestedNet { }
    }
}

[Network]
[Linear(3, 2)]
public partial class GlobalNamespaceNet { }

namespace NetGen.NumericTests.Networks.Deterministic
{
    // ---- [Network(Deterministic = true)]: every layer kind, float and double (DeterminismTests). ----

    [Network(Deterministic = true)]
    [Linear(4, 16)] [Tanh] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
    public partial class DetIris { }

    [Network(typeof(double), Deterministic = true)]
    [Linear(7, 13)] [SiLU] [Linear(13, 33)] [LeakyReLU(0.1)] [Linear(33, 5)] [Sigmoid] [Linear(5, 2)] [MSELoss]
    public partial class DetSmoothRegressor { }

    [Network(Deterministic = true)]
    [Linear(33, 100)] [ReLU] [Linear(100, 7)] [Softmax] [CrossEntropyLoss]
    public partial class DetWide { }

    [Network(Deterministic = true)]
    [Linear(8, 64)] [SiLU] [Linear(64, 64)] [Tanh] [Linear(64, 4)] [Tanh] [MSELoss]
    public partial class DetPolicy { }

    [Network(typeof(double), Deterministic = true)]
    [Softmax] [Linear(5, 9)] [ReLU] [Linear(9, 3)] [Softmax] [CrossEntropyLoss]
    public partial class DetDoubleClassifier { }
}
