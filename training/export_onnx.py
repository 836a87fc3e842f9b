"""ONNX export in the contract: input `image` [N,1,256,256] float32 in [0,1];
outputs `features` [N,C,h,w] (last conv block) and `logits` [N,K]."""
from __future__ import annotations

import hashlib
from pathlib import Path

import onnx
import torch

from visual_cnn import VisualCNN

INPUT_NAME = "image"
OUTPUT_NAMES = ["features", "logits"]
INPUT_SIZE = 256
OPSET = 13


def export(model: VisualCNN, path: Path) -> str:
    """Writes the ONNX file (batch axis dynamic), checks it, returns its sha256."""
    model.eval()
    dummy = torch.zeros(1, 1, INPUT_SIZE, INPUT_SIZE)
    torch.onnx.export(
        model, dummy, str(path), input_names=[INPUT_NAME], output_names=OUTPUT_NAMES, opset_version=OPSET,
        dynamic_axes={INPUT_NAME: {0: "N"}, "features": {0: "N"}, "logits": {0: "N"}}, do_constant_folding=True,
    )
    loaded = onnx.load(str(path))
    onnx.checker.check_model(loaded)
    # The exporter stamps nothing time-dependent, but make the producer explicit and stable.
    loaded.producer_name = "visual-ccc-training"
    loaded.producer_version = "1"
    onnx.save(loaded, str(path))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def head_of(model: VisualCNN) -> dict:
    """The linear head as JSON: CAM_c = sum_k weights[c][k] * features_k."""
    return {
        "weights": [[float(v) for v in row] for row in model.head.weight.detach().tolist()],
        "bias": [float(v) for v in model.head.bias.detach().tolist()],
    }
