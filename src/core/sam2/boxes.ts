/**
 * Box helpers of SAM 2's automatic mask generator (sam2/utils/amg.py): the box of a binary mask,
 * XYXY to XYWH, and the filter of boxes touching a crop's inner edge. SAM's XYXY boxes hold
 * inclusive pixel indices (a one-pixel mask at (3, 4) is [3, 4, 3, 4]) and its XYWH width is x1 - x0.
 */
import type { BoxXyxy } from "./upsampled-mask";

export type BoxXywh = [number, number, number, number];

/** batched_mask_to_box for one row-major 0/non-zero mask; [0, 0, 0, 0] when it is empty. */
export function maskToBoxXyxy(mask: ArrayLike<number>, width: number, height: number): BoxXyxy {
  if (mask.length !== width * height) throw new RangeError("mask size does not match width x height");
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (mask[i] === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  return right < 0 ? [0, 0, 0, 0] : [left, top, right, bottom];
}

/** box_xyxy_to_xywh. */
export function boxXyxyToXywh(box: readonly [number, number, number, number]): BoxXywh {
  return [box[0], box[1], box[2] - box[0], box[3] - box[1]];
}

/**
 * is_box_near_crop_edge: true when a side of the box (given in crop coordinates) lies within `atol`
 * of the crop's side while not within `atol` of the image's own side. With one crop covering the
 * whole image (crop_n_layers 0) it is never true.
 */
export function isBoxNearCropEdge(
  box: readonly [number, number, number, number],
  cropBox: readonly [number, number, number, number],
  imageBox: readonly [number, number, number, number],
  atol = 20,
): boolean {
  const [cropX, cropY] = cropBox;
  const uncropped = [box[0] + cropX, box[1] + cropY, box[2] + cropX, box[3] + cropY];
  for (let k = 0; k < 4; k++) {
    const side = Math.fround(uncropped[k]!);
    const nearCrop = Math.abs(side - Math.fround(cropBox[k]!)) <= atol;
    const nearImage = Math.abs(side - Math.fround(imageBox[k]!)) <= atol;
    if (nearCrop && !nearImage) return true;
  }
  return false;
}
