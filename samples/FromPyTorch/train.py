#!/usr/bin/python3
"""Trains a small MLP on Iris with PyTorch, then saves what the C# half of this sample loads:

- iris.safetensors: the model's state_dict ("0.weight", "0.bias", "2.weight", "2.bias");
- iris.safetensors.b64: the same file as base64 text, which the generator bakes into BakedIrisNet;
- iris.onnx: torch.onnx.export of the same model with its Softmax, at opset 13;
- predictions.json: the 150 flowers, PyTorch's probabilities and predicted species for each.

The network is nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)) trained with
nn.CrossEntropyLoss on its logits, the usual PyTorch way; in NetGen it is
[Network] [Linear(4, 16)] [ReLU] [Linear(16, 3)] [Softmax] [CrossEntropyLoss].

Run with Debian's PyTorch (torch 1.13, which has no safetensors module, so the file is written with
struct and json by tests/fixtures/pytorch/netgen_torch.py, as safetensors.torch.save_file would):

    apt-get install -y python3-torch
    /usr/bin/python3 samples/FromPyTorch/train.py
"""
import base64
import csv
import json
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "fixtures", "pytorch"))
import netgen_torch  # noqa: E402


def load_iris():
    with open(os.path.join(HERE, "..", "Iris", "iris.csv")) as f:
        rows = list(csv.reader(f))[1:]   # the first line is a header: count, features, class names
    features = torch.tensor([[float(v) for v in row[:4]] for row in rows])
    labels = torch.tensor([int(row[4]) for row in rows])
    return features, labels


def main():
    torch.manual_seed(0)
    features, labels = load_iris()
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_function = torch.nn.CrossEntropyLoss()
    for epoch in range(500):
        optimizer.zero_grad()
        loss = loss_function(model(features), labels)
        loss.backward()
        optimizer.step()
    model.eval()

    with torch.no_grad():
        probabilities = torch.softmax(model(features), dim=-1)
    predicted = probabilities.argmax(dim=-1)
    accuracy = (predicted == labels).float().mean().item()
    print(f"trained: loss {loss.item():.4f}, accuracy {accuracy:.3f} on all 150 flowers")

    netgen_torch.save_safetensors(model.state_dict(), os.path.join(HERE, "iris.safetensors"), {"format": "pt"})
    # The same file as base64 text, for [Network(Weights = "iris.safetensors.b64")]: the compiler hands
    # source generators text files only. encodebytes wraps at 76 columns, as the base64 command does.
    with open(os.path.join(HERE, "iris.safetensors"), "rb") as binary, open(os.path.join(HERE, "iris.safetensors.b64"), "w") as text:
        text.write(base64.encodebytes(binary.read()).decode("ascii"))

    # The ONNX file carries the Softmax, so that it computes what NetGen's Forward does.
    with_softmax = torch.nn.Sequential(*model, torch.nn.Softmax(dim=-1)).eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(with_softmax, features[:1], os.path.join(HERE, "iris.onnx"), opset_version=13,
                          input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})

    with open(os.path.join(HERE, "predictions.json"), "w") as f:
        json.dump({
            "features": features.tolist(),
            "probabilities": probabilities.double().tolist(),
            "predicted": predicted.tolist(),
            "labels": labels.tolist(),
            "accuracy": accuracy,
        }, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
