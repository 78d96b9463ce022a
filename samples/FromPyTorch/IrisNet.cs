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
