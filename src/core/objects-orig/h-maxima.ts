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
  // The marker f - h - 2e-15 |f| goes straight into the reconstruction's forward scan.
  const rec = new Float64Array(n);
  const range = forwardScan(rec, image, width, height, h);
  if (h > range) return { labels: new Int32Array(n), count: 0 };
  // The reconstruction only rises from here on, so only these pixels can end up as peaks.
  const candidates = backwardScanAndPropagate(rec, image, width, height, h);
  const peaks = new Uint8Array(n);
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k]!;
    if (image[i]! - rec[i]! >= h) peaks[i] = 1;
  }
  return labelComponents(peaks, width, height, { connectivity: 8 });
}

/**
 * First half of Vincent's hybrid grayscale reconstruction by dilation (8-connected) of the marker
 * f - h - 2e-15 |f| under the mask f = `image`, into `rec`: a forward raster scan over the causal
 * neighbours (up-left, up, up-right, left). Throws on NaN; returns max(f) - min(f).
 */
function forwardScan(rec: Float64Array, image: Float64Array, width: number, height: number, h: number): number {
  const I = image;
  const J = rec;
  let min = Infinity;
  let max = -Infinity;
  for (let y = 0, row = 0; y < height; y++, row += width) {
    const rowEnd = row + width;
    for (let p = row; p < rowEnd; p++) {
      if (p === row + 1 && y > 0 && p < rowEnd - 1) {
        // Interior pixels: no bounds to check, and the causal neighbours slide along in registers.
        let left = J[p - 1]!;
        let upLeft = J[p - width - 1]!;
        let up = J[p - width]!;
        for (const last = rowEnd - 1; p < last; p++) {
          const upRight = J[p - width + 1]!;
          const c = I[p]!;
          if (c !== c) throw new RangeError(`image has NaN at pixel ${p}`);
          if (c < min) min = c;
          if (c > max) max = c;
          let m = c - h - RESOLUTION_FACTOR * Math.abs(c);
          if (left > m) m = left;
          if (up > m) m = up;
          if (upLeft > m) m = upLeft;
          if (upRight > m) m = upRight;
          left = m < c ? m : c;
          J[p] = left;
          upLeft = up;
          up = upRight;
        }
      }
      const c = I[p]!;
      if (c !== c) throw new RangeError(`image has NaN at pixel ${p}`);
      if (c < min) min = c;
      if (c > max) max = c;
      let m = c - h - RESOLUTION_FACTOR * Math.abs(c);
      if (p > row && J[p - 1]! > m) m = J[p - 1]!;
      if (y > 0) {
        const up = p - width;
        if (J[up]! > m) m = J[up]!;
        if (p > row && J[up - 1]! > m) m = J[up - 1]!;
        if (p < rowEnd - 1 && J[up + 1]! > m) m = J[up + 1]!;
      }
      J[p] = m < c ? m : c;
    }
  }
  return max - min;
}

/**
 * Second half of the reconstruction started by {@link forwardScan}: a backward raster scan over the
 * anti-causal neighbours (right, down-left, down, down-right), then a FIFO propagation from the
 * pixels that could still raise a neighbour. It only takes minima and maxima of existing values, so
 * it is exact. Returns the pixels where f - rec >= h after the scan (the propagation only raises
 * rec, so they hold every pixel where f - rec >= h at the end).
 */
function backwardScanAndPropagate(
  rec: Float64Array,
  image: Float64Array,
  width: number,
  height: number,
  h: number,
): Int32Array {
  const J = rec;
  const I = image;
  // Pixels where f - rec >= h after the backward scan.
  let candidates: Int32Array = new Int32Array(1024);
  let candidateCount = 0;
  const queue = new PixelFifo(Math.max(1024, width * 4));
  for (let y = height - 1, row = (height - 1) * width; y >= 0; y--, row -= width) {
    const rowEnd = row + width;
    const down = y < height - 1;
    for (let p = rowEnd - 1; p >= row; p--) {
      if (p === rowEnd - 2 && down && p > row) {
        // Interior pixels, with the anti-causal neighbours sliding along in registers.
        let right = J[p + 1]!;
        let downRight = J[p + width + 1]!;
        let below = J[p + width]!;
        for (; p > row; p--) {
          const downLeft = J[p + width - 1]!;
          let m = J[p]!;
          if (right > m) m = right;
          if (below > m) m = below;
          if (downLeft > m) m = downLeft;
          if (downRight > m) m = downRight;
          const c = I[p]!;
          const v = m < c ? m : c;
          J[p] = v;
          if (c - v >= h) candidates = setGrowing(candidates, candidateCount++, p);
          if (
            (right < v && right < I[p + 1]!) ||
            (below < v && below < I[p + width]!) ||
            (downLeft < v && downLeft < I[p + width - 1]!) ||
            (downRight < v && downRight < I[p + width + 1]!)
          ) {
            queue.push(p);
          }
          right = v;
          downRight = below;
          below = downLeft;
        }
      }
      let m = J[p]!;
      const right = p < rowEnd - 1;
      const left = p > row;
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
      if (c - v >= h) candidates = setGrowing(candidates, candidateCount++, p);
      let q: number;
      if (
        (right && J[(q = p + 1)]! < v && J[q]! < I[q]!) ||
        (down &&
          ((J[(q = p + width)]! < v && J[q]! < I[q]!) ||
            (left && J[(q = p + width - 1)]! < v && J[q]! < I[q]!) ||
            (right && J[(q = p + width + 1)]! < v && J[q]! < I[q]!)))
      ) {
        queue.push(p);
      }
    }
  }
  // Propagation, neighbours in any order (the result does not depend on it).
  const offsets = Int32Array.of(-width - 1, -width, -width + 1, -1, 1, width - 1, width, width + 1);
  const dxs = Int32Array.of(-1, 0, 1, -1, 1, -1, 0, 1);
  const dys = Int32Array.of(-1, -1, -1, 0, 0, 1, 1, 1);
  const lastX = width - 1;
  const lastY = height - 1;
  const invWidth = 1 / width;
  while (queue.size > 0) {
    const p = queue.shift();
    const v = J[p]!;
    const y = ((p + 0.5) * invWidth) | 0;
    const x = p - y * width;
    const inside = x > 0 && x < lastX && y > 0 && y < lastY;
    for (let k = 0; k < 8; k++) {
      if (!inside) {
        const xx = x + dxs[k]!;
        const yy = y + dys[k]!;
        if (xx < 0 || xx > lastX || yy < 0 || yy > lastY) continue;
      }
      const q = p + offsets[k]!;
      const jq = J[q]!;
      const iq = I[q]!;
      if (jq < v && jq !== iq) {
        J[q] = v < iq ? v : iq;
        queue.push(q);
      }
    }
  }
  return candidates.subarray(0, candidateCount);
}

/** Sets a[i] = value, first doubling `a` when i is its length; returns the array that holds it. */
function setGrowing(a: Int32Array, i: number, value: number): Int32Array {
  if (i === a.length) {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    a = b;
  }
  a[i] = value;
  return a;
}

/** Circular FIFO of pixel indices; its capacity is a power of two and doubles when it is full. */
class PixelFifo {
  items: Int32Array;
  mask: number;
  head = 0;
  tail = 0;
  size = 0;

  constructor(minCapacity: number) {
    this.items = new Int32Array(1 << (32 - Math.clz32(minCapacity - 1)));
    this.mask = this.items.length - 1;
  }

  push(p: number): void {
    if (this.size === this.items.length) {
      this.items = unwrap(this.items, this.head);
      this.mask = this.items.length - 1;
      this.head = 0;
      this.tail = this.size;
    }
    this.items[this.tail] = p;
    this.tail = (this.tail + 1) & this.mask;
    this.size++;
  }

  /** Removes and returns the oldest entry; the queue must not be empty. */
  shift(): number {
    const p = this.items[this.head]!;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return p;
  }
}

/** A full circular queue's entries, oldest first, in a new array twice as long. */
function unwrap(queue: Int32Array, head: number): Int32Array {
  const bigger = new Int32Array(queue.length * 2);
  bigger.set(queue.subarray(head));
  bigger.set(queue.subarray(0, head), queue.length - head);
  return bigger;
}
