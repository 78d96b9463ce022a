#!/usr/bin/env python3
"""Makes the PyTorch reference cases for round 2's layer kinds (Tanh, Sigmoid, LeakyReLU, SiLU, MSELoss).

Run with Debian's python3-torch (PyTorch 1.13): /usr/bin/python3 make_reference.py
It writes tanh_sigmoid_mse.json, leaky_silu_mse.json and smooth_classifier.json beside itself, in the
format of shared/reference/README.md, with three more fields:
  targets         where the network ends in MSELoss: the regression targets, sample-major
  loss, gradients for MSELoss as for CrossEntropyLoss: F.mse_loss(reduction="mean") and its parameter gradients
  inputGradients  d(sum of outputGradients * outputs)/d(inputs), what Backward(inputs, outputGradients, inputGradients) gives
Everything is computed in float64; parameters are drawn by a seeded generator, so the files are reproducible.
"""
import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def build(layers):
    modules = []
    for layer in layers:
        kind = layer["type"]
        if kind == "Linear":
            modules.append(torch.nn.Linear(layer["inputs"], layer["outputs"]).double())
        elif kind == "ReLU":
            modules.append(torch.nn.ReLU())
        elif kind == "Tanh":
            modules.append(torch.nn.Tanh())
        elif kind == "Sigmoid":
            modules.append(torch.nn.Sigmoid())
        elif kind == "SiLU":
            modules.append(torch.nn.SiLU())
        elif kind == "LeakyReLU":
            modules.append(torch.nn.LeakyReLU(layer.get("slope", 0.01)))
        elif kind == "Softmax":
            modules.append(torch.nn.Softmax(dim=1))
        elif kind in ("CrossEntropyLoss", "MSELoss"):
            pass
        else:
            raise ValueError(kind)
    return torch.nn.Sequential(*modules)


def flat_parameters(model):
    values = []
    for module in model:
        if isinstance(module, torch.nn.Linear):
            values += module.weight.detach().reshape(-1).tolist() + module.bias.detach().tolist()
    return values


def flat_gradients(model, grads):
    it = iter(grads)
    values = []
    for module in model:
        if isinstance(module, torch.nn.Linear):
            w, b = next(it), next(it)
            values += w.reshape(-1).tolist() + b.tolist()
    return values


def case(name, element_type, layers, batch, seed):
    torch.manual_seed(seed)
    model = build(layers)
    params = [p for m in model if isinstance(m, torch.nn.Linear) for p in (m.weight, m.bias)]
    inputs_width = next(l for l in layers if l["type"] == "Linear")["inputs"]
    outputs_width = [l for l in layers if l["type"] == "Linear"][-1]["outputs"]
    # Inputs wide enough that every activation sees both signs and its saturating ends.
    x = (torch.rand(batch, inputs_width, dtype=torch.float64) * 6 - 3).requires_grad_(True)
    y = model(x)
    og = torch.rand(batch, outputs_width, dtype=torch.float64) * 2 - 1
    grads_og = torch.autograd.grad((og * y).sum(), params + [x], retain_graph=True)
    result = {
        "name": name,
        "elementType": element_type,
        "layers": layers,
        "batch": batch,
        "parameters": flat_parameters(model),
        "inputs": x.detach().reshape(-1).tolist(),
        "outputs": y.detach().reshape(-1).tolist(),
        "outputGradients": og.reshape(-1).tolist(),
        "gradientsFromOutputGradients": flat_gradients(model, grads_og[:-1]),
        "inputGradients": grads_og[-1].reshape(-1).tolist(),
    }
    loss_kind = layers[-1]["type"]
    if loss_kind == "MSELoss":
        t = torch.rand(batch, outputs_width, dtype=torch.float64) * 2 - 1
        loss = F.mse_loss(y, t, reduction="mean")
        result["targets"] = t.reshape(-1).tolist()
    elif loss_kind == "CrossEntropyLoss":
        labels = torch.randint(0, outputs_width, (batch,))
        loss = -torch.log(y[torch.arange(batch), labels]).mean()
        result["labels"] = labels.tolist()
    else:
        loss = None
    if loss is not None:
        result["loss"] = loss.item()
        result["gradients"] = flat_gradients(model, torch.autograd.grad(loss, params))
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


case("tanh_sigmoid_mse", "float32",
     [{"type": "Linear", "inputs": 5, "outputs": 7}, {"type": "Tanh"}, {"type": "Linear", "inputs": 7, "outputs": 4},
      {"type": "Sigmoid"}, {"type": "Linear", "inputs": 4, "outputs": 3}, {"type": "MSELoss"}], batch=11, seed=1)
case("leaky_silu_mse", "float64",
     [{"type": "Linear", "inputs": 6, "outputs": 9}, {"type": "LeakyReLU", "slope": 0.1}, {"type": "Linear", "inputs": 9, "outputs": 5},
      {"type": "SiLU"}, {"type": "Linear", "inputs": 5, "outputs": 2}, {"type": "MSELoss"}], batch=9, seed=2)
case("smooth_classifier", "float32",
     [{"type": "Linear", "inputs": 4, "outputs": 10}, {"type": "SiLU"}, {"type": "Linear", "inputs": 10, "outputs": 6},
      {"type": "LeakyReLU", "slope": 0.01}, {"type": "Linear", "inputs": 6, "outputs": 3}, {"type": "Softmax"}, {"type": "CrossEntropyLoss"}],
     batch=13, seed=3)
print("wrote tanh_sigmoid_mse.json, leaky_silu_mse.json, smooth_classifier.json with torch", torch.__version__)
