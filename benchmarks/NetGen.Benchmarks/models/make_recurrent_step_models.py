"""The streaming-step models of issue 18's benchmark, exported from PyTorch for ONNX Runtime.

For each kind (GRU, LSTM) and hidden size (8, 16, 32, 64): nn.GRU / nn.LSTM (1 input, batch_first) and an
nn.Linear(hidden, 1) head, exported as ONE step with its state passed in and out, as a game loop or an
audio callback would run ONNX Runtime per sample: inputs "x" [1, 1, 1] and "h" [1, 1, hidden] (LSTM also
"c"), outputs "y" [1, 1, 1] and "h_out" (LSTM also "c_out"). Beside each .onnx, the same module's
state_dict as .safetensors (module names "0." for the recurrent layer, "1." for the head, as an
nn.Sequential has them), which the benchmark loads into the matching NetGen network with LoadSafetensors,
so that both compute with the same numbers; its setup checks that their outputs agree over 64 steps.
PyTorch's default initialisation under a fixed seed, so a rerun writes the same files.

Run with Debian's python3-torch (torch 1.13) from this folder:  /usr/bin/python3 make_recurrent_step_models.py
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests", "fixtures", "pytorch"))
from netgen_torch import save_safetensors  # noqa: E402  (the repository's own safetensors writer)


class GruStep(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.rnn = nn.GRU(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x, h):
        out, h_out = self.rnn(x, h)
        return self.head(out), h_out


class LstmStep(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.rnn = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x, h, c):
        out, (h_out, c_out) = self.rnn(x, (h, c))
        return self.head(out), h_out, c_out


def main():
    for seed, (kind, hidden) in enumerate(((k, h) for k in ("gru", "lstm") for h in (8, 16, 32, 64)), start=181):
        torch.manual_seed(seed)
        model = (GruStep if kind == "gru" else LstmStep)(hidden).eval()
        name = f"{kind}{hidden}-step"
        x = torch.zeros(1, 1, 1)
        state = torch.zeros(1, 1, hidden)
        if kind == "gru":
            args, inputs, outputs = (x, state), ["x", "h"], ["y", "h_out"]
        else:
            args, inputs, outputs = (x, state, state.clone()), ["x", "h", "c"], ["y", "h_out", "c_out"]
        torch.onnx.export(model, args, f"{name}.onnx", input_names=inputs, output_names=outputs, opset_version=13)
        tensors = {f"0.{key}": value for key, value in model.rnn.state_dict().items()}
        tensors.update({f"1.{key}": value for key, value in model.head.state_dict().items()})
        save_safetensors(tensors, f"{name}.safetensors")
        print(f"wrote {name}.onnx and {name}.safetensors")


if __name__ == "__main__":
    main()
