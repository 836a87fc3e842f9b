/**
 * Skeleton of a binary mask, equal pixel for pixel to scikit-image 0.19's
 * `skimage.morphology.skeletonize(image)` for 2-D input (method "zhang", `_fast_skeletonize` in
 * `_skeletonize_cy.pyx`).
 *
 * The algorithm, as skimage implements it:
 * - The mask is padded with one background pixel on every side.
 * - Each foreground pixel gets a code from its 8 neighbours (weights 1 = NW, 2 = N, 4 = NE, 8 = E,
 *   16 = SE, 32 = S, 64 = SW, 128 = W), which a 256-entry lookup table maps to 0, 1, 2 or 3.
 * - An iteration has two sub-passes; in each, every pixel is judged on the state at the start of the
 *   sub-pass (parallel thinning). The first removes pixels classed 1 or 3, the second 2 or 3.
 * - Iterations repeat until one removes nothing.
 *
 * Only pixels with a background neighbour can be removed (the table gives 0 for code 255), so we
 * keep a list of the foreground pixels touching background and grow it with the neighbours of
 * removed pixels, instead of scanning the whole image each sub-pass. That changes the cost, not
 * the result: the sub-passes stay parallel, so the visiting order does not matter.
 */

/** skimage's table, copied verbatim from `_skeletonize_cy.pyx` (0.19.3). */
// prettier-ignore
const LUT = new Uint8Array([
  0, 0, 0, 1, 0, 0, 1, 3, 0, 0, 3, 1, 1, 0, 1, 3, 0, 0, 0, 0, 0, 0,
  0, 0, 2, 0, 2, 0, 3, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 2, 2, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0,
  0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 2, 0, 0, 0, 3, 1,
  0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 1, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 1, 3, 0, 0,
  1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 2, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3,
  0, 1, 0, 0, 0, 0, 2, 2, 0, 0, 2, 0, 0, 0,
]);

/** Throws RangeError unless `mask` is a `width` x `height` Uint8Array. */
export function assertMask(mask: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(`mask dimensions must be positive integers, got ${width} x ${height}`);
  }
  if (!(mask instanceof Uint8Array)) throw new TypeError("a mask needs a Uint8Array");
  if (mask.length !== width * height) {
    throw new RangeError(`mask has ${mask.length} pixels, expected ${width} x ${height}`);
  }
}

/**
 * One-pixel-wide skeleton of a binary mask (any non-zero pixel is foreground; skimage 0.19 rejects
 * values other than 0 and 1, we treat them as 1). Returns a new 0/1 mask of the same size.
 */
export function skeletonize(mask: Uint8Array, width: number, height: number): Uint8Array {
  assertMask(mask, width, height);
  const pw = width + 2;
  const ph = height + 2;
  const img = new Uint8Array(pw * ph);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = (y + 1) * pw + 1;
    for (let x = 0; x < width; x++) img[dst + x] = mask[src + x]! !== 0 ? 1 : 0;
  }

  // Border list: foreground pixels with at least one background 8-neighbour.
  const inList = new Uint8Array(pw * ph);
  let list = new Int32Array(1024);
  let n = 0;
  const push = (p: number): void => {
    if (n === list.length) {
      const grown = new Int32Array(list.length * 2);
      grown.set(list);
      list = grown;
    }
    list[n++] = p;
    inList[p] = 1;
  };
  const offsets = [-pw - 1, -pw, -pw + 1, 1, pw + 1, pw, pw - 1, -1];
  for (let y = 1; y <= height; y++) {
    for (let x = 1; x <= width; x++) {
      const p = y * pw + x;
      if (img[p] === 0) continue;
      if (
        img[p - pw - 1] === 0 ||
        img[p - pw] === 0 ||
        img[p - pw + 1] === 0 ||
        img[p + 1] === 0 ||
        img[p + pw + 1] === 0 ||
        img[p + pw] === 0 ||
        img[p + pw - 1] === 0 ||
        img[p - 1] === 0
      ) {
        push(p);
      }
    }
  }

  let removed = new Int32Array(1024);
  let removedAny = true;
  while (removedAny) {
    removedAny = false;
    for (let pass = 0; pass < 2; pass++) {
      const first = pass === 0;
      let r = 0;
      for (let i = 0; i < n; i++) {
        const p = list[i]!;
        const code =
          img[p - pw - 1]! +
          2 * img[p - pw]! +
          4 * img[p - pw + 1]! +
          8 * img[p + 1]! +
          16 * img[p + pw + 1]! +
          32 * img[p + pw]! +
          64 * img[p + pw - 1]! +
          128 * img[p - 1]!;
        const c = LUT[code]!;
        if (c === 3 || (c === 1 && first) || (c === 2 && !first)) {
          if (r === removed.length) {
            const grown = new Int32Array(removed.length * 2);
            grown.set(removed);
            removed = grown;
          }
          removed[r++] = p;
        }
      }
      if (r === 0) continue;
      removedAny = true;
      for (let i = 0; i < r; i++) {
        const p = removed[i]!;
        img[p] = 0;
        inList[p] = 0;
      }
      // Compact the list (drop removed pixels), then add the newly exposed neighbours.
      let k = 0;
      for (let i = 0; i < n; i++) {
        const p = list[i]!;
        if (inList[p] === 1) list[k++] = p;
      }
      n = k;
      for (let i = 0; i < r; i++) {
        const p = removed[i]!;
        for (const o of offsets) {
          const q = p + o;
          if (img[q] === 1 && inList[q] === 0) push(q);
        }
      }
    }
  }

  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const src = (y + 1) * pw + 1;
    const dst = y * width;
    for (let x = 0; x < width; x++) out[dst + x] = img[src + x]!;
  }
  return out;
}
