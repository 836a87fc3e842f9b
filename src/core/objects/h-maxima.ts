import { assertPlane, labelComponents, type LabeledComponents } from "./label-components";

/** 2 * numpy.finfo(float64).resolution: skimage's allowance for rounding in `f - h`. */
const RESOLUTION_FACTOR = 2e-15;

/**
 * Markers from the h-maxima of a float map, with skimage.morphology.h_maxima semantics (0.19,
 * float64 input, default 3 x 3 footprint): the map is lowered by h (and by 2e-15 * |f|, as skimage
 * does to absorb rounding), reconstructed by dilation under the original, and the pixels where
 * f - reconstruction >= h are kept. These are the top plateaus of the regional maxima whose dynamic
 * is at least h. When h exceeds max - min there is none. The kept pixels are then labelled with
 * 8-connectivity in raster order (skimage.measure.label of the h_maxima mask).
 *
 * The reconstruction is Vincent's hybrid algorithm (1993): a forward and a backward raster scan,
 * then a FIFO propagation; it only takes minima and maxima of existing values, so it is exact.
 */
export function hMaxima(image: Float64Array, width: number, height: number, h: number): LabeledComponents {
  assertPlane(image.length, width, height, "image");
  if (!Number.isFinite(h) || h <= 0) throw new RangeError(`h must be a positive number, got ${h}`);
  const n = image.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = image[i]!;
    if (Number.isNaN(v)) throw new RangeError(`image has NaN at pixel ${i}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (h > max - min) return { labels: new Int32Array(n), count: 0 };

  const rec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = image[i]!;
    rec[i] = v - h - RESOLUTION_FACTOR * Math.abs(v);
  }
  reconstructByDilation(rec, image, width, height);
  const peaks = new Uint8Array(n);
  for (let i = 0; i < n; i++) peaks[i] = image[i]! - rec[i]! >= h ? 1 : 0;
  return labelComponents(peaks, width, height, { connectivity: 8 });
}

/**
 * Grayscale reconstruction by dilation of `marker` (<= `mask` everywhere) under `mask`, 8-connected,
 * in place.
 */
function reconstructByDilation(marker: Float64Array, mask: Float64Array, width: number, height: number): void {
  const J = marker;
  const I = mask;
  // Forward scan: causal neighbours (up-left, up, up-right, left).
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const p = row + x;
      let m = J[p]!;
      if (x > 0 && J[p - 1]! > m) m = J[p - 1]!;
      if (y > 0) {
        const up = p - width;
        if (J[up]! > m) m = J[up]!;
        if (x > 0 && J[up - 1]! > m) m = J[up - 1]!;
        if (x < width - 1 && J[up + 1]! > m) m = J[up + 1]!;
      }
      const c = I[p]!;
      J[p] = m < c ? m : c;
    }
  }
  // Backward scan: anti-causal neighbours (right, down-left, down, down-right); pixels that could
  // still raise one of them start the propagation.
  let queue = new Int32Array(Math.max(1024, width * 4));
  let head = 0;
  let tail = 0;
  let size = 0;
  const push = (p: number): void => {
    if (size === queue.length) {
      const bigger = new Int32Array(queue.length * 2);
      for (let k = 0; k < size; k++) bigger[k] = queue[(head + k) % queue.length]!;
      queue = bigger;
      head = 0;
      tail = size;
    }
    queue[tail] = p;
    tail = tail + 1 === queue.length ? 0 : tail + 1;
    size++;
  };
  for (let y = height - 1; y >= 0; y--) {
    const row = y * width;
    for (let x = width - 1; x >= 0; x--) {
      const p = row + x;
      let m = J[p]!;
      const right = x < width - 1;
      const left = x > 0;
      const down = y < height - 1;
      if (right && J[p + 1]! > m) m = J[p + 1]!;
      if (down) {
        const dn = p + width;
        if (J[dn]! > m) m = J[dn]!;
        if (left && J[dn - 1]! > m) m = J[dn - 1]!;
        if (right && J[dn + 1]! > m) m = J[dn + 1]!;
      }
      const c = I[p]!;
      const v = m < c ? m : c;
      J[p] = v;
      let q: number;
      if (
        (right && J[(q = p + 1)]! < v && J[q]! < I[q]!) ||
        (down &&
          ((J[(q = p + width)]! < v && J[q]! < I[q]!) ||
            (left && J[(q = p + width - 1)]! < v && J[q]! < I[q]!) ||
            (right && J[(q = p + width + 1)]! < v && J[q]! < I[q]!)))
      ) {
        push(p);
      }
    }
  }
  // Propagation.
  while (size > 0) {
    const p = queue[head]!;
    head = head + 1 === queue.length ? 0 : head + 1;
    size--;
    const v = J[p]!;
    const x = p % width;
    const y = (p - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
        const q = yy * width + xx;
        const jq = J[q]!;
        const iq = I[q]!;
        if (jq < v && jq !== iq) {
          J[q] = v < iq ? v : iq;
          push(q);
        }
      }
    }
  }
}
