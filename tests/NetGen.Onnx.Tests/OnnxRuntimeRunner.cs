using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace NetGen.Onnx.Tests;

/// <summary>Runs a model with ONNX Runtime (one thread, all graph optimisations, as a user would) and returns every output as doubles.</summary>
public static class OnnxRuntimeRunner
{
    public static Dictionary<string, double[]> Run(byte[] model, double[] inputs, int[] inputShape, bool isDouble, string inputName = "input")
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model, options);
        NamedOnnxValue input = isDouble
            ? NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<double>(inputs, inputShape))
            : NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(Array.ConvertAll(inputs, v => (float)v), inputShape));
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(new[] { input });
        return results.ToDictionary(
            r => r.Name,
            r => isDouble ? r.AsEnumerable<double>().ToArray() : r.AsEnumerable<float>().Select(v => (double)v).ToArray());
    }

    /// <summary>The session's view of the model's inputs and outputs: name to dimensions (-1 for a symbolic one).</summary>
    public static (Dictionary<string, int[]> Inputs, Dictionary<string, int[]> Outputs) Signature(byte[] model)
    {
        using var session = new InferenceSession(model);
        return (session.InputMetadata.ToDictionary(m => m.Key, m => m.Value.Dimensions),
                session.OutputMetadata.ToDictionary(m => m.Key, m => m.Value.Dimensions));
    }
}
