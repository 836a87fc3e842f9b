"""Synthetic data sets: generated in parallel, cached on disk (training/.cache, git-ignored)."""
from __future__ import annotations

import hashlib
import inspect
import os
from multiprocessing import Pool
from pathlib import Path

import numpy as np

import generator

CACHE_DIR = Path(__file__).resolve().parent / ".cache"

# Disjoint seed ranges per split: the held-out test set never shares a seed with training.
SPLIT_SEED_BASE = {"train": 0, "val": 10_000_000, "test": 20_000_000}


def _render_one(args: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    seed, label, size = args
    return generator.render_sample(seed, label, size)


def generator_fingerprint() -> str:
    """Hash of the generator source: a changed generator never reuses a stale cache."""
    return hashlib.sha256(inspect.getsource(generator).encode()).hexdigest()[:12]


def make_split(split: str, per_class: int, size: int = 256,
               workers: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Balanced split: images [N, size, size] uint8, labels [N] int64 (0 dendritic, 1 spherical)
    and the visible deposit masks [N, size, size] bool (training crops are chosen to show it)."""
    CACHE_DIR.mkdir(exist_ok=True)
    path = CACHE_DIR / f"{split}-{per_class}-{size}-{generator_fingerprint()}.npz"
    if path.exists():
        cached = np.load(path)
        masks = np.unpackbits(cached["masks"], axis=-1)[..., :size].astype(bool)
        return cached["images"], cached["labels"], masks
    base = SPLIT_SEED_BASE[split]
    jobs = [(base + i, label, size) for i in range(per_class) for label in (0, 1)]
    with Pool(workers) as pool:
        samples = pool.map(_render_one, jobs, chunksize=16)
    labels = np.array([label for _, label, _ in jobs], dtype=np.int64)
    images = np.stack([image for image, _ in samples])
    masks = np.stack([mask for _, mask in samples])
    np.savez(path, images=images, labels=labels, masks=np.packbits(masks, axis=-1))
    return images, labels, masks


def trivial_cue_features(images: np.ndarray) -> np.ndarray:
    """Per-image mean, standard deviation and Otsu-foreground coverage (what a lazy classifier
    could use instead of morphology)."""
    feats = []
    for img in images:
        hist = np.bincount(img.ravel(), minlength=256).astype(np.float64)
        p = hist / hist.sum()
        omega = np.cumsum(p)
        mu = np.cumsum(p * np.arange(256))
        between = (mu[-1] * omega - mu) ** 2 / np.maximum(omega * (1 - omega), 1e-12)
        threshold = int(np.argmax(between))
        feats.append([img.mean() / 255, img.std() / 255, (img > threshold).mean()])
    return np.array(feats)


def logistic_baseline_accuracy(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray,
                               test_y: np.ndarray) -> float:
    """Accuracy of a logistic regression on quadratic expansions of the trivial cues."""
    def expand(x: np.ndarray) -> np.ndarray:
        cols = [x] + [x[:, i:i + 1] * x[:, j:j + 1] for i in range(x.shape[1]) for j in range(i, x.shape[1])]
        return np.concatenate(cols, axis=1)
    xtr, xte = expand(train_x), expand(test_x)
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-9
    xtr, xte = (xtr - mu) / sd, (xte - mu) / sd
    w = np.zeros(xtr.shape[1])
    b = 0.0
    for _ in range(3000):
        p = 1 / (1 + np.exp(-(xtr @ w + b)))
        w -= 0.5 * (xtr.T @ (p - train_y) / len(train_y) + 1e-4 * w)
        b -= 0.5 * float(np.mean(p - train_y))
    pred = (xte @ w + b) > 0
    return float(np.mean(pred == test_y))


if __name__ == "__main__":
    workers = int(os.environ.get("BUILD_WORKERS", "2"))
    for split, n in (("train", 10), ("test", 10)):
        x, y, m = make_split(split, n, workers=workers)
        print(split, x.shape, np.bincount(y), f"deposit coverage {m.mean():.3f}")
