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
  // the same column, or `inf` (larger than any real distance) when the column has none.
  const inf = width + height;
  const g = new Int32Array(n);
  for (let x = 0; x < width; x++) g[x] = mask[x] === 0 ? 0 : inf;
  for (let y = 1; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const up = g[row - width + x]!;
      g[row + x] = mask[row + x] === 0 ? 0 : up + 1 < inf ? up + 1 : inf;
    }
  }
  for (let y = height - 2; y >= 0; y--) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const down = g[row + width + x]! + 1;
      if (down < g[row + x]!) g[row + x] = down;
    }
  }

  // Horizontal pass: lower envelope of parabolas (Meijster's second phase).
  const s = new Int32Array(width); // parabola apexes
  const t = new Int32Array(width); // first x each parabola wins
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let q = 0;
    s[0] = 0;
    t[0] = 0;
    for (let u = 1; u < width; u++) {
      const gu = g[row + u]!;
      const gu2 = gu * gu;
      // f(t[q], s[q]) > f(t[q], u): the new parabola beats the top one at its first pixel.
      while (q >= 0) {
        const sq = s[q]!;
        const gs = g[row + sq]!;
        const tq = t[q]!;
        if ((tq - sq) * (tq - sq) + gs * gs > (tq - u) * (tq - u) + gu2) q--;
        else break;
      }
      if (q < 0) {
        q = 0;
        s[0] = u;
      } else {
        const sq = s[q]!;
        const gs = g[row + sq]!;
        // sep(s[q], u) = floor((u^2 - s^2 + g(u)^2 - g(s)^2) / (2 (u - s)))
        const w = 1 + Math.floor((u * u - sq * sq + gu2 - gs * gs) / (2 * (u - sq)));
        if (w < width) {
          q++;
          s[q] = u;
          t[q] = w;
        }
      }
    }
    for (let u = width - 1; u >= 0; u--) {
      const sq = s[q]!;
      const gs = g[row + sq]!;
      const d2 = (u - sq) * (u - sq) + gs * gs;
      out[row + u] = squared ? d2 : Math.sqrt(d2);
      if (u === t[q]!) q--;
    }
  }
  return out;
}
