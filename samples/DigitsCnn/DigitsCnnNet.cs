using NetGen;

namespace DigitsCnn;

/// <summary>
/// A small convolutional network for the 8x8 digits: the image as one channel of 8 x 8, two 3x3
/// convolutions that keep the size (padding 1), each followed by a 2x2 max pool, then one Linear over the
/// 16 x 2 x 2 values that are left. About a third of the dense DigitsNet's parameters. The generated code
/// is under obj/generated/NetGen.Generator/NetGen.Generator.NetworkGenerator/ after a build.
/// </summary>
[Network]
[Input(1, 8, 8)]
[Conv2D(1, 8, 3, Padding = 1)]  // (8, 8, 8): eight 3x3 filters over the image
[ReLU]
[MaxPool2D(2)]                  // (8, 4, 4)
[Conv2D(8, 16, 3, Padding = 1)] // (16, 4, 4)
[ReLU]
[MaxPool2D(2)]                  // (16, 2, 2)
[Flatten]                       // 64 values
[Linear(64, 10)]
[Softmax]
[CrossEntropyLoss]
public partial class DigitsCnnNet { }

/// <summary>
/// The first convolution of <see cref="DigitsCnnNet"/> on its own, with the ReLU after it: given the trained
/// network's first-layer tensors, its output is what each filter responds to in a digit.
/// </summary>
[Network]
[Input(1, 8, 8)]
[Conv2D(1, 8, 3, Padding = 1)]
[ReLU]
public partial class FirstConvolution { }
