import { assertPlane } from "./label-components";

/** Options of {@link distanceTransform}. */
export type DistanceTransformOptions = {
  /**
   * Return squared distances (exact integers) instead of distances.
   * @default false
   */
  squared?: boolean;
};

/**
 * Exact Euclidean distance transform with scipy.ndimage.distance_transform_edt semantics: each
 * foreground pixel (non-zero byte) gets the distance to the nearest background pixel, background
 * pixels get 0, and pixels beyond the image border do not count as background.
 *
 * Linear time (Meijster, Roerdink & Hesselink 2000): a vertical pass gives each pixel its distance
 * to the nearest background pixel in its column, and a horizontal pass takes the lower envelope of
 * the parabolas (x - i)^2 + g(i)^2 along each row. All arithmetic is on integers below 2^53, so
 * squared distances are exact and distances are correctly rounded square roots, as scipy's.
 *
 * An image without any background pixel has no defined distance; scipy then returns the distance
 * to the point one row above the top-left pixel, sqrt((y + 1)^2 + x^2), and so does this function.
 */
export function distanceTransform(
  mask: Uint8Array,
  width: number,
  height: number,
  options: DistanceTransformOptions = {},
): Float64Array {
  assertPlane(mask.length, width, height, "mask");
  const squared = options.squared ?? false;
  const n = mask.length;
  const out = new Float64Array(n);

  let anyBackground = false;
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) {
      anyBackground = true;
      break;
    }
  }
  if (!anyBackground) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d2 = (y + 1) * (y + 1) + x * x;
        out[y * width + x] = squared ? d2 : Math.sqrt(d2);
      }
    }
    return out;
  }

  // Vertical pass, row by row for cache locality: g = distance to the nearest background pixel in
  // the same column, or `inf` (larger than any real distance) when the column has none. 16 bits
  // hold it for any image under 65535 pixels wide and high together.
  const inf = width + height;
  const g = inf < 65536 ? new Uint16Array(n) : new Int32Array(n);
  columnDistances(mask, g, width, inf);

  // Horizontal pass: lower envelope of parabolas (Meijster's second phase). A background pixel of
  // the row (g = 0) is nearer to everything on its far side than any parabola beyond it, so each run
  // of foreground pixels is solved on its own, between the background pixels that bound it.
  const s = new Int32Array(width); // parabola apexes (x)
  const t = new Int32Array(width); // first x each parabola wins
  for (let row = 0; row < n; row += width) {
    const rowEnd = row + width;
    let a = row;
    for (;;) {
      while (a < rowEnd && mask[a] === 0) a++;
      if (a === rowEnd) break;
      let b = a + 1;
      while (b < rowEnd && mask[b] !== 0) b++;
      // Foreground run [a, b) (pixel indices); parabolas of [lo, hi] (x).
      const lo = (a > row ? a - 1 : a) - row;
      const hi = (b < rowEnd ? b : b - 1) - row;
      let q = 0;
      s[0] = lo;
      t[0] = lo;
      for (let u = lo + 1; u <= hi; u++) {
        const gu = g[row + u]!;
        const gu2 = gu * gu;
        let sq = 0;
        let gs2 = 0;
        // f(t[q], s[q]) > f(t[q], u): the new parabola beats the top one at its first pixel.
        for (;;) {
          sq = s[q]!;
          const gs = g[row + sq]!;
          gs2 = gs * gs;
          const tq = t[q]!;
          const ds = tq - sq;
          const du = tq - u;
          if (ds * ds + gs2 > du * du + gu2) {
            if (--q < 0) break;
          } else break;
        }
        if (q < 0) {
          q = 0;
          s[0] = u;
          t[0] = lo;
        } else {
          // sep(s[q], u) = floor((u^2 - s^2 + g(u)^2 - g(s)^2) / (2 (u - s))), in row coordinates.
          const su = sq - lo;
          const uu = u - lo;
          const w = lo + 1 + Math.floor((uu * uu - su * su + gu2 - gs2) / (2 * (uu - su)));
          if (w <= hi) {
            q++;
            s[q] = u;
            t[q] = w;
          }
        }
      }
      let tq = t[q]!;
      let sq = s[q]!;
      let gs = g[row + sq]!;
      let gs2 = gs * gs;
      for (let u = b - 1 - row; u >= a - row; u--) {
        while (u < tq) {
          q--;
          tq = t[q]!;
          sq = s[q]!;
          gs = g[row + sq]!;
          gs2 = gs * gs;
        }
        const d = u - sq;
        const d2 = d * d + gs2;
        out[row + u] = squared ? d2 : Math.sqrt(d2);
      }
      a = b;
    }
  }

  return out;
}

/** The vertical pass of {@link distanceTransform}, into `g`. */
function columnDistances(mask: Uint8Array, g: Uint16Array | Int32Array, width: number, inf: number): void {
  const n = mask.length;
  for (let x = 0; x < width; x++) g[x] = mask[x] === 0 ? 0 : inf;
  for (let p = width; p < n; p++) {
    // Writing every pixel (0 on background) touches each page of the fresh array once, in order.
    const up = g[p - width]! + 1;
    g[p] = mask[p] === 0 ? 0 : up < inf ? up : inf;
  }
  for (let p = n - width - 1; p >= 0; p--) {
    const down = g[p + width]! + 1;
    if (down < g[p]!) g[p] = down;
  }
}
