#!/usr/bin/python3
"""Reference values for the pure SAM 2 automatic-mask-generator steps in src/core/sam2.

    /usr/bin/python3 scripts/reference/sam2_reference.py

Writes tests/fixtures/sam2/reference.json from SAM 2's own formulas (sam2_amg_steps.py: numpy
linspace grid, torch F.interpolate bilinear align_corners=False, calculate_stability_score,
batched_mask_to_box, mask_to_rle_pytorch, torchvision batched_nms, pycocotools' rleToString
ported). Inputs are either stored in the JSON (boxes, scores, small masks) or integer formulas the
TypeScript test recomputes exactly:

  logit field "ramp"(seed): L[j, i] = float32(((i * a + j * b + seed * 7) mod 97) / 4 - 12 + 1/7), a = 3 + seed, b = 5 + 2 * seed
  logit field "disc"(cx, cy, r, s): L[j, i] = clamp(s * (r - sqrt((i - cx)^2 + (j - cy)^2)), -32, 32)

(both on a 256 x 256 grid, float32; the ramp's 1/7 keeps its values off the cuts). torch's CPU
kernel and a TypeScript port may round a bilinear value differently by an ulp, so each stability
case also states `nearCut`, the pixels within 1e-4 of a cut, which may fall either way.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sam2_amg_steps import (  # noqa: E402
    area_from_rle,
    batched_mask_to_box,
    box_nms,
    build_point_grid,
    calculate_stability_score,
    mask_to_rle_pytorch,
    postprocess_masks,
    rle_to_string,
    transform_coords,
)

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "tests" / "fixtures" / "sam2" / "reference.json"
SIDE = 256


def ramp_field(seed: int, side: int = SIDE) -> torch.Tensor:
    j, i = np.mgrid[0:side, 0:side]
    a, b = 3 + seed, 5 + 2 * seed
    return torch.from_numpy((((i * a + j * b + seed * 7) % 97) / 4 - 12 + 1 / 7).astype(np.float32))


def disc_field(cx: float, cy: float, r: float, s: float, side: int = SIDE) -> torch.Tensor:
    grid = torch.arange(side, dtype=torch.float32)
    dx = grid.view(1, side) - cx
    dy = grid.view(side, 1) - cy
    return torch.clamp(s * (r - torch.sqrt(dx * dx + dy * dy)), -32, 32)


def point_grid_cases() -> list[dict]:
    cases = []
    for n in (1, 2, 5, 16):
        grid = build_point_grid(n)
        cases.append({"pointsPerSide": n, "points": grid.reshape(-1).tolist()})
    return cases


def model_frame_cases() -> list[dict]:
    cases = []
    for width, height in ((200, 150), (320, 400), (1024, 1024), (1999, 37)):
        points = torch.as_tensor(build_point_grid(32) * np.array([[width, height]]))
        frame = transform_coords(points, height, width)
        picked = list(range(0, len(points), 17)) + [len(points) - 1]  # a sample keeps the JSON small
        cases.append({
            "width": width,
            "height": height,
            "indices": picked,
            "imagePoints": points[picked].reshape(-1).tolist(),
            "framePoints": frame.float()[picked].reshape(-1).tolist(),
        })
    return cases


def bilinear_cases() -> list[dict]:
    cases = []
    for in_h, in_w, out_h, out_w, seed in ((5, 7, 13, 4, 1), (4, 4, 9, 11, 2), (6, 3, 2, 2, 3), (3, 5, 3, 5, 4), (1, 4, 3, 7, 5)):
        field = ramp_field(seed, max(in_h, in_w))[:in_h, :in_w].contiguous()
        out = postprocess_masks(field[None, None], out_h, out_w)[0, 0]
        cases.append({
            "seed": seed, "inHeight": in_h, "inWidth": in_w, "outHeight": out_h, "outWidth": out_w,
            "input": field.reshape(-1).tolist(), "output": out.reshape(-1).tolist(),
        })
    # Full-size 256 -> image sizes on a ramp field: a sample of pixels, and the sum as a checksum.
    for out_h, out_w, seed in ((150, 200, 6), (400, 320, 7)):
        out = postprocess_masks(ramp_field(seed)[None, None], out_h, out_w)[0, 0]
        rng = np.random.default_rng(seed)
        ys = rng.integers(0, out_h, 64)
        xs = rng.integers(0, out_w, 64)
        cases.append({
            "seed": seed, "inHeight": SIDE, "inWidth": SIDE, "outHeight": out_h, "outWidth": out_w,
            "samples": [[int(y), int(x), float(out[y, x])] for y, x in zip(ys, xs)],
            "sum": float(out.double().sum()),
        })
    return cases


def random_mask(rng, h: int, w: int, kind: str) -> np.ndarray:
    if kind == "empty":
        return np.zeros((h, w), dtype=bool)
    if kind == "full":
        return np.ones((h, w), dtype=bool)
    if kind == "noise":
        return rng.random((h, w)) < 0.4
    if kind == "corner":  # starts with a 1 in column-major order
        m = np.zeros((h, w), dtype=bool)
        m[: h // 2, : w // 3 + 1] = True
        return m
    yy, xx = np.mgrid[0:h, 0:w]  # a blob away from the border
    cy, cx, r = h * rng.uniform(0.3, 0.7), w * rng.uniform(0.3, 0.7), min(h, w) * rng.uniform(0.15, 0.35)
    return (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r


def mask_cases() -> list[dict]:
    rng = np.random.default_rng(15)
    cases = []
    for h, w, kind in ((5, 7, "noise"), (6, 4, "corner"), (3, 3, "empty"), (4, 6, "full"), (30, 40, "blob"),
                       (41, 23, "blob"), (64, 64, "noise"), (1, 9, "noise"), (45, 60, "blob")):
        mask = random_mask(rng, h, w, kind)
        t = torch.from_numpy(mask)
        rle = mask_to_rle_pytorch(t[None])[0]
        box = batched_mask_to_box(t[None])[0]
        cases.append({
            "kind": kind, "height": h, "width": w,
            "maskRowMajor": "".join("1" if v else "0" for v in mask.reshape(-1)),
            "counts": rle["counts"], "countsString": rle_to_string(rle["counts"]),
            "area": area_from_rle(rle), "boxXyxy": [int(v) for v in box.tolist()],
        })
    # Counts that exercise the signed 5-bit groups and the i > 2 differences (long runs, big jumps).
    for counts in ([0, 1, 2, 3], [100000, 5, 31, 32, 33, 1, 65536, 16, 15], [3, 1000, 2, 999, 7, 0, 0, 12]):
        cases.append({"kind": "counts", "counts": counts, "countsString": rle_to_string(counts)})
    return cases


def stability_cases() -> list[dict]:
    cases = []
    fields = [
        ("disc", disc_field(100.3, 120.7, 30.2, 3.0)),
        ("disc", disc_field(10.6, 240.1, 25.3, 0.8)),
        ("disc", disc_field(128.0, 128.0, 5.1, 20.0)),
        ("ramp", ramp_field(1)),
        ("ramp", ramp_field(2)),
    ]
    specs = [
        {"kind": "disc", "cx": 100.3, "cy": 120.7, "r": 30.2, "s": 3.0},
        {"kind": "disc", "cx": 10.6, "cy": 240.1, "r": 25.3, "s": 0.8},
        {"kind": "disc", "cx": 128.0, "cy": 128.0, "r": 5.1, "s": 20.0},
        {"kind": "ramp", "seed": 1},
        {"kind": "ramp", "seed": 2},
    ]
    for (_, field), spec in zip(fields, specs):
        for out_h, out_w in ((256, 256), (150, 200), (400, 320), (37, 53), (1024, 768)):
            up = postprocess_masks(field[None, None], out_h, out_w)[0]
            for threshold, offset in ((0.0, 1.0), (0.5, 2.0)):
                near_cut = sum(int(((up[0] - c).abs() < 1e-4).sum()) for c in (threshold - offset, threshold, threshold + offset))
                stability = calculate_stability_score(up, threshold, offset)
                binary = up[0] > threshold
                rle = mask_to_rle_pytorch(binary[None])[0]
                box = batched_mask_to_box(binary[None])[0]
                cases.append({
                    "field": spec, "outHeight": out_h, "outWidth": out_w, "maskThreshold": threshold,
                    "offset": offset, "stability": float(stability[0]), "nearCut": near_cut,
                    "intersections": int((up[0] > threshold + offset).sum()),
                    "unions": int((up[0] > threshold - offset).sum()),
                    "area": area_from_rle(rle), "boxXyxy": [int(v) for v in box.tolist()],
                })
                if spec["kind"] == "disc" or out_h * out_w <= 8000:  # ramp RLEs are long; keep the JSON small
                    cases[-1]["countsString"] = rle_to_string(rle["counts"])
    return cases


def nms_cases() -> list[dict]:
    rng = np.random.default_rng(7)
    cases = []
    for n, integer in ((40, True), (60, False), (8, True)):
        x0 = rng.uniform(0, 80, n)
        y0 = rng.uniform(0, 60, n)
        w = rng.uniform(1, 40, n)
        h = rng.uniform(1, 40, n)
        boxes = np.stack([x0, y0, x0 + w, y0 + h], axis=1)
        if integer:
            boxes = np.round(boxes)
        boxes = boxes.astype(np.float32)
        scores = rng.uniform(0.5, 1.0, n).astype(np.float32)
        case = {"boxes": boxes.reshape(-1).tolist(), "scores": scores.tolist(), "keep": {}}
        for threshold in (0.7, 0.5, 0.3):
            keep = box_nms(torch.from_numpy(boxes), torch.from_numpy(scores), threshold)
            case["keep"][str(threshold)] = keep.tolist()
        cases.append(case)
    # A tie of IoU exactly at the threshold: 10x10 box and one sharing 7/10 (IoU 70/130, not 0.7) and
    # identical boxes (IoU 1), plus an empty box [0,0,0,0] (IoU 0 with anything, 0/0 with itself).
    boxes = np.array([[0, 0, 10, 10], [3, 0, 13, 10], [0, 0, 10, 10], [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 9, 9]],
                     dtype=np.float32)
    scores = np.array([0.9, 0.8, 0.7, 0.95, 0.6, 0.85], dtype=np.float32)
    case = {"boxes": boxes.reshape(-1).tolist(), "scores": scores.tolist(), "keep": {}}
    for threshold in (0.7, 0.5, 0.64):
        case["keep"][str(threshold)] = box_nms(torch.from_numpy(boxes), torch.from_numpy(scores), threshold).tolist()
    cases.append(case)
    return cases


def main() -> None:
    torch.set_num_threads(2)
    result = {
        "generator": "scripts/reference/sam2_reference.py",
        "torch": torch.__version__,
        "pointGrids": point_grid_cases(),
        "modelFrame": model_frame_cases(),
        "bilinear": bilinear_cases(),
        "masks": mask_cases(),
        "stability": stability_cases(),
        "nms": nms_cases(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result) + "\n")
    print(OUT.relative_to(ROOT), OUT.stat().st_size, "bytes")
    assert math.isfinite(sum(c["stability"] for c in result["stability"] if c["unions"] > 0))


if __name__ == "__main__":
    main()
