#!/usr/bin/python3
"""Reference skeletons for src/core/objects/skeleton.ts (dev script; tests read the JSON only).

Run with Debian's Python (numpy, scipy 1.10, scikit-image 0.19.3):
    /usr/bin/python3 scripts/reference/objects_skeleton.py
Writes tests/fixtures/objects/skeleton.json: for each case the input mask (run-length encoded,
row-major, alternating runs of 0 and 1 starting with 0) and the flat indices of the skeleton
pixels from skimage.morphology.skeletonize.
"""
import json
import os

import numpy as np
import skimage
from PIL import Image
from scipy import ndimage as ndi
from skimage.morphology import skeletonize

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def rle(mask):
    flat = mask.astype(np.uint8).ravel()
    runs = []
    cur = 0
    count = 0
    for v in flat:
        if v == cur:
            count += 1
        else:
            runs.append(count)
            cur = v
            count = 1
    runs.append(count)
    return runs


def case(name, mask):
    mask = (mask != 0).astype(np.uint8)
    skel = skeletonize(mask)
    return {
        "name": name,
        "width": int(mask.shape[1]),
        "height": int(mask.shape[0]),
        "mask_rle": rle(mask),
        "skeleton": [int(i) for i in np.flatnonzero(skel.ravel())],
    }


def main():
    cases = []
    x, y = np.ogrid[0:9, 0:9]
    cases.append(case("docstring_ellipse", (1.0 / 3 * (x - 4) ** 2 + (y - 4) ** 2 < 3**2)))
    cases.append(case("full_7x5", np.ones((5, 7))))
    cases.append(case("single_pixel", np.pad(np.ones((1, 1)), 2)))
    # Plus sign and a thick L touching the border.
    plus = np.zeros((21, 21))
    plus[8:13, 2:19] = 1
    plus[2:19, 8:13] = 1
    cases.append(case("plus", plus))
    ell = np.zeros((30, 40))
    ell[0:30, 0:6] = 1
    ell[24:30, 0:40] = 1
    cases.append(case("thick_L_border", ell))
    ring = np.zeros((41, 41))
    rr, cc = np.ogrid[0:41, 0:41]
    d = np.hypot(rr - 20, cc - 20)
    ring[(d > 10) & (d < 16)] = 1
    cases.append(case("ring", ring))
    for seed in range(4):
        rng = np.random.default_rng(seed)
        noise = ndi.gaussian_filter(rng.random((96, 128)), 3)
        cases.append(case(f"blobs_seed{seed}", noise > np.quantile(noise, 0.5 + 0.1 * seed)))
    rng = np.random.default_rng(42)
    cases.append(case("random_noise", rng.random((40, 50)) > 0.4))
    for fixture in ("sk_coins", "sk_cell", "gaas_nanowires"):
        seg = np.array(Image.open(os.path.join(ROOT, "tests/fixtures/reference", fixture, "segmented.png")))
        if seg.ndim == 3:
            seg = seg[..., 0]
        cases.append(case(f"{fixture}_segmented", seg > 0))
    out = {
        "generator": "scripts/reference/objects_skeleton.py",
        "skimage": skimage.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    path = os.path.join(ROOT, "tests/fixtures/objects/skeleton.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(path, [(c["name"], len(c["skeleton"])) for c in cases])


if __name__ == "__main__":
    main()
