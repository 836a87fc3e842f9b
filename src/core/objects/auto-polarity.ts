import { resizeArea } from "../analysis/resize-area";
import type { GreyImage } from "../analysis/raster";
import { gaussianKernel } from "./gaussian-blur";

/** The less uniform phase must spread this many times more than the other to decide polarity. */
const CLEAR_SPREAD_RATIO = 1.2;
/** Spreads this close (grey levels) count as equal: a noise-free phase is not "less uniform" by rounding. */
const SPREAD_FLOOR = 0.5;
/**
 * Interior: pixels at least 3 px (Euclidean) from the other phase, i.e. whose 5 x 5 neighbourhood
 * (clipped to the image) is all one phase: a pixel q with |q - p|^2 < 9 has |dx|, |dy| <= 2.
 */
const INTERIOR_RADIUS = 2;
/** Sigma (px) of the within-phase smoothing that removes pixel noise before the spread is taken. */
const PHASE_SIGMA = 2;
/** The decision works on an area-averaged copy whose long side is at most this (a global decision). */
const POLARITY_MAX_SIDE = 1024;
/**
 * The spread is estimated on a lattice of every step-th pixel in both directions of that copy:
 * the coarsest of 8, 4 and 1 that leaves at least MIN_LATTICE_POINTS points. The smoothed values
 * vary on the scale of PHASE_SIGMA, so the lattice sees the same distribution as every pixel (on
 * the 64 real images of scripts/evaluation/polarity-real.ts the decisions are the same with steps
 * 1, 4 and 8) at 1/16 or 1/64 of the row-pass cost.
 */
const SAMPLE_STEPS = [8, 4] as const;
/** 64 x 64 lattice points at least. */
const MIN_LATTICE_POINTS = 64 * 64;

/** The lattice step for a copy of `pixels` pixels (see SAMPLE_STEPS). */
export function latticeStep(pixels: number): number {
  return SAMPLE_STEPS.find((step) => pixels >= MIN_LATTICE_POINTS * step * step) ?? 1;
}

/** The phase with fewer pixels (ties: bright). */
export function minorityPhase(brightCount: number, pixels: number): "bright" | "dark" {
  return brightCount <= pixels - brightCount ? "bright" : "dark";
}

/**
 * The image whose phases {@link decidePolarity} compares: the grey image and the smoothed one (its
 * pixels > threshold are the bright phase), area-averaged to at most POLARITY_MAX_SIDE per side.
 */
export type PhaseImage = {
  grey: Uint8Array;
  smoothed: Uint8Array;
  threshold: number;
  width: number;
  height: number;
  step: number;
};

export function polarityCopy(grey: GreyImage, smoothed: Uint8Array, threshold: number): PhaseImage {
  const scale = Math.min(1, POLARITY_MAX_SIDE / Math.max(grey.width, grey.height));
  const width = Math.max(1, Math.round(grey.width * scale));
  const height = Math.max(1, Math.round(grey.height * scale));
  if (scale === 1) return { grey: grey.data, smoothed, threshold, width, height, step: latticeStep(width * height) };
  return {
    grey: resizeArea(grey.data, grey.width, grey.height, width, height),
    smoothed: resizeArea(smoothed, grey.width, grey.height, width, height),
    ...{ threshold, width, height, step: latticeStep(width * height) },
  };
}

/**
 * "auto" polarity: the objects are the less uniform phase, i.e. the one whose interior (pixels
 * >= 3 px from the other phase) has the larger standard deviation of grey, smoothed within the
 * phase only (normalised Gaussian convolution, sigma {@link PHASE_SIGMA}: pixel noise goes,
 * differences between objects stay, and neither phase bleeds into the other). The support a
 * specimen lies on (substrate, carbon film, a letterbox) is homogeneous, particles and deposits
 * differ from one another, and the gaps between packed particles have almost no interior. When
 * neither phase spreads {@link CLEAR_SPREAD_RATIO} times more than the other (identical
 * particles, no interior on either side), the minority phase (ties: bright).
 *
 * The spreads come from phaseSpreadRows on the polarityCopy of the image (in parts, summed by
 * spreadsOf); segmentObjects falls back to the minority phase when the image is all one phase.
 */
export function decidePolarity(
  { brightSpread, darkSpread }: { brightSpread: number; darkSpread: number },
  minority: "bright" | "dark",
): "bright" | "dark" {
  if (brightSpread > CLEAR_SPREAD_RATIO * darkSpread + SPREAD_FLOOR) return "bright";
  if (darkSpread > CLEAR_SPREAD_RATIO * brightSpread + SPREAD_FLOOR) return "dark";
  return minority;
}

/** Values per lattice row in phaseSpreadRows' output: count, sum, sum of squares, bright then dark. */
const ROW_SUMS = 6;

/** Standard deviations from per-row sums (in row order, whatever the parts were). */
export function spreadsOf(parts: Float64Array[]): { brightSpread: number; darkSpread: number } {
  const total = new Float64Array(ROW_SUMS);
  for (const sums of parts) {
    for (let k = 0; k < sums.length; k += ROW_SUMS)
      for (let j = 0; j < ROW_SUMS; j++) total[j] = total[j]! + sums[k + j]!;
  }
  const spread = (count: number, sum: number, squares: number) => {
    if (count === 0) return 0;
    const mean = sum / count;
    return Math.sqrt(Math.max(0, squares / count - mean * mean));
  };
  return {
    brightSpread: spread(total[0]!, total[1]!, total[2]!),
    darkSpread: spread(total[3]!, total[4]!, total[5]!),
  };
}

/** Index of coordinate `i` mirrored into [0, n) without repeating the edge (reflect-101). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/**
 * Standard deviation, over the lattice points in each phase's interior, of the grey smoothed
 * within that phase. With S = G * grey, Sb = G * (grey . bright) and Nb = G * bright (G the
 * Gaussian, mirrored borders, so G * 1 = 1), the bright phase's smoothed grey is Sb / Nb and the
 * dark phase's (S - Sb) / (1 - Nb): three convolutions, evaluated at the lattice points only (the
 * column pass at the lattice rows, then the row pass at the lattice columns). `step` 1 measures
 * every pixel.
 */
export function phaseSpreads(
  grey: Uint8Array,
  bright: Uint8Array,
  width: number,
  height: number,
  step = latticeStep(width * height),
): { brightSpread: number; darkSpread: number } {
  // The 0/1 map is its own smoothed image at threshold 0.
  return spreadsOf([phaseSpreadRows({ grey, smoothed: bright, threshold: 0, width, height, step }, 0, 1)]);
}

/**
 * The sums behind {@link phaseSpreads} for the lattice rows of part `part` of `parts` (a
 * contiguous share of them): ROW_SUMS values per lattice row, in row order.
 */
export function phaseSpreadRows(image: PhaseImage, part: number, parts: number): Float64Array {
  const { grey, smoothed, width, height, step } = image;
  // smoothed > threshold <=> smoothed >= lastDark + 1 for integer grey levels.
  const lastDark = Math.floor(image.threshold);
  const kernel = gaussianKernel(PHASE_SIGMA);
  const r = (kernel.length - 1) / 2;
  const offset = step >> 1;
  const columnIndex: number[] = [];
  for (let x = offset; x < width; x += step) columnIndex.push(x);
  // Row-pass taps of every lattice column, mirrored once here.
  const taps = new Int32Array(columnIndex.length * kernel.length);
  columnIndex.forEach((x, c) => {
    for (let k = -r; k <= r; k++) taps[c * kernel.length + k + r] = mirror(x + k, width);
  });
  const latticeRows = Math.ceil((height - offset) / step);
  const firstRow = Math.floor((latticeRows * part) / parts);
  const endRow = Math.floor((latticeRows * (part + 1)) / parts);
  const sums = new Float64Array(ROW_SUMS * (endRow - firstRow));
  // Per lattice row: the column pass of grey, of grey on the bright phase and of the bright phase.
  const all = new Float64Array(width);
  const weighted = new Float64Array(width);
  const weights = new Float64Array(width);
  for (let row = firstRow; row < endRow; row++) {
    const y = offset + row * step;
    const out = ROW_SUMS * (row - firstRow);
    all.fill(0);
    weighted.fill(0);
    weights.fill(0);
    // The kernel is symmetric: rows y - k and y + k share a weight and one pass.
    for (let k = 0; k <= r; k++) {
      const above = mirror(y - k, height) * width;
      const below = mirror(y + k, height) * width;
      addRowPair(grey, smoothed, lastDark, above, k === 0 ? -1 : below, kernel[r + k]!, all, weighted, weights);
    }
    for (let c = 0; c < columnIndex.length; c++) {
      const x = columnIndex[c]!;
      const phase = (lastDark - smoothed[y * width + x]!) >>> 31;
      if (!isInterior(smoothed, lastDark, width, height, x, y, phase)) continue;
      let s = 0;
      let sb = 0;
      let nb = 0;
      for (let k = 0; k < kernel.length; k++) {
        const w = kernel[k]!;
        const t = taps[c * kernel.length + k]!;
        s += w * all[t]!;
        sb += w * weighted[t]!;
        nb += w * weights[t]!;
      }
      const v = phase !== 0 ? sb / nb : (s - sb) / (1 - nb);
      const at = out + (phase !== 0 ? 0 : 3);
      sums[at] = sums[at]! + 1;
      sums[at + 1] = sums[at + 1]! + v;
      sums[at + 2] = sums[at + 2]! + v * v;
    }
  }
  return sums;
}

/**
 * Adds w x (grey, grey on the bright phase, bright) of the row starting at `a` and of the one at
 * `b` (none when b < 0) to the three column sums.
 */
function addRowPair(
  grey: Uint8Array,
  smoothed: Uint8Array,
  lastDark: number,
  a: number,
  b: number,
  w: number,
  all: Float64Array,
  weighted: Float64Array,
  weights: Float64Array,
): void {
  const width = all.length;
  if (b < 0) {
    for (let x = 0; x < width; x++) {
      const g = grey[a + x]!;
      const ba = (lastDark - smoothed[a + x]!) >>> 31;
      all[x] = all[x]! + w * g;
      weighted[x] = weighted[x]! + w * (ba * g);
      weights[x] = weights[x]! + w * ba;
    }
    return;
  }
  for (let x = 0; x < width; x++) {
    const ga = grey[a + x]!;
    const gb = grey[b + x]!;
    const ba = (lastDark - smoothed[a + x]!) >>> 31;
    const bb = (lastDark - smoothed[b + x]!) >>> 31;
    all[x] = all[x]! + w * (ga + gb);
    weighted[x] = weighted[x]! + w * (ba * ga + bb * gb);
    weights[x] = weights[x]! + w * (ba + bb);
  }
}

/** Whether the (clipped) window of radius {@link INTERIOR_RADIUS} around (x, y) is all `phase`. */
function isInterior(
  smoothed: Uint8Array,
  lastDark: number,
  width: number,
  height: number,
  x: number,
  y: number,
  phase: number,
): boolean {
  const x0 = Math.max(0, x - INTERIOR_RADIUS);
  const x1 = Math.min(width - 1, x + INTERIOR_RADIUS);
  const y0 = Math.max(0, y - INTERIOR_RADIUS);
  const y1 = Math.min(height - 1, y + INTERIOR_RADIUS);
  for (let yy = y0; yy <= y1; yy++) {
    const row = yy * width;
    for (let xx = x0; xx <= x1; xx++) if ((lastDark - smoothed[row + xx]!) >>> 31 !== phase) return false;
  }
  return true;
}
