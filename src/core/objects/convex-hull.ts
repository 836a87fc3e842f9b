/**
 * Convex hull of one object and its rasterisation, defined exactly as scikit-image 0.19's
 * `convex_hull_image(image, offset_coordinates=True)` (the `image_convex` regionprop):
 *
 * - every object pixel (r, c) stands for the four mid-edge points (r ± ½, c) and (r, c ± ½);
 * - the hull is the convex hull of those points (only the first and last pixel of each row can be
 *   hull vertices, as skimage's `possible_hull` exploits);
 * - a pixel belongs to the hull image when its centre is inside the hull polygon *or on its
 *   boundary* (skimage's `grid_points_in_poly` keeps `point_in_polygon`'s INSIDE, EDGE and VERTEX).
 *
 * All coordinates are doubled so that the half-integer vertices are integers and every test is
 * exact integer arithmetic: a point is (y, x) = (2·row, 2·col). Hull vertices come out in
 * counter-clockwise order for the cross product in (y, x) space, so a point p is inside or on the
 * hull iff cross(b − a, p − a) ≥ 0 for every edge a → b.
 */

/**
 * Convex hull (Andrew's monotone chain) of points given as per-y extremes: for k = 0..count-1 the
 * points (y0 + k, minX[k]) and (y0 + k, maxX[k]); a slot with minX[k] > maxX[k] holds no point.
 * Collinear points are dropped. Writes the vertices into `out` as [y0, x0, y1, x1, ...] (it needs
 * room for 4·count + 2 values) and returns the vertex count.
 */
export function hullOfSpans(
  y0: number,
  minX: Int32Array,
  maxX: Int32Array,
  count: number,
  out: Int32Array | Float64Array,
): number {
  let m = 0;
  const push = (y: number, x: number, floor: number): void => {
    while (m >= floor + 2) {
      const ay = out[2 * (m - 2)]!;
      const ax = out[2 * (m - 2) + 1]!;
      const by = out[2 * (m - 1)]!;
      const bx = out[2 * (m - 1) + 1]!;
      if ((by - ay) * (x - ax) - (bx - ax) * (y - ay) > 0) break;
      m--;
    }
    out[2 * m] = y;
    out[2 * m + 1] = x;
    m++;
  };
  // Lower chain over the points sorted by (y, x), then the upper chain in reverse order.
  for (let k = 0; k < count; k++) {
    const lo = minX[k]!;
    const hi = maxX[k]!;
    if (lo > hi) continue;
    push(y0 + k, lo, 0);
    if (hi !== lo) push(y0 + k, hi, 0);
  }
  const lower = m;
  if (lower <= 1) return lower;
  for (let k = count - 1; k >= 0; k--) {
    const lo = minX[k]!;
    const hi = maxX[k]!;
    if (lo > hi) continue;
    if (hi !== lo) push(y0 + k, hi, lower - 1);
    push(y0 + k, lo, lower - 1);
  }
  return m - 1; // the last point repeats the first
}

/**
 * Lattice points of a hull (doubled coordinates, from {@link hullOfSpans}) on the rows
 * Y = 2·(row0 + k), k = 0..rows-1: writes the first and last column of each row into lo[k], hi[k]
 * (lo[k] > hi[k] when the row holds none) and returns the number of lattice points.
 */
export function hullRowSpans(
  hull: Int32Array,
  vertices: number,
  row0: number,
  rows: number,
  lo: Int32Array,
  hi: Int32Array,
): number {
  return hullSpans(hull, vertices, row0, rows, lo, hi, 0);
}

/**
 * Same as {@link hullRowSpans} for the columns X = 2·(col0 + k): first and last row of each column.
 */
export function hullColSpans(
  hull: Int32Array,
  vertices: number,
  col0: number,
  cols: number,
  lo: Int32Array,
  hi: Int32Array,
): void {
  hullSpans(hull, vertices, col0, cols, lo, hi, 1);
}

/**
 * {@link hullRowSpans} (axis 0: lines of fixed Y, spans in X) and {@link hullColSpans} (axis 1:
 * lines of fixed X, spans in Y). With F the fixed coordinate and G the free one, a point is inside
 * edge (af, ag) → (af + df, ag + dg) when s·(df·(G − ag) − dg·(F − af)) ≥ 0, i.e.
 * (s·df)·G ≥ s·(df·ag + dg·(F − af)); s = −1 on axis 1, where swapping the axes flips the
 * orientation. Multiplying by ±1 is exact, so both axes give the same bounds as solving directly.
 */
function hullSpans(
  hull: Int32Array,
  vertices: number,
  first: number,
  count: number,
  lo: Int32Array,
  hi: Int32Array,
  axis: 0 | 1,
): number {
  const f = axis;
  const g = 1 - axis;
  const s = axis === 0 ? 1 : -1;
  let total = 0;
  for (let k = 0; k < count; k++) {
    const F = 2 * (first + k);
    let gmin = -Infinity;
    let gmax = Infinity;
    for (let v = 0; v < vertices; v++) {
      const w = v + 1 === vertices ? 0 : v + 1;
      const af = hull[2 * v + f]!;
      const bf = hull[2 * w + f]!;
      // Only the edges the line crosses (or touches) bound it: on a convex polygon every other
      // edge's bound is, exactly, no tighter (the slice satisfies its half-plane), and R / c is
      // correctly rounded, so skipping them changes no value. This makes the cost per line ~2
      // divisions instead of one per vertex.
      if ((F < af && F < bf) || (F > af && F > bf)) continue;
      const ag = hull[2 * v + g]!;
      const df = bf - af;
      const dg = hull[2 * w + g]! - ag;
      const c = s * df;
      const R = s * (df * ag + dg * (F - af));
      if (c > 0) gmin = Math.max(gmin, Math.ceil(R / c));
      else if (c < 0) gmax = Math.min(gmax, Math.floor(R / c));
      else if (R > 0) {
        gmin = Infinity; // the line is beyond an edge parallel to it: empty
        gmax = -Infinity;
        break;
      }
    }
    // G = 2·(column or row)
    const a = Math.ceil(gmin / 2);
    const b = Math.floor(gmax / 2);
    if (b >= a && Number.isFinite(a) && Number.isFinite(b)) {
      lo[k] = a;
      hi[k] = b;
      total += b - a + 1;
    } else {
      lo[k] = 1;
      hi[k] = 0;
    }
  }
  return total;
}

/**
 * scikit-image's `convex_hull_image(mask)` (offset_coordinates=True): a 0/1 mask of the pixels
 * whose centre lies inside or on the convex hull of the mid-edge points of the nonzero pixels of
 * `mask` (row-major, width×height). An all-zero mask gives an all-zero result (skimage warns).
 */
export function convexHullImage(mask: Uint8Array, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || width < 0 || !Number.isInteger(height) || height < 0) {
    throw new RangeError(`mask size must be non-negative integers, got ${width}×${height}`);
  }
  if (mask.length !== width * height) {
    throw new RangeError(`mask has ${mask.length} values, expected ${width}×${height}`);
  }
  const out = new Uint8Array(mask.length);
  const count = 2 * height + 1;
  const minX = new Int32Array(count).fill(2 ** 30);
  const maxX = new Int32Array(count).fill(-(2 ** 30));
  let any = false;
  for (let r = 0; r < height; r++) {
    let left = -1;
    let right = -1;
    for (let c = 0; c < width; c++) {
      if (mask[r * width + c] === 0) continue;
      if (left < 0) left = c;
      right = c;
    }
    if (left < 0) continue;
    any = true;
    // doubled coordinates, slot j holds y = j − 1: the row's top, middle and bottom mid-edge points
    for (const [j, lo, hi] of [
      [2 * r, 2 * left, 2 * right],
      [2 * r + 1, 2 * left - 1, 2 * right + 1],
      [2 * r + 2, 2 * left, 2 * right],
    ] as const) {
      minX[j] = Math.min(minX[j]!, lo);
      maxX[j] = Math.max(maxX[j]!, hi);
    }
  }
  if (!any) return out;
  const hull = new Int32Array(4 * count + 2);
  const vertices = hullOfSpans(-1, minX, maxX, count, hull);
  const lo = new Int32Array(height);
  const hi = new Int32Array(height);
  hullRowSpans(hull, vertices, 0, height, lo, hi);
  for (let r = 0; r < height; r++) {
    for (let c = Math.max(0, lo[r]!); c <= Math.min(width - 1, hi[r]!); c++) out[r * width + c] = 1;
  }
  return out;
}
