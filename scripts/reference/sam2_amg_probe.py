#!/usr/bin/python3
"""Expected automatic-mask-generator output of the SAM 2 probe pair on two synthetic test images.

    /usr/bin/python3 scripts/reference/sam2_amg_probe.py

Writes tests/fixtures/sam2/images/{discs-200x150,discs-320x400}.png (8-bit grey, generated here,
CC0) and tests/fixtures/sam2/amg-expected.json. The probe's encoder and decoder are the torch modules
of training/sam2_probe.py (the same graphs as the committed ONNX files); the AMG steps are
sam2_amg_steps.py, which follows SAM 2's own code. The image is resized to 1024 x 1024 with
torch bilinear (align_corners False); the probe decoder reads the image only through the sign of
one 16 x 16 cell mean per grid point, and this script asserts that sign is the same under four
resize methods, so the expected output does not depend on how the caller resizes. It also asserts
margins (no predicted IoU, stability score or upsampled logit near a threshold, no score ties) so
float32 differences between torch, ONNX Runtime and TypeScript cannot change a decision.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "training"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sam2_probe  # noqa: E402
from sam2_amg_steps import (  # noqa: E402
    FRAME,
    batch_iterator,
    build_point_grid,
    postprocess_masks,
    rle_to_string,
    transform_coords,
)
import sam2_amg_steps  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "sam2"
MEAN = np.array([0.485, 0.456, 0.406])
STD = np.array([0.229, 0.224, 0.225])
BACKGROUND = 30
FOREGROUND = 220

# (width, height, discs as (cx, cy, r) in image pixels, hard-edged: pixel centre within r).
IMAGES = {
    "discs-200x150": (200, 150, [(49, 40, 17), (140, 95, 25), (172, 28, 10), (18, 128, 11)]),
    "discs-320x400": (320, 400, [(86, 95, 42), (223, 291, 60), (262, 60, 23), (60, 330, 16)]),
}


def draw(width: int, height: int, discs) -> np.ndarray:
    yy, xx = np.mgrid[0:height, 0:width]
    image = np.full((height, width), BACKGROUND, dtype=np.uint8)
    for cx, cy, r in discs:
        image[(xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2 <= r * r] = FOREGROUND
    return image


def normalise(rgb01: np.ndarray) -> np.ndarray:
    """[H,W,3] in [0,1] -> [1,3,H,W] float32, SAM 2's mean/std."""
    return ((rgb01 - MEAN) / STD).transpose(2, 0, 1)[None].astype(np.float32)


def encoder_input(grey: np.ndarray, method: str) -> torch.Tensor:
    rgb = np.repeat(grey[:, :, None], 3, axis=2)
    if method == "torch-bilinear":
        t = torch.from_numpy(rgb.astype(np.float32) / 255).permute(2, 0, 1)[None]
        t = F.interpolate(t, (FRAME, FRAME), mode="bilinear", align_corners=False)
        return (t - torch.tensor(MEAN, dtype=torch.float32).view(1, 3, 1, 1)) / torch.tensor(
            STD, dtype=torch.float32).view(1, 3, 1, 1)
    resample = {"pil-nearest": Image.NEAREST, "pil-bicubic": Image.BICUBIC, "pil-lanczos": Image.LANCZOS}[method]
    resized = np.asarray(Image.fromarray(grey).resize((FRAME, FRAME), resample), dtype=np.float64) / 255
    return torch.from_numpy(normalise(np.repeat(resized[:, :, None], 3, axis=2)))


def grid_cell_brightness(embed: torch.Tensor, width: int, height: int) -> np.ndarray:
    points = torch.as_tensor(build_point_grid(32) * np.array([[width, height]]))
    frame = transform_coords(points, height, width).float()
    cx = torch.clamp(torch.floor(frame[:, 0] / 16), 0, 63).long()
    cy = torch.clamp(torch.floor(frame[:, 1] / 16), 0, 63).long()
    return embed[0, 0, cy, cx].numpy()


def run(name: str, width: int, height: int, discs) -> dict:
    grey = draw(width, height, discs)
    (FIXTURES / "images").mkdir(parents=True, exist_ok=True)
    Image.fromarray(grey).save(FIXTURES / "images" / f"{name}.png", optimize=True)

    encoder = sam2_probe.ProbeEncoder().eval()
    decoder = sam2_probe.ProbeDecoder().eval()
    with torch.no_grad():
        feats = {m: encoder(encoder_input(grey, m)) for m in ("torch-bilinear", "pil-nearest", "pil-bicubic", "pil-lanczos")}
    signs = {m: grid_cell_brightness(f[2], width, height) > 0 for m, f in feats.items()}
    for method, s in signs.items():
        assert np.array_equal(s, signs["torch-bilinear"]), f"{name}: brightness decision differs under {method}"
    reference_cells = grid_cell_brightness(feats["torch-bilinear"][2], width, height)
    assert np.abs(reference_cells).min() > 0.3, f"{name}: a grid cell is too close to the bright/dark cut"
    feats0, feats1, embed = feats["torch-bilinear"]

    all_scores = []
    upsampled_margin = [np.inf]

    def decode(points: torch.Tensor):
        labels = torch.ones(points.shape[0], 1)
        with torch.no_grad():
            masks, iou = decoder(embed, feats0, feats1, points, labels,
                                 torch.zeros(points.shape[0], 1, 256, 256), torch.zeros(points.shape[0]))
        all_scores.append(iou.flatten())
        up = postprocess_masks(masks, height, width)
        # Distance of every upsampled logit from the three cuts (-1, 0, 1) of threshold and stability.
        distance = torch.stack([(up - c).abs() for c in (-1.0, 0.0, 1.0)]).amin(dim=0)
        upsampled_margin[0] = min(upsampled_margin[0], float(distance.min()))
        return masks, iou

    trace: dict = {}
    records = sam2_amg_steps.generate(decode, height, width, trace=trace)

    scores = torch.cat(all_scores).numpy().astype(np.float64)
    assert np.abs(scores - 0.8).min() > 2e-5, f"{name}: a predicted IoU is too close to 0.8"
    gaps = np.diff(np.sort(scores))
    assert gaps.min() > 2e-6, f"{name}: predicted IoUs too close to each other ({gaps.min()})"
    assert upsampled_margin[0] > 1e-4, f"{name}: an upsampled logit lies {upsampled_margin[0]} from a cut"
    for key in ("removedByIou", "removedByStability", "removedByNms"):
        assert trace[key] > 0, f"{name}: the {key} filter removed nothing"

    out_records = []
    for r in records:
        counts = r["segmentation"]["counts"]
        out_records.append({
            "area": r["area"],
            "bbox": r["bbox"],
            "predictedIou": r["predicted_iou"],
            "stabilityScore": r["stability_score"],
            "point": r["point_coords"][0],
            "cropBox": r["crop_box"],
            "rleSize": r["segmentation"]["size"],
            "rleString": rle_to_string(counts),
        })
    return {
        "image": f"images/{name}.png",
        "width": width,
        "height": height,
        "discs": [list(d) for d in discs],
        "filterCounts": trace,
        "brightGridPoints": int(signs["torch-bilinear"].sum()),
        "minLogitMargin": upsampled_margin[0],
        "records": out_records,
    }


def stability_margins(name: str, width: int, height: int, discs) -> float:
    """Smallest |stability - 0.95| over all candidates that pass the IoU filter."""
    grey = draw(width, height, discs)
    encoder = sam2_probe.ProbeEncoder().eval()
    decoder = sam2_probe.ProbeDecoder().eval()
    with torch.no_grad():
        feats0, feats1, embed = encoder(encoder_input(grey, "torch-bilinear"))
    points = torch.as_tensor(build_point_grid(32) * np.array([[width, height]]))
    margin = np.inf
    for batch in batch_iterator(64, points):
        frame = transform_coords(batch, height, width).float()[:, None, :]
        with torch.no_grad():
            masks, iou = decoder(embed, feats0, feats1, frame, torch.ones(frame.shape[0], 1),
                                 torch.zeros(frame.shape[0], 1, 256, 256), torch.zeros(frame.shape[0]))
        up = postprocess_masks(masks, height, width).flatten(0, 1)
        stability = sam2_amg_steps.calculate_stability_score(up, 0.0, 1.0)
        passing = iou.flatten() > 0.8
        if passing.any():
            margin = min(margin, float((stability[passing] - 0.95).abs().min()))
    return margin


def main() -> None:
    torch.set_num_threads(2)
    result = {
        "generator": "scripts/reference/sam2_amg_probe.py",
        "model": "tests/fixtures/sam2/probe (training/sam2_probe.py)",
        "params": {
            "pointsPerSide": 32, "pointsPerBatch": 64, "predIouThresh": 0.8, "stabilityScoreThresh": 0.95,
            "stabilityScoreOffset": 1.0, "maskThreshold": 0.0, "boxNmsThresh": 0.7, "cropNLayers": 0,
            "multimaskOutput": True, "useM2m": False,
        },
        "tolerances": {"predictedIou": 1e-6, "stabilityScore": 1e-6},
        "images": [],
    }
    for name, (width, height, discs) in IMAGES.items():
        margin = stability_margins(name, width, height, discs)
        assert margin > 1e-3, f"{name}: a stability score lies {margin} from 0.95"
        entry = run(name, width, height, discs)
        entry["minStabilityMargin"] = margin
        result["images"].append(entry)
        print(name, entry["filterCounts"], "kept", len(entry["records"]), "bright points", entry["brightGridPoints"],
              f"logit margin {entry['minLogitMargin']:.2e} stability margin {margin:.2e}")
    text = json.dumps(result, indent=1)
    (FIXTURES / "amg-expected.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
