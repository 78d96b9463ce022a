using System;
using NetGen;

// XOR: the smallest problem a linear model cannot solve. Two inputs, a hidden layer of 8, two classes.
float[] inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
int[] labels = { 0, 1, 1, 0 };

var network = new XorNet();
network.InitializeParameters(seed: 1);
Console.WriteLine(XorNet.Describe());

for (int epoch = 1; epoch <= 2000; epoch++)
{
    float loss = network.TrainStep(inputs, labels, learningRate: 0.5f);
    if (epoch % 250 == 0)
    {
        Console.WriteLine($"epoch {epoch,4}: loss {loss:F5}");
    }
}

int correct = 0;
for (int sample = 0; sample < 4; sample++)
{
    int predicted = network.Predict(inputs.AsSpan(sample * 2, 2));
    Console.WriteLine($"{inputs[sample * 2]} xor {inputs[sample * 2 + 1]} -> {predicted} (expected {labels[sample]})");
    correct += predicted == labels[sample] ? 1 : 0;
}
Console.WriteLine($"{correct}/4 correct");
return correct == 4 ? 0 : 1;

[Network]
[Linear(2, 8)]
[ReLU]
[Linear(8, 2)]
[Softmax]
[CrossEntropyLoss]
public partial class XorNet { }
