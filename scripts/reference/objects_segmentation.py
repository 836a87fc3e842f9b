#!/usr/bin/python3
"""Reference outputs for src/core/objects (segmentation kernels).

Run with Debian's python (skimage 0.19.3, scipy 1.10.1, numpy):
    /usr/bin/python3 scripts/reference/objects_segmentation.py
Writes tests/fixtures/objects/segmentation.json. Everything is deterministic (seeded RNG); the
tests read only the JSON, never Python.

Encodings (all row-major, width * height):
  mask, fill_holes: binary RLE, run lengths alternating 0-runs and 1-runs, starting with 0s.
  label maps:       [value, run length, value, run length, ...].
  edt2:             squared EDT as the same value RLE (exact integers: edt == sqrt(edt2) is asserted).
"""
import json
import os

import numpy as np
from scipy import ndimage as ndi
import skimage
from skimage import io
from skimage.filters import threshold_otsu
from skimage.measure import label
from skimage.morphology import h_maxima
from skimage.segmentation import clear_border, watershed

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "objects", "segmentation.json")
H = 2.0


def rle_binary(a):
    flat = (np.asarray(a).ravel() != 0).astype(np.int8)
    runs = []
    change = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate(([0], change, [flat.size]))
    if flat.size and flat[0] == 1:
        runs.append(0)
    runs.extend(int(b - a) for a, b in zip(bounds[:-1], bounds[1:]))
    return runs


def rle_values(a):
    flat = np.asarray(a).ravel().astype(np.int64)
    change = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [flat.size]))
    out = []
    for s, e in zip(starts, ends):
        out += [int(flat[s]), int(e - s)]
    return out


def raster_relabel(lab):
    """Renumber labels 1..k by raster order of first pixel."""
    flat = lab.ravel()
    vals, first = np.unique(flat, return_index=True)
    keep = vals != 0
    order = vals[keep][np.argsort(first[keep])]
    lut = np.zeros(int(flat.max()) + 1 if flat.size else 1, dtype=np.int64)
    lut[order] = np.arange(1, order.size + 1)
    return lut[lab], int(order.size)


def size_filter(lab, min_area, max_area):
    counts = np.bincount(lab.ravel())
    ok = (counts >= min_area) & (counts <= max_area)
    ok[0] = False
    return np.where(ok[lab], lab, 0)


def disc(mask, cy, cx, r):
    y, x = np.indices(mask.shape)
    mask[(y - cy) ** 2 + (x - cx) ** 2 <= r * r] = 1


def synthetic():
    rng = np.random.default_rng(20240611)
    cases = {}

    m = np.zeros((72, 96), np.uint8)
    for _ in range(14):
        disc(m, rng.integers(0, 72), rng.integers(0, 96), rng.integers(3, 10))
    cases["random_discs"] = m

    m = np.zeros((60, 90), np.uint8)
    disc(m, 20, 20, 10); disc(m, 20, 36, 10)        # equal pair, touching
    disc(m, 42, 55, 12); disc(m, 38, 72, 8)         # unequal pair
    disc(m, 45, 18, 7); disc(m, 52, 28, 7); disc(m, 40, 28, 6)  # cluster of three
    cases["touching_discs"] = m

    m = np.zeros((64, 64), np.uint8)
    y, x = np.indices(m.shape)
    r2 = (y - 30) ** 2 + (x - 30) ** 2
    m[(r2 <= 20 ** 2) & (r2 >= 14 ** 2)] = 1
    m[(r2 <= 8 ** 2) & (r2 >= 5 ** 2)] = 1
    m[50:60, 48:60] = 1; m[53:57, 52:56] = 0          # square ring
    m[2:7, 50:55] = 1; m[4, 52] = 0                   # one-pixel hole
    m[10:15, 55:62] = 1; m[12, 55] = 0                # notch open to the outside (not a hole)
    m[20:25, 56:61] = 1; m[21, 57] = 0; m[22, 58] = 0  # diagonal hole pair: two 4-components
    cases["rings"] = m

    m = np.zeros((40, 50), np.uint8)
    m[5, 2:45] = 1                                    # horizontal line
    m[8:35, 3] = 1                                    # vertical line
    for i in range(25):
        m[10 + i, 10 + i] = 1                         # diagonal: 8-connected only
        m[10 + i, 40 - i] = 1                         # crossing anti-diagonal
    m[30:38:2, 20:30:2] = 1                           # isolated dots
    m[31:37, 35:47] = (np.indices((6, 12)).sum(0) % 2 == 0)  # checkerboard
    cases["thin_lines"] = m

    cases["one_pixel_wide"] = (rng.random((1, 37)) < 0.55).astype(np.uint8)
    cases["one_pixel_tall"] = (rng.random((29, 1)) < 0.55).astype(np.uint8)
    cases["all_background"] = np.zeros((10, 12), np.uint8)
    cases["all_foreground"] = np.ones((9, 7), np.uint8)
    m = np.ones((9, 7), np.uint8); m[4, 3] = 0
    cases["single_background_pixel"] = m

    m = np.zeros((48, 64), np.uint8)
    disc(m, 0, 0, 9); disc(m, 24, 63, 8); disc(m, 47, 30, 6); disc(m, 5, 40, 5)
    disc(m, 24, 25, 9); disc(m, 30, 40, 4); m[40:47, 5:12] = 1; m[47, 8] = 1
    cases["touching_border"] = m

    m = (rng.random((50, 70)) < 0.45).astype(np.uint8)
    cases["random_noise"] = m
    return cases


def fixture_masks():
    out = {}
    for name, (th, tw) in (("sk_coins", (152, 192)), ("sk_cell", (128, 128))):
        img = io.imread(os.path.join(ROOT, "tests", "fixtures", "reference", name, "input.png"))
        assert img.ndim == 2 and img.dtype == np.uint8, (name, img.shape, img.dtype)
        mask = (img > threshold_otsu(img)).astype(np.uint8)
        # Nearest-neighbour downsampling, to keep the JSON small.
        ys = (np.arange(th) * mask.shape[0]) // th
        xs = (np.arange(tw) * mask.shape[1]) // tw
        mask = mask[np.ix_(ys, xs)]
        out[f"otsu_{name}"] = mask
    return out


def run_case(name, mask):
    mask = mask.astype(np.uint8)
    h, w = mask.shape
    l4 = label(mask, connectivity=1)
    l8 = label(mask, connectivity=2)
    filled = ndi.binary_fill_holes(mask)
    edt = ndi.distance_transform_edt(mask)
    edt2 = np.rint(edt * edt).astype(np.int64)
    assert np.array_equal(np.sqrt(edt2.astype(np.float64)), edt), name
    hmax = h_maxima(edt, H)
    markers = label(hmax, connectivity=2)
    ws = watershed(-edt, markers, mask=mask.astype(bool))
    ws8 = watershed(-edt, markers, connectivity=2, mask=mask.astype(bool))
    cleared, cleared_n = raster_relabel(clear_border(ws))
    areas = np.bincount(ws.ravel())[1:]
    min_area = int(np.percentile(areas, 25)) if areas.size else 0
    max_area = int(np.percentile(areas, 90)) if areas.size else 0
    filtered, filtered_n = raster_relabel(size_filter(clear_border(ws), min_area, max_area))
    sized, sized_n = raster_relabel(size_filter(ws, min_area, max_area))
    return {
        "name": name,
        "width": int(w),
        "height": int(h),
        "mask": rle_binary(mask),
        "label4": {"count": int(l4.max()), "rle": rle_values(l4)},
        "label8": {"count": int(l8.max()), "rle": rle_values(l8)},
        "fill_holes": rle_binary(filled),
        "edt2": rle_values(edt2),
        "h_maxima": {"h": H, "count": int(markers.max()), "rle": rle_values(markers)},
        "watershed4": rle_values(ws),
        "watershed8": rle_values(ws8),
        "clear_border": {"count": cleared_n, "rle": rle_values(cleared)},
        "size_filter": {"minArea": min_area, "maxArea": max_area, "count": sized_n, "rle": rle_values(sized)},
        "clear_border_size_filter": {"count": filtered_n, "rle": rle_values(filtered)},
    }


def main():
    cases = {**synthetic(), **fixture_masks()}
    doc = {
        "generator": "scripts/reference/objects_segmentation.py",
        "versions": {"skimage": skimage.__version__, "scipy": __import__("scipy").__version__, "numpy": np.__version__},
        "cases": [run_case(k, v) for k, v in cases.items()],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
