#!/usr/bin/env bash
# PyTorch accepts what NetGen writes: NetGen.PyTorchCheck saves every suite network as safetensors and
# ONNX, then check_in_pytorch.py loads them with torch (load_state_dict, strict) and the ONNX checker.
# Debian's python3-torch (torch 1.13) and python3-onnx are installed if missing; /usr/bin/python3 is
# Debian's Python, which they install into (a python3 earlier on PATH may be another one).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! /usr/bin/python3 -c "import torch, onnx" >/dev/null 2>&1; then
  echo "== installing python3-torch and python3-onnx"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-onnx >/dev/null
fi

folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
dotnet run --project tests/NetGen.PyTorchCheck -c Release --no-build -- "$folder"
/usr/bin/python3 tests/NetGen.PyTorchCheck/check_in_pytorch.py "$folder"
