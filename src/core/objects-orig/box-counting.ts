import { assertMask } from "./skeleton";

/**
 * Box-counting (Minkowski-Bouligand) fractal dimension of a binary mask.
 *
 * - Box sizes s = 1, 2, 4, ... up to the largest power of two <= min(width, height) / 2, so the
 *   coarsest grid still has at least 2 x 2 boxes.
 * - Boxes are laid on a grid from the top-left corner; boxes at the right and bottom edges may be
 *   partial and count like full ones. N(s) is the number of boxes holding any foreground pixel.
 * - The dimension is the least-squares slope of log N(s) against log(1 / s); `r2` is the
 *   coefficient of determination of that fit.
 *
 * An empty mask, or a mask too small for two box sizes (min side < 4), has no dimension (null).
 * A single foreground pixel gives N = 1 at every size: slope 0, and r2 null (no variance to
 * explain).
 */

/** Result of {@link boxCountingDimension}. */
export type BoxCounting = {
  /** Fitted dimension, or null for an empty mask or fewer than two box sizes. */
  dimension: number | null;
  /** Box sides in px, ascending. */
  sizes: number[];
  /** Occupied boxes per size. */
  counts: number[];
  /** R^2 of the log-log fit; null when there is no fit or N(s) is constant. */
  r2: number | null;
};

/** Box-counting dimension of a 0/1 mask (non-zero = foreground). */
export function boxCountingDimension(mask: Uint8Array, width: number, height: number): BoxCounting {
  assertMask(mask, width, height);
  const half = Math.min(width, height) / 2;
  const sizes: number[] = [];
  const counts: number[] = [];
  // Occupancy grid at the current size; each level ORs 2 x 2 cells of the previous one, which
  // is exact for boxes aligned on the top-left corner.
  let gw = width;
  let gh = height;
  let grid = new Uint8Array(width * height);
  let count = 0;
  for (let i = 0; i < grid.length; i++) {
    const v = mask[i]! !== 0 ? 1 : 0;
    grid[i] = v;
    count += v;
  }
  for (let s = 1; s === 1 || s <= half; s *= 2) {
    if (s > 1) {
      const nw = Math.ceil(gw / 2);
      const nh = Math.ceil(gh / 2);
      const next = new Uint8Array(nw * nh);
      count = 0;
      for (let y = 0; y < nh; y++) {
        const y0 = 2 * y;
        const y1 = Math.min(y0 + 1, gh - 1);
        for (let x = 0; x < nw; x++) {
          const x0 = 2 * x;
          const x1 = Math.min(x0 + 1, gw - 1);
          const v = grid[y0 * gw + x0]! | grid[y0 * gw + x1]! | grid[y1 * gw + x0]! | grid[y1 * gw + x1]!;
          next[y * nw + x] = v;
          count += v;
        }
      }
      grid = next;
      gw = nw;
      gh = nh;
    }
    sizes.push(s);
    counts.push(count);
  }
  if (counts[0] === 0 || sizes.length < 2) return { dimension: null, sizes, counts, r2: null };

  const n = sizes.length;
  const xs = sizes.map((s) => Math.log(1 / s));
  const ys = counts.map((c) => Math.log(c));
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const r = ys[i]! - (intercept + slope * xs[i]!);
    ssRes += r * r;
  }
  const r2 = syy === 0 ? null : 1 - ssRes / syy;
  return { dimension: slope, sizes, counts, r2 };
}
