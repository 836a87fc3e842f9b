import { hullOfSpans } from "./convex-hull";

/**
 * Maximum Feret diameter of one object, defined exactly as scikit-image 0.19's
 * `feret_diameter_max` regionprop: the largest distance between two points of the iso-0.5
 * contours (marching squares, `find_contours(..., 0.5)`) of the object's convex hull image padded
 * by 2 pixels.
 *
 * On a binary image the level-0.5 contour points are exactly the midpoints between a hull pixel and
 * a 4-neighbour outside the hull (interpolation at ½). The hull image is convex, so each row and
 * each column holds one run; the farthest pair is found among the run ends' midpoints
 * (row m, col lo − ½), (m, hi + ½), (top − ½, n), (bottom + ½, n), reduced to their convex hull.
 * The same point set as scikit-image's, so the result matches it to rounding, not just within 1 %.
 */

/** Scratch buffers sized for objects up to `maxRows` rows; reuse them across objects. */
export type FeretScratch = { minX: Int32Array; maxX: Int32Array; hull: Int32Array };

/** Scratch buffers for {@link feretDiameterMax}. */
export function feretScratch(maxRows: number): FeretScratch {
  const count = 2 * maxRows + 1;
  return { minX: new Int32Array(count), maxX: new Int32Array(count), hull: new Int32Array(4 * count + 2) };
}

/**
 * Feret diameter (pixels) of a convex hull image given by its runs: rows row0..row0+rows-1 span
 * columns rowLo[k]..rowHi[k] and columns col0..col0+cols-1 span rows colLo[k]..colHi[k]
 * (lo > hi: empty). Returns 0 for an empty hull image.
 */
export function feretDiameterMax(
  row0: number,
  rows: number,
  rowLo: Int32Array,
  rowHi: Int32Array,
  col0: number,
  cols: number,
  colLo: Int32Array,
  colHi: Int32Array,
  scratch: FeretScratch = feretScratch(rows),
): number {
  const count = 2 * rows + 1;
  const { minX, maxX, hull } = scratch;
  if (minX.length < count) throw new RangeError(`Feret scratch holds ${minX.length} rows, needs ${count}`);
  minX.fill(2 ** 30, 0, count);
  maxX.fill(-(2 ** 30), 0, count);
  const y0 = 2 * row0 - 1; // doubled coordinates: (y, x) = (2·row, 2·col)
  for (let k = 0; k < rows; k++) {
    const lo = rowLo[k]!;
    const hi = rowHi[k]!;
    if (lo > hi) continue;
    const j = 2 * k + 1;
    minX[j] = Math.min(minX[j]!, 2 * lo - 1);
    maxX[j] = Math.max(maxX[j]!, 2 * hi + 1);
  }
  for (let k = 0; k < cols; k++) {
    const top = colLo[k]!;
    const bottom = colHi[k]!;
    if (top > bottom) continue;
    const x = 2 * (col0 + k);
    const a = 2 * top - 1 - y0;
    const b = 2 * bottom + 1 - y0;
    minX[a] = Math.min(minX[a]!, x);
    maxX[a] = Math.max(maxX[a]!, x);
    minX[b] = Math.min(minX[b]!, x);
    maxX[b] = Math.max(maxX[b]!, x);
  }
  const n = hullOfSpans(y0, minX, maxX, count, hull);
  let best = 0;
  for (let i = 0; i < n; i++) {
    const yi = hull[2 * i]!;
    const xi = hull[2 * i + 1]!;
    for (let j = i + 1; j < n; j++) {
      const dy = hull[2 * j]! - yi;
      const dx = hull[2 * j + 1]! - xi;
      const d = dy * dy + dx * dx;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best) / 2;
}
