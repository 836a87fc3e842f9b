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

/** Kernels of this radius run through unrolled 7-tap loops (sigma in (2/3, 1]: the defaults). */
const UNROLLED_RADIUS = 3;

/** The row pass at pixel x of the row starting at `row`, reading mirrored indices (edge pixels). */
function rowEdgeTap(src: Float32Array, kernel: Float32Array, row: number, x: number, width: number): number {
  const r = (kernel.length - 1) / 2;
  let acc = 0;
  for (let k = -r; k <= r; k++) acc += kernel[r + k]! * src[row + mirror(x + k, width)]!;
  return acc;
}

/** The column pass at (x, y), reading mirrored rows (edge rows) of `tmp`, which starts at row `firstRow`. */
function columnEdgeTap(
  tmp: Float32Array,
  kernel: Float32Array,
  x: number,
  y: number,
  width: number,
  height: number,
  firstRow: number,
) {
  const r = (kernel.length - 1) / 2;
  let acc = 0;
  for (let k = -r; k <= r; k++) acc += kernel[r + k]! * tmp[(mirror(y + k, height) - firstRow) * width + x]!;
  return acc;
}

/** A window of a plane: columns [x0, x1), rows [y0, y1). */
export type PlaneWindow = { x0: number; x1: number; y0: number; y1: number };

/**
 * Row pass over the window's rows and columns: each row of `src` convolved with the symmetric
 * `kernel` into `tmp` (both hold the rows from `firstRow` on). Pixels whose taps all fall inside
 * the row go through a loop over paired taps (unrolled for radius 3, the defaults' radius); the
 * rest read mirrored indices. The value of a pixel does not depend on the window.
 */
function rowPass(
  src: Float32Array,
  tmp: Float32Array,
  width: number,
  kernel: Float32Array,
  win: PlaneWindow,
  firstRow: number,
) {
  const r = (kernel.length - 1) / 2;
  // Interior pixels, whose taps all fall inside the row: [r, width - r), clipped to the window.
  const interior = width > 2 * r;
  const a = interior ? Math.min(Math.max(win.x0, r), win.x1) : win.x1;
  const b = interior ? Math.max(Math.min(win.x1, width - r), a) : win.x1;
  for (let y = win.y0; y < win.y1; y++) {
    const row = (y - firstRow) * width;
    for (let x = win.x0; x < a; x++) tmp[row + x] = rowEdgeTap(src, kernel, row, x, width);
    if (r === UNROLLED_RADIUS) rowInterior7(src, tmp, row + a, row + b, kernel);
    else rowInterior(src, tmp, row + a, row + b, kernel);
    for (let x = b; x < win.x1; x++) tmp[row + x] = rowEdgeTap(src, kernel, row, x, width);
  }
}

function rowInterior7(src: Float32Array, tmp: Float32Array, from: number, to: number, kernel: Float32Array) {
  const k0 = kernel[3]!;
  const k1 = kernel[4]!;
  const k2 = kernel[5]!;
  const k3 = kernel[6]!;
  for (let i = from; i < to; i++) {
    tmp[i] =
      k0 * src[i]! +
      k1 * (src[i - 1]! + src[i + 1]!) +
      k2 * (src[i - 2]! + src[i + 2]!) +
      k3 * (src[i - 3]! + src[i + 3]!);
  }
}

function rowInterior(src: Float32Array, tmp: Float32Array, from: number, to: number, kernel: Float32Array) {
  const r = (kernel.length - 1) / 2;
  const k0 = kernel[r]!;
  for (let i = from; i < to; i++) {
    let acc = k0 * src[i]!;
    for (let k = 1; k <= r; k++) acc += kernel[r + k]! * (src[i - k]! + src[i + k]!);
    tmp[i] = acc;
  }
}

/**
 * Column pass of `tmp` into `out` over the window, as {@link rowPass} along columns (both planes
 * hold the rows from `firstRow` on). Radii up to 3 sum each pixel's taps in double precision;
 * larger ones accumulate tap by tap in `out`.
 */
function columnPass(
  tmp: Float32Array,
  out: Float32Array,
  width: number,
  height: number,
  kernel: Float32Array,
  win: PlaneWindow,
  firstRow: number,
) {
  const r = (kernel.length - 1) / 2;
  for (let y = win.y0; y < win.y1; y++) {
    const row = (y - firstRow) * width;
    const from = row + win.x0;
    const to = row + win.x1;
    if (y < r || y >= height - r) {
      for (let x = win.x0; x < win.x1; x++) out[row + x] = columnEdgeTap(tmp, kernel, x, y, width, height, firstRow);
    } else if (r === UNROLLED_RADIUS) columnInterior7(tmp, out, from, to, width, kernel);
    else if (r < UNROLLED_RADIUS) columnInterior(tmp, out, from, to, width, kernel);
    else columnInteriorWide(tmp, out, from, to, width, kernel);
  }
}

function columnInterior7(
  tmp: Float32Array,
  out: Float32Array,
  from: number,
  to: number,
  w: number,
  kernel: Float32Array,
) {
  const k0 = kernel[3]!;
  const k1 = kernel[4]!;
  const k2 = kernel[5]!;
  const k3 = kernel[6]!;
  for (let i = from; i < to; i++) out[i] = columnSum7(tmp, i, w, k0, k1, k2, k3);
}

/** The 7-tap column sum at i (taps paired at +-k rows), in double precision. */
function columnSum7(tmp: Float32Array, i: number, w: number, k0: number, k1: number, k2: number, k3: number) {
  return (
    k0 * tmp[i]! +
    k1 * (tmp[i - w]! + tmp[i + w]!) +
    k2 * (tmp[i - 2 * w]! + tmp[i + 2 * w]!) +
    k3 * (tmp[i - 3 * w]! + tmp[i + 3 * w]!)
  );
}

function columnInterior(
  tmp: Float32Array,
  out: Float32Array,
  from: number,
  to: number,
  w: number,
  kernel: Float32Array,
) {
  const r = (kernel.length - 1) / 2;
  const k0 = kernel[r]!;
  for (let i = from; i < to; i++) {
    let acc = k0 * tmp[i]!;
    for (let k = 1; k <= r; k++) acc += kernel[r + k]! * (tmp[i - k * w]! + tmp[i + k * w]!);
    out[i] = acc;
  }
}

function columnInteriorWide(
  tmp: Float32Array,
  out: Float32Array,
  from: number,
  to: number,
  w: number,
  kernel: Float32Array,
) {
  const r = (kernel.length - 1) / 2;
  for (let i = from; i < to; i++) out[i] = kernel[r]! * tmp[i]!;
  for (let k = 1; k <= r; k++) {
    const weight = kernel[r + k]!;
    const offset = k * w;
    for (let i = from; i < to; i++) out[i] = out[i]! + weight * (tmp[i - offset]! + tmp[i + offset]!);
  }
}

/** Blurs `data` into a new Float32Array. */
function blurPlane(data: Uint8Array | Float64Array, width: number, height: number, sigma: number): Float32Array {
  // One Float32 input type keeps the passes monomorphic (the typed-array constructor converts natively).
  const src = new Float32Array(data);
  const whole = { x0: 0, x1: width, y0: 0, y1: height };
  blurWindowInPlace(src, new Float32Array(width * height), width, height, gaussianKernel(sigma), whole);
  return src;
}

/**
 * Gaussian smoothing of a window of a Float32 plane, in place, with `scratch` (as long as the
 * plane) for the row pass: for callers that blur many small windows and reuse their buffers.
 * Inside the window the values are those {@link gaussianBlurFloat} gives for the whole plane (same
 * taps, same arithmetic); the row pass also runs on the kernel's radius of rows above and below
 * the window, and nothing else of the plane is written.
 */
export function blurWindowInPlace(
  plane: Float32Array,
  scratch: Float32Array,
  width: number,
  height: number,
  kernel: Float32Array,
  win: PlaneWindow,
): void {
  if (plane.length !== width * height || scratch.length !== width * height) {
    throw new RangeError(`plane and scratch need ${width} x ${height} values`);
  }
  if (!(0 <= win.x0 && win.x0 <= win.x1 && win.x1 <= width && 0 <= win.y0 && win.y0 <= win.y1 && win.y1 <= height)) {
    throw new RangeError(`window ${JSON.stringify(win)} is not inside ${width} x ${height}`);
  }
  const r = (kernel.length - 1) / 2;
  rowPass(plane, scratch, width, kernel, { ...win, y0: Math.max(0, win.y0 - r), y1: Math.min(height, win.y1 + r) }, 0);
  columnPass(scratch, plane, width, height, kernel, win, 0);
}

/** Gaussian smoothing of an 8-bit plane; see the module comment. Returns a new Uint8Array. */
export function gaussianBlur(data: Uint8Array, width: number, height: number, sigma: number): Uint8Array {
  assertPlane(data.length, width, height, "image");
  gaussianKernel(sigma); // validates sigma
  if (sigma === 0) return data.slice();
  const out = new Uint8Array(data.length);
  gaussianBlurRows(data, width, height, sigma, 0, height, out);
  return out;
}

/**
 * Rows [y0, y1) of {@link gaussianBlur} of `data`, written into the same rows of `out` (the
 * image's size); nothing else of `out` is written. Threads can blur disjoint bands of one image.
 */
export function gaussianBlurRows(
  data: Uint8Array,
  width: number,
  height: number,
  sigma: number,
  y0: number,
  y1: number,
  out: Uint8Array,
): void {
  const kernel = gaussianKernel(sigma);
  const r = (kernel.length - 1) / 2;
  // Strips of rows, each with the kernel's radius of rows above and below, so that the two Float32
  // planes stay small (in cache) whatever the image size; the values are those of whole planes.
  const stripRows = Math.max(4 * r + 1, Math.floor(STRIP_VALUES / width));
  const planeRows = Math.min(height, stripRows + 2 * r);
  const src = new Float32Array(planeRows * width);
  const tmp = new Float32Array(planeRows * width);
  for (let top = y0; top < y1; top += stripRows) {
    const bottom = Math.min(y1, top + stripRows);
    const first = Math.max(0, top - r);
    const last = Math.min(height, bottom + r);
    src.set(data.subarray(first * width, last * width));
    rowPass(src, tmp, width, kernel, { x0: 0, x1: width, y0: first, y1: last }, first);
    // Rows whose column taps all fall inside the image go straight to bytes (radius 3, the
    // default); the others through the Float32 column pass, then rounded.
    const inner0 = r === UNROLLED_RADIUS ? Math.min(bottom, Math.max(top, r)) : bottom;
    const inner1 = r === UNROLLED_RADIUS ? Math.max(inner0, Math.min(bottom, height - r)) : bottom;
    for (const [a, b] of [
      [top, inner0],
      [inner1, bottom],
    ] as const) {
      if (a >= b) continue;
      columnPass(tmp, src, width, height, kernel, { x0: 0, x1: width, y0: a, y1: b }, first);
      roundToBytes(src, (a - first) * width, out, a * width, (b - a) * width);
    }
    if (inner0 < inner1) {
      columnInterior7ToBytes(
        tmp,
        (inner0 - first) * width,
        (inner1 - first) * width,
        width,
        kernel,
        out,
        first * width,
      );
    }
  }
}

/**
 * {@link columnInterior7} rounded to bytes as {@link roundToBytes} does (the sum stored to
 * float32 first, as the Float32 plane would hold it), into out[i + shift].
 */
function columnInterior7ToBytes(
  tmp: Float32Array,
  from: number,
  to: number,
  w: number,
  kernel: Float32Array,
  out: Uint8Array,
  shift: number,
) {
  const k0 = kernel[3]!;
  const k1 = kernel[4]!;
  const k2 = kernel[5]!;
  const k3 = kernel[6]!;
  for (let i = from; i < to; i++) out[i + shift] = (Math.fround(columnSum7(tmp, i, w, k0, k1, k2, k3)) + 0.5) | 0;
}

/** Values per Float32 plane of {@link gaussianBlur}'s strips (1 MB). */
const STRIP_VALUES = 1 << 18;

/** out[to + k] = src[from + k] rounded half up, for k < count (values in [0, 255 + 1e-3]). */
function roundToBytes(src: Float32Array, from: number, out: Uint8Array, to: number, count: number): void {
  // A Uint8Array store truncates, so adding 0.5 first rounds half up (as Math.round). No clamp is
  // needed: the kernel's weights are positive and sum to 1 within a few float32 ulps, so a blur of
  // bytes lies in [0, 255.001] and v + 0.5 in [0.5, 256).
  for (let k = 0; k < count; k++) out[to + k] = (src[from + k]! + 0.5) | 0;
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
