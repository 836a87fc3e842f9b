#!/usr/bin/env python3
"""Transfer check on real micrographs the model never saw (not shipped: ../shared/data).

- Ag dendrites (ag_dendrites_seg): share predicted dendritic, and whether the dendritic CAM lies on
  the annotated branches: CAM mass on the (dilated) annotation mask divided by the mask's area
  share (lift > 1 = the map prefers the branches over the background).
- Li plated/stripped (li_sem_ucsd): predicted class rates per condition.
- A contact sheet of every image with its CAM (written outside the repo, never committed: the
  images have no licence): /tmp/contact_sheet.png by default.

    /usr/bin/python3 training/evaluate_real.py [--model path.pt] [--sheet /tmp/contact_sheet.png]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np
import torch
from matplotlib import cm
from PIL import Image, ImageDraw
from scipy import ndimage as ndi

from reference_preprocess import CROP, RESIZE_TO, reference_tensor
from visual_cnn import VisualCNN

DATA = HERE.parent.parent / "shared" / "data"
CLASSES = ["dendritic", "spherical"]


def cam_maps(model: VisualCNN, batch: torch.Tensor, target: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Class probabilities [N, K] and the CAM [N, 256, 256] of class `target` (default: the
    predicted class of each image): ReLU, max-normalised, bicubic, computed from the features and
    the linear head (exact Grad-CAM for GAP + linear)."""
    with torch.no_grad():
        features, logits = model(batch)
        classes = logits.argmax(1) if target is None else torch.full((len(batch),), target)
        weights = model.head.weight[classes]  # [N, C]
        cams = torch.relu(torch.einsum("nk,nkhw->nhw", weights, features))
        peak = cams.flatten(1).max(1).values.clamp_min(1e-12)
        cams = cams / peak[:, None, None]
        cams = torch.nn.functional.interpolate(cams[:, None], size=(CROP, CROP), mode="bicubic", align_corners=False)[:, 0]
        return torch.softmax(logits, 1).numpy(), cams.clamp(0, 1).numpy()


def crop_mask(mask_path: Path) -> np.ndarray:
    """The annotation mask through the same resize + centre crop geometry (nearest)."""
    mask = Image.open(mask_path).convert("L")
    w, h = mask.size
    scale = RESIZE_TO / min(w, h)
    size = (RESIZE_TO, int(RESIZE_TO * h / w)) if w <= h else (int(RESIZE_TO * w / h), RESIZE_TO)
    mask = mask.resize(size, Image.NEAREST)
    left, top = int(round((size[0] - CROP) / 2)), int(round((size[1] - CROP) / 2))
    return np.asarray(mask.crop((left, top, left + CROP, top + CROP))) > 127


def overlay(grey: np.ndarray, cam: np.ndarray) -> np.ndarray:
    """Reference display: grey at 50 % under the jet heat map at 50 %."""
    heat = cm.jet(cam)[..., :3]
    return (0.5 * np.repeat(grey[..., None], 3, 2) + 0.5 * heat) * 255


def evaluate(model: VisualCNN, contact_sheet: Path | None, log=print) -> dict:
    model.eval()
    tiles: list[tuple[np.ndarray, np.ndarray, str]] = []
    ag_files = sorted(DATA.glob("ag_dendrites_seg/*/*/images/*.jpg"))
    ag_dendritic, lifts = 0, []
    for path in ag_files:
        tensor = reference_tensor(path)
        probs, cams = cam_maps(model, tensor[None], target=0)  # the dendritic evidence
        predicted = int(probs[0].argmax())
        ag_dendritic += predicted == 0
        mask_path = path.parents[2] / "masks_rasterized" / (path.stem + ".png")
        if mask_path.exists():
            mask = crop_mask(mask_path)
            if mask.mean() > 0.002:
                mask = ndi.binary_dilation(mask, iterations=3)
                lifts.append(float((cams[0] * mask).sum() / max(cams[0].sum(), 1e-9) / mask.mean()))
        tiles.append((tensor[0].numpy(), cams[0], f"Ag {CLASSES[predicted][:4]} p(dend) {probs[0][0]:.2f} [CAM dend]"))
    li_rates: dict[str, dict] = {}
    by_condition: dict[str, list[int]] = defaultdict(list)
    dendritic_probability: dict[str, list[float]] = defaultdict(list)
    for path in sorted(DATA.glob("li_sem_ucsd/li_li_cycling_*/*/*.png")):
        state = "plated" if "plated" in path.parts[-3] else "stripped"
        condition = f"{state}/{path.parent.name}"
        tensor = reference_tensor(path)
        probs, cams = cam_maps(model, tensor[None])
        predicted = int(probs[0].argmax())
        by_condition[condition].append(predicted)
        dendritic_probability[condition].append(float(probs[0][0]))
        tiles.append((tensor[0].numpy(), cams[0], f"Li {state[:5]} {path.parent.name} {CLASSES[predicted][:4]} p(dend) {probs[0][0]:.2f}"))
    for condition, preds in sorted(by_condition.items()):
        preds_arr = np.array(preds)
        li_rates[condition] = {"n": len(preds), "dendritic": float(np.mean(preds_arr == 0)),
                               "spherical": float(np.mean(preds_arr == 1)),
                               "medianProbabilityDendritic": float(np.median(dendritic_probability[condition]))}
    result = {
        "agDendrites": {"n": len(ag_files), "predictedDendritic": int(ag_dendritic),
                        "dendriticRate": float(ag_dendritic / max(len(ag_files), 1)),
                        "camLiftOnAnnotatedBranches": {"n": len(lifts), "median": float(np.median(lifts)) if lifts else None,
                                                       "shareAbove1": float(np.mean(np.array(lifts) > 1)) if lifts else None}},
        "liSemPerCondition": li_rates,
        "note": "Real images never used in training; evaluation only (not shipped, no licence to redistribute).",
    }
    log(f"real transfer: {json.dumps(result)}")
    if contact_sheet is not None:
        write_contact_sheet(tiles, contact_sheet)
        log(f"contact sheet: {contact_sheet}")
    return result


def write_contact_sheet(tiles: list[tuple[np.ndarray, np.ndarray, str]], path: Path, tile: int = 192, per_row: int = 4) -> None:
    rows = (len(tiles) + per_row - 1) // per_row
    sheet = Image.new("RGB", (per_row * 2 * tile, rows * (tile + 14)), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for i, (grey, cam, caption) in enumerate(tiles):
        x, y = (i % per_row) * 2 * tile, (i // per_row) * (tile + 14)
        g = Image.fromarray((grey * 255).astype(np.uint8)).convert("RGB").resize((tile, tile), Image.BILINEAR)
        o = Image.fromarray(overlay(grey, cam).astype(np.uint8)).resize((tile, tile), Image.BILINEAR)
        sheet.paste(g, (x, y + 14))
        sheet.paste(o, (x + tile, y + 14))
        draw.text((x + 2, y + 1), caption, fill=(0, 0, 0))
    sheet.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(HERE / ".cache" / "visual-ccc-synthetic-v2.pt"))
    parser.add_argument("--sheet", default="/tmp/contact_sheet.png")
    args = parser.parse_args()
    torch.set_num_threads(2)
    from build_model import PADDING_MODE
    model = VisualCNN(2, padding_mode=PADDING_MODE)
    model.load_state_dict(torch.load(args.model))
    evaluate(model, Path(args.sheet))


if __name__ == "__main__":
    main()
