using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;
using NetGen.Interop.Tests.Networks;
using NetGen.Onnx;

// Writes, into the folder given, for every network of the suite and for one of every activation kind:
// NAME.safetensors, NAME.opset13.onnx, NAME.opset9.onnx, and manifest.json with the architecture, the
// inputs and NetGen's outputs, so that check_in_pytorch.py can load them into the equivalent nn.Sequential.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: NetGen.PyTorchCheck <output folder>");
    return 2;
}

string folder = args[0];
Directory.CreateDirectory(folder);
var networks = SuiteNetworks.ByName.ToDictionary(p => p.Key, p => p.Value());
networks["Activations"] = new ReferenceMlp<float>("float: Linear(4,6) Tanh Linear(6,5) Sigmoid Linear(5,5) LeakyReLU(0.1) Linear(5,4) SiLU Linear(4,3) Softmax CrossEntropyLoss", seed: 3);
networks["ActivationsDouble"] = new ReferenceMlp<double>("double: SiLU Linear(3,4) LeakyReLU Linear(4,2) MSELoss", seed: 4);

var manifest = new List<Dictionary<string, object>>();
var random = new Random(1);
const int batch = 4;
foreach (var (name, network) in networks)
{
    switch (network)
    {
        case INetwork<float> f: Write(f, name); break;
        case INetwork<double> d: Write(d, name); break;
    }
}

File.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {manifest.Count} networks to {folder}");
return 0;

void Write<T>(INetwork<T> network, string name) where T : unmanaged
{
    // Parameters well away from the defaults, so that a misplaced tensor cannot go unnoticed.
    for (int i = 0; i < network.Parameters.Length; i++) network.Parameters[i] = (T)Convert.ChangeType(2 * random.NextDouble() - 1, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    var inputs = new T[batch * network.InputSize];
    for (int i = 0; i < inputs.Length; i++) inputs[i] = (T)Convert.ChangeType(6 * random.NextDouble() - 3, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    var outputs = new T[batch * network.OutputSize];
    network.Forward(inputs, outputs, batch);

    network.SaveSafetensors(Path.Combine(folder, name + ".safetensors"));
    network.ExportOnnx(Path.Combine(folder, name + ".opset13.onnx"));
    network.ExportOnnx(Path.Combine(folder, name + ".opset9.onnx"), new OnnxExportOptions { Opset = 9 });
    manifest.Add(new Dictionary<string, object>
    {
        ["name"] = name,
        ["architecture"] = network.Architecture,
        ["inputs"] = inputs.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        ["outputs"] = outputs.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        ["batch"] = batch,
    });
}
