"""The two convolutional benchmark models of issue 17, exported from PyTorch for ONNX Runtime.

digits-cnn: the 8x8 digits CNN of samples/DigitsCnn; kws: a keyword-spotting-sized 1-D network. Each ends
in a Softmax, as the dense models do, with input "x" [batch, C, ...] and output "y" [batch, 10], the
batch dimension symbolic. The weights are PyTorch's default initialisation under a fixed seed, so a rerun
writes the same files; the benchmark reads them back into NetGen and the hand-written network
(Onnx/OnnxLinearWeights.ReadInNodeOrder), so that all three compute with the same numbers.

Run with Debian's python3-torch (torch 1.13) from this folder:  /usr/bin/python3 make_conv_models.py
"""
import torch
import torch.nn as nn

MODELS = {
    "digits-cnn": (
        lambda: nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64, 10), nn.Softmax(dim=1)),
        (1, 8, 8)),
    "kws": (
        lambda: nn.Sequential(
            nn.Conv1d(1, 16, 5), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
            nn.Flatten(), nn.Linear(32, 10), nn.Softmax(dim=1)),
        (1, 128)),
}


def main():
    for seed, (name, (make, shape)) in enumerate(MODELS.items(), start=17):
        torch.manual_seed(seed)
        model = make().eval()
        torch.onnx.export(model, torch.randn(1, *shape), f"{name}.onnx", input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=13)
        print(f"wrote {name}.onnx")


if __name__ == "__main__":
    main()
