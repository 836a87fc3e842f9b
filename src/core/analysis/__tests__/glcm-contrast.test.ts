import { describe, expect, test } from "vitest";
import { glcmContrast } from "../glcm-contrast";
import { createRandom } from "../random";

/** One GLCM per pixel, the reference's way: 2 levels, distance 1, angle 0, symmetric, normalised. */
function naiveContrast(data: Uint8Array, w: number, h: number, win = 5): Float64Array {
  const r = (win - 1) / 2;
  const out = new Float64Array(w * h);
  for (let y = r; y < h - r; y++) {
    for (let x = r; x < w - r; x++) {
      const p = [
        [0, 0],
        [0, 0],
      ];
      for (let yy = y - r; yy <= y + r; yy++) {
        for (let xx = x - r; xx < x + r; xx++) {
          const a = data[yy * w + xx]! > 0 ? 1 : 0;
          const b = data[yy * w + xx + 1]! > 0 ? 1 : 0;
          p[a]![b]!++;
          p[b]![a]!++;
        }
      }
      const total = p[0]![0]! + p[0]![1]! + p[1]![0]! + p[1]![1]!;
      out[y * w + x] = (p[0]![1]! + p[1]![0]!) / total;
    }
  }
  return out;
}

describe("glcmContrast", () => {
  test("equals one GLCM per window on a random mask", () => {
    const random = createRandom(7);
    const w = 37;
    const h = 23;
    const data = Uint8Array.from({ length: w * h }, () => (random() < 0.4 ? 255 : 0));
    const result = glcmContrast({ width: w, height: h, data });
    const naive = naiveContrast(data, w, h);
    for (let i = 0; i < w * h; i++) {
      expect(result.pairCount[i]! / 20).toBeCloseTo(naive[i]!, 12);
      expect(result.contrast[i]).toBeCloseTo(naive[i]!, 6);
    }
  });

  test("vertical stripes: every horizontal pair differs, contrast 1 inside, 0 on the border", () => {
    const w = 8;
    const h = 6;
    const data = Uint8Array.from({ length: w * h }, (_, i) => (i % 2 === 0 ? 255 : 0));
    const { pairCount, contrast } = glcmContrast({ width: w, height: h, data });
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const inside = x >= 2 && x < w - 2 && y >= 2 && y < h - 2;
        expect(pairCount[y * w + x]).toBe(inside ? 20 : 0);
        expect(contrast[y * w + x]).toBe(inside ? 1 : 0);
      }
    }
  });

  test("exactly 5 x 5: only the centre has a value", () => {
    const data = new Uint8Array(25);
    data[12] = 255; // centre pixel on: pairs (11,12) and (12,13) differ
    const { pairCount } = glcmContrast({ width: 5, height: 5, data });
    expect(Array.from(pairCount).filter((v) => v !== 0)).toEqual([2]);
    expect(pairCount[12]).toBe(2);
  });

  test("images smaller than the window are all border (zeros)", () => {
    for (const [w, h] of [
      [4, 10],
      [10, 4],
      [1, 1],
      [1, 50],
    ] as const) {
      const data = Uint8Array.from({ length: w * h }, (_, i) => (i % 2 ? 255 : 0));
      const r = glcmContrast({ width: w, height: h, data });
      expect(r.pairCount.every((v) => v === 0)).toBe(true);
      expect(r.contrast.every((v) => v === 0)).toBe(true);
    }
  });

  test("other odd windows, and bad windows throw", () => {
    const random = createRandom(3);
    const data = Uint8Array.from({ length: 20 * 20 }, () => (random() < 0.5 ? 255 : 0));
    const r = glcmContrast({ width: 20, height: 20, data }, { window: 7 });
    const naive = naiveContrast(data, 20, 20, 7);
    for (let i = 0; i < 400; i++) expect(r.pairCount[i]! / r.pairsPerWindow).toBeCloseTo(naive[i]!, 12);
    expect(() => glcmContrast({ width: 5, height: 5, data: new Uint8Array(25) }, { window: 4 })).toThrow(RangeError);
    expect(() => glcmContrast({ width: 5, height: 5, data: new Uint8Array(24) })).toThrow(RangeError);
  });
});
