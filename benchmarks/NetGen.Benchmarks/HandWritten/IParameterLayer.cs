namespace NetGen.Benchmarks.HandWritten;

/// <summary>A layer with a weight and a bias, which the network loads, reads and steps in NetGen's layout order.</summary>
public interface IParameterLayer : ILayer
{
    float[] Weights { get; }

    float[] Bias { get; }

    float[] WeightGradients { get; }

    float[] BiasGradients { get; }
}
