#!/usr/bin/python3
"""The PyTorch half of the check that PyTorch accepts what NetGen writes. For every network that
NetGen.PyTorchCheck wrote into the folder given:

- the safetensors file loads into the equivalent nn.Sequential with load_state_dict(strict=True) (so its
  names and shapes are exactly PyTorch's), and the model then gives NetGen's outputs for NetGen's inputs;
- each ONNX export passes the ONNX checker with full shape inference, and its initializers hold the
  same values as the safetensors file.

Needs Debian's python3-torch and python3-onnx (run.sh installs them). Prints one line per network and
exits 1 if any check fails.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "pytorch"))
import netgen_torch  # noqa: E402


def main(folder):
    import onnx
    from onnx import numpy_helper

    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    failures = 0
    worst = {}
    for entry in manifest:
        name, architecture, batch = entry["name"], entry["architecture"], entry["batch"]
        try:
            model = netgen_torch.build_sequential(architecture).eval()
            dtype = netgen_torch.torch_dtype(architecture)
            tensors, metadata = netgen_torch.load_safetensors(os.path.join(folder, name + ".safetensors"))
            assert metadata.get("netgen.architecture") == architecture, f"metadata {metadata}"
            model.load_state_dict(tensors, strict=True)
            inputs = torch.tensor(entry["inputs"], dtype=dtype).reshape(batch, -1)
            with torch.no_grad():
                outputs = model(inputs).reshape(-1).double()
            expected = torch.tensor(entry["outputs"], dtype=torch.float64)
            difference = (outputs - expected).abs()
            relative = (difference / expected.abs().clamp(min=1e-6)).max().item()
            tolerance = 1e-12 if dtype == torch.float64 else 1e-5
            scale = max(1.0, expected.abs().max().item())
            assert difference.max().item() <= tolerance * scale, f"outputs differ by {difference.max().item():.3g}"

            for opset in (13, 9):
                path = os.path.join(folder, f"{name}.opset{opset}.onnx")
                exported = onnx.load(path)
                onnx.checker.check_model(exported, full_check=True)
                assert exported.opset_import[0].version == opset
                for initializer in exported.graph.initializer:
                    values = torch.from_numpy(numpy_helper.to_array(initializer).copy())
                    assert torch.equal(values, tensors[initializer.name]), f"{initializer.name} differs in {path}"
            worst[name] = (difference.max().item(), relative)
            print(f"ok   {name}: load_state_dict(strict=True) accepts it; PyTorch against NetGen max abs {difference.max().item():.2e}, max rel {relative:.2e}; ONNX checker accepts opsets 13 and 9")
        except Exception as error:  # report every network, then fail
            failures += 1
            print(f"FAIL {name} ({architecture}): {type(error).__name__}: {error}")
    print(f"{len(manifest) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
