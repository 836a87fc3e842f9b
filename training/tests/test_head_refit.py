"""Stage 3 of the build: the linear head refitted on pooled features (train.refit_head)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import torch

import train as training
from visual_cnn import VisualCNN


def features_and_labels(n: int, seed: int, channels: int = 256) -> tuple[torch.Tensor, np.ndarray]:
    """Two classes that differ along one feature direction only (noise elsewhere)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    features = rng.normal(0, 1, (n, channels)).astype(np.float32)
    features[:, 7] += np.where(labels == 0, 3.0, -3.0)
    return torch.from_numpy(features), labels.astype(np.int64)


def test_refit_learns_the_separating_direction_and_writes_the_head() -> None:
    torch.manual_seed(0)
    model = VisualCNN(num_classes=2)
    train_x, train_y = features_and_labels(400, 1)
    val_x, val_y = features_and_labels(200, 2)
    before = float(((val_x @ model.head.weight.T + model.head.bias).argmax(1).numpy() == val_y).mean())
    result = training.refit_head(model, train_x, train_y, val_x, val_y, l2_grid=[1e-3, 1e-1], log=lambda _: None)
    with torch.no_grad():
        after = float(((val_x @ model.head.weight.T + model.head.bias).argmax(1).numpy() == val_y).mean())
    assert before < 0.8  # a random head does not know the direction
    assert after > 0.95
    assert result["chosenL2"] in (1e-3, 1e-1)
    chosen = next(t for t in result["trials"] if t["l2"] == result["chosenL2"])
    assert chosen["valAccuracy"] == max(t["valAccuracy"] for t in result["trials"])
    assert abs(chosen["valAccuracy"] - after) < 1e-6


def test_refit_is_deterministic() -> None:
    heads = []
    for _ in range(2):
        torch.manual_seed(0)
        model = VisualCNN(num_classes=2)
        train_x, train_y = features_and_labels(300, 3)
        val_x, val_y = features_and_labels(100, 4)
        training.refit_head(model, train_x, train_y, val_x, val_y, l2_grid=[1e-3], log=lambda _: None)
        heads.append(model.head.weight.detach().clone())
    assert torch.equal(heads[0], heads[1])
