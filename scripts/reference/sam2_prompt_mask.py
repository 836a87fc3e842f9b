#!/usr/bin/python3
"""Independent reference for src/server/inference/sam2/prompt-mask-runs.ts (dev script).

SAM 2's mask from low-res logits (SAM2Transforms.postprocess_masks, then `> mask_threshold`):
torch.nn.functional.interpolate(logits[1,1,256,256], (H, W), mode="bilinear", align_corners=False) > 0.

Run with Debian's Python:  /usr/bin/python3 scripts/reference/sam2_prompt_mask.py
Writes tests/fixtures/sam2-reference/prompt-mask.json: for a few output sizes (enlarging,
shrinking, very elongated), the row-major runs of the mask (alternating background/foreground,
starting with background) and the indices of the pixels whose upsampled logit is within 1e-4 of the
threshold (where float32 evaluation order may decide). The low-res logits are a formula the test
evaluates identically (float64 arithmetic with a correctly rounded sqrt, then rounded to float32).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests/fixtures/sam2-reference/prompt-mask.json")
SIZES = [(200, 150), (1000, 700), (37, 1000), (256, 256), (4096, 300)]


def low_res_logits() -> np.ndarray:
    """Three signed-distance discs (logits up to ~9), one of them touching the left border."""
    y, x = np.mgrid[0:256, 0:256].astype(np.float64)
    discs = [(100.5, 70.5, 30.0, 0.3), (200.25, 180.75, 12.0, 1.1), (3.5, 140.5, 20.0, 0.45)]
    best = np.full((256, 256), -20.0)
    for cx, cy, r, s in discs:
        best = np.maximum(best, s * (r - np.sqrt((x - cx) ** 2 + 1.7 * (y - cy) ** 2)))
    return best.astype(np.float32)



def main():
    logits = torch.from_numpy(low_res_logits())[None, None]
    cases = []
    for width, height in SIZES:
        up = F.interpolate(logits, (height, width), mode="bilinear", align_corners=False)[0, 0].numpy()
        mask = up > 0
        flat = mask.reshape(-1)
        # Runs: alternate from background; a trailing 0-length background run is dropped.
        change = np.flatnonzero(flat[1:] != flat[:-1]) + 1
        bounds = np.concatenate([[0], change, [flat.size]])
        runs = np.diff(bounds).tolist()
        if flat[0]:
            runs = [0] + runs
        cases.append(
            {
                "width": width,
                "height": height,
                "area": int(mask.sum()),
                "runs": [int(r) for r in runs],
                "nearThreshold": [int(i) for i in np.flatnonzero(np.abs(up.reshape(-1)) < 1e-4)],
            }
        )
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
        f.write("\n")
    print(f"wrote {OUT}: " + ", ".join(f"{c['width']}x{c['height']} area {c['area']} near {len(c['nearThreshold'])}" for c in cases))


if __name__ == "__main__":
    main()
