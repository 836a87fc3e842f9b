import { describe, expect, test } from "vitest";
import { boxCountingDimension } from "../box-counting";

describe("boxCountingDimension", () => {
  test("a full square has dimension 2", () => {
    const r = boxCountingDimension(new Uint8Array(64 * 64).fill(1), 64, 64);
    expect(r.sizes).toEqual([1, 2, 4, 8, 16, 32]);
    expect(r.counts).toEqual([4096, 1024, 256, 64, 16, 4]);
    expect(r.dimension).toBeCloseTo(2, 12);
    expect(r.r2).toBeCloseTo(1, 12);
  });

  test("a straight line has dimension 1", () => {
    const mask = new Uint8Array(64 * 64);
    for (let x = 0; x < 64; x++) mask[10 * 64 + x] = 1;
    const r = boxCountingDimension(mask, 64, 64);
    expect(r.counts).toEqual([64, 32, 16, 8, 4, 2]);
    expect(r.dimension).toBeCloseTo(1, 12);
  });

  test("partial boxes at the right and bottom edges count", () => {
    // 5 x 5, sizes 1 and 2 (min/2 = 2.5); a pixel in the last column and row.
    const mask = new Uint8Array(25);
    mask[24] = 1;
    const r = boxCountingDimension(mask, 5, 5);
    expect(r.sizes).toEqual([1, 2]);
    expect(r.counts).toEqual([1, 1]);
    expect(r.dimension).toBe(0);
    expect(r.r2).toBeNull();
  });

  test("Sierpinski carpet: log 8 / log 3 is approached", () => {
    // Box sizes are powers of two, so a 3-adic fractal is only roughly recovered.
    const n = 243;
    const mask = new Uint8Array(n * n);
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        let a = x;
        let b = y;
        let on = 1;
        while (a > 0 || b > 0) {
          if (a % 3 === 1 && b % 3 === 1) on = 0;
          a = Math.floor(a / 3);
          b = Math.floor(b / 3);
        }
        mask[y * n + x] = on;
      }
    }
    const r = boxCountingDimension(mask, n, n);
    expect(Math.abs(r.dimension! - Math.log(8) / Math.log(3))).toBeLessThan(0.1);
  });

  test("empty mask: dimension null, no NaN", () => {
    const r = boxCountingDimension(new Uint8Array(16 * 16), 16, 16);
    expect(r.dimension).toBeNull();
    expect(r.r2).toBeNull();
    expect(r.counts).toEqual([0, 0, 0, 0]);
  });

  test("too small for two sizes: null; bad shape throws RangeError", () => {
    expect(boxCountingDimension(new Uint8Array([1, 1, 1]), 3, 1).dimension).toBeNull();
    expect(() => boxCountingDimension(new Uint8Array(3), 2, 2)).toThrow(RangeError);
  });
});
