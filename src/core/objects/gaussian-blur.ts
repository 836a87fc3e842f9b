import { assertPlane } from "./label-components";

/**
 * Separable Gaussian smoothing of a row-major plane (8-bit or floating point).
 *
 * Definitions:
 * - Kernel: exp(-x^2 / (2 sigma^2)) for integer x in [-r, r], normalised to sum 1, with radius
 *   r = ceil(3 sigma): the kernel is truncated at 3 sigma, where the dropped tails hold < 0.3 % of
 *   the weight (scipy.ndimage.gaussian_filter truncates at 4 sigma by default; the difference is
 *   below one grey level for 8-bit images).
 * - Borders: mirror without repeating the edge pixel (scipy's "mirror", OpenCV's
 *   BORDER_REFLECT_101), so a constant image stays constant; radii larger than the image fold
 *   back as many times as needed.
 * - Rows first, then columns, in Float32 (the 8-bit version rounds once, at the end, to the
 *   nearest integer, clamped to 0..255).
 * - sigma 0 returns a copy.
 *
 * Cost: O(width * height * r) time, one Float32 plane of scratch memory.
 */

/** Normalised, truncated Gaussian kernel of `sigma` px (radius ceil(3 sigma)). */
export function gaussianKernel(sigma: number): Float32Array {
  if (!Number.isFinite(sigma) || sigma < 0) throw new RangeError(`sigma must be a finite number >= 0, got ${sigma}`);
  if (sigma === 0) return Float32Array.of(1);
  const r = Math.ceil(3 * sigma);
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let x = -r; x <= r; x++) {
    const v = Math.exp(-(x * x) / (2 * sigma * sigma));
    k[x + r] = v;
    sum += v;
  }
  return Float32Array.from(k, (v) => v / sum);
}

/** Index of coordinate `i` (may be out of range) mirrored into [0, n) (reflect-101). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/** Blurs `src` into a new Float32Array (one input type only, so the loops stay monomorphic). */
function blurPlane(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const kernel = gaussianKernel(sigma);
  const r = (kernel.length - 1) / 2;
  const n = width * height;
  const tmp = new Float32Array(n);
  const out = new Float32Array(n);
  // Rows: a padded copy of each row (mirrored indices computed once), then a straight convolution.
  const padded = new Int32Array(width + 2 * r);
  for (let x = -r; x < width + r; x++) padded[x + r] = mirror(x, width);
  const line = new Float32Array(width + 2 * r);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < padded.length; x++) line[x] = src[row + padded[x]!]!;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < kernel.length; k++) acc += kernel[k]! * line[x + k]!;
      tmp[row + x] = acc;
    }
  }
  // Columns: accumulate whole rows at a time (cache-friendly), reading mirrored row indices.
  for (let y = 0; y < height; y++) {
    const dst = y * width;
    for (let k = 0; k < kernel.length; k++) {
      const w = kernel[k]!;
      const srcRow = mirror(y + k - r, height) * width;
      for (let x = 0; x < width; x++) out[dst + x] = out[dst + x]! + w * tmp[srcRow + x]!;
    }
  }
  return out;
}

/** Gaussian smoothing of an 8-bit plane; see the module comment. Returns a new Uint8Array. */
export function gaussianBlur(data: Uint8Array, width: number, height: number, sigma: number): Uint8Array {
  assertPlane(data.length, width, height, "image");
  gaussianKernel(sigma); // validates sigma
  if (sigma === 0) return data.slice();
  const blurred = blurPlane(Float32Array.from(data), width, height, sigma);
  const out = new Uint8Array(blurred.length);
  for (let i = 0; i < blurred.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(blurred[i]!)));
  return out;
}

/** Gaussian smoothing of a floating-point plane; see the module comment. Returns a new Float64Array. */
export function gaussianBlurFloat(data: Float64Array, width: number, height: number, sigma: number): Float64Array {
  assertPlane(data.length, width, height, "image");
  gaussianKernel(sigma);
  if (sigma === 0) return data.slice();
  return Float64Array.from(blurPlane(Float32Array.from(data), width, height, sigma));
}
