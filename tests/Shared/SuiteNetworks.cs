using System;
using System.Collections.Generic;
using NetGen;

// The networks of the numeric suite (tests/NetGen.NumericTests/Networks.cs), declared again here because a test
// project cannot reference another's generated classes; plus one with more than ten modules, where
// PyTorch's names "10.weight" and "12.weight" sort before "2.weight" as strings. Compiled into each test
// project that needs them (a linked file), with the generator as an analyzer.

namespace NetGen.Interop.Tests.Networks
{
    [Network] [Linear(4, 8)] [ReLU] [Linear(8, 3)] [Softmax] [CrossEntropyLoss]
    public partial class RefIrisLike { }

    [Network] [Linear(10, 16)] [ReLU] [Linear(16, 16)] [ReLU] [Linear(16, 4)] [Softmax] [CrossEntropyLoss]
    public partial class RefDeep { }

    [Network] [Linear(6, 5)] [ReLU] [Linear(5, 2)]
    public partial class RefLogits { }

    [Network(typeof(double))] [Linear(3, 4)] [Softmax] [CrossEntropyLoss]
    public partial class RefSingleSample { }

    [Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
    public partial class IrisNet { }

    [Network] [Linear(33, 100), ReLU, Linear(100, 7), Softmax, CrossEntropyLoss]
    public partial class FloatWide { }

    [Network(typeof(double))] [Linear(7, 13)]
    public partial class DLinear { }

    [Network(typeof(double))] [Linear(13, 7)] [ReLU]
    public partial class DLinearReLU { }

    [Network(typeof(double))] [Linear(7, 5)] [Softmax]
    public partial class DLinearSoftmax { }

    [Network(typeof(double))] [Linear(7, 5)] [Softmax] [CrossEntropyLoss]
    public partial class DLinearSoftmaxLoss { }

    [Network(typeof(double))] [Linear(7, 13)] [Softmax] [Linear(13, 5)] [Softmax] [CrossEntropyLoss]
    public partial class DSoftmaxMiddle { }

    [Network(typeof(double))] [Softmax] [Linear(7, 3)] [ReLU]
    public partial class DSoftmaxFirst { }

    [Network(typeof(double))] [Linear(7, 13)] [ReLU] [Linear(13, 1)]
    public partial class DNarrowOut { }

    [Network(typeof(double))] [Linear(33, 100)] [ReLU] [Linear(100, 7)] [Softmax] [CrossEntropyLoss]
    public partial class DWide { }

    [Network(typeof(double), FullUnroll = true)] [Linear(33, 100)] [ReLU] [Linear(100, 7)] [Softmax] [CrossEntropyLoss]
    public partial class DWideUnrolled { }

    [Network(typeof(double))] [Linear(1, 33)] [ReLU] [Linear(33, 13)] [ReLU] [Linear(13, 7)] [Softmax] [CrossEntropyLoss]
    public partial class DDeep { }

    [Network(typeof(double))] [Linear(100, 33)] [ReLU] [Linear(33, 7)] [ReLU] [Linear(7, 13)] [ReLU] [Linear(13, 1)]
    public partial class DDeeper { }

    public static partial class Outer
    {
        [Network(typeof(double))] [Linear(2, 3)] [ReLU] [Linear(3, 2)] [Softmax] [CrossEntropyLoss]
        public partial class NestedNet { }
    }

    /// <summary>Seven Linear layers: nn.Sequential indices 0, 2, ..., 12.</summary>
    [Network]
    [Linear(3, 5)] [ReLU] [Linear(5, 5)] [ReLU] [Linear(5, 5)] [ReLU] [Linear(5, 5)] [ReLU] [Linear(5, 5)] [ReLU] [Linear(5, 5)] [ReLU] [Linear(5, 2)]
    public partial class ThirteenModules { }

    // Round 2's layer kinds, generated (ONNX Runtime has no double LeakyRelu, so LeakyReLU stays in float).

    [Network] [Linear(8, 33)] [Tanh] [Linear(33, 33)] [SiLU] [Linear(33, 2)] [Tanh] [MSELoss]
    public partial class FloatActorCritic { }

    [Network] [Linear(4, 10)] [SiLU] [Linear(10, 6)] [LeakyReLU] [Linear(6, 3)] [Softmax] [CrossEntropyLoss]
    public partial class FloatSmoothClassifier { }

    [Network] [Linear(5, 7)] [LeakyReLU(0.2)] [Linear(7, 4)] [Sigmoid] [Linear(4, 3)] [MSELoss]
    public partial class FloatLeakySigmoidRegressor { }

    [Network(typeof(double))] [Linear(7, 13)] [Tanh] [Linear(13, 5)] [Sigmoid] [Linear(5, 3)] [SiLU] [Linear(3, 2)] [MSELoss]
    public partial class DSmoothRegressor { }

    /// <summary>Every network above by name, each call a new instance (INetwork of float or of double).</summary>
    public static class SuiteNetworks
    {
        public static readonly IReadOnlyDictionary<string, Func<object>> ByName = new Dictionary<string, Func<object>>
        {
            ["RefIrisLike"] = () => new RefIrisLike(),
            ["RefDeep"] = () => new RefDeep(),
            ["RefLogits"] = () => new RefLogits(),
            ["RefSingleSample"] = () => new RefSingleSample(),
            ["IrisNet"] = () => new IrisNet(),
            ["FloatWide"] = () => new FloatWide(),
            ["DLinear"] = () => new DLinear(),
            ["DLinearReLU"] = () => new DLinearReLU(),
            ["DLinearSoftmax"] = () => new DLinearSoftmax(),
            ["DLinearSoftmaxLoss"] = () => new DLinearSoftmaxLoss(),
            ["DSoftmaxMiddle"] = () => new DSoftmaxMiddle(),
            ["DSoftmaxFirst"] = () => new DSoftmaxFirst(),
            ["DNarrowOut"] = () => new DNarrowOut(),
            ["DWide"] = () => new DWide(),
            ["DWideUnrolled"] = () => new DWideUnrolled(),
            ["DDeep"] = () => new DDeep(),
            ["DDeeper"] = () => new DDeeper(),
            ["NestedNet"] = () => new Outer.NestedNet(),
            ["GlobalNamespaceNet"] = () => new global::GlobalNamespaceNet(),
            ["ThirteenModules"] = () => new ThirteenModules(),
            ["FloatActorCritic"] = () => new FloatActorCritic(),
            ["FloatSmoothClassifier"] = () => new FloatSmoothClassifier(),
            ["FloatLeakySigmoidRegressor"] = () => new FloatLeakySigmoidRegressor(),
            ["DSmoothRegressor"] = () => new DSmoothRegressor(),
        };

        /// <summary>A new instance of the generated network whose Architecture is <paramref name="architecture"/>, or null.</summary>
        public static object? WithArchitecture(string architecture)
        {
            foreach (Func<object> create in ByName.Values)
            {
                object network = create();
                string text = network is INetwork<float> f ? f.Architecture : ((INetwork<double>)network).Architecture;
                if (text == architecture) return network;
            }

            return null;
        }
    }
}

[Network] [Linear(3, 2)]
public partial class GlobalNamespaceNet { }
