import { describe, expect, test } from "vitest";
import { resizeArea } from "../resize-area";

describe("resizeArea (OpenCV INTER_AREA, 8-bit)", () => {
  test("same size is a copy", () => {
    const src = Uint8Array.from([1, 2, 3, 4]);
    const out = resizeArea(src, 2, 2, 2, 2);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(out).not.toBe(src);
  });

  test("2 x 2 boxes round as OpenCV's (sum + 2) >> 2, i.e. halves up", () => {
    // sums 2 -> 0.5 -> 1 (a cvRound would give 0), 6 -> 1.5 -> 2, 10 -> 2.5 -> 3
    const src = Uint8Array.from([0, 1, 1, 2, 2, 3, 1, 0, 2, 1, 3, 2]);
    expect(Array.from(resizeArea(src, 6, 2, 3, 1))).toEqual([1, 2, 3]);
  });

  test("3 x 3 boxes: cvRound(sum * (1/9))", () => {
    const src = new Uint8Array(9).fill(10);
    src[0] = 14; // sum 94 -> 10.44 -> 10
    expect(Array.from(resizeArea(src, 3, 3, 1, 1))).toEqual([10]);
    src[0] = 15; // sum 95 -> 10.56 -> 11
    expect(Array.from(resizeArea(src, 3, 3, 1, 1))).toEqual([11]);
  });

  test("integer factors equal a plain box mean with OpenCV's rounding, pixel for pixel", () => {
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
    for (const [sx, sy] of [
      [2, 2],
      [3, 3],
      [2, 3],
      [4, 1],
    ] as const) {
      const [dw, dh] = [37, 23];
      const [sw, sh] = [dw * sx, dh * sy];
      const src = Uint8Array.from({ length: sw * sh }, random);
      const expected = new Uint8Array(dw * dh);
      const scale = Math.fround(1 / (sx * sy));
      for (let dy = 0; dy < dh; dy++) {
        for (let dx = 0; dx < dw; dx++) {
          let sum = 0;
          for (let y = 0; y < sy; y++) for (let x = 0; x < sx; x++) sum += src[(dy * sy + y) * sw + dx * sx + x]!;
          const v = Math.fround(sum * scale);
          const r = Math.round(v);
          expected[dy * dw + dx] = sx === 2 && sy === 2 ? (sum + 2) >> 2 : r - v === 0.5 && r % 2 === 1 ? r - 1 : r;
        }
      }
      expect(resizeArea(src, sw, sh, dw, dh)).toEqual(expected);
    }
  });

  test("non-integer downscale averages by area (3 -> 2)", () => {
    // cells [0, 1.5) and [1.5, 3): (a + b/2) / 1.5 and (b/2 + c) / 1.5
    const src = Uint8Array.from([30, 60, 90]);
    expect(Array.from(resizeArea(src, 3, 1, 2, 1))).toEqual([40, 80]);
  });

  test("constant images stay constant on every path", () => {
    for (const [sw, sh, dw, dh] of [
      [10, 10, 5, 5],
      [10, 7, 4, 3],
      [3, 3, 8, 8],
      [1, 1, 512, 512],
      [1, 5, 512, 2560],
    ] as const) {
      const src = new Uint8Array(sw * sh).fill(77);
      const out = resizeArea(src, sw, sh, dw, dh);
      expect(out.length).toBe(dw * dh);
      expect(out.every((v) => v === 77)).toBe(true);
    }
  });

  test("upscaling uses OpenCV's INTER_AREA bilinear fallback (2 -> 4 keeps the source pixels)", () => {
    // INTER_AREA's coefficient rule: fx = (dx + 1) - (sx + 1) / scale, clipped at 0, so an
    // integer upscale repeats pixels and only cells straddling a source edge are blended.
    // (The sk_coins fixture, 384 -> 512, checks this path bit for bit against OpenCV.)
    const out = resizeArea(Uint8Array.from([0, 200]), 2, 1, 4, 1);
    expect(Array.from(out)).toEqual([0, 0, 200, 200]);
    const out3 = resizeArea(Uint8Array.from([0, 200]), 2, 1, 3, 1);
    expect(Array.from(out3)).toEqual([0, 100, 200]);
  });

  test("bad sizes throw RangeError", () => {
    expect(() => resizeArea(new Uint8Array(4), 2, 2, 0, 1)).toThrow(RangeError);
    expect(() => resizeArea(new Uint8Array(3), 2, 2, 1, 1)).toThrow(RangeError);
    expect(() => resizeArea(new Uint8Array(4), 2.5, 2, 1, 1)).toThrow(RangeError);
  });
});
