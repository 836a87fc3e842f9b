#!/usr/bin/env python3
"""Writes the small committed test fixtures of src/server/inference (tests/fixtures/inference/):

1. tiny-visualcnn.onnx + .json: a randomly initialised network in the PUBLISHED checkpoint format
   (1-logit head, its own key names, small widths 4/8/8/16 to stay small), converted by
   convert_checkpoint.py; plus one synthetic input (cam-input.u8, 256 x 256 raw bytes, tensor =
   bytes / 255) and the Grad-CAM PyTorch computes on the ORIGINAL network by autograd with the
   reference's target rule (s if s > 0 else -s), and on the other class (-s if s > 0 else s):
   cam-predicted.f32 / cam-other.f32 (float32 little-endian, 256 x 256) + cam-expected.json.
2. torchvision-<name>.u8: the reference preprocessing (torchvision) of the licensed fixture images
   sk_coins, sk_cell, gaas_nanowires in ../shared/fixtures/reference (256 x 256 bytes, tensor x 255,
   exact because the PIL pipeline ends in 8 bits).

    /usr/bin/python3 training/make_fixtures.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import numpy as np
import torch
from torch import nn

import convert_checkpoint
import export_onnx
import generator
from visual_cnn import VisualCNN
from reference_preprocess import reference_tensor

OUT = REPO / "tests" / "fixtures" / "inference"
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures" / "reference"
LICENSED_FIXTURES = ["sk_coins", "sk_cell", "gaas_nanowires"]


class PublishedStyleVisualCNN(nn.Module):
    """The published layout with its own naming (features.N / classifier), 1-logit head."""

    def __init__(self, widths: tuple[int, ...]) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        in_channels = 1
        for width in widths:
            layers += [nn.Conv2d(in_channels, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2)]
            in_channels = width
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(in_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.pool(self.features(x)), 1))


def randomised_published_network(seed: int) -> PublishedStyleVisualCNN:
    torch.manual_seed(seed)
    net = PublishedStyleVisualCNN((4, 8, 8, 16))
    with torch.no_grad():  # non-trivial BN statistics so the conversion of every BN tensor matters
        for module in net.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.1, 0.1)
    return net.eval()


def published_grad_cam(net: PublishedStyleVisualCNN, image: torch.Tensor, explain_prediction: bool) -> tuple[np.ndarray, float]:
    """Grad-CAM by autograd on the published network (docs/reference.md, "Class activation map")."""
    activations = net.features(image)
    activations.retain_grad()
    s = net.classifier(torch.flatten(net.pool(activations), 1))[0, 0]
    sign = 1.0 if float(s) > 0 else -1.0
    if not explain_prediction:
        sign = -sign
    net.zero_grad()
    (sign * s).backward()
    alpha = activations.grad[0].mean(dim=(1, 2))
    heat = torch.relu((alpha[:, None, None] * activations[0].detach()).mean(dim=0))
    heat = heat / heat.max() if float(heat.max()) > 0 else heat
    up = torch.nn.functional.interpolate(heat[None, None], size=(256, 256), mode="bicubic", align_corners=False)[0, 0]
    return up.detach().numpy().astype("<f4"), float(s)


def write_contract_breakers() -> None:
    """Two small ONNX files that break the contract, each with a card that is otherwise fine:
    wrong output names, and a 3-channel input."""
    torch.manual_seed(3)
    good = VisualCNN(num_classes=2, widths=(4, 4, 4, 4)).eval()
    path = OUT / "contract-wrong-names.onnx"
    torch.onnx.export(good, torch.zeros(1, 1, 256, 256), str(path), input_names=["image"],
                      output_names=["feat", "out"], opset_version=export_onnx.OPSET,
                      dynamic_axes={"image": {0: "N"}})
    convert_checkpoint.write_card(good, path, ["a", "b"], "contract-wrong-names", "make_fixtures.py")
    rgb = VisualCNN(num_classes=2, widths=(4, 4, 4, 4))
    rgb.blocks[0][0] = nn.Conv2d(3, 4, 3, padding=1)
    rgb.eval()
    path = OUT / "contract-rgb-input.onnx"
    torch.onnx.export(rgb, torch.zeros(1, 3, 256, 256), str(path), input_names=["image"],
                      output_names=["features", "logits"], opset_version=export_onnx.OPSET,
                      dynamic_axes={"image": {0: "N"}})
    convert_checkpoint.write_card(rgb, path, ["a", "b"], "contract-rgb-input", "make_fixtures.py")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(2)
    net = randomised_published_network(seed=7)
    checkpoint = HERE / ".cache" / "published-format-random.pt"
    checkpoint.parent.mkdir(exist_ok=True)
    torch.save(net.state_dict(), checkpoint)
    converted = convert_checkpoint.convert_state_dict(convert_checkpoint.load_state_dict(checkpoint))
    onnx_path = OUT / "tiny-visualcnn.onnx"
    export_onnx.export(converted, onnx_path)
    convert_checkpoint.write_card(converted, onnx_path, ["Dendrites", "Spheroids"], "tiny-visualcnn-fixture",
                                  "randomly initialised published-format network (training/make_fixtures.py)")

    pixels = generator.render(seed=424242, label=0)
    (OUT / "cam-input.u8").write_bytes(pixels.tobytes())
    image = torch.from_numpy(pixels).float().div(255.0)[None, None]
    cam_predicted, s = published_grad_cam(net, image, explain_prediction=True)
    cam_other, _ = published_grad_cam(net, image, explain_prediction=False)
    (OUT / "cam-predicted.f32").write_bytes(cam_predicted.tobytes())
    (OUT / "cam-other.f32").write_bytes(cam_other.tobytes())
    with torch.no_grad():
        _, logits = converted(image)
    probability_class1 = float(torch.sigmoid(torch.tensor(s)))
    (OUT / "cam-expected.json").write_text(json.dumps({
        "publishedLogit": s, "predictedClass": 1 if s > 0 else 0, "probabilityClass1": probability_class1,
        "convertedLogits": [float(v) for v in logits[0]],
    }, indent=2) + "\n")

    write_contract_breakers()

    if SHARED_FIXTURES.exists():
        for name in LICENSED_FIXTURES:
            inputs = sorted((SHARED_FIXTURES / name).glob("input.*"))
            tensor = reference_tensor(inputs[0])[0].numpy()
            (OUT / f"torchvision-{name}.u8").write_bytes(np.round(tensor * 255).astype(np.uint8).tobytes())
    print(f"wrote fixtures to {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
