/**
 * One low-resolution mask (256 x 256 logits) as a mask region over a `width` x `height` grid,
 * exactly as SAM 2 turns a prediction into a mask (SAM2Transforms.postprocess_masks, then
 * `> mask_threshold`): logits upsampled bilinearly with the generator's plan and float32 arithmetic
 * (core/sam2/bilinear-plan.ts, torch's interpolate with align_corners=False), then thresholded.
 * Written for the click path, where only the mask's own box is worth computing: a
 * bilinear value exceeds the threshold only where one of its four samples does, so the work is
 * bounded by the box of the low-res samples above the threshold (plus one sample), not by the grid.
 * The result is run-length encoded straight away (runs alternate background/foreground in
 * row-major order, starting with background), the form of a "mask" region geometry.
 */
import { bilinearAt, createBilinearPlan, type BilinearAxis, type BilinearPlan } from "~/core/sam2/bilinear-plan";

import { SAM2_LOW_RES_SIZE } from "./sam2-contract";

export type PromptMaskRuns = {
  runs: number[];
  /** Foreground cells of the grid. */
  area: number;
  /** [x, y, w, h] in grid cells (tight), or null for an empty mask. */
  bbox: [number, number, number, number] | null;
};

const plans = new Map<string, BilinearPlan>();

/** The generator's bilinear plan (core/sam2: torch's indices and float32 weights), per grid size. */
function cachedPlan(width: number, height: number): BilinearPlan {
  const key = `${width}x${height}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = createBilinearPlan(SAM2_LOW_RES_SIZE, SAM2_LOW_RES_SIZE, height, width);
    if (plans.size > 16) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

/** First and last output index whose samples touch [from, to] (source indices); null if none. */
function outputRange(axis: BilinearAxis, from: number, to: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let i = 0; i < axis.outSize; i++) {
    if (axis.index1[i]! >= from && axis.index0[i]! <= to) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? null : [first, last];
}

export function promptMaskRuns(lowRes: Float32Array, width: number, height: number, threshold = 0): PromptMaskRuns {
  const n = SAM2_LOW_RES_SIZE;
  if (lowRes.length !== n * n) throw new RangeError(`expected ${n} x ${n} logits, got ${lowRes.length}`);
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(`grid must be positive integers, got ${width} x ${height}`);
  }
  const cut = Math.fround(threshold);
  let minX = n;
  let maxX = -1;
  let minY = n;
  let maxY = -1;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (lowRes[y * n + x]! > cut) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  const total = width * height;
  if (maxX < 0) return { runs: [total], area: 0, bbox: null };
  const { x: columns, y: rows } = cachedPlan(width, height);
  const xRange = outputRange(columns, minX, maxX)!;
  const yRange = outputRange(rows, minY, maxY)!;

  const runs: number[] = [];
  let inside = false;
  let runStart = 0;
  let area = 0;
  let bx0 = width;
  let bx1 = -1;
  let by0 = height;
  let by1 = -1;
  for (let y = yRange[0]; y <= yRange[1]; y++) {
    const rowA = rows.index0[y]! * n;
    const rowB = rows.index1[y]! * n;
    const wy0 = rows.weight0[y]!;
    const wy1 = rows.weight1[y]!;
    const rowBase = y * width;
    for (let x = xRange[0]; x <= xRange[1]; x++) {
      const value = bilinearAt(
        lowRes,
        rowA,
        rowB,
        columns.index0[x]!,
        columns.index1[x]!,
        columns.weight0[x]!,
        columns.weight1[x]!,
        wy0,
        wy1,
      );
      const on = value > cut;
      if (on !== inside) {
        const index = rowBase + x;
        runs.push(index - runStart);
        runStart = index;
        inside = on;
      }
      if (on) {
        area++;
        if (x < bx0) bx0 = x;
        if (x > bx1) bx1 = x;
        if (y < by0) by0 = y;
        by1 = y;
      }
    }
    if (inside) {
      // The run ends at the window's right edge: the rest of the row is background.
      const index = rowBase + xRange[1] + 1;
      runs.push(index - runStart);
      runStart = index;
      inside = false;
    }
  }
  runs.push(total - runStart);
  if (area === 0) return { runs: [total], area: 0, bbox: null };
  return { runs, area, bbox: [bx0, by0, bx1 - bx0 + 1, by1 - by0 + 1] };
}
