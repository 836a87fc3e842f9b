/**
 * The per-mask work of SAM 2's automatic mask generator on the decoder's low-res logits, without
 * ever materialising the upsampled logits: postprocess_masks (bilinear to the image size), then
 * calculate_stability_score, `logits > mask_threshold`, batched_mask_to_box and mask_to_rle_pytorch
 * on that upsampled image.
 *
 * Why it is fast: a bilinear output is a convex combination of the 2 x 2 inputs around it, so it
 * lies between their minimum and maximum. The outputs reading the same 2 x 2 inputs form a
 * rectangular block; a block whose inputs are all above (or all at or below) a cut is counted or
 * skipped whole, and only blocks straddling a cut (the mask's rim) are evaluated pixel by pixel.
 * One scan of the low-res plane first finds, per row (or column), the span of inputs above the
 * lowest cut, so blocks outside the mask's neighbourhood are never visited.
 */
import { mixColumns, mixRows, type BilinearAxis, type BilinearPlan } from "./bilinear-plan";

/** Box of the thresholded mask in SAM's XYXY convention (inclusive pixel indices), [0,0,0,0] when empty. */
export type BoxXyxy = [number, number, number, number];

export type UpsampledMaskMeasure = {
  /** Pixels with logit > maskThreshold + offset. */
  intersections: number;
  /** Pixels with logit > maskThreshold - offset. */
  unions: number;
  /** Pixels with logit > maskThreshold. */
  area: number;
  box: BoxXyxy;
};

/** Reusable per-plan buffers, so that measuring a mask allocates nothing. */
export type UpsampledMaskScratch = {
  first: Int32Array;
  last: Int32Array;
  segmentStart: Int32Array;
  segmentState: Uint8Array;
  segmentRun: Int32Array;
};

export function createUpsampledMaskScratch(plan: BilinearPlan): UpsampledMaskScratch {
  const lines = Math.max(plan.x.inSize, plan.y.inSize);
  const yRuns = plan.y.runStart.length - 1;
  return {
    first: new Int32Array(lines),
    last: new Int32Array(lines),
    segmentStart: new Int32Array(yRuns + 1),
    segmentState: new Uint8Array(yRuns),
    segmentRun: new Int32Array(yRuns),
  };
}

/** Per low-res row: first and last column whose logit is above `cut` (-1 when none). */
function rowSpansAbove(
  logits: Float32Array,
  offset: number,
  height: number,
  width: number,
  cut: number,
  first: Int32Array,
  last: Int32Array,
): void {
  for (let j = 0; j < height; j++) {
    const row = offset + j * width;
    let i = 0;
    while (i < width && !(logits[row + i]! > cut)) i++;
    if (i === width) {
      first[j] = -1;
      last[j] = -1;
      continue;
    }
    first[j] = i;
    let k = width - 1;
    while (!(logits[row + k]! > cut)) k--;
    last[j] = k;
  }
}

/** Per low-res column: first and last row whose logit is above `cut` (-1 when none). */
function columnSpansAbove(
  logits: Float32Array,
  offset: number,
  height: number,
  width: number,
  cut: number,
  first: Int32Array,
  last: Int32Array,
): void {
  first.fill(-1, 0, width);
  last.fill(-1, 0, width);
  for (let j = 0; j < height; j++) {
    const row = offset + j * width;
    for (let i = 0; i < width; i++) {
      if (!(logits[row + i]! > cut)) continue;
      if (first[i] === -1) first[i] = j;
      last[i] = j;
    }
  }
}

/** The runs of `axis` whose two taps can touch input lines [from, to]: [first run, end run). */
function runsTouching(axis: BilinearAxis, from: number, to: number): [number, number] {
  return [axis.firstRunFrom[Math.max(0, from - 1)]!, axis.firstRunFrom[to + 1]!];
}

/** Union of two spans given as first/last with -1 for none. */
function spanOf(firstA: number, lastA: number, firstB: number, lastB: number): [number, number] {
  if (firstA < 0) return [firstB, lastB];
  if (firstB < 0) return [firstA, lastA];
  return [Math.min(firstA, firstB), Math.max(lastA, lastB)];
}

/**
 * Counts and box of one low-res logit plane (inHeight x inWidth floats at `offset` in `logits`)
 * upsampled by `plan` and cut at maskThreshold and maskThreshold +- stabilityOffset.
 */
export function measureUpsampledMask(
  logits: Float32Array,
  offset: number,
  plan: BilinearPlan,
  maskThreshold: number,
  stabilityOffset: number,
  scratch: UpsampledMaskScratch = createUpsampledMaskScratch(plan),
): UpsampledMaskMeasure {
  const { x, y } = plan;
  const inWidth = x.inSize;
  // torch compares a float32 tensor with a Python float in float32.
  const high = Math.fround(maskThreshold + stabilityOffset);
  const low = Math.fround(maskThreshold - stabilityOffset);
  const cut = Math.fround(maskThreshold);
  const { first, last } = scratch;
  rowSpansAbove(logits, offset, y.inSize, inWidth, low, first, last);
  let intersections = 0;
  let unions = 0;
  let area = 0;
  let left = x.outSize;
  let right = -1;
  let top = y.outSize;
  let bottom = -1;
  const yRuns = y.runStart.length - 1;
  for (let ry = 0; ry < yRuns; ry++) {
    const y0 = y.runStart[ry]!;
    const y1 = y.runStart[ry + 1]!;
    const j0 = y.index0[y0]!;
    const j1 = y.index1[y0]!;
    const [from, to] = spanOf(first[j0]!, last[j0]!, first[j1]!, last[j1]!);
    if (from < 0) continue;
    const rowA = offset + j0 * inWidth;
    const rowB = offset + j1 * inWidth;
    const [rxFirst, rxEnd] = runsTouching(x, from, to);
    for (let rx = rxFirst; rx < rxEnd; rx++) {
      const x0 = x.runStart[rx]!;
      const x1 = x.runStart[rx + 1]!;
      const i0 = x.index0[x0]!;
      const i1 = x.index1[x0]!;
      const a = logits[rowA + i0]!;
      const b = logits[rowA + i1]!;
      const c = logits[rowB + i0]!;
      const d = logits[rowB + i1]!;
      const maxAb = a > b ? a : b;
      const maxCd = c > d ? c : d;
      const highest = maxAb > maxCd ? maxAb : maxCd;
      if (!(highest > low)) continue;
      const minAb = a < b ? a : b;
      const minCd = c < d ? c : d;
      const lowest = minAb < minCd ? minAb : minCd;
      const blockArea = (x1 - x0) * (y1 - y0);
      // Each cut decides the whole block when all four inputs lie on one side of it (the same rule
      // as upsampledMaskRleCounts, so area and RLE always agree); otherwise pixel by pixel.
      const exactLow = !(lowest > low);
      const exactHigh = !(lowest > high) && highest > high;
      const exactCut = !(lowest > cut) && highest > cut;
      if (!exactLow) unions += blockArea;
      if (lowest > high) intersections += blockArea;
      if (lowest > cut) {
        area += blockArea;
        if (x0 < left) left = x0;
        if (x1 - 1 > right) right = x1 - 1;
        if (y0 < top) top = y0;
        if (y1 - 1 > bottom) bottom = y1 - 1;
      }
      if (!exactLow && !exactHigh && !exactCut) continue;
      for (let ox = x0; ox < x1; ox++) {
        const upper = mixColumns(logits, rowA, i0, i1, x.weight0[ox]!, x.weight1[ox]!);
        const lower = mixColumns(logits, rowB, i0, i1, x.weight0[ox]!, x.weight1[ox]!);
        for (let oy = y0; oy < y1; oy++) {
          const value = mixRows(upper, lower, y.weight0[oy]!, y.weight1[oy]!);
          if (exactLow && value > low) unions++;
          if (exactHigh && value > high) intersections++;
          if (exactCut && value > cut) {
            area++;
            if (ox < left) left = ox;
            if (ox > right) right = ox;
            if (oy < top) top = oy;
            if (oy > bottom) bottom = oy;
          }
        }
      }
    }
  }
  const box: BoxXyxy = right < 0 ? [0, 0, 0, 0] : [left, top, right, bottom];
  return { intersections, unions, area, box };
}

/** calculate_stability_score from the two counts: their int32 ratio as torch returns it (float32; 0/0 is NaN). */
export function stabilityScore(intersections: number, unions: number): number {
  return Math.fround(intersections / unions);
}

/**
 * Uncompressed COCO RLE counts (column-major, starting with a run of zeros) of the same plane
 * upsampled by `plan` and cut at `logit > maskThreshold`: mask_to_rle_pytorch of that mask.
 */
export function upsampledMaskRleCounts(
  logits: Float32Array,
  offset: number,
  plan: BilinearPlan,
  maskThreshold: number,
  scratch: UpsampledMaskScratch = createUpsampledMaskScratch(plan),
): number[] {
  const { x, y } = plan;
  const inWidth = x.inSize;
  const cut = Math.fround(maskThreshold);
  const { first, last, segmentStart, segmentState, segmentRun } = scratch;
  columnSpansAbove(logits, offset, y.inSize, inWidth, cut, first, last);
  const counts: number[] = [];
  let inside = false;
  let run = 0;
  const emit = (on: boolean, length: number) => {
    if (length === 0) return;
    if (on === inside) {
      run += length;
    } else {
      counts.push(run);
      run = length;
      inside = on;
    }
  };
  const xRuns = x.runStart.length - 1;
  for (let rx = 0; rx < xRuns; rx++) {
    const x0 = x.runStart[rx]!;
    const x1 = x.runStart[rx + 1]!;
    const i0 = x.index0[x0]!;
    const i1 = x.index1[x0]!;
    const [from, to] = spanOf(first[i0]!, last[i0]!, first[i1]!, last[i1]!);
    if (from < 0) {
      emit(false, (x1 - x0) * y.outSize);
      continue;
    }
    // Segments over the rows this column run can touch: wholly out (0), wholly in (1), mixed (2).
    const [ryFirst, ryEnd] = runsTouching(y, from, to);
    let segments = 0;
    for (let ry = ryFirst; ry < ryEnd; ry++) {
      const y0 = y.runStart[ry]!;
      const rowA = offset + y.index0[y0]! * inWidth;
      const rowB = offset + y.index1[y0]! * inWidth;
      const a = logits[rowA + i0]!;
      const b = logits[rowA + i1]!;
      const c = logits[rowB + i0]!;
      const d = logits[rowB + i1]!;
      const state = !(Math.max(a, b, c, d) > cut) ? 0 : Math.min(a, b, c, d) > cut ? 1 : 2;
      if (state !== 2 && segments > 0 && segmentState[segments - 1] === state) continue;
      segmentStart[segments] = y0;
      segmentState[segments] = state;
      segmentRun[segments] = ry;
      segments++;
    }
    const yStart = y.runStart[ryFirst]!;
    const yEnd = y.runStart[ryEnd]!;
    segmentStart[segments] = yEnd;
    for (let ox = x0; ox < x1; ox++) {
      const wx0 = x.weight0[ox]!;
      const wx1 = x.weight1[ox]!;
      emit(false, yStart);
      for (let s = 0; s < segments; s++) {
        const y0 = segmentStart[s]!;
        const y1 = segmentStart[s + 1]!;
        const state = segmentState[s]!;
        if (state !== 2) {
          emit(state === 1, y1 - y0);
          continue;
        }
        const ry = segmentRun[s]!;
        const upper = mixColumns(logits, offset + y.index0[y.runStart[ry]!]! * inWidth, i0, i1, wx0, wx1);
        const lower = mixColumns(logits, offset + y.index1[y.runStart[ry]!]! * inWidth, i0, i1, wx0, wx1);
        let from = y0;
        let on = mixRows(upper, lower, y.weight0[from]!, y.weight1[from]!) > cut;
        for (let oy = y0 + 1; oy < y1; oy++) {
          const next = mixRows(upper, lower, y.weight0[oy]!, y.weight1[oy]!) > cut;
          if (next === on) continue;
          emit(on, oy - from);
          from = oy;
          on = next;
        }
        emit(on, y1 - from);
      }
      emit(false, y.outSize - yEnd);
    }
  }
  counts.push(run);
  return counts;
}
