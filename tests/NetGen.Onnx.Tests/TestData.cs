using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Interop.Tests;
using NetGen.Interop.Tests.Networks;

namespace NetGen.Onnx.Tests;

/// <summary>Inputs, exports and loads for networks of either element type, so that a test is written once.</summary>
public static class TestData
{
    public static IEnumerable<object[]> SuiteNames() => SuiteNetworks.ByName.Keys.Select(n => new object[] { n });

    public static int InputSize(object network) => network is INetwork<float> f ? f.InputSize : ((INetwork<double>)network).InputSize;

    public static int OutputSize(object network) => network is INetwork<float> f ? f.OutputSize : ((INetwork<double>)network).OutputSize;

    public static bool IsDouble(object network) => network is INetwork<double>;

    /// <summary>Values in [-3, 3), with a few exact zeros, so that ReLU's kink and negative inputs are both met.</summary>
    public static double[] Inputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(10) == 0 ? 0 : 6 * random.NextDouble() - 3).ToArray();
    }

    /// <summary>Sets every parameter from a seeded generator, wider than the default initialisation so that Softmax outputs are far from uniform.</summary>
    public static void Randomize(object network, int seed)
    {
        var random = new Random(seed);
        if (network is INetwork<float> f) for (int i = 0; i < f.Parameters.Length; i++) f.Parameters[i] = (float)(2 * random.NextDouble() - 1);
        else
        {
            var d = (INetwork<double>)network;
            for (int i = 0; i < d.Parameters.Length; i++) d.Parameters[i] = 2 * random.NextDouble() - 1;
        }
    }

    public static byte[] Export(object network, OnnxExportOptions? options = null)
    {
        var stream = new MemoryStream();
        if (network is INetwork<float> f) f.ExportOnnx(stream, options);
        else ((INetwork<double>)network).ExportOnnx(stream, options);
        return stream.ToArray();
    }

    public static void Load(object network, byte[] model, WeightLoadOptions? options = null)
    {
        if (network is INetwork<float> f) f.LoadOnnxWeights(new MemoryStream(model), options);
        else ((INetwork<double>)network).LoadOnnxWeights(new MemoryStream(model), options);
    }

    /// <summary>A classifier's logits, computed independently by the reference network from the same parameters.</summary>
    public static double[] Logits(object network, double[] inputs, int batch)
    {
        string architecture = AnyNetwork.Architecture(network);
        int layers = NetworkArchitecture.Parse(architecture).Layers.Count - 2;   // all but the final Softmax and the loss
        if (network is INetwork<float> f)
        {
            var reference = new ReferenceMlp<float>(architecture);
            f.Parameters.CopyTo(reference.Parameters, 0);
            return reference.Run(Array.ConvertAll(inputs, v => (float)v), batch, layers);
        }

        var d = (INetwork<double>)network;
        var referenceDouble = new ReferenceMlp<double>(architecture);
        d.Parameters.CopyTo(referenceDouble.Parameters, 0);
        return referenceDouble.Run(inputs, batch, layers);
    }
}
