import { assertGreyImage, type GreyImage } from "../analysis/raster";

/**
 * Index of dispersion of the bright phase, after Nicolas et al., "A quantitative imaging framework
 * for lithium morphology" (PNAS 2025).
 *
 * Definition, implemented exactly as stated there:
 * - The analysed image (crop it first; the whole `GreyImage` is used) of height H and width W is
 *   split into q x q slices from the top-left corner. Slice height h = floor(H / q); slice width
 *   w = floor(W * h / H) (the width formula uses the slice height, so slices keep the image's
 *   aspect ratio and may leave a strip on the right or bottom uncovered).
 * - For each t in {@link DISPERSION_THRESHOLDS}, the image is thresholded at its t-quantile over
 *   all pixels (numpy.quantile's default "linear" method); white = grey > quantile.
 * - FC is the white fraction of each slice; ID(t) = (q - 1) * s^2(FC) / mean(FC), with the sample
 *   variance s^2 (ddof = 1) over the q^2 slices.
 * - When mean(FC) is 0 (no white pixel in any slice) ID(t) is null: the ratio is undefined, and
 *   0 would claim a perfectly even coverage.
 * - `max` / `argmax`: the largest ID over the curve and its t (the first one, in the order of
 *   {@link DISPERSION_THRESHOLDS}, on ties); null when every value is null.
 */

/** Quantile levels t of the curve, in the paper's order. */
export const DISPERSION_THRESHOLDS = [
  0.95, 0.94, 0.93, 0.92, 0.91, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5,
] as const;

/** Options of {@link indexOfDispersion}. */
export type IndexOfDispersionOptions = {
  /**
   * Slices per side (q x q slices in all); an integer >= 2.
   * @default 4
   */
  q?: number;
};

/** Result of {@link indexOfDispersion}. */
export type IndexOfDispersion = {
  q: number;
  /** ID per threshold, keyed by t with two decimals ("0.95" ... "0.50"). */
  curve: Record<string, number | null>;
  /** Largest ID of the curve, or null when every value is null. */
  max: number | null;
  /** t of the largest ID, or null. */
  argmax: number | null;
};

/**
 * numpy.quantile(data, t) with the default "linear" method, from a 256-bin histogram:
 * virtual index (n - 1) * t, and numpy's `_lerp` (which interpolates from the upper neighbour
 * when the fraction is >= 0.5).
 */
export function greyQuantile(histogram: ArrayLike<number>, total: number, t: number): number {
  const virtual = (total - 1) * t;
  const lo = Math.floor(virtual);
  const gamma = virtual - lo;
  const hi = Math.min(lo + 1, total - 1);
  const a = valueAtRank(histogram, lo);
  const b = valueAtRank(histogram, hi);
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** The grey value at a 0-based rank of the sorted samples. */
function valueAtRank(histogram: ArrayLike<number>, rank: number): number {
  let cum = 0;
  for (let v = 0; v < histogram.length; v++) {
    cum += histogram[v]!;
    if (cum > rank) return v;
  }
  return histogram.length - 1;
}

/** Index-of-dispersion curve of a grey image; see the module comment for the definition. */
export function indexOfDispersion(image: GreyImage, options: IndexOfDispersionOptions = {}): IndexOfDispersion {
  assertGreyImage(image);
  const q = options.q ?? 4;
  if (!Number.isInteger(q) || q < 2) throw new RangeError(`q must be an integer >= 2, got ${q}`);
  const { width: W, height: H, data } = image;
  const h = Math.floor(H / q);
  const w = Math.trunc((W * h) / H);
  if (h < 1 || w < 1 || w * q > W) {
    throw new RangeError(`a ${W} x ${H} image cannot hold ${q} x ${q} slices (slice ${w} x ${h})`);
  }

  // Whole-image histogram for the quantiles; one histogram per slice for the white fractions.
  const histogram = new Float64Array(256);
  for (let i = 0; i < data.length; i++) histogram[data[i]!]! += 1;
  const slices = q * q;
  const sliceHist = new Float64Array(slices * 256);
  for (let sy = 0; sy < q; sy++) {
    for (let y = sy * h; y < (sy + 1) * h; y++) {
      const row = y * W;
      for (let sx = 0; sx < q; sx++) {
        const base = (sy * q + sx) * 256;
        const end = row + (sx + 1) * w;
        for (let p = row + sx * w; p < end; p++) sliceHist[base + data[p]!]! += 1;
      }
    }
  }
  // above[s * 257 + v] = pixels of slice s with grey >= v.
  const above = new Float64Array(slices * 257);
  for (let s = 0; s < slices; s++) {
    for (let v = 255; v >= 0; v--) above[s * 257 + v] = above[s * 257 + v + 1]! + sliceHist[s * 256 + v]!;
  }

  const area = w * h;
  const curve: Record<string, number | null> = {};
  let max: number | null = null;
  let argmax: number | null = null;
  const fc = new Float64Array(slices);
  for (const t of DISPERSION_THRESHOLDS) {
    const threshold = greyQuantile(histogram, data.length, t);
    // grey > threshold  <=>  grey >= floor(threshold) + 1 (grey values are integers).
    const first = Math.floor(threshold) + 1;
    let sum = 0;
    for (let s = 0; s < slices; s++) {
      const white = first > 255 ? 0 : first < 0 ? area : above[s * 257 + first]!;
      fc[s] = white / area;
      sum += fc[s]!;
    }
    const mean = sum / slices;
    let id: number | null = null;
    if (mean > 0) {
      let ss = 0;
      for (let s = 0; s < slices; s++) ss += (fc[s]! - mean) ** 2;
      id = ((q - 1) * (ss / (slices - 1))) / mean;
      if (max === null || id > max) {
        max = id;
        argmax = t;
      }
    }
    curve[t.toFixed(2)] = id;
  }
  return { q, curve, max, argmax };
}
