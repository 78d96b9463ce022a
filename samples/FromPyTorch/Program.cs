using System;
using System.IO;
using FromPyTorch;
using NetGen;
using NetGen.Onnx;

// Weights trained in PyTorch (train.py), three ways into a NetGen network, each checked against
// PyTorch's own predictions. Exits 1 if any way disagrees.
string folder = AppContext.BaseDirectory;
PyTorchPredictions pytorch = PyTorchPredictions.Load(Path.Combine(folder, "predictions.json"));
Console.WriteLine($"PyTorch: {pytorch.Accuracy:P1} of the {pytorch.Features.Length} flowers right");

// float rounding differs between PyTorch and NetGen in the last bits; anything beyond that is a wrong weight.
const double tolerance = 1e-5;
bool allAgree = true;

// 1. safetensors: PyTorch's state_dict ("0.weight", "0.bias", "2.weight", "2.bias"), matched to the
//    declaration's Linear layers by their nn.Sequential indices and shapes.
var fromSafetensors = new IrisNet();
fromSafetensors.LoadSafetensors(Path.Combine(folder, "iris.safetensors"));
allAgree &= pytorch.Agrees(fromSafetensors, "1. safetensors (LoadSafetensors):", tolerance);

// 2. ONNX: the initializers of torch.onnx.export's graph, which is checked node by node against the
//    declaration (Gemm, Relu, Gemm, Softmax).
var fromOnnx = new IrisNet();
fromOnnx.LoadOnnxWeights(Path.Combine(folder, "iris.onnx"));
allAgree &= pytorch.Agrees(fromOnnx, "2. ONNX (LoadOnnxWeights):", tolerance);

// 3. Baked weights: compiled into the generated code, with no file to load at run time. The generator
//    read iris.safetensors.b64 (AdditionalFiles in the csproj) when this sample compiled, checking it as
//    LoadSafetensors checks a file, so a new instance already holds train.py's weights.
var baked = new BakedIrisNet();
allAgree &= pytorch.Agrees(baked, "3. baked (Weights = ...):", tolerance);
bool sameBits = baked.Parameters.AsSpan().SequenceEqual(fromSafetensors.Parameters);
Console.WriteLine($"{"",-34} {(sameBits ? "the same parameters, bit for bit, as LoadSafetensors loaded" : "MISMATCH with the parameters LoadSafetensors loaded")}");
allAgree &= sameBits;

// And the other way, for a network trained in NetGen: save for PyTorch and export for ONNX runtimes.
// Both load back to the same parameters, bit for bit.
string output = Path.Combine(Path.GetTempPath(), $"netgen-from-pytorch-{Guid.NewGuid():N}");
Directory.CreateDirectory(output);
try
{
    fromSafetensors.SaveSafetensors(Path.Combine(output, "iris.safetensors"));   // torch: model.load_state_dict(...)
    fromSafetensors.ExportOnnx(Path.Combine(output, "iris.onnx"));                // ONNX Runtime, Unity Sentis
    fromSafetensors.ExportOnnx(Path.Combine(output, "iris-opset9.onnx"), new OnnxExportOptions { Opset = 9 });   // Barracuda
    var reloaded = new IrisNet();
    reloaded.LoadSafetensors(Path.Combine(output, "iris.safetensors"));
    bool same = reloaded.Parameters.AsSpan().SequenceEqual(fromSafetensors.Parameters);
    reloaded.LoadOnnxWeights(Path.Combine(output, "iris-opset9.onnx"));
    same &= reloaded.Parameters.AsSpan().SequenceEqual(fromSafetensors.Parameters);
    Console.WriteLine($"saved as safetensors and exported as ONNX (opsets 13 and 9): {(same ? "both load back bit for bit" : "MISMATCH after reloading")}");
    allAgree &= same;
}
finally
{
    Directory.Delete(output, recursive: true);
}

Console.WriteLine(allAgree ? "NetGen agrees with PyTorch." : "NetGen does NOT agree with PyTorch.");
return allAgree ? 0 : 1;
