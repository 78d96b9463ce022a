using NetGen;

namespace Regularised;

/// <summary>The baseline: samples/Digits' 64-128-64-10 network, nothing between its layers but ReLU.</summary>
[Network]
[Linear(64, 128)] [ReLU]
[Linear(128, 64)] [ReLU]
[Linear(64, 10)] [Softmax] [CrossEntropyLoss]
public partial class PlainNet { }

/// <summary>
/// The same layers with batch normalisation before each hidden ReLU and dropout after it: training calls
/// normalise by the batch's statistics and drop a fifth of the hidden values; Predict uses the running
/// statistics and keeps every value (PyTorch's train() / eval()).
/// </summary>
[Network]
[Linear(64, 128)] [BatchNorm1D(128)] [ReLU] [Dropout(0.2)]
[Linear(128, 64)] [BatchNorm1D(64)] [ReLU] [Dropout(0.2)]
[Linear(64, 10)] [Softmax] [CrossEntropyLoss]
public partial class RegularisedNet { }
