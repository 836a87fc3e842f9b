#!/usr/bin/python3
"""Independent reference for src/server/inference/sam2/sam2-preprocess.ts (dev script).

SAM 2's own preprocessing (sam2/utils/transforms.py, SAM2Transforms) written with torch:
ToTensor (uint8 / 255 as float32), Resize((1024, 1024)) -- torchvision's tensor Resize, i.e.
torch.nn.functional.interpolate(mode="bilinear", align_corners=False, antialias=True) --, then
Normalize(mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)).

Run with Debian's Python:  /usr/bin/python3 scripts/reference/sam2_preprocess.py
Writes tests/fixtures/sam2-reference/preprocess.json: for each committed
reference input (8-bit, grey or colour, up- and downscaled), the per-channel sum and sum of squares
of the 3 x 1024 x 1024 tensor and the values at 512 fixed positions (and at every position of rows
0, 511 and 1023 of channel 0, which cover the borders).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests/fixtures/sam2-reference/preprocess.json")
INPUTS = ["sk_coins", "sk_cell", "gaas_nanowires"]
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
SIZE = 1024


def preprocess(path):
    image = Image.open(path)
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    tensor = torch.from_numpy(rgb.copy()).permute(2, 0, 1).float() / 255.0
    resized = F.interpolate(tensor[None], size=(SIZE, SIZE), mode="bilinear", align_corners=False, antialias=True)[0]
    return image.size, (resized - MEAN) / STD


def positions(count, seed=20260215):
    rng = np.random.default_rng(seed)
    return [[int(rng.integers(3)), int(rng.integers(SIZE)), int(rng.integers(SIZE))] for _ in range(count)]


def main():
    result = {"torch": torch.__version__, "size": SIZE, "inputs": {}}
    picks = positions(512)
    for name in INPUTS:
        path = os.path.join(ROOT, "tests/fixtures/reference", name, "input.png")
        (width, height), tensor = preprocess(path)
        t = tensor.double()
        result["inputs"][name] = {
            "file": os.path.relpath(path, ROOT),
            "width": width,
            "height": height,
            "channelSums": [float(t[c].sum()) for c in range(3)],
            "channelSumsOfSquares": [float((t[c] ** 2).sum()) for c in range(3)],
            "samples": [[c, y, x, round(float(tensor[c, y, x]), 7)] for c, y, x in picks],
            "rows": {str(y): [round(float(v), 7) for v in tensor[0, y]] for y in (0, 511, 1023)},
        }
    with open(OUT, "w") as f:
        json.dump(result, f)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
