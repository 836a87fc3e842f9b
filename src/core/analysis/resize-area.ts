/**
 * Area resampling of one 8-bit channel, bit-compatible with OpenCV's
 * `cv::resize(src, dst, dsize, 0, 0, INTER_AREA)` for CV_8U (OpenCV 4.x, resize.cpp).
 *
 * OpenCV picks one of three code paths, and so do we:
 * - both scale factors integers (e.g. 1024 -> 512): "resizeAreaFast", a plain box mean. For a
 *   2 x 2 box OpenCV's SIMD and scalar tail both compute (sum + 2) >> 2; other boxes compute
 *   cvRound(sum * (1.f / area)).
 * - both factors >= 1, not integers (e.g. 1536 x 1103 -> 512 x 367): "resizeArea_", a weighted
 *   area average with single-precision weights and single-precision accumulation, rounded
 *   half-to-even (cvRound). We emulate each float operation with Math.fround so that the sums
 *   (and therefore the rounding) are the same.
 * - any factor < 1 (upscaling, e.g. 384 -> 512): OpenCV falls back to its fixed-point bilinear
 *   resampler (11-bit coefficients) with INTER_AREA's own coefficient rule.
 */

const DBL_EPSILON = 2.220446049250313e-16;
/** INTER_RESIZE_COEF_BITS = 11 in OpenCV. */
const COEF_SCALE = 2048;

/** cvRound for a non-negative value: nearest integer, ties to even (lrint in the default mode). */
function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties go up...
  return r - x === 0.5 && (r & 1) === 1 ? r - 1 : r; // ...unless that makes them odd
}

function saturateU8(x: number): number {
  const r = roundHalfEven(x);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/**
 * Resizes one 8-bit channel (row-major) from `srcWidth x srcHeight` to `dstWidth x dstHeight`
 * exactly as OpenCV's INTER_AREA does. Throws RangeError on bad sizes.
 */
export function resizeArea(
  src: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Uint8Array {
  for (const v of [srcWidth, srcHeight, dstWidth, dstHeight]) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`sizes must be positive integers, got ${v}`);
  }
  if (src.length !== srcWidth * srcHeight) {
    throw new RangeError(`source has ${src.length} samples, expected ${srcWidth * srcHeight}`);
  }
  if (srcWidth === dstWidth && srcHeight === dstHeight) return src.slice();

  // cv::resize computes the inverse scales from the sizes, hal::resize inverts them again.
  const invScaleX = dstWidth / srcWidth;
  const invScaleY = dstHeight / srcHeight;
  const scaleX = 1 / invScaleX;
  const scaleY = 1 / invScaleY;
  const iscaleX = Math.round(scaleX);
  const iscaleY = Math.round(scaleY);
  const isAreaFast = Math.abs(scaleX - iscaleX) < DBL_EPSILON && Math.abs(scaleY - iscaleY) < DBL_EPSILON;

  if (scaleX >= 1 && scaleY >= 1 && isAreaFast) {
    return resizeAreaFast(src, srcWidth, srcHeight, dstWidth, dstHeight, iscaleX, iscaleY);
  }
  const job: ResizeJob = { src, sw: srcWidth, sh: srcHeight, dw: dstWidth, dh: dstHeight, scaleX, scaleY };
  if (scaleX >= 1 && scaleY >= 1) return resizeAreaGeneric(job);
  return resizeLinearAreaMode({ ...job, invScaleX, invScaleY });
}

/** One resize: source and destination sizes and the source-per-destination scales. */
type ResizeJob = {
  src: Uint8Array;
  sw: number;
  sh: number;
  dw: number;
  dh: number;
  scaleX: number;
  scaleY: number;
};

function resizeAreaFast(
  src: Uint8Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
  sx: number,
  sy: number,
): Uint8Array {
  if (dw * sx <= sw && dh * sy <= sh) return resizeWholeBoxes(src, sw, dw, dh, sx, sy);
  const dst = new Uint8Array(dw * dh);
  const area = sx * sy;
  const scale = Math.fround(1 / area);
  const twoByTwo = sx === 2 && sy === 2;
  for (let dy = 0; dy < dh; dy++) {
    const y0 = dy * sy;
    for (let dx = 0; dx < dw; dx++) {
      const x0 = dx * sx;
      let sum = 0;
      let count = 0;
      for (let y = y0; y < y0 + sy && y < sh; y++) {
        const row = y * sw;
        for (let x = x0; x < x0 + sx && x < sw; x++) {
          sum += src[row + x]!;
          count++;
        }
      }
      if (count === area) {
        dst[dy * dw + dx] = twoByTwo ? (sum + 2) >> 2 : saturateU8(Math.fround(sum * scale));
      } else {
        // Only reachable for sizes that are not exact multiples (OpenCV's border rule).
        dst[dy * dw + dx] = count === 0 ? 0 : saturateU8(Math.fround(sum / count));
      }
    }
  }
  return dst;
}

/**
 * resizeAreaFast when every box lies inside the source (always, for exact multiples): the same
 * sums and roundings, by rows of box sums instead of a loop per destination pixel.
 */
function resizeWholeBoxes(src: Uint8Array, sw: number, dw: number, dh: number, sx: number, sy: number): Uint8Array {
  const dst = new Uint8Array(dw * dh);
  if (sx === 2 && sy === 2) {
    for (let dy = 0; dy < dh; dy++) {
      const r0 = 2 * dy * sw;
      const r1 = r0 + sw;
      const out = dy * dw;
      for (let dx = 0, x = 0; dx < dw; dx++, x += 2) {
        dst[out + dx] = (src[r0 + x]! + src[r0 + x + 1]! + src[r1 + x]! + src[r1 + x + 1]! + 2) >> 2;
      }
    }
    return dst;
  }
  const scale = Math.fround(1 / (sx * sy));
  const sums = new Uint32Array(dw);
  for (let dy = 0; dy < dh; dy++) {
    sums.fill(0);
    for (let y = dy * sy; y < (dy + 1) * sy; y++) {
      const row = y * sw;
      if (sx === 4)
        addQuads(src, row, sums, dw); // 4096 -> 1024, the objects' polarity copy
      else {
        for (let dx = 0, x = row; dx < dw; dx++) {
          let sum = 0;
          for (let k = 0; k < sx; k++, x++) sum += src[x]!;
          sums[dx] = sums[dx]! + sum;
        }
      }
    }
    const out = dy * dw;
    for (let dx = 0; dx < dw; dx++) dst[out + dx] = saturateU8(Math.fround(sums[dx]! * scale));
  }
  return dst;
}

/** sums[dx] += the 4 source pixels of cell dx in the row starting at `row`. */
function addQuads(src: Uint8Array, row: number, sums: Uint32Array, dw: number): void {
  for (let dx = 0, x = row; dx < dw; dx++, x += 4) {
    sums[dx] = sums[dx]! + src[x]! + src[x + 1]! + src[x + 2]! + src[x + 3]!;
  }
}

type AreaTab = { di: Int32Array; si: Int32Array; alpha: Float32Array; size: number };

/** computeResizeAreaTab from OpenCV: which source cells feed which destination cell, by how much. */
function computeResizeAreaTab(ssize: number, dsize: number, scale: number): AreaTab {
  const cap = ssize * 2 + 2;
  const di = new Int32Array(cap);
  const si = new Int32Array(cap);
  const alpha = new Float32Array(cap);
  let k = 0;
  for (let dx = 0; dx < dsize; dx++) {
    const fsx1 = dx * scale;
    const fsx2 = fsx1 + scale;
    const cellWidth = Math.min(scale, ssize - fsx1);
    let sx1 = Math.ceil(fsx1);
    let sx2 = Math.floor(fsx2);
    sx2 = Math.min(sx2, ssize - 1);
    sx1 = Math.min(sx1, sx2);
    if (sx1 - fsx1 > 1e-3) {
      di[k] = dx;
      si[k] = sx1 - 1;
      alpha[k++] = (sx1 - fsx1) / cellWidth;
    }
    for (let sx = sx1; sx < sx2; sx++) {
      di[k] = dx;
      si[k] = sx;
      alpha[k++] = 1.0 / cellWidth;
    }
    if (fsx2 - sx2 > 1e-3) {
      di[k] = dx;
      si[k] = sx2;
      alpha[k++] = Math.min(Math.min(fsx2 - sx2, 1), cellWidth) / cellWidth;
    }
  }
  return { di, si, alpha, size: k };
}

function resizeAreaGeneric({ src, sw, sh, dw, dh, scaleX, scaleY }: ResizeJob): Uint8Array {
  const xtab = computeResizeAreaTab(sw, dw, scaleX);
  const ytab = computeResizeAreaTab(sh, dh, scaleY);
  const xdi = xtab.di;
  const xsi = xtab.si;
  const xalpha = xtab.alpha;
  const xsize = xtab.size;
  const dst = new Uint8Array(dw * dh);
  const buf = new Float32Array(dw);
  const sum = new Float32Array(dw);
  let bufRow = -1;
  let prevDy = ytab.di[0] ?? 0;
  for (let j = 0; j < ytab.size; j++) {
    const beta = ytab.alpha[j]!;
    const dy = ytab.di[j]!;
    const sy = ytab.si[j]!;
    // A source row straddling two output rows is used twice in a row: compute it once.
    if (sy !== bufRow) {
      const row = sy * sw;
      buf.fill(0);
      for (let k = 0; k < xsize; k++) {
        const d = xdi[k]!;
        // Float32Array stores round to single precision, as the C++ float accumulator does.
        buf[d] = buf[d]! + Math.fround(src[row + xsi[k]!]! * xalpha[k]!);
      }
      bufRow = sy;
    }
    if (dy !== prevDy) {
      const out = prevDy * dw;
      for (let dx = 0; dx < dw; dx++) {
        dst[out + dx] = saturateU8(sum[dx]!);
        sum[dx] = beta * buf[dx]!;
      }
      prevDy = dy;
    } else {
      for (let dx = 0; dx < dw; dx++) sum[dx] = sum[dx]! + Math.fround(beta * buf[dx]!);
    }
  }
  const out = prevDy * dw;
  for (let dx = 0; dx < dw; dx++) dst[out + dx] = saturateU8(sum[dx]!);
  return dst;
}

/** INTER_AREA coefficient rule of OpenCV's linear resampler, for one axis. */
function linearAreaCoefficients(
  ssize: number,
  dsize: number,
  scale: number,
  invScale: number,
  clampEdge: boolean,
): { ofs: Int32Array; a0: Int32Array; a1: Int32Array; clampedFrom: number } {
  const fr = Math.fround;
  const ofs = new Int32Array(dsize);
  const a0 = new Int32Array(dsize);
  const a1 = new Int32Array(dsize);
  let clampedFrom = dsize;
  for (let d = 0; d < dsize; d++) {
    let s = Math.floor(d * scale);
    let f = fr(d + 1 - (s + 1) * invScale);
    f = f <= 0 ? 0 : fr(f - Math.floor(f));
    // Only the horizontal pass clamps at the right edge; rows are clamped when they are read.
    if (clampEdge && s + 1 >= ssize) {
      clampedFrom = Math.min(clampedFrom, d);
      if (s >= ssize - 1) {
        f = 0;
        s = ssize - 1;
      }
    }
    ofs[d] = s;
    a0[d] = roundHalfEven(fr(1 - f) * COEF_SCALE);
    a1[d] = roundHalfEven(f * COEF_SCALE);
  }
  return { ofs, a0, a1, clampedFrom };
}

function resizeLinearAreaMode({
  src,
  sw,
  sh,
  dw,
  dh,
  scaleX,
  scaleY,
  invScaleX,
  invScaleY,
}: ResizeJob & { invScaleX: number; invScaleY: number }): Uint8Array {
  const x = linearAreaCoefficients(sw, dw, scaleX, invScaleX, true);
  const y = linearAreaCoefficients(sh, dh, scaleY, invScaleY, false);
  // Horizontal pass once per source row (fixed point, values up to 255 * 2048).
  const rows = new Int32Array(sh * dw);
  for (let sy = 0; sy < sh; sy++) {
    const s = sy * sw;
    const d = sy * dw;
    for (let dx = 0; dx < dw; dx++) {
      const sx = x.ofs[dx]!;
      rows[d + dx] =
        dx < x.clampedFrom ? src[s + sx]! * x.a0[dx]! + src[s + sx + 1]! * x.a1[dx]! : src[s + sx]! * COEF_SCALE;
    }
  }
  const dst = new Uint8Array(dw * dh);
  for (let dy = 0; dy < dh; dy++) {
    const sy0 = y.ofs[dy]!;
    const r0 = Math.min(Math.max(sy0, 0), sh - 1) * dw;
    const r1 = Math.min(Math.max(sy0 + 1, 0), sh - 1) * dw;
    const b0 = y.a0[dy]!;
    const b1 = y.a1[dy]!;
    const out = dy * dw;
    for (let dx = 0; dx < dw; dx++) {
      // VResizeLinear<uchar, int, short, FixedPtCast<..., 22>>: OpenCV's bit-exact formula.
      const v = (((b0 * (rows[r0 + dx]! >> 4)) >> 16) + ((b1 * (rows[r1 + dx]! >> 4)) >> 16) + 2) >> 2;
      dst[out + dx] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return dst;
}
