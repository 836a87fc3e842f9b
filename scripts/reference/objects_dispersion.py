#!/usr/bin/python3
"""Independent reference for src/core/objects/index-of-dispersion.ts (dev script).

Written straight from the definition of Nicolas et al. (PNAS 2025), with numpy only:
slices q x q from the top-left corner, slice height int(H / q), width int(W * height / H);
threshold at numpy.quantile(grey, t) (default "linear" method); white = grey > quantile;
FC = white fraction per slice; ID = (q - 1) * var(FC, ddof=1) / mean(FC), None when mean is 0.

Run with Debian's Python:  /usr/bin/python3 scripts/reference/objects_dispersion.py
Writes tests/fixtures/objects/dispersion.json. Inputs: the committed gray.png of each reference
fixture (the reference app's grey image), read as 8-bit grey.
"""
import json
import os

import numpy as np
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
THRESHOLDS = [0.95, 0.94, 0.93, 0.92, 0.91, 0.90, 0.85, 0.80, 0.75, 0.70, 0.65, 0.60, 0.55, 0.50]


def index_of_dispersion(gray, q):
    H, W = gray.shape
    height = int(H / q)
    width = int(W * height / H)
    curve = {}
    for t in THRESHOLDS:
        thr = np.quantile(gray, t)
        white = gray > thr
        fc = []
        for i in range(q):
            for j in range(q):
                tile = white[i * height : (i + 1) * height, j * width : (j + 1) * width]
                fc.append(tile.mean())
        fc = np.array(fc)
        mean = fc.mean()
        curve[f"{t:.2f}"] = None if mean == 0 else float((q - 1) * np.var(fc, ddof=1) / mean)
    values = [(v, t) for t, v in zip(THRESHOLDS, curve.values()) if v is not None]
    best = None
    for v, t in values:
        if best is None or v > best[0]:
            best = (v, t)
    return {
        "q": q,
        "curve": curve,
        "max": None if best is None else best[0],
        "argmax": None if best is None else best[1],
        "quantiles": {f"{t:.2f}": float(np.quantile(gray, t)) for t in THRESHOLDS},
    }


def main():
    cases = []
    for fixture in ("sk_coins", "sk_cell", "gaas_nanowires"):
        gray = np.array(Image.open(os.path.join(ROOT, "tests/fixtures/reference", fixture, "gray.png")))
        assert gray.ndim == 2 and gray.dtype == np.uint8
        # numpy.quantile on uint8 and on float64 must agree (no integer overflow in the lerp).
        for t in THRESHOLDS:
            assert np.quantile(gray, t) == np.quantile(gray.astype(np.float64), t)
        for q in (2, 3, 4, 5):
            cases.append({"fixture": fixture, "width": int(gray.shape[1]), "height": int(gray.shape[0]),
                          **index_of_dispersion(gray, q)})
    out = {"generator": "scripts/reference/objects_dispersion.py", "numpy": np.__version__, "cases": cases}
    path = os.path.join(ROOT, "tests/fixtures/objects/dispersion.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(path, [(c["fixture"], c["q"], c["max"], c["argmax"]) for c in cases])


if __name__ == "__main__":
    main()
