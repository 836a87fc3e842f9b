"""SAM 2's automatic mask generator steps, written after facebookresearch/sam2
(sam2/utils/amg.py, sam2/utils/transforms.py, sam2/automatic_mask_generator.py) with torch and
torchvision, for the reference scripts sam2_reference.py and sam2_amg_probe.py. Only the path the
product uses: crop_n_layers 0, multimask output, use_m2m false, min_mask_region_area 0.

pycocotools is not installed here, so its RLE string encoding (rleToString in maskApi.c) is ported.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.ops import batched_nms

FRAME = 1024


def build_point_grid(n_per_side: int) -> np.ndarray:
    offset = 1 / (2 * n_per_side)
    points_one_side = np.linspace(offset, 1 - offset, n_per_side)
    points_x = np.tile(points_one_side[None, :], (n_per_side, 1))
    points_y = np.tile(points_one_side[:, None], (1, n_per_side))
    return np.stack([points_x, points_y], axis=-1).reshape(-1, 2)


def batch_iterator(batch_size: int, items):
    n_batches = len(items) // batch_size + int(len(items) % batch_size != 0)
    for b in range(n_batches):
        yield items[b * batch_size : (b + 1) * batch_size]


def transform_coords(points: torch.Tensor, height: int, width: int) -> torch.Tensor:
    coords = points.clone()
    coords[..., 0] = coords[..., 0] / width
    coords[..., 1] = coords[..., 1] / height
    return coords * FRAME


def postprocess_masks(low_res: torch.Tensor, height: int, width: int) -> torch.Tensor:
    return F.interpolate(low_res.float(), (height, width), mode="bilinear", align_corners=False)


def calculate_stability_score(masks: torch.Tensor, mask_threshold: float, offset: float) -> torch.Tensor:
    intersections = (masks > (mask_threshold + offset)).sum(-1, dtype=torch.int16).sum(-1, dtype=torch.int32)
    unions = (masks > (mask_threshold - offset)).sum(-1, dtype=torch.int16).sum(-1, dtype=torch.int32)
    return intersections / unions


def batched_mask_to_box(masks: torch.Tensor) -> torch.Tensor:
    if torch.numel(masks) == 0:
        return torch.zeros(*masks.shape[:-2], 4, device=masks.device)
    shape = masks.shape
    h, w = shape[-2:]
    masks = masks.flatten(0, -3) if len(shape) > 2 else masks.unsqueeze(0)
    in_height, _ = torch.max(masks, dim=-1)
    in_height_coords = in_height * torch.arange(h)[None, :]
    bottom_edges, _ = torch.max(in_height_coords, dim=-1)
    in_height_coords = in_height_coords + h * (~in_height)
    top_edges, _ = torch.min(in_height_coords, dim=-1)
    in_width, _ = torch.max(masks, dim=-2)
    in_width_coords = in_width * torch.arange(w)[None, :]
    right_edges, _ = torch.max(in_width_coords, dim=-1)
    in_width_coords = in_width_coords + w * (~in_width)
    left_edges, _ = torch.min(in_width_coords, dim=-1)
    empty_filter = (right_edges < left_edges) | (bottom_edges < top_edges)
    out = torch.stack([left_edges, top_edges, right_edges, bottom_edges], dim=-1)
    out = out * (~empty_filter).unsqueeze(-1)
    return out.reshape(*shape[:-2], 4) if len(shape) > 2 else out[0]


def is_box_near_crop_edge(boxes: torch.Tensor, crop_box, orig_box, atol: float = 20.0) -> torch.Tensor:
    crop = torch.as_tensor(crop_box, dtype=torch.float)
    orig = torch.as_tensor(orig_box, dtype=torch.float)
    x0, y0, _, _ = crop_box
    boxes = (boxes + torch.tensor([[x0, y0, x0, y0]])).float()
    near_crop_edge = torch.isclose(boxes, crop[None, :], atol=atol, rtol=0)
    near_image_edge = torch.isclose(boxes, orig[None, :], atol=atol, rtol=0)
    return torch.any(torch.logical_and(near_crop_edge, ~near_image_edge), dim=1)


def mask_to_rle_pytorch(tensor: torch.Tensor) -> list[dict]:
    b, h, w = tensor.shape
    tensor = tensor.permute(0, 2, 1).flatten(1)
    diff = tensor[:, 1:] ^ tensor[:, :-1]
    change_indices = diff.nonzero()
    out = []
    for i in range(b):
        cur_idxs = change_indices[change_indices[:, 0] == i, 1]
        cur_idxs = torch.cat([torch.tensor([0]), cur_idxs + 1, torch.tensor([h * w])])
        btw_idxs = cur_idxs[1:] - cur_idxs[:-1]
        counts = [] if tensor[i, 0] == 0 else [0]
        counts.extend(btw_idxs.tolist())
        out.append({"size": [h, w], "counts": counts})
    return out


def area_from_rle(rle: dict) -> int:
    return sum(rle["counts"][1::2])


def rle_to_string(counts: list[int]) -> str:
    """pycocotools maskApi.c rleToString: LEB128-like 5-bit groups with sign extension, counts after
    the second stored as the difference to the count two before, each char offset by 48."""
    chars = []
    for i, count in enumerate(counts):
        x = int(count)
        if i > 2:
            x -= int(counts[i - 2])
        more = True
        while more:
            c = x & 0x1F
            x >>= 5  # arithmetic shift, as on the C long
            more = (x != -1) if (c & 0x10) else (x != 0)
            if more:
                c |= 0x20
            chars.append(chr(c + 48))
    return "".join(chars)


def box_xyxy_to_xywh(box: list[float]) -> list[float]:
    return [box[0], box[1], box[2] - box[0], box[3] - box[1]]


def box_nms(boxes: torch.Tensor, scores: torch.Tensor, threshold: float) -> torch.Tensor:
    return batched_nms(boxes.float(), scores, torch.zeros_like(boxes[:, 0]), iou_threshold=threshold)


def generate(decode, height: int, width: int, points_per_side=32, points_per_batch=64, pred_iou_thresh=0.8,
             stability_score_thresh=0.95, stability_score_offset=1.0, mask_threshold=0.0, box_nms_thresh=0.7,
             trace=None):
    """SAM2AutomaticMaskGenerator.generate for crop_n_layers 0, multimask, no m2m. decode(points [B,1,2]
    float32 in the 1024 frame) -> (low-res logits [B,3,256,256], iou_predictions [B,3]). trace (a dict)
    receives the candidate counts removed by each filter."""
    crop_box = [0, 0, width, height]
    points_for_image = build_point_grid(points_per_side) * np.array([[width, height]])
    stats = {"candidates": 0, "removedByIou": 0, "removedByStability": 0, "removedByEdge": 0}
    kept = {"rles": [], "boxes": [], "iou_preds": [], "points": [], "stability_score": []}
    for points in batch_iterator(points_per_batch, points_for_image):
        points_t = torch.as_tensor(points)
        in_points = transform_coords(points_t, height, width).float()
        low_res, iou_preds = decode(in_points[:, None, :])
        masks = postprocess_masks(low_res, height, width)
        masks = masks.flatten(0, 1)
        iou_preds = iou_preds.flatten(0, 1)
        pts = points_t.repeat_interleave(low_res.shape[1], dim=0)
        stats["candidates"] += len(iou_preds)
        keep = iou_preds > pred_iou_thresh
        stats["removedByIou"] += int((~keep).sum())
        masks, iou_preds, pts = masks[keep], iou_preds[keep], pts[keep]
        stability = calculate_stability_score(masks, mask_threshold, stability_score_offset)
        keep = stability >= stability_score_thresh
        stats["removedByStability"] += int((~keep).sum())
        masks, iou_preds, pts, stability = masks[keep], iou_preds[keep], pts[keep], stability[keep]
        binary = masks > mask_threshold
        boxes = batched_mask_to_box(binary)
        keep = ~is_box_near_crop_edge(boxes, crop_box, [0, 0, width, height])
        stats["removedByEdge"] += int((~keep).sum())
        binary, boxes, iou_preds, pts, stability = binary[keep], boxes[keep], iou_preds[keep], pts[keep], stability[keep]
        kept["rles"] += mask_to_rle_pytorch(binary)
        kept["boxes"].append(boxes)
        kept["iou_preds"].append(iou_preds)
        kept["points"].append(pts)
        kept["stability_score"].append(stability)
    boxes = torch.cat(kept["boxes"])
    iou_preds = torch.cat(kept["iou_preds"])
    points = torch.cat(kept["points"])
    stability = torch.cat(kept["stability_score"])
    keep_by_nms = box_nms(boxes, iou_preds, box_nms_thresh)
    stats["removedByNms"] = len(iou_preds) - len(keep_by_nms)
    if trace is not None:
        trace.update(stats)
    records = []
    for idx in keep_by_nms.tolist():
        rle = kept["rles"][idx]
        records.append({
            "segmentation": rle,
            "area": area_from_rle(rle),
            "bbox": box_xyxy_to_xywh([float(v) for v in boxes[idx].tolist()]),
            "predicted_iou": float(iou_preds[idx]),
            "point_coords": [[float(v) for v in points[idx].tolist()]],
            "stability_score": float(stability[idx]),
            "crop_box": box_xyxy_to_xywh([float(v) for v in crop_box]),
            "candidate_index": idx,
        })
    return records
