using NetGen;

// The networks under test. Each is declared here exactly as a user would, and listed in Catalog.cs with
// the canonical architecture text that the test suite expects, written by hand from API.md.

namespace NetGen.Tests.Networks
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
