/**
 * One object of a label map as uncompressed COCO RLE at another (larger or equal) size, nearest
 * neighbour: output pixel (x, y) takes label-map pixel (floor(x * labelWidth / width),
 * floor(y * labelHeight / height)). The runs are written straight from the label map, column by
 * column within the object's box, so memory is the runs themselves (no full-size mask is built):
 * the result equals maskToCocoRle (coco-rle.ts) of the resampled object mask.
 */
import type { CocoRle } from "~/core/regions/coco-rle";

/** Label of label-map pixel `index` (row-major); 0 is background. */
export type LabelAt = (index: number) => number;

/** Boxes of labels 1..maxLabel: [minRow, minCol, maxRow, maxCol) per label, -1 where the label is absent. */
export function labelBoxes(labelAt: LabelAt, width: number, height: number, maxLabel: number): Int32Array {
  const boxes = new Int32Array(4 * (maxLabel + 1)).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const label = labelAt(i);
      if (label <= 0 || label > maxLabel) continue;
      const b = 4 * label;
      if (boxes[b]! < 0) {
        boxes[b] = y;
        boxes[b + 1] = x;
        boxes[b + 2] = y + 1;
        boxes[b + 3] = x + 1;
      } else {
        if (x < boxes[b + 1]!) boxes[b + 1] = x;
        boxes[b + 2] = y + 1;
        if (x + 1 > boxes[b + 3]!) boxes[b + 3] = x + 1;
      }
    }
  }
  return boxes;
}

const ceilDiv = (a: number, b: number) => Math.floor((a + b - 1) / b);

export type ResampledObjectRle = {
  rle: CocoRle;
  /** Pixels of the object at the output size. */
  area: number;
  /** [x, y, w, h] at the output size (tight). */
  bbox: [number, number, number, number];
};

/**
 * The pixels of `label` (whose label-map box is `box` = [minRow, minCol, maxRow, maxCol)) as COCO
 * RLE of a `width` x `height` grid, the label map (`labelWidth` x `labelHeight`) resampled to it.
 */
export function resampledObjectRle(options: {
  labelAt: LabelAt;
  labelWidth: number;
  labelHeight: number;
  label: number;
  box: readonly [number, number, number, number];
  width: number;
  height: number;
}): ResampledObjectRle {
  const { labelAt, labelWidth: lw, labelHeight: lh, label, width: W, height: H } = options;
  const [r0, c0, r1, c1] = options.box;
  // Output pixels whose source lies in the box: x in [ceil(c0 W / lw), ceil(c1 W / lw)).
  const x0 = ceilDiv(c0 * W, lw);
  const x1 = Math.min(W, ceilDiv(c1 * W, lw));
  const y0 = ceilDiv(r0 * H, lh);
  const y1 = Math.min(H, ceilDiv(r1 * H, lh));
  const rowStart = new Int32Array(Math.max(0, y1 - y0));
  for (let y = y0; y < y1; y++) rowStart[y - y0] = Math.floor((y * lh) / H) * lw;
  const counts: number[] = [];
  let last = 0; // where the current run starts
  let next = 0; // the index after the last visited pixel; unvisited pixels are background
  let inside = false;
  let area = 0;
  let minX = W;
  let maxX = -1;
  let minY = H;
  let maxY = -1;
  for (let x = x0; x < x1; x++) {
    const sx = Math.floor((x * lw) / W);
    const column = x * H;
    for (let y = y0; y < y1; y++) {
      const index = column + y;
      const on = labelAt(rowStart[y - y0]! + sx) === label;
      if (inside && index !== next) {
        counts.push(next - last);
        last = next;
        inside = false;
      }
      if (on) {
        area++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      if (on !== inside) {
        counts.push(index - last);
        last = index;
        inside = on;
      }
      next = index + 1;
    }
  }
  if (inside) {
    counts.push(next - last);
    last = next;
  }
  if (last < W * H || counts.length === 0) counts.push(W * H - last);
  const bbox: [number, number, number, number] =
    area > 0 ? [minX, minY, maxX - minX + 1, maxY - minY + 1] : [0, 0, 0, 0];
  return { rle: { counts, size: [H, W] }, area, bbox };
}
