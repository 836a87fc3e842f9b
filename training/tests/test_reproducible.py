"""Same seeds -> same images and same trained weights (the build's reproducibility)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import torch

import generator
import train as training


def test_generator_is_a_pure_function_of_the_seed() -> None:
    assert np.array_equal(generator.render(123, 0), generator.render(123, 0))
    assert not np.array_equal(generator.render(123, 0), generator.render(124, 0))


def test_training_is_repeatable() -> None:
    torch.set_num_threads(1)
    images = np.stack([generator.render(i, i % 2) for i in range(16)])
    labels = np.array([i % 2 for i in range(16)], dtype=np.int64)
    runs = []
    for _ in range(2):
        model, history = training.train(images, labels, images[:4], labels[:4], epochs=1, batch_size=8,
                                        lr=1e-3, weight_decay=1e-4, seed=5, log=lambda _: None)
        runs.append((model.state_dict(), history[0]["trainLoss"]))
    assert runs[0][1] == runs[1][1]
    for key, value in runs[0][0].items():
        assert torch.equal(value, runs[1][0][key]), key
