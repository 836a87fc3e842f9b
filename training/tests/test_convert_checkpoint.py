"""The converter keeps the published network's decision, probability and Grad-CAM.

    /usr/bin/python3 -m pytest training/tests
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import onnx
import pytest
import torch

import convert_checkpoint
import export_onnx
from make_fixtures import published_grad_cam, randomised_published_network
from visual_cnn import grad_cam


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_converted_network_matches_published_one(tmp_path: Path, seed: int) -> None:
    net = randomised_published_network(seed)
    path = tmp_path / "published.pt"
    torch.save(net.state_dict(), path)
    converted = convert_checkpoint.convert_state_dict(convert_checkpoint.load_state_dict(path))
    image = torch.rand(1, 1, 256, 256, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        s = float(net(image)[0, 0])
        features, logits = converted(image)
    assert features.shape == (1, 16, 16, 16)
    assert logits.shape == (1, 2)
    assert int(logits.argmax()) == (1 if s > 0 else 0)
    assert float(torch.softmax(logits, 1)[0, 1]) == pytest.approx(float(torch.sigmoid(torch.tensor(s))), abs=1e-6)
    expected, _ = published_grad_cam(net, image, explain_prediction=True)
    ours, _ = grad_cam(converted, image)
    assert float((torch.from_numpy(expected) - ours).abs().max()) < 1e-4


def test_export_follows_the_contract(tmp_path: Path) -> None:
    net = randomised_published_network(5)
    path = tmp_path / "published.pt"
    torch.save({"state_dict": {f"module.{k}": v for k, v in net.state_dict().items()}}, path)
    converted = convert_checkpoint.convert_state_dict(convert_checkpoint.load_state_dict(path))
    onnx_path = tmp_path / "model.onnx"
    export_onnx.export(converted, onnx_path)
    model = onnx.load(str(onnx_path))
    assert [i.name for i in model.graph.input] == ["image"]
    assert [o.name for o in model.graph.output] == ["features", "logits"]


def test_rejects_a_network_that_is_not_visualcnn(tmp_path: Path) -> None:
    net = torch.nn.Sequential(torch.nn.Linear(4, 2))
    path = tmp_path / "other.pt"
    torch.save(net.state_dict(), path)
    with pytest.raises(convert_checkpoint.CheckpointFormatError, match="expected 4 conv blocks"):
        convert_checkpoint.convert_state_dict(convert_checkpoint.load_state_dict(path))
