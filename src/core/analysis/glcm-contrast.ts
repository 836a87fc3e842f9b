import { assertGreyImage, type GreyImage } from "./raster";

/** Options of {@link glcmContrast}. */
export type GlcmContrastOptions = {
  /**
   * Side of the square window; must be odd. The reference uses 5.
   * @default 5
   */
  window?: number;
};

/** Result of {@link glcmContrast}. */
export type GlcmContrast = {
  width: number;
  height: number;
  /**
   * Number of horizontally adjacent pixel pairs inside each window whose {0, 1} values differ;
   * `contrast = pairCount / pairsPerWindow`. For the 5 x 5 window this is contrast x 20 (0..20),
   * the exact integer the reference's contrast_x20.png holds.
   */
  pairCount: Uint8Array;
  /** window * (window - 1): 20 for the 5 x 5 window. */
  pairsPerWindow: number;
  /** GLCM contrast in [0, 1]; 0 on the border band (pixels closer than window/2 to an edge). */
  contrast: Float32Array;
};

/**
 * GLCM contrast texture map of a segmented image (reference step 3, "Texture").
 *
 * The reference maps each window x window neighbourhood to {0, 1} (value > 0), builds a
 * symmetric, normalised 2-level GLCM with distance 1 and angle 0, and takes
 * sum P(i,j) (i - j)^2. With two levels that is (number of horizontally adjacent pairs whose
 * values differ) / (window * (window - 1)), so the whole map is a box sum over a "differs from
 * right neighbour" image: O(pixels) instead of one GLCM per pixel.
 * Pixels closer than window/2 to any edge stay 0, as in the reference; an image smaller than the
 * window is all border.
 */
export function glcmContrast(segmented: GreyImage, options: GlcmContrastOptions = {}): GlcmContrast {
  assertGreyImage(segmented);
  const win = options.window ?? 5;
  if (!Number.isInteger(win) || win < 3 || win % 2 === 0 || win > 15) {
    throw new RangeError(`window must be an odd integer from 3 to 15, got ${win}`);
  }
  const { width: w, height: h, data } = segmented;
  const r = (win - 1) >> 1;
  const pairsPerWindow = win * (win - 1);
  const pairCount = new Uint8Array(w * h);
  const contrast = new Float32Array(w * h);

  if (w >= win && h >= win) {
    // rowSum[y * w + x] = differing pairs (x', x'+1) in row y with x - r <= x' < x + r.
    const rowSum = new Uint16Array(w * h);
    for (let y = 0; y < h; y++) {
      const row = y * w;
      const diff = (x: number): number => (data[row + x]! > 0 !== data[row + x + 1]! > 0 ? 1 : 0);
      let s = 0;
      for (let x = 0; x < win - 1; x++) s += diff(x);
      rowSum[row + r] = s;
      for (let x = r + 1; x < w - r; x++) {
        s += diff(x + r - 1) - diff(x - r - 1);
        rowSum[row + x] = s;
      }
    }
    // Vertical box sum, kept per column and slid down row by row (row-major memory access).
    const colSum = new Uint16Array(w);
    for (let y = 0; y < win; y++) {
      for (let x = r; x < w - r; x++) colSum[x] = colSum[x]! + rowSum[y * w + x]!;
    }
    for (let y = r; y < h - r; y++) {
      if (y > r) {
        const add = (y + r) * w;
        const sub = (y - r - 1) * w;
        for (let x = r; x < w - r; x++) colSum[x] = colSum[x]! + rowSum[add + x]! - rowSum[sub + x]!;
      }
      const row = y * w;
      for (let x = r; x < w - r; x++) {
        const s = colSum[x]!;
        pairCount[row + x] = s;
        contrast[row + x] = s / pairsPerWindow;
      }
    }
  }
  return { width: w, height: h, pairCount, pairsPerWindow, contrast };
}
