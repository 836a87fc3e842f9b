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

/** Kernels up to this radius run through unrolled 7-tap loops (sigma <= 1: the defaults). */
const UNROLLED_RADIUS = 3;

/** Weight of tap k (|k| <= r) of a kernel padded with zeros to radius {@link UNROLLED_RADIUS}. */
function paddedTaps(kernel: Float32Array): [number, number, number, number] {
  const r = (kernel.length - 1) / 2;
  const tap = (k: number) => (k <= r ? kernel[r + k]! : 0);
  return [tap(0), tap(1), tap(2), tap(3)];
}

/** out[i] = sum over k of kernel[k] * src[index(i, k)], for the pixels an unrolled loop skips. */
function mirroredTap(src: Float32Array, kernel: Float32Array, at: (k: number) => number): number {
  const r = (kernel.length - 1) / 2;
  let acc = 0;
  for (let k = -r; k <= r; k++) acc += kernel[r + k]! * src[at(k)]!;
  return acc;
}

/**
 * Row pass: each row of `src` convolved with the symmetric `kernel` into `tmp`. Interior pixels
 * of small kernels go through an unrolled loop (taps paired at +-k); the rest read mirrored indices.
 */
function rowPass(src: Float32Array, tmp: Float32Array, width: number, height: number, kernel: Float32Array) {
  const r = (kernel.length - 1) / 2;
  const [k0, k1, k2, k3] = paddedTaps(kernel);
  // Pixels whose taps all fall inside the row: [r, width - r).
  const interior = width > 2 * r;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (interior && x === r) {
        const end = row + width - r;
        if (r <= UNROLLED_RADIUS) {
          for (let i = row + r; i < end; i++) {
            tmp[i] =
              k0 * src[i]! +
              k1 * (src[i - 1]! + src[i + 1]!) +
              k2 * (src[i - 2]! + src[i + 2]!) +
              k3 * (src[i - 3]! + src[i + 3]!);
          }
        } else {
          for (let i = row + r; i < end; i++) {
            let acc = k0 * src[i]!;
            for (let k = 1; k <= r; k++) acc += kernel[r + k]! * (src[i - k]! + src[i + k]!);
            tmp[i] = acc;
          }
        }
        x = width - r;
        if (x >= width) break;
      }
      tmp[row + x] = mirroredTap(src, kernel, (k) => row + mirror(x + k, width));
    }
  }
}

/** Column pass of `tmp` into `out`, as {@link rowPass} along columns (whole rows at a time). */
function columnPass(tmp: Float32Array, out: Float32Array, width: number, height: number, kernel: Float32Array) {
  const r = (kernel.length - 1) / 2;
  const [k0, k1, k2, k3] = paddedTaps(kernel);
  const w = width;
  for (let y = 0; y < height; y++) {
    const dst = y * width;
    const end = dst + width;
    if (y < r || y >= height - r) {
      for (let x = 0; x < width; x++) out[dst + x] = mirroredTap(tmp, kernel, (k) => mirror(y + k, height) * width + x);
    } else if (r <= UNROLLED_RADIUS) {
      for (let i = dst; i < end; i++) {
        out[i] =
          k0 * tmp[i]! +
          k1 * (tmp[i - w]! + tmp[i + w]!) +
          k2 * (tmp[i - 2 * w]! + tmp[i + 2 * w]!) +
          k3 * (tmp[i - 3 * w]! + tmp[i + 3 * w]!);
      }
    } else {
      for (let i = dst; i < end; i++) out[i] = k0 * tmp[i]!;
      for (let k = 1; k <= r; k++) {
        const weight = kernel[r + k]!;
        const offset = k * w;
        for (let i = dst; i < end; i++) out[i] = out[i]! + weight * (tmp[i - offset]! + tmp[i + offset]!);
      }
    }
  }
}

/** Blurs `data` into a new Float32Array. */
function blurPlane(data: Uint8Array | Float64Array, width: number, height: number, sigma: number): Float32Array {
  const kernel = gaussianKernel(sigma);
  // One Float32 input type keeps the passes monomorphic (the typed-array constructor converts natively).
  const src = new Float32Array(data);
  const tmp = new Float32Array(width * height);
  rowPass(src, tmp, width, height, kernel);
  columnPass(tmp, src, width, height, kernel);
  return src;
}

/** Gaussian smoothing of an 8-bit plane; see the module comment. Returns a new Uint8Array. */
export function gaussianBlur(data: Uint8Array, width: number, height: number, sigma: number): Uint8Array {
  assertPlane(data.length, width, height, "image");
  gaussianKernel(sigma); // validates sigma
  if (sigma === 0) return data.slice();
  const blurred = blurPlane(data, width, height, sigma);
  const out = new Uint8Array(blurred.length);
  // A Uint8Array store truncates: adding 0.5 first rounds half up (as Math.round), clamped by hand.
  for (let i = 0; i < blurred.length; i++) {
    const v = blurred[i]! + 0.5;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : v;
  }
  return out;
}

/**
 * Gaussian smoothing of a floating-point plane; see the module comment. Returns a new Float32Array
 * (the precision the passes run in).
 */
export function gaussianBlurFloat(data: Float64Array, width: number, height: number, sigma: number): Float32Array {
  assertPlane(data.length, width, height, "image");
  gaussianKernel(sigma);
  if (sigma === 0) return new Float32Array(data);
  return blurPlane(data, width, height, sigma);
}
