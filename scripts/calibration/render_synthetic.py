"""Renders a slice of the project's synthetic micrographs (training/generator.py, the same seeds
as training/dataset.py, plus split "calibration": seeds of their own, drawn exactly like the test
set), or for split "ood" the flat-grey and noise checks, for
scripts/calibration/calibrate.sh: writes <out>.u8 (N x 256 x 256 grey bytes) and <out>.json
({"labels": [...], "seeds": [...]}). numpy + scipy only, no torch. Reuses the model build's cached
images (training/.cache) when they are there.

usage: /usr/bin/python3 scripts/calibration/render_synthetic.py <split> <per_class> <out> [workers]
"""
from __future__ import annotations

import json
import sys
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))

import numpy as np  # noqa: E402

import generator  # noqa: E402
from dataset import CACHE_DIR, SPLIT_SEED_BASE, generator_fingerprint  # noqa: E402


# The temperature's own images: drawn like val and test (same generator, both labels per seed)
# from a range no model build uses, so fitting T neither reuses the small validation set the build
# selected on nor touches the held-out test seeds.
CALIBRATION_SEED_BASE = 30_000_000
SEED_BASE = {**SPLIT_SEED_BASE, "calibration": CALIBRATION_SEED_BASE}
assert len(set(SEED_BASE.values())) == len(SEED_BASE)


def _render(args: tuple[int, int]) -> np.ndarray:
    seed, label = args
    return generator.render_sample(seed, label, 256)[0]


def write_ood_checks(out: Path) -> None:
    """Images unlike any micrograph (flat grey, pure noise): the OOD score's sanity checks."""
    rng = np.random.default_rng(1)
    names, images = [], []
    for value in (0, 64, 128, 200, 255):
        names.append(f"flat grey {value}")
        images.append(np.full((256, 256), value, np.uint8))
    for i in range(3):
        names.append(f"uniform noise {i}")
        images.append(rng.integers(0, 256, (256, 256)).astype(np.uint8))
    for sd in (10, 40):
        names.append(f"gaussian noise sd {sd}")
        images.append(np.clip(rng.normal(128, sd, (256, 256)), 0, 255).astype(np.uint8))
    np.stack(images).tofile(out.with_suffix(".u8"))
    out.with_suffix(".json").write_text(
        json.dumps({"split": "ood", "names": names, "labels": [0] * len(names), "seeds": [0] * len(names)})
    )


def cached_images(split: str, per_class: int) -> np.ndarray | None:
    """The same images from the model build's cache (training/.cache, same generator fingerprint),
    when it holds at least these seeds: the build renders seeds base + i for i < its per-class
    count, both labels per seed, in the order used here, so its first 2 * per_class images are
    exactly what would be rendered (and rendering them again costs minutes)."""
    for path in sorted(CACHE_DIR.glob(f"{split}-*-256-{generator_fingerprint()}.npz")):
        cached_per_class = int(path.name.split("-")[1])
        if cached_per_class >= per_class:
            with np.load(path) as cached:
                labels = cached["labels"][: 2 * per_class]
                assert labels.tolist() == [label for _ in range(per_class) for label in (0, 1)], path
                return cached["images"][: 2 * per_class]
    return None


def main() -> None:
    split, per_class, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    workers = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    if split == "ood":
        write_ood_checks(out)
        return
    base = SEED_BASE[split]
    assert per_class <= 10_000_000, "seed ranges of the splits are 10 000 000 apart"
    jobs = [(base + i, label) for i in range(per_class) for label in (0, 1)]
    images = cached_images(split, per_class)
    if images is None:
        with Pool(workers) as pool:
            images = pool.map(_render, jobs, chunksize=8)
    np.stack(images).astype(np.uint8).tofile(out.with_suffix(".u8"))
    out.with_suffix(".json").write_text(
        json.dumps({"split": split, "labels": [label for _, label in jobs], "seeds": [seed for seed, _ in jobs]})
    )


if __name__ == "__main__":
    main()
