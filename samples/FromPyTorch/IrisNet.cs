using NetGen;

namespace FromPyTorch;

/// <summary>
/// The network train.py trains: nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)), with the
/// softmax that PyTorch's nn.CrossEntropyLoss applies written out here as the layer before the loss.
/// </summary>
[Network]
[Linear(4, 16)]
[ReLU]
[Linear(16, 3)]
[Softmax]
[CrossEntropyLoss]
public partial class IrisNet { }

/// <summary>
/// The same network with train.py's weights baked in when the sample compiles: the generator reads
/// iris.safetensors.b64 (the base64 text of iris.safetensors, added as AdditionalFiles in the csproj,
/// because the compiler hands generators text files only) and writes its values into the generated
/// code, so a new instance already holds them and needs no file at run time.
/// </summary>
[Network(Weights = "iris.safetensors.b64")]
[Linear(4, 16)]
[ReLU]
[Linear(16, 3)]
[Softmax]
[CrossEntropyLoss]
public partial class BakedIrisNet { }
