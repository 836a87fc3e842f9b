#!/usr/bin/env python3
"""Converts a PyTorch VisualCNN state dict (the published checkpoint format) to our ONNX contract.

The published network is 4 x [conv 3x3 -> batch norm -> ReLU -> max pool 2x2], global average
pooling and a linear layer with 1 output (two classes: a logit s, s > 0 means class index 1) or
K outputs. Key names differ between code versions, so tensors are matched by structure, in the
state dict's order: 4-D tensors are conv weights, the BN quadruples follow their conv, and the
last 2-D tensor is the linear head.

A 1-logit head becomes a 2-class head with logits [-s/2, s/2]: softmax gives sigmoid(s) for
class 1 (the published probability), the arg-max is the published decision, and the CAM of each
class is the published Grad-CAM of that decision (target s if s > 0 else -s).

    /usr/bin/python3 training/convert_checkpoint.py checkpoint.pt out.onnx --classes Dendrites,Spheroids
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import torch

import export_onnx
from visual_cnn import VisualCNN

DEFAULT_CLASSES = {2: ["Dendrites", "Spheroids"], 3: ["Alloys", "Dendrites", "Spheroids"]}


class CheckpointFormatError(ValueError):
    pass


def load_state_dict(path: Path) -> "OrderedDict[str, torch.Tensor]":
    loaded = torch.load(str(path), map_location="cpu")
    if isinstance(loaded, dict) and "state_dict" in loaded and isinstance(loaded["state_dict"], dict):
        loaded = loaded["state_dict"]
    if isinstance(loaded, torch.nn.Module):
        loaded = loaded.state_dict()
    if not isinstance(loaded, dict):
        raise CheckpointFormatError(f"{path}: expected a state dict, got {type(loaded).__name__}")
    return OrderedDict((k.removeprefix("module."), v) for k, v in loaded.items())


def convert_state_dict(state: "OrderedDict[str, torch.Tensor]") -> VisualCNN:
    """Our VisualCNN (2+ classes) holding the checkpoint's weights."""
    items = [(k, v) for k, v in state.items() if not k.endswith("num_batches_tracked")]
    convs: list[dict[str, torch.Tensor]] = []
    linear_weight = linear_bias = None
    i = 0
    while i < len(items):
        key, tensor = items[i]
        if tensor.dim() == 4:
            conv = {"weight": tensor}
            if i + 1 < len(items) and items[i + 1][1].dim() == 1 and items[i + 1][1].shape[0] == tensor.shape[0] \
                    and items[i + 1][0].rsplit(".", 1)[0] == key.rsplit(".", 1)[0]:
                conv["bias"] = items[i + 1][1]
                i += 1
            bn = [t for _, t in items[i + 1:i + 5]]
            if len(bn) != 4 or any(t.dim() != 1 or t.shape[0] != tensor.shape[0] for t in bn):
                raise CheckpointFormatError(f"conv '{key}' is not followed by a batch norm (weight, bias, running mean, running var)")
            conv.update(zip(("bn_weight", "bn_bias", "bn_mean", "bn_var"), bn))
            convs.append(conv)
            i += 5
            continue
        if tensor.dim() == 2:
            linear_weight = tensor
            if i + 1 < len(items) and items[i + 1][1].dim() == 1:
                linear_bias = items[i + 1][1]
                i += 1
        i += 1
    if len(convs) != 4:
        raise CheckpointFormatError(f"expected 4 conv blocks, found {len(convs)}")
    if linear_weight is None:
        raise CheckpointFormatError("no linear head (2-D weight) found")
    widths = tuple(int(c["weight"].shape[0]) for c in convs)
    if convs[0]["weight"].shape[1] != 1:
        raise CheckpointFormatError(f"first conv takes {convs[0]['weight'].shape[1]} channels, expected 1 (grey)")
    if linear_weight.shape[1] != widths[-1]:
        raise CheckpointFormatError(f"linear head takes {linear_weight.shape[1]} inputs, last block has {widths[-1]} channels")
    bias = linear_bias if linear_bias is not None else torch.zeros(linear_weight.shape[0])
    if linear_weight.shape[0] == 1:
        head_w = torch.cat([-linear_weight / 2, linear_weight / 2])
        head_b = torch.cat([-bias / 2, bias / 2])
    else:
        head_w, head_b = linear_weight, bias
    model = VisualCNN(num_classes=int(head_w.shape[0]), widths=widths)
    with torch.no_grad():
        for block, conv in zip(model.blocks, convs):
            block[0].weight.copy_(conv["weight"])
            block[0].bias.copy_(conv.get("bias", torch.zeros(conv["weight"].shape[0])))
            block[1].weight.copy_(conv["bn_weight"])
            block[1].bias.copy_(conv["bn_bias"])
            block[1].running_mean.copy_(conv["bn_mean"])
            block[1].running_var.copy_(conv["bn_var"])
        model.head.weight.copy_(head_w)
        model.head.bias.copy_(head_b)
    return model.eval()


def write_card(model: VisualCNN, onnx_path: Path, classes: list[str], name: str, source: str) -> Path:
    sha256 = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    widths = [int(b[0].out_channels) for b in model.blocks]
    card = {
        "name": name, "version": "1.0.0", "file": onnx_path.name, "sha256": sha256,
        "architecture": f"VisualCNN, widths {widths}, global average pooling, linear {widths[-1]} -> {len(classes)}",
        "contract": {"input": {"name": "image", "shape": ["N", 1, 256, 256], "dtype": "float32", "range": [0, 1]},
                     "outputs": {"features": ["N", widths[-1], 16, 16], "logits": ["N", len(classes)]}},
        "classes": classes,
        "head": export_onnx.head_of(model),
        "preprocessing": {"resizeShorterSideTo": 307, "interpolation": "bilinear", "antialias": True, "centerCrop": 256,
                          "grey": "ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B)",
                          "scale": "divide by the maximum code value (255 or 65535)", "normalisation": "none"},
        "training": {"source": source, "command": "training/convert_checkpoint.py"},
        "metrics": {},
        "knownLimits": ["Converted checkpoint: metrics are those of its authors, not measured here."],
        "licence": "as the checkpoint's",
    }
    card_path = onnx_path.with_suffix(".json")
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    return card_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("output", type=Path, help="the .onnx to write (its model card is written beside it)")
    parser.add_argument("--classes", help="comma-separated, in class-index order")
    parser.add_argument("--name", default=None)
    args = parser.parse_args()
    model = convert_state_dict(load_state_dict(args.checkpoint))
    k = model.head.out_features
    classes = args.classes.split(",") if args.classes else DEFAULT_CLASSES.get(k, [f"class{i}" for i in range(k)])
    if len(classes) != k:
        raise SystemExit(f"--classes names {len(classes)} classes, the checkpoint has {k}")
    export_onnx.export(model, args.output)
    card = write_card(model, args.output, classes, args.name or args.output.stem, f"converted from {args.checkpoint.name}")
    print(f"wrote {args.output} and {card}")


if __name__ == "__main__":
    main()
