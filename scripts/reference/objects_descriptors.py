#!/usr/bin/python3
"""Reference descriptors for src/core/objects/region-props.ts.

Run with Debian's interpreter (scikit-image 0.19.3):

    /usr/bin/python3 scripts/reference/objects_descriptors.py

Writes tests/fixtures/objects/descriptors.json: for each case, its label map (run-length encoded,
row-major, as [value, count, value, count, ...]) and scikit-image's regionprops for every object.
The label maps are built here (skimage.measure.label, full connectivity) so the TypeScript tests
do not depend on our own labeller. `npm test` only reads the JSON; it never needs Python.
"""

import json
import math
import os

import numpy as np
from skimage import io
from skimage.draw import ellipse
from skimage.filters import threshold_otsu
from skimage.measure import label, regionprops
from skimage.transform import downscale_local_mean

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fixtures", "objects", "descriptors.json")


def rle(labels):
    flat = labels.ravel()
    out = []
    start = 0
    n = flat.size
    while start < n:
        v = flat[start]
        end = start
        while end < n and flat[end] == v:
            end += 1
        out += [int(v), int(end - start)]
        start = end
    return out


def describe(labels):
    objects = []
    for p in regionprops(labels):
        objects.append(
            {
                "label": int(p.label),
                "area": int(p.area),
                "perimeter": float(p.perimeter),
                "centroid": [float(v) for v in p.centroid],
                "bbox": [int(v) for v in p.bbox],
                "equivalent_diameter": float(p.equivalent_diameter_area),
                "axis_major_length": float(p.axis_major_length),
                "axis_minor_length": float(p.axis_minor_length),
                "eccentricity": float(p.eccentricity),
                "orientation": float(p.orientation),
                "area_convex": int(p.area_convex),
                "solidity": float(p.solidity),
                "extent": float(p.extent),
                "feret_diameter_max": float(p.feret_diameter_max),
            }
        )
    return objects


def case(name, labels, note):
    labels = np.ascontiguousarray(labels, dtype=np.int32)
    return {
        "name": name,
        "note": note,
        "width": int(labels.shape[1]),
        "height": int(labels.shape[0]),
        "rle": rle(labels),
        "objects": describe(labels),
    }


def shapes():
    cases = []

    img = np.zeros((5, 5), np.int32)
    img[2, 3] = 1
    cases.append(case("single-pixel", img, "one pixel"))

    img = np.zeros((5, 12), np.int32)
    img[2, 1:11] = 1
    cases.append(case("line-1x10", img, "horizontal 1x10 line"))

    img = np.zeros((14, 5), np.int32)
    img[2:12, 2] = 1
    cases.append(case("line-10x1", img, "vertical 10x1 line"))

    img = np.zeros((12, 12), np.int32)
    img[2:10, 3:11] = 1
    cases.append(case("square-8", img, "filled 8x8 square"))

    yy, xx = np.mgrid[0:31, 0:31]
    d2 = (yy - 15) ** 2 + (xx - 15) ** 2
    cases.append(case("disc-r10", (d2 <= 100).astype(np.int32), "disc of radius 10"))

    ring = ((d2 <= 100) & (d2 > 36)).astype(np.int32)
    cases.append(case("ring-r10-r6", ring, "ring, outer radius 10, inner 6 (a hole)"))

    img = np.zeros((20, 20), np.int32)
    for i in range(2, 17):
        img[i, i] = 1
    cases.append(case("diagonal-line", img, "thin diagonal line, 15 pixels"))

    img = np.zeros((60, 60), np.int32)
    rr, cc = ellipse(30, 30, 22, 9, shape=img.shape, rotation=math.radians(30))
    img[rr, cc] = 1
    cases.append(case("ellipse-30deg", img, "ellipse, semi-axes 22 and 9, rotated 30 degrees"))

    img = np.zeros((16, 20), np.int32)
    img[0:4, 0:5] = 1  # top-left corner
    img[10:16, 14:20] = 2  # bottom-right corner
    img[0:16, 9] = 3  # spans top to bottom
    img[6:9, 15:20] = 4  # touches the right border
    cases.append(case("border-touching", img, "objects touching the image border"))

    img = np.zeros((12, 1), np.int32)
    img[1:4, 0] = 1
    img[6:11, 0] = 2
    cases.append(case("one-pixel-wide", img, "a 1-pixel-wide image with two objects"))

    img = np.zeros((9, 9), np.int32)
    img[1:4, 1:4] = 1
    img[2, 2] = 2  # label 2 inside label 1: label 1 has a one-pixel hole
    img[6:8, 1:8] = 5  # labels 3 and 4 absent
    cases.append(case("nested-and-gaps", img, "a label inside another, absent labels 3 and 4"))

    img = np.zeros((10, 10), np.int32)
    img[2, 2:8] = 1
    img[2:8, 2] = 1
    img[7, 2:8] = 1
    cases.append(case("c-shape", img, "a thin C: solidity well below 1"))
    rng = np.random.default_rng(20240601)
    noise = rng.random((48, 64))
    smooth = (noise + np.roll(noise, 1, 0) + np.roll(noise, 1, 1) + np.roll(noise, (1, 1), (0, 1))) / 4
    cases.append(case("random-blobs", label(smooth > 0.55), "smoothed noise > 0.55, skimage.measure.label"))
    return cases


def fixture(name, step):
    grey = io.imread(os.path.join(ROOT, "tests", "fixtures", "reference", name, "input.png"))
    if grey.ndim == 3:
        grey = grey[..., :3].mean(axis=2)
    grey = downscale_local_mean(grey.astype(np.float64), (step, step))
    t = threshold_otsu(grey)
    labels = label(grey > t)
    return case(
        f"{name}-otsu",
        labels,
        f"{name}/input.png downsampled {step}x (block mean), Otsu, skimage.measure.label",
    )


def main():
    cases = shapes()
    cases.append(fixture("sk_coins", 2))
    cases.append(fixture("sk_cell", 2))
    doc = {
        "generator": "scripts/reference/objects_descriptors.py",
        "skimage": __import__("skimage").__version__,
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(OUT, os.path.getsize(OUT), "bytes;", sum(len(c["objects"]) for c in cases), "objects")


if __name__ == "__main__":
    main()
